// G/D imbalance for every formulation with a chance level (the caller checks: WGAN and unknown losses
// have none): the discriminator winning (D near 0 while G is high or climbing) or losing (D at or
// above chance while G stays low, or D clearly worse than a coin), judged on segment levels over a
// sustained span so a single dip never counts. The levels are read on the BCE scale per term
// (reference.ts): a summed D is halved, an LSGAN or hinge level is carried to the BCE value of the
// same D output, so one set of thresholds holds for all. Messages show the run's own values and
// its own chance levels.
//
// Severity from evidence: a strong discriminator is normal in a healthy run (the tutorial's recipe
// ends with D ≈ 0.2, G ≈ 3 and all ten digits). The imbalance is a warning only when something says
// training is hurt: levels at the extreme (D right about nearly everything), G climbing without
// bound, or the samples losing diversity in the span. With stable, diverse samples, or with no such
// evidence, it is info and the message says what the samples show.
import type { Finding, Formulation, Severity } from '../model';
import { t } from '../l10n';
import { referenceOf, type BalanceScale } from '../formulation/reference';
import { referenceLabel } from '../formulation/describe';
import type { Thresholds } from './thresholds';
import { medianRange, segmentEndStep, segmentStartStep, slope, spans, type Blocks } from './blocks';
import { formatStep, formatValue, num } from './format';
import type { LossView } from './view';
import type { SampleEvidence } from './sampleEvidence';

type SamplesDuring = (start: number, end: number) => SampleEvidence;
const NO_SAMPLES: SamplesDuring = () => ({ state: 'none', points: 0, score: NaN });

/** A formulation's reference in what the imbalance rules need: the BCE scale and the words for its chance levels. */
interface Balance {
  scale: BalanceScale;
  /** "chance D ≈ 1.386, G ≈ 0.693" */
  reference: string;
  /** D values at a framework's clamp: a saturated loss, told by its own finding, not an imbalance. */
  dClamps: number[];
}

/**
 * `sharedD`: the D plays against several generators (a pix2pix fork's `G_2_GAN`), so its loss also
 * holds the other generators' fakes; D beats this one when this G is high or climbing while D is
 * merely better than chance.
 */
