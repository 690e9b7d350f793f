// The loss diagnosis engine on synthetic signals: each finding kind, and the hard negatives
// (healthy run, noise, one spike, constant) that must stay quiet. Which network is ahead (and
// WGAN, which has no BCE balance) is in imbalance.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRun, pickSeries } from '../../../../src/core/analysis';
import { DEFAULT_THRESHOLDS, resolveThresholds } from '../../../../src/core/analysis/thresholds';
import { formatPercent, formatStep, formatValue } from '../../../../src/core/analysis/format';
import type { Run } from '../../../../src/core/model';
import { kinds, loud, normal, run, series } from '../../../support/lossSignals';

const ln2 = Math.LN2;

/** The Raj-7799 picture: noisy losses falling into ln 2 ≈ 0.693 (D) and ≈ 0.7 (G) and staying. */
function healthy(n: number, seed = 1): Run {
  const rd = normal(seed);
  const rg = normal(seed + 1);
  return run(
    series('discriminator', n, (i) => ln2 + 0.4 * Math.exp((-8 * i) / n) + 0.06 * rd()),
    series('generator', n, (i) => 0.7 + 1.5 * Math.exp((-8 * i) / n) + 0.1 * rg()),
  );
}

test('thresholds: overrides apply, unknown keys and non-finite values are ignored', () => {
  const th = resolveThresholds({ dDominantDMax: 0.1, nonsense: 5, explodingRatio: NaN, spikeRatio: Infinity });
  assert.equal(th.dDominantDMax, 0.1);
  assert.equal(th.explodingRatio, DEFAULT_THRESHOLDS.explodingRatio);
  assert.equal(th.spikeRatio, DEFAULT_THRESHOLDS.spikeRatio);
  assert.equal('nonsense' in th, false);
  assert.deepEqual(resolveThresholds(), DEFAULT_THRESHOLDS);
});

test('format: steps get thousands separators, values three significant digits', () => {
  assert.equal(formatStep(1600), '1,600');
  assert.equal(formatStep(10000000), '10,000,000');
  assert.equal(formatStep(12.5), '12.5');
  assert.equal(formatValue(8.4213), '8.42');
  assert.equal(formatValue(0.02134), '0.0213');
  assert.equal(formatValue(123456), '1.23e+5');
  assert.equal(formatPercent(0.456), '46%');
});

test('pickSeries takes the longest series of a role', () => {
  const r = healthy(1000);
  r.series.push(series('discriminator', 5000, () => 0.7, 'd_loss_real'));
  assert.equal(pickSeries(r, 'discriminator')?.name, 'd_loss_real');
  assert.equal(pickSeries(r, 'generator')?.name, 'g_loss');
});

test('a healthy run gets no warnings, and an equilibrium at the BCE reference', () => {
  for (const n of [300, 20000]) {
    const fs = analyzeRun(healthy(n), []);
    assert.deepEqual(loud(fs), [], `n=${n}: ${fs.map((f) => f.message).join(' | ')}`);
    const eq = fs.filter((f) => f.kind === 'equilibrium');
    assert.equal(eq.length, 1, `n=${n}: ${fs.map((f) => f.message).join(' | ')}`);
    assert.equal(eq[0]!.evidence.atReference, true);
    assert.equal(eq[0]!.evidence.untilEnd, true);
    assert.match(eq[0]!.message, /Nash equilibrium/);
  }
});

test('noise alone is no plateau break: heavy noise around a level is one plateau to the end', () => {
  const rd = normal(11);
  const rg = normal(12);
  const n = 50000;
  // Heavy-tailed noise: mostly N(0, 0.2), now and then a 5× outlier.
  const noisy = (r: () => number) => (i: number) => (i % 97 === 0 ? 5 : 1) * 0.2 * r();
  const fs = analyzeRun(
    run(
      series('discriminator', n, (i) => 1.2 + noisy(rd)(i)),
      series('generator', n, (i) => 1.5 + noisy(rg)(i)),
    ),
    [],
  );
  // Away from any reference (the noise makes values negative: no chance level at all), so a plateau, never an equilibrium.
  const eq = fs.filter((f) => f.kind === 'plateau');
  assert.equal(eq.length, 1, fs.map((f) => f.message).join(' | '));
  assert.ok(!kinds(fs).includes('equilibrium'));
  assert.equal(eq[0]!.end, n - 1);
  assert.ok(eq[0]!.start <= 0.02 * n, `onset ${eq[0]!.start}`);
  assert.notEqual(eq[0]!.evidence.atReference, true);
  assert.deepEqual(loud(fs), []);
});

