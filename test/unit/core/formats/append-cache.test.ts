// Incremental reading of loss files a live run appends to (src/core/formats/appendCache.ts), on real files:
// every read through the cache must equal a whole read of the same bytes, and an append must be
// parsed alone. Any content appended in any pieces is in append-cache-pieces.test.ts.
import { UNIT_DIR } from '../../../support/dirs';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AppendCache } from '../../../../src/core/formats/appendCache';
import type { RunLocation } from '../../../../src/core/discover';
import { loadRun } from '../../../../src/core/run';
import { realRunsSkip } from '../../../support/realRuns';
import { concat, event } from '../../../support/tfEvents';

const repoRoot = path.join(UNIT_DIR, '..', '..');
const realLogs = path.join(repoRoot, '..', 'shared', 'real-runs', 'tensorboard-example', 'logs');
const skipReal = realRunsSkip(realLogs);
let tmp = '';
let folders = 0;

before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'gan-append-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A fresh run folder holding `files` (name → content). */
function runFolder(files: Record<string, string | Uint8Array>): RunLocation {
  const root = path.join(tmp, `run${folders++}`);
  mkdirSync(root, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(root, name), content);
  return { root, name: path.basename(root), lossFiles: Object.keys(files), sampleFiles: [] };
}

/** Reads through the cache, then asserts it equals a read without one; returns the cached run. */
async function sameAsWholeRead(loc: RunLocation, cache: AppendCache) {
  const cached = await loadRun(loc, { appendCache: cache });
  assert.deepEqual(cached, await loadRun(loc));
  return cached;
}

const lastRead = (cache: AppendCache, loc: RunLocation, name: string) => cache.lastRead(path.join(loc.root, name));
const size = (loc: RunLocation, name: string) => statSync(path.join(loc.root, name)).size;

function csvRows(from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i++) out += `${i},${(0.69 + 0.1 * Math.sin(i / 7)).toFixed(6)},${(0.7 + Math.cos(i / 5) / 4).toFixed(6)}\n`;
  return out;
}

test('csv: appended rows are parsed alone and the run equals a whole read', async () => {
  const cache = new AppendCache();
  const loc = runFolder({ 'losses.csv': 'step,d_loss,g_loss\n' + csvRows(0, 2000) });
  await sameAsWholeRead(loc, cache);
  assert.deepEqual(lastRead(cache, loc, 'losses.csv'), { bytesParsed: size(loc, 'losses.csv'), incremental: false });
  const added = csvRows(2000, 3000);
  appendFileSync(path.join(loc.root, 'losses.csv'), added);
  const run = await sameAsWholeRead(loc, cache);
  assert.equal(run.series[0]!.steps.length, 3000);
  assert.deepEqual(lastRead(cache, loc, 'losses.csv'), { bytesParsed: added.length, incremental: true });
  // Nothing new: only the fingerprints are read, nothing is parsed.
  await sameAsWholeRead(loc, cache);
  assert.deepEqual(lastRead(cache, loc, 'losses.csv'), { bytesParsed: 0, incremental: true });
});

test("csv: Lightning's sparse metrics.csv, a half-written row counted as a whole read counts it, then completed", async () => {
  const cache = new AppendCache();
  const header = 'epoch,step,train/d_loss,train/g_loss,val/fid\n';
  const loc = runFolder({ 'metrics.csv': header + '0,49,0.69,0.72,\n0,99,0.65,0.80,\n0,99,,,120.5\n' });
  const file = path.join(loc.root, 'metrics.csv');
  await sameAsWholeRead(loc, cache);
  appendFileSync(file, '1,149,0.60,0.9'); // the logger is mid-row
  const half = await sameAsWholeRead(loc, cache);
  const g = (run: typeof half) => Array.from(run.series.find((s) => s.name === 'train/g_loss')!.values);
  assert.deepEqual(g(half), [0.72, 0.8, 0.9]);
  appendFileSync(file, '5,\n1,199,0.58,0.95,\n1,199,,,98.1\n');
  const run = await sameAsWholeRead(loc, cache);
  assert.deepEqual(g(run), [0.72, 0.8, 0.95, 0.95]);
  assert.deepEqual(g(half), [0.72, 0.8, 0.9], 'what the first read handed out is not rewritten by the second');
  assert.deepEqual(Array.from(run.series.find((s) => s.name === 'val/fid')!.steps), [99, 199]);
  // The half row was not consumed: it is parsed again with what completed it.
  assert.deepEqual(lastRead(cache, loc, 'metrics.csv'), { bytesParsed: '1,149,0.60,0.95,\n1,199,0.58,0.95,\n1,199,,,98.1\n'.length, incremental: true });
});

