// A live run refreshed through the worker (src/extension/worker/): the append cache lives in the
// worker thread, so a refresh parses only the appended rows there, and the answers it sent before
// stay intact on the host. (The cache itself: append-cache.test.ts.)
import { bundleForNode } from '../../support/bundles';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { RunLocation } from '../../../src/core/discover';
import { inspectRun, type Inspection } from '../../../src/core/inspect';
import { WorkerClient } from '../../../src/extension/worker/client';
let tmp = '';

before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'gan-append-worker-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A fresh run folder holding `files` (name → content). */
function runFolder(files: Record<string, string>): RunLocation {
  const root = path.join(tmp, 'run');
  mkdirSync(root, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(root, name), content);
  return { root, name: path.basename(root), lossFiles: Object.keys(files), sampleFiles: [] };
}

function csvRows(from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i++) out += `${i},${(0.69 + 0.1 * Math.sin(i / 7)).toFixed(6)},${(0.7 + Math.cos(i / 5) / 4).toFixed(6)}\n`;
  return out;
}

test('through the worker: a refresh after 1,000 appended rows parses them alone; the first answer stays intact', async () => {
  // The worker as dist/worker.js is built from it.
  const workerFile = path.join(tmp, 'worker.js');
  await bundleForNode('src/extension/worker/worker.ts', workerFile);
  // 100,000 rows: series large enough to be moved between threads rather than copied.
  const loc = runFolder({ 'losses.csv': 'step,d_loss,g_loss\n' + csvRows(0, 100_000) });
  const file = path.join(loc.root, 'losses.csv');
  const series = (ins: Inspection) =>
    ins.run.series.map((s) => ({ name: s.name, role: s.role, source: s.source, column: s.column, steps: s.steps, values: s.values }));
  const copy = (ins: Inspection) => ins.run.series.map((s) => [Float64Array.from(s.steps), Float64Array.from(s.values)]);
  const client = new WorkerClient(workerFile);
  try {
    const first = await client.inspect(loc);
    const firstCopy = copy(first);
    assert.equal(first.run.series[0]!.steps.length, 100_000);
    appendFileSync(file, csvRows(100_000, 101_000));
    const [refreshed, inProcess] = await Promise.all([client.inspect(loc), inspectRun(loc)]);
    assert.equal(refreshed.run.series[0]!.steps[100_999], 100_999);
    assert.deepEqual(series(refreshed), series(inProcess));
    assert.deepEqual(refreshed.findings, inProcess.findings);
    // The first answer's arrays: not detached, not written to.
    assert.deepEqual(copy(first), firstCopy);
    // Proof the worker parsed only the tail: a value changed in place in the middle of the file,
    // where the append check does not look (a rewrite that keeps the file's first 4 KiB and the
    // 4 KiB before the last read's end), is not seen; a whole read would see it.
    const fd = openSync(file, 'r+');
    writeSync(fd, '9.999999', readFileSync(file, 'latin1').indexOf('\n50000,') + '\n50000,'.length); // as long as the value it replaces
    closeSync(fd);
    appendFileSync(file, csvRows(101_000, 102_000));
    const [tailOnly, whole] = await Promise.all([client.inspect(loc), inspectRun(loc)]);
    assert.equal(whole.run.series[0]!.values[50_000], 9.999999);
    assert.equal(tailOnly.run.series[0]!.values[50_000], first.run.series[0]!.values[50_000]);
    assert.equal(tailOnly.run.series[0]!.steps[101_999], 101_999);
    assert.deepEqual(copy(first), firstCopy);
  } finally {
    client.dispose();
  }
});