test('a plateau that breaks ends where the losses move, and the stall after it is the imbalance', () => {
  const rd = normal(13);
  const rg = normal(14);
  const n = 20000;
  const fs = analyzeRun(
    run(
      series('discriminator', n, (i) => (i < 12000 ? ln2 + 0.5 * Math.exp(-i / 800) + 0.05 * rd() : Math.abs(0.03 + 0.01 * rd()))),
      series('generator', n, (i) => (i < 12000 ? 0.7 + 2 * Math.exp(-i / 800) + 0.08 * rg() : 7 + 0.5 * rg())),
    ),
    [],
  );
  const eq = fs.filter((f) => f.kind === 'equilibrium');
  assert.equal(eq.length, 1, fs.map((f) => f.message).join(' | '));
  assert.equal(eq[0]!.evidence.untilEnd, false);
  assert.ok(Math.abs(eq[0]!.end - 12000) <= 200, `end ${eq[0]!.end}`);
  assert.ok(eq[0]!.start < 6000, `onset ${eq[0]!.start}`);
  assert.match(
    eq[0]!.message,
    /^Both losses settled at the reference from step [\d,]+ to step 11,9\d\d: D ≈ 0\.69\d? and G ≈ 0\.7\d* \(chance D ≈ 0\.693 or 1\.39, G ≈ 0\.693\), the Nash equilibrium/,
  );
  const dd = fs.filter((f) => f.kind === 'd-dominant');
  assert.equal(dd.length, 1);
  assert.ok(Math.abs(dd[0]!.start - 12000) <= 200, `d-dominant from ${dd[0]!.start}`);
});

test('a single spike is not exploding, repeated orders-of-magnitude jumps are', () => {
  const one = healthy(20000, 5);
  one.series[1]!.values[12345] = 5000;
  const fs = analyzeRun(one, []);
  assert.ok(!kinds(fs).includes('exploding'), fs.map((f) => f.message).join(' | '));
  assert.deepEqual(loud(fs), []);

  const many = healthy(20000, 6);
  for (const i of [3000, 6000, 9000, 12000, 15000, 18000]) many.series[1]!.values[i] = 900;
  const ex = analyzeRun(many, []).filter((f) => f.kind === 'exploding');
  assert.equal(ex.length, 1);
  assert.equal(ex[0]!.evidence.rule, 'repeated spikes');
  assert.equal(ex[0]!.evidence.spikes, 6);
  assert.deepEqual(ex[0]!.series, ['generator']);
  assert.equal(ex[0]!.start, 3000);
  assert.equal(ex[0]!.end, 18000);
});

test('a loss growing without bound is exploding from where it takes off', () => {
  const rd = normal(21);
  const rg = normal(22);
  const n = 20000;
  const fs = analyzeRun(
    run(
      series('discriminator', n, () => 0.7 + 0.05 * rd()),
      series('generator', n, (i) => (i < 8000 ? 1 : Math.exp((i - 8000) / 1500)) * (1 + 0.1 * rg())),
    ),
    [],
  );
  const ex = fs.filter((f) => f.kind === 'exploding');
  assert.equal(ex.length, 1, fs.map((f) => f.message).join(' | '));
  assert.equal(ex[0]!.severity, 'warning');
  assert.equal(ex[0]!.end, n - 1);
  // exp((i - 8000) / 1500) reaches 10× at i ≈ 11,450.
  assert.ok(ex[0]!.start > 10000 && ex[0]!.start < 13000, `start ${ex[0]!.start}`);
  assert.match(ex[0]!.message, /never came back/);
});

