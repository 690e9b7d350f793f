// Which findings of a growing run are news (src/core/live): errors at once, warnings once they held
// over new data and still reach the newest data, each episode once; and on eval-corpus runs
// replayed record by record: the NaN run is told at its first non-finite record, the early swings
// and warm-up blobs that later vanish are never told, the healthy runs say nothing.
import { UNIT_DIR } from '../../../support/dirs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Finding } from '../../../../src/core/model';
import { EpisodeTracker } from '../../../../src/core/live/episodes';
import { isCurrent, lookAt, type Look } from '../../../../src/core/live/look';
import { discoverRuns } from '../../../../src/core/discover';
import { loadRun } from '../../../../src/core/run';
import { inspectLoadedRun } from '../../../../src/core/inspect';
import { AppendCache } from '../../../../src/core/formats/appendCache';
import { DiversityCache } from '../../../../src/core/samples/cache';
import { planReplay, ReplayWriter } from '../../../../scripts/replay-run';

const corpus = path.join(UNIT_DIR, '..', 'corpus', 'runs');

function finding(kind: Finding['kind'], severity: Finding['severity'], start: number, end: number, evidence: Finding['evidence'] = {}): Finding {
  return {
    kind,
    severity,
    start,
    end,
    series: kind === 'mode-collapse' ? ['samples'] : ['discriminator', 'generator'],
    message: `${kind} ${start}-${end}`,
    evidence,
  };
}

/** A look at a run logging one record per step from 0. */
function look(latest: number, findings: Finding[]): Look {
  return { first: 0, latest, records: latest + 1, findings };
}

test('an error is news at once; a warning only once it reached the newest data over a third more of the run (at most 200 records)', () => {
  const tracker = new EpisodeTracker();
  assert.deepEqual(tracker.look(look(100, [])), []);
  const nan = finding('non-finite', 'error', 150, 160);
  const told = tracker.look(look(300, [nan, finding('d-dominant', 'warning', 200, 300)]));
  assert.deepEqual(
    told.map((c) => c.finding.kind),
    ['non-finite'],
    'a NaN is a fact of the data, told even when it is over',
  );
  assert.equal(told[0]!.heldAt, 300);
  assert.deepEqual(tracker.look(look(350, [nan, finding('d-dominant', 'warning', 200, 350)])), [], 'held over 50 of the 100 steps it needs');
  const held = tracker.look(look(400, [nan, finding('d-dominant', 'warning', 200, 400)]));
  assert.deepEqual(
    held.map((c) => [c.finding.kind, c.firstSeen, c.heldAt]),
    [['d-dominant', 300, 400]],
  );
  assert.deepEqual(tracker.look(look(900, [nan, finding('d-dominant', 'warning', 200, 900)])), [], 'each episode once');
  // Late in a run the hold is 200 records, not a third of the run.
  const late = new EpisodeTracker();
  late.look(look(30_000, [finding('g-dominant', 'warning', 28_000, 30_000)]));
  assert.deepEqual(late.look(look(30_150, [finding('g-dominant', 'warning', 28_000, 30_150)])), []);
  assert.equal(late.look(look(30_200, [finding('g-dominant', 'warning', 28_000, 30_200)]))[0]?.heldAt, 30_200);
});

test('a warning that stops reaching the newest data, or vanishes, before it held is never news; its return starts over', () => {
  const tracker = new EpisodeTracker();
  tracker.look(look(600, [finding('g-dominant', 'warning', 540, 600)]));
  assert.deepEqual(tracker.look(look(700, [finding('g-dominant', 'warning', 540, 700)])), []);
  // The swing ended at 756 and stays in the analysis as a thing of the past: not news, ever.
  for (const latest of [800, 1000, 2000, 4000]) assert.deepEqual(tracker.look(look(latest, [finding('g-dominant', 'warning', 540, 756)])), [], `at ${latest}`);
  // A finding that vanished before it held starts its hold over when it comes back.
  const flap = new EpisodeTracker();
  flap.look(look(1000, [finding('exploding', 'warning', 950, 1000)]));
  flap.look(look(1100, []));
  assert.deepEqual(flap.look(look(1300, [finding('exploding', 'warning', 950, 1300)])), [], 'seen again at 1,300: holds from there');
  assert.equal(flap.look(look(1500, [finding('exploding', 'warning', 950, 1500)])).length, 1);
  // Held long enough but not reaching the newest data at that look: told when it does again, held from the record after.
  const gap = new EpisodeTracker();
  gap.look(look(1000, [finding('exploding', 'warning', 900, 1000)]));
  assert.deepEqual(gap.look(look(1300, [finding('exploding', 'warning', 900, 1100)])), []);
  const back = gap.look(look(1400, [finding('exploding', 'warning', 900, 1400)]));
  assert.deepEqual(
    back.map((c) => [c.firstSeen, c.heldAt]),
    [[1000, 1301]],
  );
});

