// Which network is ahead, on synthetic signals: D winning (G high, or G climbing), G winning,
// imbalance by turns as one oscillation, thresholds that move the decision, and WGAN losses, which
// have no BCE balance to judge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRun } from '../../../../src/core/analysis';
import { resolveThresholds } from '../../../../src/core/analysis/thresholds';
import type { Finding, LossType } from '../../../../src/core/model';
import { kinds, normal, run, series } from '../../../support/lossSignals';

test('D → 0.02 and G → 8 from step 1,600 is d-dominant from about 1,600 to the end', () => {
  const rd = normal(31);
  const rg = normal(32);
  const n = 10000;
  const fs = analyzeRun(
    run(
      series('discriminator', n, (i) => (i < 1600 ? 0.69 + 0.08 * rd() : Math.abs(0.02 + 0.01 * rd()))),
      series('generator', n, (i) => (i < 1600 ? 0.75 + 0.1 * rg() : 8 + 0.8 * rg())),
      'bce',
    ),
    [],
  );
  const dd = fs.filter((f) => f.kind === 'd-dominant');
  assert.equal(dd.length, 1, fs.map((f) => f.message).join(' | '));
  assert.ok(Math.abs(dd[0]!.start - 1600) <= 100, `start ${dd[0]!.start}`);
  assert.equal(dd[0]!.end, n - 1);
  assert.equal(dd[0]!.severity, 'warning');
  assert.deepEqual(dd[0]!.series, ['discriminator', 'generator']);
  assert.match(
    dd[0]!.message,
    /^The discriminator won from step 1,6\d\d to the end: D loss stayed near 0\.02\d* while G loss stayed high at [78]\.\d+ \(chance D ≈ 0\.693, G ≈ 0\.693\)\.$/,
  );
  assert.ok(typeof dd[0]!.advice === 'string' && /learning rate/.test(dd[0]!.advice));
  assert.ok(!kinds(fs).includes('g-dominant'));
  // The stall after 1,600 is the imbalance, not an equilibrium (the flat start before it may be one).
  assert.ok(!fs.some((f) => f.kind === 'equilibrium' && f.end > 1600), fs.map((f) => f.message).join(' | '));
});

test('D near 0 while G climbs (not yet high) is d-dominant too', () => {
  const rd = normal(33);
  const rg = normal(34);
  const n = 10000;
  const fs = analyzeRun(
    run(
      series('discriminator', n, (i) => (i < 4000 ? 0.69 : 0.1) + 0.02 * rd()),
      series('generator', n, (i) => (i < 4000 ? 0.7 : 0.7 + (1.2 * (i - 4000)) / 6000) + 0.05 * rg()),
    ),
    [],
  );
  const dd = fs.filter((f) => f.kind === 'd-dominant');
  assert.equal(dd.length, 1, fs.map((f) => f.message).join(' | '));
  assert.equal(dd[0]!.evidence.rule, 'G climbing');
  assert.ok(Math.abs(dd[0]!.start - 4000) <= 200, `start ${dd[0]!.start}`);
  assert.match(dd[0]!.message, /G loss climbed to 1\.[89]/);
});

test('D above chance while G stays low is g-dominant', () => {
  const rd = normal(41);
  const rg = normal(42);
  const n = 10000;
  const fs = analyzeRun(
    run(
      series('discriminator', n, (i) => (i < 5000 ? 0.69 : 0.95) + 0.05 * rd()),
      series('generator', n, (i) => (i < 5000 ? 0.7 : 0.3) + 0.05 * rg()),
      'bce',
    ),
    [],
  );
  const gd = fs.filter((f) => f.kind === 'g-dominant');
  assert.equal(gd.length, 1, fs.map((f) => f.message).join(' | '));
  assert.ok(Math.abs(gd[0]!.start - 5000) <= 100, `start ${gd[0]!.start}`);
  assert.equal(gd[0]!.end, n - 1);
  assert.ok(!kinds(fs).includes('d-dominant'));
});

