// Each formulation judged against its own reference, on synthetic series: a summed BCE D, LSGAN's
// two forms, hinge and WGAN; equilibrium only at the reference, a plateau elsewhere with what the
// samples and metrics did over it; every GAN of a run diagnosed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRun } from '../../../../src/core/analysis';
import { mergeEpisodes } from '../../../../src/core/analysis/merge';
import { resolveThresholds } from '../../../../src/core/analysis/thresholds';
import { atReference, referenceOf } from '../../../../src/core/formulation/reference';
import { describeFormulation } from '../../../../src/core/formulation/describe';
import { pairKeyOf, pickMainPair } from '../../../../src/core/mainPair';
import type { DiversityPoint, DTerms, Finding, Formulation, LossType, Run, Series } from '../../../../src/core/model';
import { normal } from '../../../support/lossSignals';

function series(role: Series['role'], n: number, f: (i: number) => number, name = role === 'discriminator' ? 'd_loss' : 'g_loss'): Series {
  const steps = Float64Array.from({ length: n }, (_, i) => i);
  const values = Float64Array.from({ length: n }, (_, i) => f(i));
  return { name, role, source: `${name}.npy`, column: null, steps, values };
}

const formulation = (lossType: LossType, dTerms: DTerms | null, extra: Partial<Formulation> = {}): Formulation => ({
  lossType,
  dTerms,
  penalties: [],
  source: 'code',
  from: 'train.py',
  ...extra,
});
const run = (f: Formulation, ...s: Series[]): Run => ({ root: '/tmp/r', name: 'r', series: s, samples: [], errors: [], config: {}, formulation: f });
const kinds = (fs: Finding[]) => fs.map((f) => f.kind);
const text = (fs: Finding[]) => fs.map((f) => `[${f.kind}] ${f.message}`).join('\n');
const LN2 = Math.LN2;

test('the reference of each formulation: chance levels, floor, clamps', () => {
  const cases: [Formulation, number[], number | null][] = [
    [formulation('bce', 'mean'), [LN2], LN2],
    [formulation('bce', 'sum'), [2 * LN2], LN2],
    [formulation('bce', null), [LN2, 2 * LN2], LN2],
    [formulation('lsgan', 'mean', { lsganScale: { d: 1, g: 1 } }), [0.25], 0.25],
    [formulation('lsgan', 'sum', { lsganScale: { d: 0.5, g: 0.5 } }), [0.25], 0.125],
    [formulation('hinge', 'sum'), [2], 0],
    [formulation('hinge', 'mean'), [1], 0],
    [formulation('wgan', null), [], null],
    [formulation('unknown', null), [], null],
  ];
  for (const [f, d, g] of cases) {
    const ref = referenceOf(f);
    assert.deepEqual(
      ref.dChances.map((x) => Number(x.toFixed(4))),
      d.map((x) => Number(x.toFixed(4))),
      describeFormulation(f),
    );
    assert.equal(ref.gChance === null ? null : Number(ref.gChance.toFixed(4)), g === null ? null : Number(g.toFixed(4)));
  }
  assert.deepEqual(referenceOf(formulation('bce', 'sum')).dClamps, [50, 100]);
  assert.deepEqual(referenceOf(formulation('bce', 'mean')).dClamps, [100, 200]);
  // At the reference on each formulation's own scale.
  assert.ok(atReference(referenceOf(formulation('bce', 'sum')), 1.39, 0.7, 0.1));
  assert.ok(!atReference(referenceOf(formulation('bce', 'sum')), 0.69, 0.7, 0.1), 'ln 2 is a summed D winning, not chance');
  assert.ok(atReference(referenceOf(formulation('lsgan', 'mean', { lsganScale: { d: 1, g: 1 } })), 0.25, 0.25, 0.1));
  assert.ok(atReference(referenceOf(formulation('hinge', 'sum')), 2, 0.05, 0.1));
  assert.ok(!atReference(referenceOf(formulation('wgan', null)), 0, 0, 0.1));
});

test('summed BCE D: a D winning at 0.8–1.0 (below its 1.386 chance) is no "G too strong"; the same values as a mean are', () => {
  const rd = normal(1);
  const rg = normal(2);
  const n = 8000;
  // D sums two terms near 0.45 each (D right ~64% of the time), G low-ish: a mean D at 0.9 would be above chance.
  const d = () => series('discriminator', n, (i) => 0.9 + 0.03 * rd() + 0.02 * Math.sin(i / 300));
  const g = () => series('generator', n, (i) => 0.5 + 0.03 * rg() + 0.02 * Math.cos(i / 300));
  const summed = analyzeRun(run(formulation('bce', 'sum'), d(), g()), []);
  assert.ok(!kinds(summed).includes('g-dominant'), text(summed));
  assert.ok(!kinds(summed).includes('equilibrium'), text(summed));
  const averaged = analyzeRun(run(formulation('bce', 'mean'), d(), g()), []);
  assert.ok(kinds(averaged).includes('g-dominant'), text(averaged));
});

