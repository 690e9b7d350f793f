import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverRuns } from '../../../src/core/discover';
import { loadFileAsRun, loadRun, readRunConfig } from '../../../src/core/run';
import { formulationOfSeries } from '../../../src/core/formulation';
import type { Run, Series } from '../../../src/core/model';
import { CODEBASE_RUNS, realRunsSkip } from '../../support/realRuns';

let root: string;

// Real .npy bytes from numpy itself, one folder per case.
const NPY_SCRIPT = `
import numpy as np, os, sys
root = sys.argv[1]
def save(rel, a):
    p = os.path.join(root, rel); os.makedirs(os.path.dirname(p), exist_ok=True); np.save(p, a)
i = np.arange(100, dtype=np.float64)
save('bce/discriminator_loss.npy', 0.69 + 0.1 * np.sin(i / 5))
save('bce/generator_loss.npy', 0.8 + 0.2 * np.cos(i / 7))
save('bce/seed.npy', np.random.default_rng(0).standard_normal((25, 100)).astype(np.float32))
save('bce/accuracy_value.npy', np.array([88.89]))
save('stepcol/D_loss.npy', np.stack([np.arange(11) * 10.0, np.linspace(1.0, 0.7, 11), np.full(11, 0.5)], axis=1))
save('stepcol/G_loss.npy', np.stack([np.arange(11) * 10.0, np.linspace(0.6, 0.9, 11)], axis=1))
save('wgan/d_losses.npy', -np.linspace(5, 0.1, 50))
save('wgan/g_losses.npy', np.linspace(0.3, -0.2, 10))
save('combined/losses.npy', np.stack([np.full(20, 1.4), np.full(20, 0.7)], axis=1).astype(np.float32))
d = np.full(30, 0.7); d[10] = np.nan; d[11] = np.inf
save('nonfinite/d_loss.npy', d)
save('nonfinite/g_loss.npy', np.full(30, 0.9))
save('damaged/d_loss.npy', np.full(40, 0.7))
save('damaged/g_loss.npy', np.full(40, 0.8))
`;

async function runAt(rel: string): Promise<Run> {
  const locations = await discoverRuns(join(root, rel));
  assert.equal(locations.length, 1);
  return loadRun(locations[0]!);
}
const main = (run: Run, role: 'discriminator' | 'generator'): Series | undefined => run.series.find((s) => s.role === role);

before(() => {
  root = mkdtempSync(join(tmpdir(), 'gan-run-'));
  execFileSync('python3', ['-c', NPY_SCRIPT, root]);
  // A truncated file beside good ones.
  writeFileSync(join(root, 'damaged', 'broken_loss.npy'), Buffer.from('\x93NUMPY\x01\x00v\x00{', 'latin1'));
});

after(() => rmSync(root, { recursive: true, force: true }));

test('plain per-iteration arrays: D and G with their values; seed and (1,) accuracy never D/G', async () => {
  const run = await runAt('bce');
  const d = main(run, 'discriminator')!;
  const g = main(run, 'generator')!;
  assert.equal(d.source, 'discriminator_loss.npy');
  assert.equal(d.values.length, 100);
  assert.ok(Math.abs(d.values[5]! - (0.69 + 0.1 * Math.sin(1))) < 1e-12);
  assert.equal(g.source, 'generator_loss.npy');
  assert.deepEqual([g.steps[0], g.steps[99]], [0, 99]);
  assert.equal(run.series.filter((s) => s.role !== 'other').length, 2);
  assert.equal(run.series.find((s) => s.source === 'accuracy_value.npy')?.role, 'other');
  assert.ok(!run.series.some((s) => s.source === 'seed.npy' && s.role !== 'other'));
  assert.equal(run.formulation.lossType, 'bce');
  assert.equal(run.formulation.dTerms, 'mean', 'D starts at 0.69 = ln 2: the chance level of a mean');
  assert.equal(run.formulation.source, 'values');
});

test('2-D arrays with a step column: the first value column is the role, the steps are kept', async () => {
  const run = await runAt('stepcol');
  const d = main(run, 'discriminator')!;
  assert.deepEqual([d.source, d.column, d.values.length, d.steps[0], d.steps[10]], ['D_loss.npy', 1, 11, 0, 100]);
  assert.equal(run.series.find((s) => s.source === 'D_loss.npy' && s.column === 2)?.role, 'other');
  assert.deepEqual([main(run, 'generator')!.source, main(run, 'generator')!.column], ['G_loss.npy', 1]);
});