test('a told episode that flaps (gone, back over the same steps) is not told again; a new episode later is', () => {
  const tracker = new EpisodeTracker();
  tracker.look(look(3000, [finding('mode-collapse', 'warning', 2700, 3000, { diverseAfter: null })]));
  assert.equal(tracker.look(look(3250, [finding('mode-collapse', 'warning', 2700, 3250, { diverseAfter: null })])).length, 1);
  tracker.look(look(3500, []));
  assert.deepEqual(tracker.look(look(3750, [finding('mode-collapse', 'warning', 2750, 3750, { diverseAfter: null })])), []);
  tracker.look(look(5000, [finding('mode-collapse', 'warning', 2700, 4500, { diverseAfter: 4750 })]));
  tracker.look(
    look(6000, [
      finding('mode-collapse', 'warning', 2700, 4500, { diverseAfter: 4750 }),
      finding('mode-collapse', 'warning', 5750, 6000, { diverseAfter: null }),
    ]),
  );
  const again = tracker.look(
    look(6250, [
      finding('mode-collapse', 'warning', 2700, 4500, { diverseAfter: 4750 }),
      finding('mode-collapse', 'warning', 5750, 6250, { diverseAfter: null }),
    ]),
  );
  assert.deepEqual(
    again.map((c) => c.finding.start),
    [5750],
  );
});

test('what a first look shows was there before anyone watched: never news, however it grows', () => {
  const tracker = new EpisodeTracker();
  assert.deepEqual(tracker.look(look(3000, [finding('non-finite', 'error', 2000, 3000), finding('d-dominant', 'warning', 100, 3000)]), true), []);
  assert.deepEqual(tracker.look(look(5000, [finding('non-finite', 'error', 2000, 5000), finding('d-dominant', 'warning', 100, 5000)])), []);
  // A warning that turns into an error is news of its own.
  assert.equal(tracker.look(look(5200, [finding('d-dominant', 'error', 100, 5200)])).length, 1);
});

test('current: a collapse to the last sample, a metric worse at its last evaluation, a loss problem at the newest block', () => {
  const l = look(1000, []);
  assert.equal(isCurrent(finding('mode-collapse', 'warning', 250, 500, { diverseAfter: 750 }), l), false);
  assert.equal(isCurrent(finding('mode-collapse', 'warning', 250, 1000, { diverseAfter: null }), l), true);
  assert.equal(isCurrent(finding('d-dominant', 'warning', 500, 985), l), true);
  assert.equal(isCurrent(finding('d-dominant', 'warning', 500, 950), l), false);
  assert.equal(isCurrent({ ...finding('metric-worse', 'warning', 200, 800, { lastStep: 800 }), series: ['metric'] }, l), true);
});

/** Replays a corpus run record by record (a look every `every` steps, through the incremental readers); returns what was told. */
async function replayTold(name: string, every: number): Promise<{ kind: string; severity: string; heldAt: number }[]> {
  const dest = mkdtempSync(path.join(tmpdir(), `gan-live-${name}-`));
  try {
    const plan = await planReplay(path.join(corpus, name));
    const writer = new ReplayWriter(plan, dest);
    const appendCache = new AppendCache();
    const cache = new DiversityCache();
    const tracker = new EpisodeTracker();
    const told: { kind: string; severity: string; heldAt: number }[] = [];
    for (let step = 0; step <= plan.lastStep + every; step += every) {
      if (!(await writer.advanceTo(step >= plan.lastStep ? Infinity : step)).length) continue;
      const loc = (await discoverRuns(dest))[0];
      if (!loc) continue;
      const ins = await inspectLoadedRun(await loadRun(loc, { appendCache }), { cache });
      for (const c of tracker.look(lookAt(ins))) told.push({ kind: c.finding.kind, severity: c.finding.severity, heldAt: c.heldAt });
    }
    return told;
  } finally {
    rmSync(dest, { recursive: true, force: true });
  }
}

test('replayed: the NaN run is told at its first non-finite records, as errors, and of nothing else', { timeout: 120_000 }, async () => {
  const told = await replayTold('nan-divergence', 50);
  assert.deepEqual([...new Set(told.map((c) => `${c.kind}/${c.severity}`))], ['non-finite/error']);
  assert.equal(told[0]!.heldAt, 3000, 'the look right after the first Infinity (step 3,000)');
});

test('replayed: a healthy run whose warm-up blobs look like a collapse early on says nothing', { timeout: 120_000 }, async () => {
  // Analysed at step 1,000 its first grids (250–750) are a mode collapse; by the end they are warm-up.
  assert.deepEqual(await replayTold('healthy-bce-padded-rgb', 100), []);
});

test(
  'replayed: the oscillating run\'s swings are told as one oscillation once D, G and D again have each led; never a "too strong" by turns',
  { timeout: 180_000 },
  async () => {
    const told = await replayTold('oscillation', 50);
    const oscillation = told.find((c) => c.kind === 'oscillation');
    assert.ok(oscillation, `the oscillation is told: ${JSON.stringify(told)}`);
    // Before a second change of side nothing says it is a swing: the first side taken (G fooling a D
    // whose rate was just cut 16×, D(G(z)) ≥ 0.82) is true when told, and told once.
    const imbalances = told.filter((c) => c.kind === 'd-dominant' || c.kind === 'g-dominant');
    assert.ok(imbalances.length <= 1, JSON.stringify(told));
    assert.ok(
      imbalances.every((c) => c.heldAt < oscillation.heldAt),
      `no side told once the swings are known: ${JSON.stringify(told)}`,
    );
    assert.deepEqual(
      [...new Set(told.map((c) => c.kind))].filter((k) => k !== 'oscillation' && k !== 'd-dominant' && k !== 'g-dominant'),
      [],
    );
  },
);
