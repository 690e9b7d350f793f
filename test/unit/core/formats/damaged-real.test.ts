// The damage of issue #19, done to the real logs in ../shared, read as a user would: through
// loadRun, the CLI's text and JSON reports and the tree tooltip. Each file keeps every intact
// record and gets one line in the run's errors saying how many records were skipped and where the
// first was. Plus the format rules the fuzz tests take as given (a text column is still refused…).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AppendCache } from '../../../../src/core/formats/appendCache';
import { inspectLoadedRun } from '../../../../src/core/inspect';
import type { RawSeries } from '../../../../src/core/model';
import { errorLine } from '../../../../src/core/present';
import { readLossFile } from '../../../../src/core/formats';
import { renderJsonReport, toJsonReport } from '../../../../src/core/report/json';
import { renderTextReport } from '../../../../src/core/report/text';
import { escapeMarkdown, renderMarkdownReport } from '../../../../src/core/report/markdown';
import { loadRun } from '../../../../src/core/run';
import type { SkipReport } from '../../../../src/core/formats/skipped';
import { runTooltip } from '../../../../src/extension/tree/describe';
import { viewOf } from '../../../../src/extension/tree/treeModel';
import { escapeMarkdown as escapeTooltip } from '../../../../src/extension/markdown';
import { eventRecord } from '../../../support/damage';
import { CODEBASE_RUNS, REAL_RUNS, realRunsSkip } from '../../../support/realRuns';

const eventsDir = path.join(REAL_RUNS, 'tensorboard-example', 'logs');
const eventsFile = existsSync(eventsDir) ? readdirSync(eventsDir).find((f) => f.startsWith('events.out.tfevents.')) : undefined;
const chainerLog = path.join(CODEBASE_RUNS, 'nat-chan-my-chainer-gan', 'result_dcgan32', 'log');
const stylegan = path.join(CODEBASE_RUNS, 'Hexanol777-RPG-SpriteGAN', 'stats.jsonl');
const present = eventsFile !== undefined && existsSync(chainerLog) && existsSync(stylegan);
// Outside CI a missing ../shared skips with a message; under CI=true the test runs and fails (realRuns.ts).
const skipShared = realRunsSkip(REAL_RUNS) || realRunsSkip(CODEBASE_RUNS);
function requireShared() {
  if (!present) assert.fail(`../shared real runs are missing (${eventsDir}, ${chainerLog}, ${stylegan})`);
}

let tmp = '';
before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'gan-damaged-real-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

function read(fileName: string, bytes: Uint8Array): { series: RawSeries[]; report: SkipReport } {
  const report: SkipReport = { skipped: null };
  return { series: readLossFile(fileName, bytes, undefined, report), report };
}

/** Every (step, value) of `damaged` is one of `intact`'s, and `intact` has at most `lost` more. */
function keptExactly(damaged: RawSeries[], intact: RawSeries[], lost: number, what: string) {
  let missing = 0;
  for (const s of intact) {
    const d = damaged.find((x) => x.name === s.name);
    assert.ok(d, `${what}: ${s.name} is gone`);
    const have = new Map<number, number>();
    for (let i = 0; i < s.steps.length; i++) have.set(s.steps[i]!, s.values[i]!);
    for (let i = 0; i < d.steps.length; i++)
      assert.ok(Object.is(have.get(d.steps[i]!), d.values[i]!), `${what}: ${s.name} at step ${d.steps[i]} is not the intact value`);
    missing += s.steps.length - d.steps.length;
  }
  assert.ok(missing >= 1 && missing <= lost, `${what}: ${missing} values missing, expected 1…${lost}`);
}