export function detectImbalance(
  d: LossView,
  g: LossView,
  th: Thresholds,
  samples: SamplesDuring = NO_SAMPLES,
  formulation?: Formulation,
  opts: { sharedD?: boolean } = {},
): Finding[] {
  const f: Formulation = formulation ?? { lossType: 'bce', dTerms: 'mean', penalties: [], source: 'settings', from: '' };
  const ref = referenceOf(f);
  if (!ref.scale) return [];
  const balance: Balance = { scale: ref.scale, reference: referenceLabel(f), dClamps: ref.dClamps };
  const M = d.blocks.grid.segments;
  const minLength = Math.max(2, Math.ceil(M * th.imbalanceMinFraction));
  const rawD = d.segments.level;
  const rawG = g.segments.level;
  // On the BCE scale per term: D's reading as a mean (the larger, to call D strong) and as a sum (the smaller, to call it weak).
  const D = new Float64Array(M);
  const Dlow = new Float64Array(M);
  const G = new Float64Array(M);
  for (let j = 0; j < M; j++) {
    [Dlow[j], D[j]] = balance.scale.d(rawD[j]!);
    G[j] = balance.scale.g(rawG[j]!);
  }
  const clamped = (j: number) => balance.dClamps.some((c) => Math.abs(rawD[j]! - c) <= 1e-6 * c);
  const clean = (j: number) => d.segments.nonFinite[j] === 0 && g.segments.nonFinite[j] === 0 && !clamped(j);
  const out: Finding[] = [];

  // d-dominant, G high.
  const dLow: boolean[] = [];
  const dWins: boolean[] = [];
  for (let j = 0; j < M; j++) {
    dLow.push(clean(j) && D[j]! <= (opts.sharedD ? th.gDominantDMin : th.dDominantDMax));
    dWins.push(dLow[j]! && G[j]! >= th.dDominantGMin);
  }
  const covered = new Uint8Array(M);
  for (const [s, e] of spans(dWins, minLength, th.gapSegments)) {
    covered.fill(1, s, e + 1);
    out.push(dDominant(d.blocks, { D, G, rawD, rawG }, s, e, M, th, 'high', samples, balance));
  }
  // d-dominant, G climbing while D stays near 0 (outside the spans already reported).
  for (const [s, e] of spans(dLow, minLength, th.gapSegments)) {
    let a = s;
    while (a <= e && covered[a]) a++;
    let z = e;
    while (z >= a && covered[z]) z--;
    if (z - a + 1 < minLength) continue;
    // The rise of G's fitted line across the span: robust to noise at either end.
    const rise = slope(G, a, z) * (z - a);
    if (rise >= th.dDominantGRise) out.push(dDominant(d.blocks, { D, G, rawD, rawG }, a, z, M, th, 'climbing', samples, balance));
  }

  // g-dominant: D at or above chance while G stays low (D fooled), or D clearly worse than a coin.
  const gWins: boolean[] = [];
  // Worse than a coin while G does not lose: a D that says "fake" to everything (G high) has not been beaten by G.
  for (let j = 0; j < M; j++)
    gWins.push(clean(j) && ((Dlow[j]! >= th.gDominantDMin && G[j]! <= th.gDominantGMax) || (Dlow[j]! >= th.gDominantDHigh && G[j]! < th.dDominantGMin)));
  for (const [s, e] of spans(gWins, minLength, th.gapSegments)) {
    const start = segmentStartStep(d.blocks, s);
    const end = segmentEndStep(d.blocks, e);
    const dLevel = medianRange(rawD, s, e);
    const gLevel = medianRange(rawG, s, e);
    const gScaled = medianRange(G, s, e);
    const fooled = gScaled <= th.gDominantGMax;
    // D fooled is a failure whatever the samples look like (G may fool it with garbage), unless the
    // samples stay diverse and the levels are mild.
    const seen = samples(start, end);
    const extreme = gScaled <= th.gDominantGExtreme;
    const severity: Severity = seen.state === 'diverse' && !extreme ? 'info' : 'warning';
    const toEnd = e === M - 1;
    const message = fooled
      ? toEnd
        ? t(
            'The discriminator was fooled from step {0} to the end: D loss stayed near {1}, at or above its chance level ({2}), while G loss stayed low at {3}.',
            formatStep(start),
            formatValue(dLevel),
            balance.reference,
            formatValue(gLevel),
          )
        : t(
            'The discriminator was fooled from step {0} to step {1}: D loss stayed near {2}, at or above its chance level ({3}), while G loss stayed low at {4}.',
            formatStep(start),
            formatStep(end),
            formatValue(dLevel),
            balance.reference,
            formatValue(gLevel),
          )
      : toEnd
        ? t(
            'The discriminator weakened from step {0} to the end: D loss stayed near {1}, above its chance level ({2}): it does worse than a coin, with G loss at {3}.',
            formatStep(start),
            formatValue(dLevel),
            balance.reference,
            formatValue(gLevel),
          )
        : t(
            'The discriminator weakened from step {0} to step {1}: D loss stayed near {2}, above its chance level ({3}): it does worse than a coin, with G loss at {4}.',
            formatStep(start),
            formatStep(end),
            formatValue(dLevel),
            balance.reference,
            formatValue(gLevel),
          );
    out.push({
      kind: 'g-dominant',
      severity,
      start,
      end,
      series: ['discriminator', 'generator'],
      message: message + samplesSentence(seen),
      evidence: {
        rule: fooled ? 'D at chance, G low' : 'D above chance',
        samples: seen.state,
        sampleDiversity: num(seen.score),
        dLevel: num(dLevel),
        gLevel: num(gLevel),
        dPerTermBce: num(medianRange(Dlow, s, e)),
        gBce: num(gScaled),
        segments: e - s + 1,
        dMin: num(balance.scale.dFrom(th.gDominantDMin)),
        dHigh: num(balance.scale.dFrom(th.gDominantDHigh)),
        gMax: num(balance.scale.gFrom(th.gDominantGMax)),
        minFraction: th.imbalanceMinFraction,
      },
      advice: t(
        'The generator is winning against a weak discriminator, which does not mean its images are good: tune the learning rates (raise the D rate or lower the G rate) and the other parameters, or try a WGAN loss.',
      ),
    });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** What the samples show, appended to an imbalance message ('' without samples). */
function samplesSentence(seen: SampleEvidence): string {
  if (seen.state === 'diverse')
    return ' ' + t('The samples stay diverse over this span (tile diversity {0}), so training is not visibly hurt.', formatValue(seen.score));
  if (seen.state === 'collapsing') return ' ' + t('The samples lose diversity over this span (tile diversity {0}).', formatValue(seen.score));
  return '';
}

interface Levels {
  /** On the BCE scale per term (D: its mean reading). */
  D: Float64Array;
  G: Float64Array;
  /** As logged. */
  rawD: Float64Array;
  rawG: Float64Array;
}

function dDominant(
  blocks: Blocks,
  L: Levels,
  s: number,
  e: number,
  M: number,
  th: Thresholds,
  how: 'high' | 'climbing',
  samples: SamplesDuring,
  balance: Balance,
): Finding {
  const { D, G, rawD, rawG } = L;
  const start = segmentStartStep(blocks, s);
  const end = segmentEndStep(blocks, e);
  const dLevel = medianRange(D, s, e);
  const edge = Math.max(1, Math.floor((e - s + 1) / 10));
  const gStart = medianRange(G, s, s + edge - 1);
  const gEnd = medianRange(G, e - edge + 1, e);
  const rose = gEnd > gStart * 1.2;
  const gShown = rose ? gEnd : medianRange(G, s, e);
  const rawGShown = rose ? medianRange(rawG, e - edge + 1, e) : medianRange(rawG, s, e);
  const rawDLevel = medianRange(rawD, s, e);
  const toEnd = e === M - 1;
  // Hurt: D right about nearly everything (whatever the samples show), samples losing diversity, or
  // G climbing without bound when the samples do not show otherwise. Stable diverse samples: info.
  const seen = samples(start, end);
  const extreme = dLevel <= th.dDominantDExtreme || gShown >= th.dDominantGExtreme;
  // Without bound: G rose by dDominantGRise across the span and is still rising over its last third
  // (a G that climbed and then levelled off, as in a healthy run with a strong D, is not).
  const third = Math.max(2, Math.floor((e - s + 1) / 3));
  const lateRise = slope(G, e - third + 1, e) * (third - 1);
  const unbounded = slope(G, s, e) * (e - s) >= th.dDominantGRise && lateRise >= th.dDominantGLateRise;
  const severity: Severity = seen.state === 'collapsing' || extreme || (unbounded && seen.state !== 'diverse') ? 'warning' : 'info';
  let message: string;
  if (rose) {
    message = toEnd
      ? t(
          'The discriminator won from step {0} to the end: D loss stayed near {1} while G loss climbed to {2} ({3}).',
          formatStep(start),
          formatValue(rawDLevel),
          formatValue(rawGShown),
          balance.reference,
        )
      : t(
          'The discriminator won from step {0} to step {1}: D loss stayed near {2} while G loss climbed to {3} ({4}).',
          formatStep(start),
          formatStep(end),
          formatValue(rawDLevel),
          formatValue(rawGShown),
          balance.reference,
        );
  } else {
    message = toEnd
      ? t(
          'The discriminator won from step {0} to the end: D loss stayed near {1} while G loss stayed high at {2} ({3}).',
          formatStep(start),
          formatValue(rawDLevel),
          formatValue(rawGShown),
          balance.reference,
        )
      : t(
          'The discriminator won from step {0} to step {1}: D loss stayed near {2} while G loss stayed high at {3} ({4}).',
          formatStep(start),
          formatStep(end),
          formatValue(rawDLevel),
          formatValue(rawGShown),
          balance.reference,
        );
  }
  if (severity === 'info' && seen.state !== 'diverse')
    message += ' ' + t('The levels are not extreme and G is not climbing without bound: a strong discriminator, look at the samples.');
  return {
    kind: 'd-dominant',
    severity,
    start,
    end,
    series: ['discriminator', 'generator'],
    message: message + samplesSentence(seen),
    evidence: {
      rule: how === 'high' ? 'G high' : 'G climbing',
      samples: seen.state,
      sampleDiversity: num(seen.score),
      extreme,
      unbounded,
      gLateRise: num(lateRise),
      dLevel: num(rawDLevel),
      gLevelStart: num(medianRange(rawG, s, s + edge - 1)),
      gLevelEnd: num(medianRange(rawG, e - edge + 1, e)),
      dPerTermBce: num(dLevel),
      gBceEnd: num(gEnd),
      segments: e - s + 1,
      dMax: num(balance.scale.dFrom(th.dDominantDMax)),
      gMin: num(balance.scale.gFrom(th.dDominantGMin)),
      gRise: th.dDominantGRise,
      minFraction: th.imbalanceMinFraction,
    },
    advice: t(
      'The discriminator is too strong and the generator gives up: tune the learning rates (lower the D rate or raise the G rate) and the other parameters, or try a WGAN loss.',
    ),
  };
}
