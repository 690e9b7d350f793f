// Discovery and inspection in the worker thread, through the bundle esbuild makes of
// src/extension/worker/worker.ts (as dist/worker.js is made): results, progress, cancel, crash and timeout.
import { bundleForNode } from '../../support/bundles';
import { UNIT_DIR } from '../../support/dirs';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { discoverRuns } from '../../../src/core/discover';
import { inspectRun, type Inspection } from '../../../src/core/inspect';
import { WorkerClient } from '../../../src/extension/worker/client';
import { seriesStats } from '../../../src/core/stats';
import { REAL_RUNS, realRunsSkip } from '../../support/realRuns';

const repoRoot = path.join(UNIT_DIR, '..', '..');
const realRuns = REAL_RUNS;
const skipReal = realRunsSkip();
let tmp = '';
let workerFile = '';

before(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'gan-worker-'));
  workerFile = path.join(tmp, 'worker.js');
  await bundleForNode('src/extension/worker/worker.ts', workerFile);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('discovers and inspects the real runs like the in-process functions do', { skip: skipReal }, async () => {
  const client = new WorkerClient(workerFile);
  try {
    let progress = 0;
    const locs = await client.discover(realRuns, { maxDepth: 6 }, { onProgress: (n) => (progress = n) });
    assert.deepEqual(locs, await discoverRuns(realRuns, { maxDepth: 6 }));
    assert.ok(progress > 0, 'progress reported');
    const loc = locs.find((l) => l.name.startsWith('liwenhan220'))!;
    const [inWorker, inProcess] = await Promise.all([client.inspect(loc), inspectRun(loc)]);
    assert.ok(inWorker.run.series[0]!.values instanceof Float64Array, 'typed arrays survive the thread boundary');
    // The worker's statistics arrive with the arrays: the host needs no second pass over them.
    for (const s of inWorker.run.series) assert.deepEqual(s.stats, seriesStats(Float64Array.from(s.values)), s.name);
    assert.deepEqual(inWorker.findings, inProcess.findings);
    assert.deepEqual(
      inWorker.run.series.map((s) => [s.name, s.role, s.values.length]),
      inProcess.run.series.map((s) => [s.name, s.role, s.values.length]),
    );
  } finally {
    client.dispose();
  }
});

test('the settings reach the reader: max file size, loss type, thresholds under gan-run.json', async () => {
  const run = path.join(tmp, 'run');
  mkdirSync(run, { recursive: true });
  execFileSync('python3', [
    '-c',
    'import numpy as np, sys; np.save(sys.argv[1] + "/d_loss.npy", np.full(4000, 0.69)); np.save(sys.argv[1] + "/g_loss.npy", np.full(4000, 0.69))',
    run,
  ]);
  const client = new WorkerClient(workerFile);
  try {
    const [loc] = await client.discover(run);
    assert.ok(loc);
    const capped = await client.inspect(loc, { maxFileBytes: 1000 });
    assert.equal(capped.run.series.length, 0);
    assert.equal(capped.run.errors.length, 2);
    assert.match(capped.run.errors[0]!.message, /d_loss\.npy/);
    const typed = await client.inspect(loc, { lossType: 'wgan' });
    assert.equal(typed.run.formulation.lossType, 'wgan');
    writeFileSync(path.join(run, 'gan-run.json'), JSON.stringify({ lossType: 'bce' }));
    const own = await client.inspect(loc, { lossType: 'wgan' });
    assert.equal(own.run.formulation.lossType, 'bce', "the run's own gan-run.json wins");
    // Thresholds decide: a D that won (D 0.05, G 5) is told by default, not under the setting
    // dDominantDMax 0.01, and told again when the run's own gan-run.json says 0.3 (it wins). The
    // run as read is never changed by the settings: its config stays what gan-run.json says.
    const won = path.join(tmp, 'won');
    mkdirSync(won, { recursive: true });
    execFileSync('python3', [
      '-c',
      'import numpy as np, sys; np.save(sys.argv[1] + "/d_loss.npy", np.full(4000, 0.05)); np.save(sys.argv[1] + "/g_loss.npy", np.full(4000, 5.0))',
      won,
    ]);
    const [wonLoc] = await client.discover(won);
    assert.ok(wonLoc);
    const inspect = (thresholds?: Record<string, number>) => client.inspect(wonLoc, { lossType: 'bce', ...(thresholds ? { thresholds } : {}) });
    const dWon = (ins: Inspection) => ins.findings.some((f) => f.kind === 'd-dominant');
    assert.ok(dWon(await inspect()));
    const strict = await inspect({ dDominantDMax: 0.01 });
    assert.ok(!dWon(strict));
    assert.deepEqual(strict.run.config, {});
    writeFileSync(path.join(won, 'gan-run.json'), JSON.stringify({ thresholds: { dDominantDMax: 0.3 } }));
    const runs = await inspect({ dDominantDMax: 0.01 });
    assert.ok(dWon(runs), "the run's own gan-run.json wins over the settings");
    assert.deepEqual(runs.run.config.thresholds, { dDominantDMax: 0.3 });
  } finally {
    client.dispose();
  }
});