test('a WGAN critic diverging to sizes no GAN trains at within its first logs is exploding (absurd size); a critic in the hundreds is not', () => {
  const rd = normal(31);
  const n = 40;
  // CryoGAN's last launch: −27, 273, then −1.4·10⁷ … −4·10¹⁰ (G mirrors it).
  const critic = (i: number) => (i === 0 ? -27 : i === 1 ? 273 : -(1e7 * Math.pow(10, Math.min(i - 2, 3)) + 3e10 * (i / n)) * (1 + 0.05 * rd()));
  const fs = analyzeRun(
    run(
      series('discriminator', n, critic),
      series('generator', n, (i) => (i < 2 ? 1.9e4 : -0.8 * critic(i))),
    ),
    [],
  );
  const ex = fs.filter((f) => f.kind === 'exploding' && f.evidence.rule === 'absurd size');
  assert.equal(ex.length, 2, fs.map((f) => f.message).join(' | '));
  assert.deepEqual([ex[0]!.start, ex[0]!.end, ex[0]!.severity], [2, n - 1, 'warning']);
  assert.match(ex[0]!.message, /diverged from step 2: from -27 at the start/);
  // A WGAN-GP critic that trains at −300…−100 (λ = 10 penalties) is large, not diverged.
  const sane = analyzeRun(
    run(
      series('discriminator', 4000, (i) => -300 + 200 * (i / 4000) + 5 * rd()),
      series('generator', 4000, (i) => 250 - 150 * (i / 4000) + 5 * rd()),
    ),
    [],
  );
  assert.ok(!sane.some((f) => f.kind === 'exploding'), sane.map((f) => f.message).join(' | '));
});

test('NaN from step k is a non-finite error with first step k and the share of the run', () => {
  const r = healthy(10000, 3);
  const k = 7321;
  r.series[0]!.values.fill(NaN, k);
  const fs = analyzeRun(r, []);
  const nf = fs.filter((f) => f.kind === 'non-finite');
  assert.equal(nf.length, 1);
  assert.equal(nf[0]!.severity, 'error');
  assert.equal(nf[0]!.start, k);
  assert.equal(nf[0]!.evidence.firstStep, k);
  assert.equal(nf[0]!.evidence.untilEnd, true);
  assert.equal(nf[0]!.evidence.fraction, (10000 - k) / 10000);
  assert.match(nf[0]!.message, /7,321/);
  assert.match(nf[0]!.message, /27%/);
  // The NaN stretch can never be part of an equilibrium.
  for (const eq of fs.filter((f) => f.kind === 'equilibrium')) assert.ok(eq.end < k, `equilibrium ends ${eq.end}`);

  const inf = healthy(10000, 4);
  inf.series[1]!.values[500] = Infinity;
  inf.series[1]!.values[9000] = NaN;
  const one = analyzeRun(inf, []).filter((f) => f.kind === 'non-finite');
  assert.equal(one.length, 1);
  assert.deepEqual(
    [one[0]!.start, one[0]!.end, one[0]!.evidence.firstValue, one[0]!.evidence.nonFiniteValues, one[0]!.evidence.untilEnd],
    [500, 9000, 'Infinity', 2, false],
  );
});

test('a BCE loss clamped at 100 is saturated, and a saturated constant is never an equilibrium', () => {
  const r = healthy(20000, 8);
  r.series[0]!.values.fill(100, 3000);
  r.series[1]!.values.fill(0, 3000);
  const fs = analyzeRun(r, []);
  const sat = fs.filter((f) => f.kind === 'saturated');
  assert.equal(sat.length, 2, fs.map((f) => f.message).join(' | '));
  const d = sat.find((f) => f.series[0] === 'discriminator')!;
  assert.deepEqual([d.severity, d.start, d.end, d.evidence.value, d.evidence.bceClamp], ['error', 3000, 19999, 100, true]);
  const g = sat.find((f) => f.series[0] === 'generator')!;
  assert.deepEqual([g.start, g.evidence.value, g.evidence.bceClamp], [3000, 0, false]);
  assert.ok(!kinds(fs).includes('equilibrium'), fs.map((f) => f.message).join(' | '));

  // Both losses constant for the whole run: perfectly "flat", and still no equilibrium.
  const flat = analyzeRun(
    run(
      series('discriminator', 5000, () => 50),
      series('generator', 5000, () => 0.6931),
    ),
    [],
  );
  assert.deepEqual(kinds(flat).sort(), ['saturated', 'saturated']);

  // A short constant streak (under 5% of the run) is not saturated.
  const short = healthy(20000, 9);
  short.series[0]!.values.fill(0.5, 4000, 4500);
  assert.ok(!kinds(analyzeRun(short, [])).includes('saturated'));
});