test('WGAN: negative values make it wgan; D and G keep their own lengths', async () => {
  const run = await runAt('wgan');
  assert.equal(run.formulation.lossType, 'wgan');
  assert.equal(main(run, 'discriminator')!.values.length, 50);
  assert.equal(main(run, 'generator')!.values.length, 10);
});

test('combined losses.npy (N,2) is (d, g)', async () => {
  const run = await runAt('combined');
  assert.deepEqual([main(run, 'discriminator')!.column, main(run, 'generator')!.column], [0, 1]);
  assert.ok(Math.abs(main(run, 'discriminator')!.values[0]! - 1.4) < 1e-6);
});

test('NaN and Inf are data, not read errors', async () => {
  const run = await runAt('nonfinite');
  assert.deepEqual(run.errors, []);
  const d = main(run, 'discriminator')!;
  assert.ok(Number.isNaN(d.values[10]!));
  assert.equal(d.values[11], Infinity);
});

test('a damaged file beside good ones: good series kept, one-line error naming the file', async () => {
  const run = await runAt('damaged');
  assert.ok(main(run, 'discriminator') && main(run, 'generator'));
  assert.equal(run.errors.length, 1);
  assert.equal(run.errors[0]!.source, 'broken_loss.npy');
  assert.match(run.errors[0]!.message, /^broken_loss\.npy: /);
  assert.ok(!run.errors[0]!.message.includes('\n'));
});

test('files over maxFileBytes are refused with a clear message', async () => {
  const [loc] = await discoverRuns(join(root, 'bce'));
  const run = await loadRun(loc!, { maxFileBytes: 100 });
  assert.equal(run.series.length, 0);
  assert.equal(run.errors.length, 4);
  for (const e of run.errors) assert.match(e.message, /^[\w.]+: file is [\d.]+ MB, over the [\d.]+ MB limit$/);
});

test('gan-run.json overrides roles, loss type, name and samples; ignores files', async () => {
  const dir = join(root, 'configured');
  mkdirSync(join(dir, 'progress'), { recursive: true });
  execFileSync('python3', [
    '-c',
    'import numpy as np,sys; np.save(sys.argv[1], np.stack([np.full(9,.5), np.full(9,2.)],1)); np.save(sys.argv[2], np.full(9, 1.))',
    join(dir, 'losses.npy'),
    join(dir, 'extra_d_loss.npy'),
  ]);
  for (const s of [100, 20, 3]) writeFileSync(join(dir, 'progress', `grid-a${s}.png`), '');
  writeFileSync(join(dir, 'progress', 'unrelated.png'), '');
  writeFileSync(
    join(dir, 'gan-run.json'),
    JSON.stringify({
      name: 'my run',
      lossType: 'hinge',
      discriminator: 'losses.npy#1',
      generator: 'losses.npy#0',
      samples: 'progress/grid-a{step}.png',
      ignore: ['extra_*.npy'],
      stepUnit: 'epoch',
      grid: { rows: 4, cols: 4 },
      thresholds: { saturatedMinValues: 10 },
    }),
  );
  const [loc] = await discoverRuns(dir);
  const run = await loadRun(loc!);
  assert.deepEqual(run.errors, []);
  assert.equal(run.name, 'my run');
  assert.equal(run.formulation.lossType, 'hinge');
  assert.equal(run.formulation.source, 'config');
  assert.deepEqual([main(run, 'discriminator')!.column, main(run, 'generator')!.column], [1, 0]);
  assert.ok(!run.series.some((s) => s.source === 'extra_d_loss.npy'));
  assert.deepEqual(
    run.samples,
    [3, 20, 100].map((s) => ({ step: s, path: `progress/grid-a${s}.png` })),
  );
  assert.deepEqual(run.config.grid, { rows: 4, cols: 4 });
  assert.deepEqual(run.config.thresholds, { saturatedMinValues: 10 });
  assert.equal(run.config.stepUnit, 'epoch');
});