test('a cancelled request rejects with AbortError; the worker keeps serving', async () => {
  const client = new WorkerClient(workerFile);
  try {
    const abort = new AbortController();
    const pending = client.discover(tmp, {}, { signal: abort.signal });
    abort.abort();
    await assert.rejects(pending, { name: 'AbortError' });
    assert.equal(client.busy, 0);
    assert.ok(Array.isArray(await client.discover(tmp)));
  } finally {
    client.dispose();
  }
});

test('a timeout ends the worker and fails its requests; the next request starts a new worker', async () => {
  const client = new WorkerClient(workerFile);
  try {
    await assert.rejects(client.discover(tmp, {}, { timeoutMs: 0 }), /timed out after 0 ms/);
    assert.equal(client.busy, 0);
    assert.ok(Array.isArray(await client.discover(tmp)));
  } finally {
    client.dispose();
  }
});

test('a worker that fails to start rejects instead of hanging; a disposed client refuses', async () => {
  const broken = path.join(tmp, 'broken.js');
  writeFileSync(broken, 'throw new Error("boom")');
  const client = new WorkerClient(broken);
  await assert.rejects(client.discover(tmp), /boom|exited/);
  client.dispose();
  await assert.rejects(client.discover(tmp), /worker stopped/);
});

test('a missing folder gives no runs, not an error', async () => {
  const client = new WorkerClient(workerFile);
  try {
    assert.deepEqual(await client.discover(path.join(tmp, 'does-not-exist')), []);
  } finally {
    client.dispose();
  }
});

test('the calling thread stays responsive while the worker reads every real run', { skip: skipReal }, async () => {
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const client = new WorkerClient(workerFile);
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  try {
    await client.discover(tmp); // the worker's start-up is not what is measured
    histogram.enable();
    const started = Date.now();
    const locs = await client.discover(realRuns);
    const inspections = await Promise.all(locs.map((l) => client.inspect(l)));
    const elapsed = Date.now() - started;
    histogram.disable();
    const maxMs = histogram.max / 1e6;
    console.log(`worker read ${inspections.length} real runs in ${elapsed} ms; caller's event loop max delay ${maxMs.toFixed(1)} ms`);
    assert.equal(inspections.length, locs.length);
    // Structured-clone of the results is the only work left on this thread.
    assert.ok(maxMs < Math.max(150, elapsed / 4), `event loop blocked for ${maxMs.toFixed(1)} ms`);
  } finally {
    histogram.disable();
    client.dispose();
  }
});

test('findings written in the worker follow the UI language it is given', async () => {
  const zhTw = JSON.parse(readFileSync(path.join(repoRoot, 'l10n', 'bundle.l10n.zh-tw.json'), 'utf8')) as Record<string, string>;
  const [loc] = await discoverRuns(path.join(repoRoot, 'examples', 'mnist-run'));
  const english = new WorkerClient(workerFile);
  const chinese = new WorkerClient(workerFile, [], zhTw);
  try {
    const [en, zh] = await Promise.all([english.inspect(loc!), chinese.inspect(loc!)]);
    const collapseEn = en.findings.find((f) => f.kind === 'mode-collapse')!;
    const collapseZh = zh.findings.find((f) => f.kind === 'mode-collapse')!;
    assert.match(collapseEn.message, /samples look like copies/);
    assert.match(collapseZh.message, /模式崩潰|樣本/);
    assert.doesNotMatch(collapseZh.message, /samples look like/);
  } finally {
    english.dispose();
    chinese.dispose();
  }
});

test('large series are moved out of the worker, and the worker still serves the next inspection', async () => {
  const run = path.join(tmp, 'big');
  mkdirSync(run, { recursive: true });
  execFileSync('python3', [
    '-c',
    'import numpy as np, sys; np.save(sys.argv[1] + "/d_loss.npy", np.full(200000, 0.69)); np.save(sys.argv[1] + "/g_loss.npy", np.linspace(3, 0.7, 200000))',
    run,
  ]);
  const [loc] = await discoverRuns(run);
  const client = new WorkerClient(workerFile);
  try {
    // Twice: after the first reply moved its buffers (including the shared 0…N−1 steps), the worker must rebuild them.
    for (let round = 0; round < 2; round++) {
      const ins = await client.inspect(loc!);
      const g = ins.run.series.find((s) => s.role === 'generator')!;
      assert.equal(g.values.length, 200000);
      assert.equal(g.steps[199999], 199999);
      assert.equal(g.values[0], 3);
      assert.equal(ins.run.series.find((s) => s.role === 'discriminator')!.steps.length, 200000);
    }
  } finally {
    client.dispose();
  }
});

