// TensorBoard's "download data" of a scalar (`run-<run>-tag-<tag>.csv`, `Wall time,Step,Value`, or
// `.json`, `[[wall time, step, value], …]`), kept by people whose event files are gone: a folder of
// them is a run, each file's values named by the tag in its name. Written here with python3 as
// TensorBoard's data download writes them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { discoverRuns } from '../../../../src/core/discover';
import { loadRun } from '../../../../src/core/run';

let tmp = '';
before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'gan-tb-csv-'));
  const script = [
    'import csv, math, os',
    "os.makedirs('dcgan/exported', exist_ok=True)",
    "os.makedirs('other', exist_ok=True)",
    'def write(path, f):',
    "    with open(path, 'w', newline='') as fh:",
    '        w = csv.writer(fh)',
    "        w.writerow(['Wall time', 'Step', 'Value'])",
    '        for s in range(0, 4000, 50):',
    '            w.writerow([1600000000.5 + s * 0.25, s, f(s)])',
    "write('dcgan/exported/run-dcgan_logs-tag-Loss_D.csv', lambda s: 0.2 + 0.01 * math.sin(s))",
    "write('dcgan/exported/run-dcgan_logs-tag-Loss_G.csv', lambda s: 3.0 + s / 2000)",
    "write('dcgan/exported/run-dcgan_logs-tag-learning_rate.csv', lambda s: 2e-4)",
    "write('other/run-.-tag-learning_rate.csv', lambda s: 2e-4)",
    "write('other/data.csv', lambda s: s * 2)",
    'import json',
    "os.makedirs('wgan/json', exist_ok=True)",
    "json.dump([[1600000000.5 + s, s, -1.5 - s / 1000] for s in range(0, 2000, 20)] + [[1600002000.5, 2000, float('nan')]], open('wgan/json/run-.-tag-loss_critic.json', 'w'))",
    "json.dump([[1600000000.5 + s, s, 0.5 + s / 1000] for s in range(0, 2000, 20)], open('wgan/json/run-.-tag-loss_generator.json', 'w'))",
    "json.dump([[1, 2, 3], [4, 5, 6]], open('other/points.json', 'w'))",
  ].join('\n');
  execFileSync('python3', ['-c', script], { cwd: tmp });
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test("a folder of TensorBoard's scalar downloads is a run: each file's values named by its tag, D and G among them", async () => {
  const runs = await discoverRuns(tmp);
  assert.deepEqual(
    runs.map((r) => path.relative(tmp, r.root)),
    ['dcgan/exported', 'wgan/json'],
    'a learning rate alone, or a data.csv with the same header, is no run',
  );
  const run = await loadRun(runs[0]!);
  const by = Object.fromEntries(run.series.map((s) => [s.name, s]));
  assert.equal(by.Loss_D?.role, 'discriminator');
  assert.equal(by.Loss_G?.role, 'generator');
  // As any CSV, a file is a loss table when it names a loss or a metric: the learning rate's is not.
  assert.deepEqual(Object.keys(by).sort(), ['Loss_D', 'Loss_G']);
  assert.ok(!run.series.some((s) => /wall time|^value$/i.test(s.name)), 'the wall time is bookkeeping, "Value" is the tag');
  assert.deepEqual([...by.Loss_G!.steps.slice(0, 3)], [0, 50, 100]);
  assert.equal(by.Loss_G!.values[2], 3.05);
});

test("TensorBoard's JSON download of a scalar: its rows' steps and values, NaN kept as NaN", async () => {
  const [, loc] = await discoverRuns(tmp);
  const run = await loadRun(loc!);
  const by = Object.fromEntries(run.series.map((s) => [s.name, s]));
  assert.equal(by.loss_critic?.role, 'discriminator');
  assert.equal(by.loss_generator?.role, 'generator');
  assert.equal(by.loss_critic!.steps[1], 20);
  assert.equal(by.loss_critic!.values[1], -1.52);
  assert.ok(Number.isNaN(by.loss_critic!.values[100]!), 'the NaN TensorBoard wrote');
});
