// scripts/replay-run.ts writes a run the way its training script did: a full replay gives the
// source's bytes back (every eval-corpus run: .npy pairs and (N, 2) arrays, CSV, JSON lines, a
// Chainer log, sample grids), and a replay stopped at a step is a run that ends at that step, in
// files its readers take (np.save's header rewritten, appended lines cut at line ends).
import { UNIT_DIR } from '../../../support/dirs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { discoverRuns } from '../../../../src/core/discover';
import { loadRun } from '../../../../src/core/run';
import { planReplay, replay, ReplayWriter } from '../../../../scripts/replay-run';
import { realRunsSkip, WILD_RUNS } from '../../../support/realRuns';

const corpus = path.join(UNIT_DIR, '..', 'corpus', 'runs');

function files(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel))
    .flatMap((n) => (statSync(path.join(dir, rel, n)).isDirectory() ? files(dir, path.join(rel, n)) : [path.join(rel, n)]))
    .sort();
}

test('a full replay of every eval-corpus run is byte for byte its source', { timeout: 180_000 }, async () => {
  for (const name of readdirSync(corpus)) {
    const dest = mkdtempSync(path.join(tmpdir(), 'gan-replay-'));
    try {
      const plan = await planReplay(path.join(corpus, name));
      const writer = new ReplayWriter(plan, dest);
      await writer.advanceTo(plan.lastStep / 3);
      await writer.advanceTo(Infinity);
      assert.ok(writer.finished);
      assert.deepEqual(files(dest), files(path.join(corpus, name)), name);
      for (const f of files(dest)) assert.ok(readFileSync(path.join(dest, f)).equals(readFileSync(path.join(corpus, name, f))), `${name}/${f}`);
    } finally {
      rmSync(dest, { recursive: true, force: true });
    }
  }
});

test('stopped at a step, each kind of file holds the run up to that step, and reads', { timeout: 60_000 }, async () => {
  for (const [name, kind] of [
    ['nan-divergence', '.npy pair'],
    ['clamped-saturation', '(N, 2) .npy'],
    ['oscillation', 'CSV'],
    ['healthy-hinge', 'JSON lines'],
    ['collapse-from-start', 'Chainer log'],
  ] as const) {
    const dest = mkdtempSync(path.join(tmpdir(), 'gan-replay-'));
    try {
      const writer = new ReplayWriter(await planReplay(path.join(corpus, name)), dest);
      await writer.advanceTo(2000);
      const loc = (await discoverRuns(dest))[0]!;
      const run = await loadRun(loc);
      assert.deepEqual(run.errors, [], `${name} (${kind}) reads without errors`);
      const last = Math.max(...run.series.map((s) => s.steps[s.steps.length - 1]!));
      assert.ok(last <= 2000 && last >= 1900, `${name} (${kind}) ends at ${last}`);
      assert.ok(run.samples.every((s) => s.step <= 2000) && run.samples.some((s) => s.step >= 1750), `${name}: samples up to 2,000`);
    } finally {
      rmSync(dest, { recursive: true, force: true });
    }
  }
});

test('in real time: writes at the interval, at the speed asked, and the run is complete at the end', { timeout: 60_000 }, async () => {
  const dest = mkdtempSync(path.join(tmpdir(), 'gan-replay-'));
  try {
    const plan = await planReplay(path.join(corpus, 'healthy-bce-tutorial'));
    const started = Date.now();
    const writes = await replay(plan, dest, { stepsPerSecond: plan.lastStep / 2, intervalMs: 200 });
    const took = Date.now() - started;
    assert.ok(took >= 1800 && took < 6000, `took ${took} ms for a 2 s replay`);
    assert.ok(writes.length >= 8, `${writes.length} writes`);
    for (let i = 1; i < writes.length; i++) assert.ok(writes[i]!.step > writes[i - 1]!.step);
    assert.equal(files(dest).length, files(path.join(corpus, 'healthy-bce-tutorial')).length);
  } finally {
    rmSync(dest, { recursive: true, force: true });
  }
});

const wandbRuns = path.join(WILD_RUNS, 'wondongee-COSCI-GAN_mvfit', 'wandb');
test(
  'a W&B run is replayed record by record: its .wandb cut at record ends reads without damage, and a full replay is its source',
  { skip: realRunsSkip(wandbRuns), timeout: 60_000 },
  async () => {
    const source = path.join(wandbRuns, 'run-20240311_115924-p5eltm86');
    const plan = await planReplay(source);
    const history = plan.files.find((f) => f.rel === 'run-p5eltm86.wandb');
    assert.equal(history?.kind, 'append', 'the .wandb is appended to');
    assert.ok(history.kind === 'append' && history.ends.length > 100, 'in many pieces');
    const dest = mkdtempSync(path.join(tmpdir(), 'gan-replay-'));
    try {
      const writer = new ReplayWriter(plan, dest);
      await writer.advanceTo(plan.lastStep / 2);
      const loc = (await discoverRuns(dest))[0]!;
      assert.equal(loc.format, 'wandb-run');
      const run = await loadRun(loc);
      assert.deepEqual(run.errors, [], 'every piece ends at a record end');
      const last = Math.max(...run.series.map((s) => s.steps[s.steps.length - 1]!));
      assert.ok(last <= plan.lastStep / 2 && last >= plan.lastStep / 3, `ends at ${last} of ${plan.lastStep}`);
      await writer.advanceTo(Infinity);
      for (const f of files(source)) assert.ok(readFileSync(path.join(dest, f)).equals(readFileSync(path.join(source, f))), f);
    } finally {
      rmSync(dest, { recursive: true, force: true });
    }
  },
);