test('jsonl: a key that first appears in the appended lines becomes a new series, as in a whole read', async () => {
  const cache = new AppendCache();
  const line = (i: number, extra = '') => `{"step": ${i}, "d_loss": ${0.7 - i / 1e4}, "g_loss": ${0.8 + i / 1e4}${extra}}\n`;
  let text = '';
  for (let i = 0; i < 500; i++) text += line(i);
  const loc = runFolder({ 'losses.jsonl': text });
  const first = await sameAsWholeRead(loc, cache);
  assert.deepEqual(
    first.series.map((s) => s.name),
    ['d_loss', 'g_loss'],
  );
  let added = '';
  for (let i = 500; i < 600; i++) added += line(i, i % 10 === 0 ? `, "fid": ${100 - i / 10}` : '');
  appendFileSync(path.join(loc.root, 'losses.jsonl'), added);
  const run = await sameAsWholeRead(loc, cache);
  assert.deepEqual(
    run.series.map((s) => s.name),
    ['d_loss', 'g_loss', 'fid'],
  );
  assert.deepEqual(Array.from(run.series[2]!.steps), [500, 510, 520, 530, 540, 550, 560, 570, 580, 590]);
  assert.deepEqual(lastRead(cache, loc, 'losses.jsonl'), { bytesParsed: added.length, incremental: true });
  // The first read's arrays still hold what they held.
  assert.equal(first.series[0]!.values.length, 500);
  assert.equal(first.series[0]!.values[499], 0.7 - 499 / 1e4);
});

test('tfevents: appended records are parsed alone; a record cut short waits for its end', async () => {
  const cache = new AppendCache();
  const records = Array.from({ length: 300 }, (_, i) => event(i, { 'loss/discriminator': 0.7 - i / 1000, 'loss/generator': 0.8 + i / 1000 }));
  const name = 'events.out.tfevents.1700000000.host.1.0';
  const loc = runFolder({ [name]: concat(records.slice(0, 200)) });
  const file = path.join(loc.root, name);
  await sameAsWholeRead(loc, cache);
  const cut = concat(records.slice(200, 250));
  appendFileSync(file, cut.subarray(0, cut.length - 7));
  let run = await sameAsWholeRead(loc, cache);
  assert.equal(run.series[0]!.steps.length, 249);
  appendFileSync(file, concat([cut.subarray(cut.length - 7), ...records.slice(250)]));
  run = await sameAsWholeRead(loc, cache);
  assert.equal(run.series[0]!.steps.length, 300);
  assert.deepEqual(lastRead(cache, loc, name), { bytesParsed: records[249]!.length + concat(records.slice(250)).length, incremental: true });
});

test('a rewrite, a truncation or a deleted file reads exactly as without the cache', async () => {
  const cache = new AppendCache();
  const loc = runFolder({ 'losses.csv': 'step,d_loss,g_loss\n' + csvRows(0, 100), 'losses.jsonl': '{"step": 0, "d_loss": 0.5}\n' });
  const csv = path.join(loc.root, 'losses.csv');
  await sameAsWholeRead(loc, cache);
  // Same size, new content (a script that rewrites the table each epoch).
  const rewritten = readFileSync(csv, 'utf8').replace('step,d_loss,g_loss', 'step,g_loss,d_loss');
  writeFileSync(csv, rewritten);
  const swapped = await sameAsWholeRead(loc, cache);
  assert.deepEqual(
    swapped.series.filter((s) => s.source === 'losses.csv').map((s) => s.name),
    ['g_loss', 'd_loss'],
  );
  assert.equal(lastRead(cache, loc, 'losses.csv')!.incremental, false);
  // Grown, but not by an append: the first bytes changed.
  writeFileSync(csv, 'step,d_loss,g_loss\n' + csvRows(1, 200));
  const grown = await sameAsWholeRead(loc, cache);
  assert.equal(grown.series[0]!.steps[0], 1);
  assert.equal(lastRead(cache, loc, 'losses.csv')!.incremental, false);
  // Truncated to the header: the same error as without the cache.
  truncateSync(csv, 'step,d_loss,g_loss\n'.length);
  const headerOnly = await sameAsWholeRead(loc, cache);
  assert.match(headerOnly.errors[0]!.message, /losses\.csv: a header but no data rows/);
  appendFileSync(csv, csvRows(0, 10));
  assert.equal((await sameAsWholeRead(loc, cache)).series[0]!.steps.length, 10);
  // Deleted: "file not found", and the cache forgets it.
  unlinkSync(csv);
  const gone = await sameAsWholeRead(loc, cache);
  assert.match(gone.errors[0]!.message, /losses\.csv: file not found/);
  assert.equal(lastRead(cache, loc, 'losses.csv'), undefined);
  // A line appended that is not JSON: skipped and told as a whole read does, then a good append reads again.
  const jsonl = path.join(loc.root, 'losses.jsonl');
  appendFileSync(jsonl, '{"step": 1, "d_loss": oops}\n');
  const damaged = await sameAsWholeRead(loc, cache);
  assert.equal(damaged.errors.find((e) => e.source === 'losses.jsonl')!.message, 'losses.jsonl: skipped 1 damaged record at line 2 (not valid JSON)');
  assert.deepEqual(Array.from(damaged.series.find((s) => s.source === 'losses.jsonl')!.values), [0.5]);
  writeFileSync(jsonl, '{"step": 0, "d_loss": 0.5}\n{"step": 1, "d_loss": 0.4}\n');
  assert.deepEqual(Array.from((await sameAsWholeRead(loc, cache)).series.find((s) => s.source === 'losses.jsonl')!.values), [0.5, 0.4]);
});