test('a bad gan-run.json is an error entry, never a crash', async () => {
  const dir = join(root, 'badconfig');
  mkdirSync(dir);
  execFileSync('python3', ['-c', 'import numpy as np,sys; np.save(sys.argv[1], np.full(5, .7))', join(dir, 'd_loss.npy')]);
  writeFileSync(join(dir, 'gan-run.json'), '{ "lossType": "bce", oops');
  let run = await loadRun((await discoverRuns(dir))[0]!);
  assert.equal(run.series.length, 1);
  assert.equal(run.errors.length, 1);
  assert.match(run.errors[0]!.message, /^gan-run\.json: not valid JSON/);

  writeFileSync(
    join(dir, 'gan-run.json'),
    JSON.stringify({ lossType: 'magic', grid: { rows: 0, cols: 3 }, discriminator: 'nope.npy', colour: 1, thresholds: { dDominantLevel: 0.1 } }),
  );
  run = await loadRun((await discoverRuns(dir))[0]!);
  const messages = run.errors.map((e) => e.message).join('\n');
  assert.match(messages, /"lossType" must be one of/);
  assert.match(messages, /"grid" must be/);
  assert.match(messages, /unknown setting "colour"/);
  assert.match(messages, /unknown threshold "dDominantLevel" ignored/);
  assert.match(messages, /"discriminator" names no series that was read: nope\.npy/);
  assert.equal(run.formulation.lossType, 'unknown', 'no G: not enough to call it bce');
  assert.equal(main(run, 'discriminator')!.source, 'd_loss.npy', 'a wrong override leaves the guess in place');

  writeFileSync(join(dir, 'gan-run.json'), '[1, 2]');
  assert.match((await readRunConfig(dir)).errors[0]!.message, /must be a JSON object/);
});

test('loadFileAsRun: one file inspected alone', async () => {
  const run = await loadFileAsRun(join(root, 'stepcol', 'D_loss.npy'));
  assert.equal(run.root, join(root, 'stepcol'));
  assert.equal(run.name, 'D_loss.npy');
  assert.deepEqual(
    run.series.map((s) => [s.role, s.column]),
    [
      ['discriminator', 1],
      ['other', 2],
    ],
  );
  const missing = await loadFileAsRun(join(root, 'stepcol', 'nope.npy'));
  assert.deepEqual(missing.series, []);
  assert.match(missing.errors[0]!.message, /^nope\.npy: file not found$/);
});

test('loadFileAsRun: a PGGAN events file alone is shown on the kimg axis it is said to be in', { skip: realRunsSkip(CODEBASE_RUNS) }, async () => {
  const dir = join(CODEBASE_RUNS, 'nathantseng-PGGAN');
  const file = readdirSync(dir).find((n) => n.startsWith('events.out.tfevents.'))!;
  const run = await loadFileAsRun(join(dir, file));
  assert.equal(run.stepUnit, 'kimg');
  const last = Math.max(...run.series.map((s) => s.steps[s.steps.length - 1]!));
  // Images shown reach 2,705,920 in this run; on the kimg axis the last step is about 2,706.
  assert.ok(last > 1000 && last < 3000, `last step ${last} is in kimg`);
});

test('formulationOfSeries: a stated type wins, D below 0 is a critic, a G below 0 in a BCE run holds other terms', () => {
  const s = (role: Series['role'], values: number[]): Series => ({
    name: role,
    role,
    source: 'x',
    column: null,
    steps: Float64Array.from(values.map((_, i) => i)),
    values: Float64Array.from(values),
  });
  assert.equal(formulationOfSeries([s('discriminator', [1, 2]), s('generator', [1])], { settings: 'lsgan' }).lossType, 'lsgan');
  assert.equal(formulationOfSeries([s('discriminator', [1, NaN, -Infinity]), s('generator', [1])]).lossType, 'bce');
  assert.equal(formulationOfSeries([s('discriminator', [1, -0.5]), s('generator', [1])]).lossType, 'wgan');
  assert.equal(formulationOfSeries([s('generator', [-1])]).lossType, 'unknown');
  assert.equal(formulationOfSeries([s('generator', [1])]).lossType, 'unknown');
  const cosci = formulationOfSeries([s('discriminator', [0.69, 0.7, 0.2, 0.69]), s('generator', [-2.79, -2.7, 8, -2.73])]);
  assert.deepEqual([cosci.lossType, cosci.dTerms, cosci.gOtherTerms], ['bce', 'mean', true]);
});