test('summed BCE D: a D that weakens from 1.42 to 1.96, above its 1.386 chance, is seen', () => {
  const rd = normal(3);
  const rg = normal(4);
  const n = 10000;
  const fs = analyzeRun(
    run(
      formulation('bce', 'sum'),
      series('discriminator', n, (i) => 1.42 + (0.54 * i) / n + 0.04 * rd()),
      series('generator', n, (i) => 0.8 - (0.1 * i) / n + 0.05 * rg()),
    ),
    [],
  );
  const weak = fs.filter((f) => f.kind === 'g-dominant');
  assert.equal(weak.length, 1, text(fs));
  assert.ok(weak[0]!.start > 0.2 * n && weak[0]!.end === n - 1, text(fs));
  assert.match(weak[0]!.message, /above its chance level \(chance D ≈ 1\.39, G ≈ 0\.693\)/);
  // Read as a mean it would have been "fooled" from the start; read as a sum it is fine until D passes chance by a margin.
  assert.equal(weak[0]!.evidence.rule, 'D above chance');
});

test('summed BCE D on its floor while G climbs is D winning; a summed D at 2 ln 2 with G at ln 2 is the equilibrium', () => {
  const rd = normal(5);
  const rg = normal(6);
  const n = 6000;
  const won = analyzeRun(
    run(
      formulation('bce', 'sum'),
      series('discriminator', n, (i) => (i < 1000 ? 1.3 : Math.abs(0.02 + 0.01 * rd()))),
      series('generator', n, (i) => (i < 1000 ? 0.8 : 4 + (3 * i) / n + 0.3 * rg())),
    ),
    [],
  );
  assert.ok(kinds(won).includes('d-dominant') && !kinds(won).includes('g-dominant'), text(won));
  const eq = analyzeRun(
    run(
      formulation('bce', 'sum'),
      series('discriminator', n, () => 2 * LN2 + 0.05 * rd()),
      series('generator', n, () => LN2 + 0.05 * rg()),
    ),
    [],
  );
  assert.deepEqual(kinds(eq), ['equilibrium'], text(eq));
  assert.match(eq[0]!.message, /D ≈ 1\.3\d and G ≈ 0\.69\d? \(chance D ≈ 1\.39, G ≈ 0\.693\), the Nash equilibrium/);
});

test('LSGAN: D_B at 0.000 with G_B pinned at 1.0 is the discriminator winning, never an equilibrium; 0.25 / 0.25 is the equilibrium', () => {
  const n = 4000;
  const rd = normal(7);
  const rg = normal(8);
  // junyanz CycleGAN: MSELoss, D = (real + fake) · 0.5, logged to 3 decimals.
  const f = formulation('lsgan', 'mean', { lsganScale: { d: 1, g: 1 } });
  const won = analyzeRun(
    run(
      f,
      series('discriminator', n, (i) => (i < 800 ? 0.25 + 0.02 * rd() : Math.round(Math.abs(0.0004 * rd()) * 1000) / 1000), 'D_B'),
      series('generator', n, (i) => (i < 800 ? 0.3 + 0.03 * rg() : Math.round((1 + 0.002 * rg()) * 1000) / 1000), 'G_B'),
    ),
    [],
  );
  // Only its untrained start (D 0.25, G 0.3) sits at chance: never the D-won stretch.
  assert.ok(!won.some((x) => x.kind === 'equilibrium' && x.end > 900), text(won));
  const dd = won.find((x) => x.kind === 'd-dominant');
  assert.ok(dd && dd.severity === 'warning', text(won));
  assert.ok(dd!.start <= 900 && dd!.end === n - 1, text(won));
  const eq = analyzeRun(
    run(
      f,
      series('discriminator', n, () => 0.25 + 0.02 * rd()),
      series('generator', n, () => 0.25 + 0.02 * rg()),
    ),
    [],
  );
  assert.deepEqual(kinds(eq), ['equilibrium'], text(eq));
  // kimjy99's form (0.5·MSE terms summed, G 0.5·MSE): chance D 0.25, G 0.125; D 0.07 with G 0.35 is D ahead, a plateau.
  const paper = formulation('lsgan', 'sum', { lsganScale: { d: 0.5, g: 0.5 } });
  const ahead = analyzeRun(
    run(
      paper,
      series('discriminator', n, () => 0.07 + 0.01 * rd()),
      series('generator', n, () => 0.35 + 0.02 * rg()),
    ),
    [],
  );
  assert.deepEqual(kinds(ahead), ['plateau'], text(ahead));
  assert.match(ahead[0]!.message, /away from the reference \(chance D ≈ 0\.25, G ≈ 0\.125\)/);
});