test('rows that go back in step (a resumed run) are sorted as in a whole read, and reading goes on after', async () => {
  const cache = new AppendCache();
  const loc = runFolder({ 'd_loss.csv': 'step,loss\n0,1\n10,2\n20,3\n' });
  const file = path.join(loc.root, 'd_loss.csv');
  await sameAsWholeRead(loc, cache);
  appendFileSync(file, '10,4\n20,5\n');
  const resumed = await sameAsWholeRead(loc, cache);
  assert.deepEqual(Array.from(resumed.series[0]!.values), [1, 2, 4, 3, 5]);
  appendFileSync(file, '30,6\n');
  await sameAsWholeRead(loc, cache);
  assert.deepEqual(lastRead(cache, loc, 'd_loss.csv'), { bytesParsed: 5, incremental: true });
});

test('whole-file decisions an append changes: a first step number, a late step key, a cell that is not a number', async () => {
  const cache = new AppendCache();
  const loc = runFolder({ 'a.csv': 'step,d_loss\n,0.5\n,0.6\n', 'b.jsonl': '{"d_loss": 0.5}\n{"d_loss": 0.6}\n', 'c.csv': 'step,d_loss,g_loss\n0,0.5,0.7\n' });
  const values = (run: Awaited<ReturnType<typeof loadRun>>, source: string) =>
    run.series.filter((s) => s.source === source).map((s) => [s.name, Array.from(s.steps), Array.from(s.values)]);
  const before = await sameAsWholeRead(loc, cache);
  // No step has a number yet: rows are numbered. No record has a step key: records are numbered.
  assert.deepEqual(values(before, 'a.csv'), [['d_loss', [0, 1], [0.5, 0.6]]]);
  assert.deepEqual(values(before, 'b.jsonl'), [['d_loss', [0, 1], [0.5, 0.6]]]);
  appendFileSync(path.join(loc.root, 'a.csv'), '3,0.7\n');
  appendFileSync(path.join(loc.root, 'b.jsonl'), '{"d_loss": 0.7, "step": 10}\n');
  appendFileSync(path.join(loc.root, 'c.csv'), '1,0.4,diverged\n');
  const after = await sameAsWholeRead(loc, cache);
  // Now the step column counts, and the earlier rows and records have no step to be placed at.
  assert.deepEqual(values(after, 'a.csv'), [['d_loss', [3], [0.7]]]);
  assert.deepEqual(values(after, 'b.jsonl'), [['d_loss', [10], [0.7]]]);
  // A cell that is not a number is skipped for its column, which stays while it is not mostly text.
  assert.deepEqual(values(after, 'c.csv'), [
    ['d_loss', [0, 1], [0.5, 0.4]],
    ['g_loss', [0], [0.7]],
  ]);
  assert.equal(after.errors.find((e) => e.source === 'c.csv')?.message, 'c.csv: skipped 1 damaged record at line 3 ("g_loss" is not a number)');
  appendFileSync(path.join(loc.root, 'c.csv'), '2,0.3,diverged\n');
  assert.deepEqual(values(await sameAsWholeRead(loc, cache), 'c.csv'), [['d_loss', [0, 1, 2], [0.5, 0.4, 0.3]]], 'mostly text: not a series');
  for (const name of ['a.csv', 'b.jsonl', 'c.csv']) assert.equal(lastRead(cache, loc, name)!.incremental, true, name);
});