test("the issue's table, on the real logs: each keeps every intact record and says what it skipped", { skip: skipShared }, async () => {
  requireShared();
  const events = new Uint8Array(readFileSync(path.join(eventsDir, eventsFile!)));
  const intactEvents = read(eventsFile!, events).series;

  // One byte flipped in the middle: TensorBoard keeps the events before it; we also resume after.
  const flipped = events.slice();
  flipped[Math.floor(events.length / 2)]! ^= 0x10;
  const f = read(eventsFile!, flipped);
  keptExactly(f.series, intactEvents, 1, 'flipped byte');
  assert.deepEqual(f.report.skipped, { count: 1, first: { byte: 1663525 }, reason: 'the record length fails its checksum' });

  // 200 zero bytes in the first third: the few records under them, no more.
  const holed = events.slice();
  holed.fill(0, Math.floor(events.length / 4), Math.floor(events.length / 4) + 200);
  const h = read(eventsFile!, holed);
  keptExactly(h.series, intactEvents, 6, 'hole of zeros'); // records here are 55 bytes: 200 bytes touch at most 5
  assert.equal(h.report.skipped?.count, 1);

  // Chainer log, one digit replaced by x: the other 999 records stay.
  const log = readFileSync(chainerLog, 'utf8');
  const at = log.indexOf('"loss_gen": ', log.indexOf('"iteration": 50000')) + '"loss_gen": '.length + 2;
  const c = read('log', new TextEncoder().encode(log.slice(0, at) + 'x' + log.slice(at + 1)));
  const intactLog = read('log', new TextEncoder().encode(log)).series;
  keptExactly(c.series, intactLog, 2, 'Chainer log');
  assert.equal(c.series.find((s) => s.name === 'loss_gen')!.steps.length, 999);
  assert.ok(!c.series.some((s) => s.steps.includes(50000)));
  const recordLine = log.slice(0, log.lastIndexOf('{', at)).split('\n').length;
  assert.deepEqual(c.report.skipped, { count: 1, first: { line: recordLine }, reason: 'not valid JSON' });

  // metrics.csv, one row's D value binary garbage: d_loss loses that row only, g_loss nothing.
  const csvLines = readFileSync(path.join(eventsDir, 'metrics.csv'), 'utf8').split('\n');
  csvLines[12345] = csvLines[12345]!.replace(/^(\d+),[^,]*,/, '$1,\u0001\u00ff\u0007,');
  const m = read('metrics.csv', new TextEncoder().encode(csvLines.join('\n')));
  const intactCsv = read('metrics.csv', readFileSync(path.join(eventsDir, 'metrics.csv'))).series;
  keptExactly(
    m.series.filter((s) => s.name === 'd_loss'),
    intactCsv.filter((s) => s.name === 'd_loss'),
    1,
    'metrics.csv',
  );
  assert.deepEqual(m.series.find((s) => s.name === 'g_loss')!.values, intactCsv.find((s) => s.name === 'g_loss')!.values);
  assert.deepEqual(m.report.skipped, { count: 1, first: { line: 12346 }, reason: '"d_loss" is not a number' });

  // JSON lines, one line broken (StyleGAN2-ADA's stats.jsonl).
  const stats = readFileSync(stylegan, 'utf8').split('\n');
  stats[20] = stats[20]!.slice(0, 30) + stats[20]!.slice(40);
  const j = read('stats.jsonl', new TextEncoder().encode(stats.join('\n')));
  const intactStats = read('stats.jsonl', readFileSync(stylegan)).series;
  // The statistic's mean, as the StyleGAN reader names it (#14: `Loss/G/loss`, no `/num`, `/std`).
  keptExactly(
    j.series.filter((s) => s.name === 'Loss/G/loss'),
    intactStats.filter((s) => s.name === 'Loss/G/loss'),
    1,
    'stats.jsonl',
  );
  assert.deepEqual(j.report.skipped, { count: 1, first: { line: 21 }, reason: 'not valid JSON' });
});

test(
  "every view shows one line per damaged file: CLI text, --json errors with the file as source, markdown, tree tooltip and error node, the inspector's list",
  { skip: skipShared },
  async () => {
    requireShared();
    const root = path.join(tmp, 'run');
    mkdirSync(root, { recursive: true });
    const events = new Uint8Array(readFileSync(path.join(eventsDir, eventsFile!)));
    events[Math.floor(events.length / 2)]! ^= 0x10;
    writeFileSync(path.join(root, eventsFile!), events);
    const csv = readFileSync(path.join(eventsDir, 'metrics.csv'), 'utf8').split('\n');
    csv[20001] = 'Traceback (most recent call last):';
    csv[25000] = csv[25000]!.replace(/,[^,]*$/, ',nan?');
    writeFileSync(path.join(root, 'metrics.csv'), csv.join('\n'));
    const loc = { root, name: 'run', lossFiles: [eventsFile!, 'metrics.csv'], sampleFiles: [] };
    const run = await loadRun(loc);
    const lines = run.errors.map((e) => e.message);
    assert.deepEqual(lines, [
      `${eventsFile}: skipped 1 damaged record at byte 1663525 (the record length fails its checksum)`,
      'metrics.csv: skipped 2 damaged records, first at line 20002 (the step is not a number)',
    ]);
    assert.equal(run.series.find((s) => s.name === 'd_loss')!.steps.length, 29999);
    assert.equal(run.series.find((s) => s.name === 'g_loss')!.steps.length, 29998);
    const ins = await inspectLoadedRun(run);
    const text = renderTextReport([ins]);
    for (const line of lines) assert.ok(text.includes(`⚠ ${line}`), text);
    const json = JSON.parse(renderJsonReport([ins]));
    assert.deepEqual(json.runs[0].errors[1], {
      source: 'metrics.csv',
      message: lines[1],
      skipped: { count: 2, first: { line: 20002 }, reason: 'the step is not a number' },
    });
    assert.equal(toJsonReport([ins]).runs[0]!.errors[0]!.source, eventsFile);
    const md = renderMarkdownReport([ins]);
    for (const line of lines) assert.ok(md.includes(`- ${escapeMarkdown(line)}`), md);
    const tooltip = runTooltip({ root, name: 'run', inspection: ins });
    for (const line of lines) assert.ok(tooltip.includes(`- ${escapeTooltip(line)}`), tooltip);
    assert.ok(!tooltip.includes('could not be read'), 'a file read with skips is not unreadable');
    const node = viewOf({ kind: 'error', runRoot: root, index: 1 }, new Map([[root, { root, name: 'run', inspection: ins }]]));
    assert.equal(node?.icon.id, 'warning');
    // The inspector lists each error as one line naming its file.
    assert.equal(errorLine(run.errors[1]!), lines[1]);
  },
);