test('hinge: D at 2 summed with G near 0 is the equilibrium; WGAN and unknown losses get plateaus only, and no balance finding', () => {
  const n = 5000;
  const rd = normal(9);
  const rg = normal(10);
  const hinge = analyzeRun(
    run(
      formulation('hinge', 'sum'),
      series('discriminator', n, () => 2 + 0.05 * rd()),
      series('generator', n, () => 0.02 * rg()),
    ),
    [],
  );
  assert.deepEqual(kinds(hinge), ['equilibrium'], text(hinge));
  const flat = () => [series('discriminator', n, () => -0.5 + 0.05 * rd()), series('generator', n, () => 6 + 0.3 * rg())];
  for (const type of ['wgan', 'unknown'] as LossType[]) {
    const fs = analyzeRun(run(formulation(type, null), ...flat()), []);
    assert.deepEqual(kinds(fs), ['plateau'], `${type}: ${text(fs)}`);
  }
});

test('a plateau says when training stopped paying off: the samples, or a metric that still improves', () => {
  const n = 20000;
  const rd = normal(11);
  const rg = normal(12);
  const f = formulation('bce', 'mean');
  const d = () => series('discriminator', n, (i) => 0.45 + 0.2 * Math.exp(-i / 2000) + 0.03 * rd());
  const g = () => series('generator', n, (i) => 1.6 + Math.exp(-i / 2000) + 0.05 * rg());
  // Diversity rises until step 11,000 and then stays.
  const diversity: DiversityPoint[] = Array.from({ length: 40 }, (_, k) => ({ step: k * 500, score: 0.6 + 0.4 * Math.min(1, (k * 500) / 11000), tiles: 25 }));
  const fs = analyzeRun(run(f, d(), g()), diversity);
  const plateau = fs.filter((x) => x.kind === 'plateau');
  assert.equal(plateau.length, 1, text(fs));
  // Within one sample interval of 11,000, where the samples reached their best.
  assert.ok([10500, 11000].includes(plateau[0]!.evidence.stopStep as number), text(fs));
  assert.match(plateau[0]!.message, /The samples did not improve after step 1[01],[05]00 \(tile diversity 1\): the last 4[5-8]% of the steps changed little\./);
  // FID still falling at the end: keep training.
  const fid: Series = { ...series('metric', 20, (k) => 120 - 4 * k, 'FID'), steps: Float64Array.from({ length: 20 }, (_, k) => k * 1000), better: 'lower' };
  const withFid = analyzeRun(run(f, d(), g(), fid), diversity).filter((x) => x.kind === 'plateau');
  assert.match(withFid[0]!.message, /But FID kept improving over it \(\d+ → 44 at step 19,000\): keep training\./);
  assert.equal(withFid[0]!.evidence.stopStep, null);
  assert.equal(withFid[0]!.evidence.progress, 'metric improving');
});

test('plateau pieces merge with a tolerance on the formulation’s own scale: a WGAN level near 0 by its noise', () => {
  const piece = (start: number, end: number, dLevel: number, untilEnd = false): Finding => ({
    kind: 'plateau',
    severity: 'info',
    start,
    end,
    series: ['discriminator', 'generator'],
    message: '',
    evidence: { untilEnd, dLevel, gLevel: -9.4, dNoise: 0.02, gNoise: 0.4, dTolerance: 0.02, gTolerance: 0.4, dTrend: 0, gTrend: 0 },
  });
  const ctx = { maxGap: 10, formulation: formulation('wgan', null), th: resolveThresholds() };
  // 0.004 and −0.006 differ by 250% of their size but by half a noise deviation: one plateau.
  assert.equal(mergeEpisodes([piece(0, 100, 0.004), piece(104, 200, -0.006, true)], ctx).length, 1);
  assert.equal(mergeEpisodes([piece(0, 100, 0.004), piece(104, 200, 0.2, true)], ctx).length, 2);
});