test('sustained periodic swings are an oscillation with their period; a healthy run has none', () => {
  const rd = normal(61);
  const rg = normal(62);
  const n = 30000;
  const fs = analyzeRun(
    run(
      series('discriminator', n, () => 0.69 + 0.05 * rd()),
      series('generator', n, (i) => 1 + 0.6 * Math.sin((2 * Math.PI * i) / 1000) + 0.2 * rg()),
    ),
    [],
  );
  const osc = fs.filter((f) => f.kind === 'oscillation');
  assert.equal(osc.length, 1, fs.map((f) => f.message).join(' | '));
  assert.deepEqual(osc[0]!.series, ['generator']);
  assert.ok(Math.abs((osc[0]!.evidence.periodSteps as number) - 1000) <= 100, `period ${osc[0]!.evidence.periodSteps}`);
  // The message gives the measured period to two digits (no false precision); the evidence keeps it whole.
  assert.match(osc[0]!.message, /once every (9[0-9]0|1,0[0-9]0|1,100) steps/, osc[0]!.message);
  assert.equal(osc[0]!.severity, 'warning');
  assert.ok(osc[0]!.start <= 0.05 * n && osc[0]!.end >= 0.95 * n, `${osc[0]!.start}-${osc[0]!.end}`);
  assert.ok(!analyzeRun(healthy(30000, 63), []).some((f) => f.kind === 'oscillation'));
});

test("the tutorial's story: unstable, oscillating losses that settle at about step 15,000 of 30,000", () => {
  const rd = normal(71);
  const rg = normal(72);
  const n = 30000;
  const settle = 15000;
  const fade = (i: number) => Math.max(0, 1 - i / settle);
  const fs = analyzeRun(
    run(
      series('discriminator', n, (i) => ln2 + fade(i) * (0.3 + 0.3 * Math.sin((2 * Math.PI * i) / 1500)) + 0.06 * rd(), 'discriminator_loss'),
      series('generator', n, (i) => ln2 + fade(i) * (2.5 + 0.8 * Math.sin((2 * Math.PI * i) / 1500)) + 0.1 * rg(), 'generator_loss'),
    ),
    [],
  );
  const eq = fs.filter((f) => f.kind === 'equilibrium');
  assert.equal(eq.length, 1, fs.map((f) => f.message).join(' | '));
  assert.ok(Math.abs(eq[0]!.start - settle) <= 0.1 * settle, `onset ${eq[0]!.start}`);
  assert.equal(eq[0]!.end, n - 1);
  assert.equal(eq[0]!.evidence.atReference, true);
  assert.deepEqual(
    loud(fs).filter((f) => f.kind !== 'oscillation'),
    [],
  );
  // Findings come sorted by start step.
  for (let i = 1; i < fs.length; i++) assert.ok(fs[i - 1]!.start <= fs[i]!.start);
});

test('every finding is plain JSON with a one-sentence message', () => {
  const r = healthy(20000, 91);
  r.series[0]!.values.fill(NaN, 18000);
  for (const f of analyzeRun(r, [])) {
    assert.deepEqual(JSON.parse(JSON.stringify(f)), f);
    assert.match(f.message, /^[A-Z][^\n]*\.$/);
    assert.ok(Number.isFinite(f.start) && Number.isFinite(f.end) && f.start <= f.end);
  }
});