test('text a tail read cannot continue: UTF-16 from Excel is read whole each time, a NUL in the first 4 KiB is read whole as a whole read does', async () => {
  const cache = new AppendCache();
  const utf16 = (text: string) => Buffer.from(text, 'utf16le');
  const loc = runFolder({
    'excel.csv': Buffer.concat([Buffer.from([0xff, 0xfe]), utf16('step,d_loss\r\n0,0.5\r\n')]),
    'small.csv': 'step,d_loss,time\n0,0.5,1.5\n',
  });
  await sameAsWholeRead(loc, cache);
  appendFileSync(path.join(loc.root, 'excel.csv'), utf16('1,0.4\r\n'));
  // In a clock column, which is never parsed: only the text check can see it.
  appendFileSync(path.join(loc.root, 'small.csv'), Buffer.from('1,0.4,\u0000\n'));
  const run = await sameAsWholeRead(loc, cache);
  assert.deepEqual(Array.from(run.series.find((s) => s.source === 'excel.csv')!.values), [0.5, 0.4]);
  assert.deepEqual(lastRead(cache, loc, 'excel.csv'), { bytesParsed: size(loc, 'excel.csv'), incremental: false });
  // A NUL past the header is a hole, not a binary file (decodeText); only the whole read may judge it.
  assert.deepEqual(Array.from(run.series.find((s) => s.source === 'small.csv')!.values), [0.5, 0.4]);
  assert.equal(lastRead(cache, loc, 'small.csv')!.incremental, false);
  writeFileSync(path.join(loc.root, 'small.csv'), 'step,d_loss,\u0000time\n0,0.5,1.5\n');
  assert.match((await sameAsWholeRead(loc, cache)).errors.find((e) => e.source === 'small.csv')!.message, /small\.csv: not a text file/);
});

test('the memory budget forgets the least recently read file; it is then read whole, still right', async () => {
  const cache = new AppendCache(200_000);
  const a = runFolder({ 'd_loss.csv': 'step,loss\n' + csvRows(0, 5000).replace(/,[^,\n]*\n/g, '\n') });
  const b = runFolder({ 'g_loss.csv': 'step,loss\n' + csvRows(0, 5000).replace(/,[^,\n]*\n/g, '\n') });
  await sameAsWholeRead(a, cache);
  await sameAsWholeRead(b, cache);
  assert.ok(cache.bytesHeld <= 200_000, `${cache.bytesHeld} bytes held`);
  appendFileSync(path.join(a.root, 'd_loss.csv'), '5000,0.5\n');
  appendFileSync(path.join(b.root, 'g_loss.csv'), '5000,0.5\n');
  await sameAsWholeRead(a, cache);
  assert.equal(lastRead(cache, a, 'd_loss.csv')!.incremental, false, 'a was forgotten when b was read');
  await sameAsWholeRead(b, cache);
  assert.equal(lastRead(cache, b, 'g_loss.csv')!.incremental, false, 'b was forgotten when a was read again');
});

test('reads of one file at the same time each give a whole read of the bytes they saw', async () => {
  const cache = new AppendCache();
  const loc = runFolder({ 'losses.csv': 'step,d_loss,g_loss\n' + csvRows(0, 1000) });
  await sameAsWholeRead(loc, cache);
  appendFileSync(path.join(loc.root, 'losses.csv'), csvRows(1000, 1100));
  const [one, two] = await Promise.all([loadRun(loc, { appendCache: cache }), loadRun(loc, { appendCache: cache })]);
  const whole = await loadRun(loc);
  assert.deepEqual(one, whole);
  assert.deepEqual(two, whole);
});

test('the real TensorBoard run: its event file and metrics.csv, written in two pieces, read as the whole files', { skip: skipReal }, async () => {
  const names = readdirSync(realLogs).filter((f) => f.startsWith('events.out.tfevents.') || f === 'metrics.csv');
  assert.equal(names.length, 2);
  const cache = new AppendCache();
  const real = { root: realLogs, name: 'logs', lossFiles: names, sampleFiles: [] };
  // Reading the real folder twice: the second read continues the first and equals it.
  const first = await loadRun(real, { appendCache: cache });
  const second = await loadRun(real, { appendCache: cache });
  assert.deepEqual(second, first);
  assert.deepEqual(first, await loadRun(real));
  for (const name of names) assert.deepEqual(cache.lastRead(path.join(realLogs, name)), { bytesParsed: 0, incremental: true });
  // The same bytes arriving as training wrote them: a first part (cut mid-record / mid-row), then the rest.
  const loc = runFolder({});
  for (const name of names) {
    const bytes = readFileSync(path.join(realLogs, name));
    writeFileSync(path.join(loc.root, name), bytes.subarray(0, Math.floor(bytes.length * 0.6) + 3));
  }
  loc.lossFiles = names;
  await sameAsWholeRead(loc, cache);
  for (const name of names)
    appendFileSync(path.join(loc.root, name), readFileSync(path.join(realLogs, name)).subarray(Math.floor(statSync(path.join(realLogs, name)).size * 0.6) + 3));
  const appended = await sameAsWholeRead(loc, cache);
  for (const name of names) assert.equal(cache.lastRead(path.join(loc.root, name))!.incremental, true);
  assert.deepEqual(appended.series, first.series);
});
