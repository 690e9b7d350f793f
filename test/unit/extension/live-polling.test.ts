// The polling fallback with file events switched off (a run on NFS, Lustre or sshfs): the live
// run's growing files are stat'ed every round, a change is read through the same live refresh the
// views use, and the NaN the replayed run then writes is told. Where events do arrive, the poller
// passes nothing on (no double reads); its cost is a few stats per run, bounded over all runs.
import { UNIT_DIR } from '../../support/dirs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { discoverRuns } from '../../../src/core/discover';
import { inspectLoadedRun, type Inspection } from '../../../src/core/inspect';
import { loadRun } from '../../../src/core/run';
import { AppendCache } from '../../../src/core/formats/appendCache';
import { EpisodeTracker, type Confirmed } from '../../../src/core/live/episodes';
import { PollingFallback } from '../../../src/core/live/fallback';
import { FilePoller, MAX_FILES } from '../../../src/core/live/polling';
import { growingFiles } from '../../../src/core/live/runFiles';
import { lookAt } from '../../../src/core/live/look';
import { RunRefresher } from '../../../src/extension/runs/liveRefresh';
import { planReplay, ReplayWriter } from '../../../scripts/replay-run';

const nanRun = path.join(UNIT_DIR, '..', 'corpus', 'runs', 'nan-divergence');

/** The replayed NaN run up to step 2,000, read once, with a live refresh and a tracker as the extension has them. */
async function setUp() {
  const dest = mkdtempSync(path.join(tmpdir(), 'gan-poll-'));
  const writer = new ReplayWriter(await planReplay(nanRun), dest);
  await writer.advanceTo(2000);
  const root = (await discoverRuns(dest))[0]!.root;
  const appendCache = new AppendCache();
  const read = async (r: string) =>
    inspectLoadedRun(
      await loadRun(
        (await discoverRuns(r)).find((l) => l.root === r)!,
        { appendCache },
      ),
    );
  const shown: Inspection[] = [await read(root)];
  const tracker = new EpisodeTracker();
  const told: Confirmed[] = [];
  tracker.look(lookAt(shown[0]!), true);
  let reads = 0;
  const refresher = new RunRefresher(
    {
      read: (r) => (reads++, read(r)),
      current: () => shown[shown.length - 1],
      publish: (_r, ins) => {
        shown.push(ins);
        told.push(...tracker.look(lookAt(ins)));
      },
    },
    { debounceMs: 50, maxWaitMs: 200, retryDelaysMs: [50, 100, 200] },
  );
  const touched: string[] = [];
  const fallback = new PollingFallback({
    intervalMs: 0, // driven by hand below
    targets: () => [{ key: root, files: growingFiles(shown[shown.length - 1]!) }],
    touch: (key, file) => {
      touched.push(path.relative(dest, file));
      refresher.touched(key);
    },
  });
  const settle = async () => {
    for (let i = 0; i < 200 && (refresher.pending(root) || reads === 0); i++) await sleep(20);
  };
  const done = () => {
    refresher.dispose();
    rmSync(dest, { recursive: true, force: true });
  };
  return { dest, root, writer, shown, told, touched, fallback, refresher, settle, done, reads: () => reads };
}

test('events off: the poller sees the run grow, the live refresh reads it, and the NaN it wrote is told', { timeout: 60_000 }, async () => {
  const s = await setUp();
  try {
    await s.fallback.poll(); // learns the files' sizes and times
    assert.equal(s.touched.length, 0, 'nothing changed yet');
    await sleep(20); // file times have millisecond resolution
    await s.writer.advanceTo(3500);
    await s.fallback.poll();
    assert.ok(
      s.touched.some((f) => f.endsWith('.npy')),
      `the rewritten .npy files are seen: ${s.touched.join(', ')}`,
    );
    await s.settle();
    const latest = lookAt(s.shown[s.shown.length - 1]!).latest;
    assert.equal(latest, 3500, 'the refresh read the new records');
    assert.deepEqual([...new Set(s.told.map((c) => c.finding.kind))], ['non-finite']);
    assert.ok(s.fallback.stats <= 2 * 5, `a round stats the run folder, its sample folder and its loss files only (${s.fallback.stats} stats in 2 rounds)`);
  } finally {
    s.done();
  }
});

test('events on: a change a file event already reported is not passed on again', { timeout: 60_000 }, async () => {
  const s = await setUp();
  try {
    await s.fallback.poll();
    await sleep(20);
    await s.writer.advanceTo(2500);
    s.fallback.eventFor(s.root); // what the extension's file watcher does for each event
    await s.fallback.poll();
    assert.equal(s.touched.length, 0);
    // Events stop coming (the mount went to NFS, the watcher hit its limit): the poller takes over.
    await sleep(20);
    await s.fallback.poll();
    await s.writer.advanceTo(3000);
    await s.fallback.poll();
    assert.ok(s.touched.length > 0);
  } finally {
    s.done();
  }
});

test('the poller is bounded: at most MAX_FILES stats a round over all runs, rounds never overlap', async () => {
  let inFlight = 0;
  let most = 0;
  let stats = 0;
  const poller = new FilePoller({
    intervalMs: 0,
    targets: () => Array.from({ length: 100 }, (_, r) => ({ key: `run${r}`, files: Array.from({ length: 40 }, (_, f) => `/nowhere/run${r}/f${f}`) })),
    changed: () => {},
    stat: async () => {
      stats++;
      most = Math.max(most, ++inFlight);
      await sleep(1);
      inFlight--;
      return null;
    },
  });
  await Promise.all([poller.poll(), poller.poll()]);
  assert.equal(stats, MAX_FILES, 'one round of MAX_FILES stats, the second call waited for the first');
  assert.ok(most <= 8, `${most} stats at once`);
});