test('every GAN of a run: COSCI-GAN three pairs and a central D; a second generator against the shared D', () => {
  const s = (name: string, role: Series['role'], values = [1, 2, 3]): Series => ({
    name,
    role,
    source: 'run.wandb',
    column: null,
    steps: Float64Array.from(values.map((_, i) => i)),
    values: Float64Array.from(values),
  });
  assert.deepEqual(['Generator_loss_0', 'Discriminator_loss_2', 'G_2_GAN', 'G_GAN', 'D_A', 'Central_Discriminator_loss', 'loss_D_B'].map(pairKeyOf), [
    '0',
    '2',
    '2',
    null,
    'A',
    null,
    'B',
  ]);
  const names = [
    'Generator_loss_0',
    'Generator_loss_1',
    'Generator_loss_2',
    'Discriminator_loss_0',
    'Discriminator_loss_1',
    'Discriminator_loss_2',
    'Central_Discriminator_loss',
  ];
  const picked = pickMainPair(names.map((name) => s(name, name.startsWith('Gen') ? 'generator' : 'discriminator')));
  assert.deepEqual(
    picked.map((x) => [x.name, x.role, x.pair ?? null]),
    [
      ['Generator_loss_0', 'generator', '0'],
      ['Generator_loss_1', 'generator', '1'],
      ['Generator_loss_2', 'generator', '2'],
      ['Discriminator_loss_0', 'discriminator', '0'],
      ['Discriminator_loss_1', 'discriminator', '1'],
      ['Discriminator_loss_2', 'discriminator', '2'],
      ['Central_Discriminator_loss', 'discriminator', null],
    ],
  );
  // A pix2pix fork with two generators: G_2_GAN climbs from 2.6 to 4.5 while D falls to 0.05.
  const n = 3000;
  const rd = normal(13);
  const rg = normal(14);
  const logged = [
    series('discriminator', n, (i) => Math.max(0.01, 0.5 - (0.45 * i) / n + 0.01 * rd()), 'D_real'),
    series('discriminator', n, (i) => Math.max(0.01, 0.5 - (0.45 * i) / n + 0.01 * rd()), 'D_fake'),
    series('generator', n, () => 1 + 0.05 * rg(), 'G_GAN'),
    series('generator', n, (i) => 2.6 + (1.9 * i) / n + 0.05 * rg(), 'G_2_GAN'),
    { ...series('other', n, () => 10, 'G_L1') },
  ].map((x) => ({ ...x, source: 'loss_log.txt' }));
  const roles = pickMainPair(logged);
  assert.deepEqual(
    roles.filter((x) => x.role !== 'other').map((x) => [x.name, x.role, x.pair ?? null]),
    [
      ['G_GAN', 'generator', null],
      ['G_2_GAN', 'generator', '2'],
      ['(D_real + D_fake) / 2', 'discriminator', null],
    ],
  );
  const fs = analyzeRun(run(formulation('bce', 'mean'), ...roles), []);
  const second = fs.filter((f) => f.kind === 'd-dominant' && f.evidence.pair === '2');
  assert.equal(second.length, 1, text(fs));
  assert.match(second[0]!.message, /^GAN 2: The discriminator won from step [\d,]+ to the end/);
});

test('a hinge D on 0 for a long stretch is D winning, not saturation (G keeps its gradient); a BCE D on 0 is saturation', () => {
  const rg = normal(9);
  const n = 3000;
  // D's hinge margins met from step 1,000 to 1,800 (exactly 0, as hinge-d-won logs it) while G climbs.
  const d = (i: number) => (i < 300 ? 1.9 - i / 200 : i >= 1000 && i < 1800 ? 0 : 0.02 + 0.01 * Math.abs(rg()));
  const g = (i: number) => (i < 300 ? 0.1 * rg() : 2.8 + 0.3 * rg());
  const hinge = analyzeRun(run(formulation('hinge', 'sum'), series('discriminator', n, d), series('generator', n, g)), []);
  assert.ok(!kinds(hinge).includes('saturated'), text(hinge));
  assert.ok(kinds(hinge).includes('d-dominant'), text(hinge));
  const bce = analyzeRun(
    run(
      formulation('bce', 'sum'),
      series('discriminator', n, d),
      series('generator', n, (i) => 4 + g(i)),
    ),
    [],
  );
  const saturated = bce.find((f) => f.kind === 'saturated');
  assert.ok(saturated && saturated.severity === 'error' && saturated.evidence.atFloor === true, text(bce));
});