test('WGAN losses raise no BCE imbalance and no BCE reference, declared or inferred from negatives', () => {
  const rd = normal(51);
  const rg = normal(52);
  const n = 10000;
  // A critic loss (negative, → 0) with a G loss that would read as "D won" under BCE rules.
  const d = () => series('discriminator', n, (i) => -5 * Math.exp((-5 * i) / n) - 0.05 + 0.02 * rd());
  const g = () => series('generator', n, () => 6 + 0.3 * rg());
  for (const lossType of ['wgan', 'unknown', 'bce'] as LossType[]) {
    const fs = analyzeRun(run(d(), g(), lossType), []);
    assert.ok(!kinds(fs).includes('d-dominant') && !kinds(fs).includes('g-dominant'), `${lossType}: ${fs.map((f) => f.message).join(' | ')}`);
    assert.ok(!kinds(fs).includes('equilibrium'), `${lossType}: no reference, no equilibrium`);
    for (const eq of fs.filter((f) => f.kind === 'plateau')) {
      assert.equal(eq.evidence.atReference, false);
      assert.doesNotMatch(eq.message, /BCE|ln 2/);
    }
  }
  // The same shapes, shifted positive and declared WGAN: still no BCE findings.
  const pos = analyzeRun(
    run(
      series('discriminator', n, () => 0.01 + 0.005 * rd()),
      g(),
      'wgan',
    ),
    [],
  );
  assert.ok(!kinds(pos).includes('d-dominant'), pos.map((f) => f.message).join(' | '));
  // ... whereas undeclared non-negative losses are taken as BCE.
  const bce = analyzeRun(
    run(
      series('discriminator', n, () => Math.abs(0.01 + 0.005 * rd())),
      g(),
      'unknown',
    ),
    [],
  );
  assert.ok(kinds(bce).includes('d-dominant'), bce.map((f) => f.message).join(' | '));
});

test('thresholds from gan-run.json and from the caller change the decision', () => {
  const rd = normal(81);
  const rg = normal(82);
  const n = 10000;
  const make = (th?: Record<string, number>) =>
    run(
      series('discriminator', n, (i) => (i < 1600 ? 0.69 : 0.02) + 0.01 * Math.abs(rd())),
      series('generator', n, (i) => (i < 1600 ? 0.7 : 8) + 0.1 * rg()),
      'bce',
      th,
    );
  assert.ok(kinds(analyzeRun(make(), [])).includes('d-dominant'));
  assert.ok(!kinds(analyzeRun(make({ dDominantGMin: 20, dDominantGRise: 20 }), [])).includes('d-dominant'));
  assert.ok(!kinds(analyzeRun(make(), [], resolveThresholds({ dDominantDMax: 0.001 }))).includes('d-dominant'));
});

test('imbalance by turns (D, G, D ahead) is one oscillation; two sides taken once each are two imbalances', async () => {
  const { swingsOf } = await import('../../../../src/core/analysis/swings');
  const ep = (kind: 'd-dominant' | 'g-dominant', start: number, end: number, severity: Finding['severity'] = 'warning'): Finding => ({
    kind,
    severity,
    start,
    end,
    series: ['discriminator', 'generator'],
    message: '',
    evidence: {},
  });
  const swing = swingsOf([ep('d-dominant', 100, 356, 'info'), ep('g-dominant', 500, 796), ep('d-dominant', 840, 1136, 'info'), ep('g-dominant', 1260, 1576)]);
  assert.deepEqual([swing?.kind, swing?.severity, swing?.start, swing?.end, swing?.evidence.episodes], ['oscillation', 'warning', 100, 1576, 4]);
  assert.equal(swingsOf([ep('d-dominant', 100, 356), ep('g-dominant', 500, 796)]), null);
  assert.equal(swingsOf([ep('d-dominant', 100, 356), ep('d-dominant', 500, 796), ep('g-dominant', 900, 1000)]), null, 'the same side twice is no swing');
});