test('losses first: what the samples show still sets the imbalance severity and drops collapses after a dead network, as in-process', async () => {
  // Corpus runs where it matters: D dominant while the samples collapse is a warning (info without
  // the samples); after a loss went NaN for good the blank grids are no collapse.
  const client = new WorkerClient(workerFile);
  try {
    for (const name of ['collapse-from-start', 'nan-divergence']) {
      const [loc] = await discoverRuns(path.join(repoRoot, 'test', 'corpus', 'runs', name));
      assert.ok(loc, name);
      let early: import('../../../src/core/inspect').Inspection | undefined;
      const whole = await client.inspect(loc, {}, { onLosses: (i) => (early = i) });
      const inProcess = await inspectRun(loc);
      assert.ok(early, name);
      assert.deepEqual(whole.findings, inProcess.findings, name);
      assert.deepEqual(whole.diversity, inProcess.diversity, name);
    }
  } finally {
    client.dispose();
  }
});

test('losses first: the curves and loss findings arrive before the sample grids are scored, then the same inspection as in-process', async () => {
  // The bundled example: losses, and 150 sample grids whose collapse is a finding.
  const [loc] = await discoverRuns(path.join(repoRoot, 'examples', 'mnist-run'));
  assert.ok(loc && loc.sampleFiles.length > 100);
  const client = new WorkerClient(workerFile);
  try {
    const seen: string[] = [];
    let early: import('../../../src/core/inspect').Inspection | undefined;
    const whole = await client.inspect(
      loc,
      {},
      {
        onLosses: (i) => {
          seen.push('losses');
          early = i;
        },
      },
    );
    seen.push('whole');
    const inProcess = await inspectRun(loc);
    assert.deepEqual(seen, ['losses', 'whole']);
    assert.ok(early);
    assert.deepEqual(early.diversity, [], 'no sample decoded before the losses are sent');
    assert.ok(early.run.series.length >= 2 && early.run.series[0]!.values.length > 0);
    assert.ok(!early.findings.some((f) => f.kind === 'mode-collapse'));
    assert.deepEqual(whole.diversity, inProcess.diversity);
    assert.deepEqual(whole.findings, inProcess.findings);
    assert.deepEqual(whole.run.notes, inProcess.run.notes);
    assert.ok(
      whole.findings.some((f) => f.kind === 'mode-collapse'),
      'the samples half adds the collapse finding',
    );
    // The series came once, with the losses.
    assert.equal(whole.run.series, early.run.series);
  } finally {
    client.dispose();
  }
});

test("a scan's word to score the grids counts while a run waits to be judged", async () => {
  // The host sends it once every run is read (glanceFirst): some runs are judged after it comes.
  const [loc] = await discoverRuns(path.join(repoRoot, 'examples', 'mnist-run'));
  assert.ok(loc && loc.sampleFiles.length > 100);
  const client = new WorkerClient(workerFile);
  try {
    const told: string[] = [];
    const whole = client.inspect(loc, { holdScoring: true, glanceFirst: true }, { onRead: () => told.push('read'), onLosses: () => told.push('judged') });
    client.releaseScoring();
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the grids were never scored')), 20_000).unref());
    const inspection = await Promise.race([whole, timeout]);
    assert.deepEqual(told, ['read', 'judged']);
    assert.equal(inspection.diversity.length, loc.sampleFiles.length);
  } finally {
    client.dispose();
  }
});

test('held scoring: the losses arrive, the grids wait for releaseScoring, then the same inspection; a cancelled held one rejects', async () => {
  // A scan reads every run's losses before any grid is decoded (#27).
  const [loc] = await discoverRuns(path.join(repoRoot, 'examples', 'mnist-run'));
  assert.ok(loc && loc.sampleFiles.length > 100);
  const client = new WorkerClient(workerFile);
  try {
    let losses = 0;
    let settled = false;
    const held = client.inspect(loc, { holdScoring: true }, { onLosses: () => losses++ });
    void held.then(
      () => (settled = true),
      () => (settled = true),
    );
    const abort = new AbortController();
    const cancelled = client.inspect(loc, { holdScoring: true }, { onLosses: () => abort.abort(), signal: abort.signal });
    await assert.rejects(cancelled, { name: 'AbortError' });
    // Scoring the example's 150 grids takes well under this when it is not held.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(losses, 1, 'the losses came before the release');
    assert.equal(settled, false, 'the grids were scored before the release');
    client.releaseScoring();
    const whole = await held;
    const inProcess = await inspectRun(loc);
    assert.deepEqual(whole.diversity, inProcess.diversity);
    assert.deepEqual(whole.findings, inProcess.findings);
    // The worker still serves: an inspection without holding is scored at once.
    const again = await client.inspect(loc, {}, { onLosses: () => undefined });
    assert.deepEqual(again.findings, inProcess.findings);
  } finally {
    client.dispose();
  }
});