test('csv: a text column is still refused, a column with a few unreadable cells survives, a stray line takes no row number, a stray quote costs its row only', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  const phases = read('a.csv', enc('step,d_loss,phase\n0,0.5,train\n1,0.4,train\n2,0.3,val\n'));
  assert.deepEqual(
    phases.series.map((s) => s.name),
    ['d_loss'],
  );
  assert.equal(phases.report.skipped, null, 'a text column is no damage');
  const few = read('b.csv', enc('step,d_loss\n0,0.5\n1,#VALUE!\n2,0.3\n'));
  assert.deepEqual(Array.from(few.series[0]!.steps), [0, 2]);
  assert.deepEqual(few.report.skipped, { count: 1, first: { line: 3 }, reason: '"d_loss" is not a number' });
  // Without a step column rows are numbered: a printed line is not a row.
  const numbered = read('c.csv', enc('d_loss,g_loss\n0.5,0.7\nEpoch 2 done\n0.4,0.8\n'));
  assert.deepEqual(Array.from(numbered.series[0]!.steps), [0, 1]);
  assert.deepEqual(numbered.report.skipped, { count: 1, first: { line: 3 }, reason: 'not a row of the table' });
  const quote = read('d.csv', enc('step,d_loss\n0,0.5\n1,"0.4\n2,0.3\n3,0.2\n'));
  assert.deepEqual(Array.from(quote.series[0]!.steps), [0, 2, 3]);
  assert.deepEqual(quote.report.skipped, { count: 1, first: { line: 3 }, reason: 'a quoted cell is never closed' });
  const extra = read('e.csv', enc('step,d_loss\n0,0.5\n1,0,4\n2,0.3\n'));
  assert.deepEqual(Array.from(extra.series[0]!.values), [0.5, 0.3]);
  assert.deepEqual(extra.report.skipped, { count: 1, first: { line: 3 }, reason: 'more cells than the header' });
  // A row still being written (no line break yet) is not damage.
  assert.equal(read('f.csv', enc('step,d_loss\n0,0.5\n1,0.4e')).report.skipped, null);
});

test('a .npy whose header is damaged is still refused, never read as data', () => {
  const header = "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }";
  const text = header + ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const bytes = new Uint8Array(10 + text.length + 24);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, text.length & 0xff, text.length >> 8]);
  bytes.set(new TextEncoder().encode(text), 10);
  bytes.set(new Uint8Array(new Float64Array([0.5, 0.4, 0.3]).buffer), 10 + text.length);
  assert.equal(readLossFile('d.npy', bytes).length, 1);
  for (const at of [12, 20, 30]) {
    const damaged = bytes.slice();
    damaged[at]! ^= 0x20;
    assert.throws(
      () => readLossFile('d.npy', damaged),
      (e: Error) => e.message.startsWith('d.npy: '),
      `byte ${at}`,
    );
  }
});

test('tfevents, live: a damaged record at the end of one append, resolved by the next, is counted once, as a whole read counts it', async () => {
  const records = [eventRecord(0, null, 0)];
  for (let step = 1; step <= 40; step++) records.push(eventRecord(step, 'loss/D', step / 100));
  const whole = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
  let at = 0;
  const starts: number[] = [];
  for (const r of records) {
    starts.push(at);
    whole.set(r, at);
    at += r.length;
  }
  // Damage the header of record 30, and end the second piece inside it: the resync cannot finish yet.
  whole[starts[30]! + 2]! ^= 0xff;
  const file = path.join(tmp, 'events.out.tfevents.live');
  const cache = new AppendCache();
  const outcome = async (end: number) => {
    writeFileSync(file, whole.subarray(0, end));
    const { size, mtimeMs, ino } = statSync(file);
    const report: SkipReport = { skipped: null };
    const series = await cache.read(file, 'events.out.tfevents.live', { size, mtimeMs, ino }, report);
    const wholeReport: SkipReport = { skipped: null };
    const wholeSeries = readLossFile('events.out.tfevents.live', whole.subarray(0, end), undefined, wholeReport);
    assert.deepEqual(
      series.map((s) => Array.from(s.steps)),
      wholeSeries.map((s) => Array.from(s.steps)),
      `after ${end} bytes`,
    );
    assert.deepEqual(report.skipped, wholeReport.skipped, `after ${end} bytes`);
    return { series, report };
  };
  await outcome(starts[20]!);
  await outcome(starts[30]! + 8);
  await outcome(starts[31]! - 3);
  const last = await outcome(whole.length);
  assert.equal(cache.lastRead(file)?.incremental, true);
  assert.deepEqual(last.report.skipped, { count: 1, first: { byte: starts[30] }, reason: 'the record length fails its checksum' });
  assert.equal(last.series[0]!.steps.length, 39);
  appendFileSync(file, eventRecord(41, 'loss/D', 0.41));
});
