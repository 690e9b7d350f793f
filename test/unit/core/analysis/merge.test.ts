// One episode, one finding: adjacent same-kind pieces at the same level are joined once, in
// analyzeRun, so every view gets the same list. On the real StyleGAN2-ADA run the flat-stretch
// detector's three pieces (kimg 120–176, 180–256, 260–316) are one plateau.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { inspectPaths } from '../../../../src/core/inspect';
import { mergeEpisodes } from '../../../../src/core/analysis/merge';
import { resolveThresholds } from '../../../../src/core/analysis/thresholds';
import type { Finding } from '../../../../src/core/model';
import { formulationOf } from '../../../../src/core/formulation';
import { CODEBASE_RUNS, realRunsSkip } from '../../../support/realRuns';

const styleGan = join(CODEBASE_RUNS, 'Hexanol777-RPG-SpriteGAN');
const skipReal = realRunsSkip(styleGan);

function plateau(start: number, end: number, d: number, g: number, untilEnd = false): Finding {
  return {
    // Levels away from BCE's chance (0.693 or 1.386 for D, 0.693 for G): plateaus.
    kind: 'plateau',
    severity: 'info',
    start,
    end,
    series: ['discriminator', 'generator'],
    message: `piece ${start}–${end}`,
    evidence: {
      onsetStep: start,
      endStep: end,
      untilEnd,
      dLevel: d,
      gLevel: g,
      dNoise: 0.02,
      gNoise: 0.05,
      dTrend: 0,
      gTrend: 0,
      dTolerance: 0.025,
      gTolerance: 0.05,
    },
  };
}

const th = resolveThresholds();
const ctx = { maxGap: 10, formulation: formulationOf('bce'), th };

describe('merging adjacent episodes', () => {
  test('three neighbouring plateaus at the same level are one, worded from the joined levels', () => {
    const out = mergeEpisodes([plateau(260, 316, 0.82, 1.61, true), plateau(120, 176, 0.814, 1.65), plateau(180, 256, 0.851, 1.6)], ctx);
    assert.equal(out.length, 1);
    const [f] = out;
    assert.equal(f!.start, 120);
    assert.equal(f!.end, 316);
    assert.equal(f!.evidence.untilEnd, true);
    assert.equal(f!.evidence.mergedEpisodes, 3);
    assert.match(f!.message, /from step 120 to the end: D ≈ 0\.83\d? and G ≈ 1\.62/);
  });

  test('a different level, a gap wider than the bridge, or another kind keeps findings apart', () => {
    // G moves from 1.6 to 2.0 (25%): a new plateau, not the same one.
    assert.equal(mergeEpisodes([plateau(0, 100, 0.8, 1.6), plateau(104, 200, 0.8, 2.0)], ctx).length, 2);
    // 50 steps between them, the bridge is 10.
    assert.equal(mergeEpisodes([plateau(0, 100, 0.8, 1.6), plateau(150, 200, 0.8, 1.6)], ctx).length, 2);
    // Only levels within mergeLevelTolerance (10%) join: 0.8 vs 0.87 does, 0.8 vs 0.9 does not.
    assert.equal(mergeEpisodes([plateau(0, 100, 0.8, 1.6), plateau(104, 200, 0.87, 1.6)], ctx).length, 1);
    assert.equal(mergeEpisodes([plateau(0, 100, 0.8, 1.6), plateau(104, 200, 0.9, 1.6)], ctx).length, 2);
    const spike: Finding = { kind: 'exploding', severity: 'warning', start: 101, end: 103, series: ['generator'], message: 'x', evidence: {} };
    const out = mergeEpisodes([plateau(0, 100, 0.8, 1.6), spike, plateau(104, 200, 0.8, 1.6)], ctx);
    assert.deepEqual(
      out.map((f) => [f.kind, f.start, f.end]),
      [
        ['plateau', 0, 200],
        ['exploding', 101, 103],
      ],
    );
  });

  test('the tolerances are thresholds: gan-run.json can turn merging off', () => {
    const strict = { ...ctx, th: resolveThresholds({ mergeLevelTolerance: 0, mergeNoiseFactor: 0 }) };
    assert.equal(mergeEpisodes([plateau(0, 100, 0.8, 1.6), plateau(104, 200, 0.81, 1.6)], strict).length, 2);
  });

  test('the real StyleGAN2-ADA run: one plateau from kimg 120 to the end, not three, and no equilibrium away from 2 ln 2', { skip: skipReal }, async () => {
    const { inspections } = await inspectPaths([styleGan]);
    assert.equal(inspections.length, 1);
    // Loss/D/loss adds two softplus terms: its chance level is 2 ln 2 ≈ 1.386, so D ≈ 0.83 is a plateau.
    assert.ok(!inspections[0]!.findings.some((f) => f.kind === 'equilibrium'));
    const eq = inspections[0]!.findings.filter((f) => f.kind === 'plateau');
    // On the run's own kimg axis (stats.jsonl's Progress/kimg: 120.032…), rounded.
    assert.deepEqual(
      eq.map((f) => [Math.round(f.start), Math.round(f.end)]),
      [[120, 316]],
    );
    assert.equal(eq[0]!.evidence.mergedEpisodes, 3);
    assert.equal(eq[0]!.evidence.untilEnd, true);
    assert.match(eq[0]!.message, /from step 120(\.\d+)? to the end/);
  });
});
