// G/D imbalance for BCE losses only (the caller checks the loss type): the discriminator winning
// (D near 0 while G is high or climbing) or losing (D at/above chance while G stays low), judged
// on segment levels over a sustained span so a single dip never counts.
//
// Severity from evidence: a strong discriminator is normal in a healthy run (the tutorial's recipe
// ends with D ≈ 0.2, G ≈ 3 and all ten digits). The imbalance is a warning only when something says
// training is hurt: levels at the extreme (D right about nearly everything), G climbing without
// bound, or the samples losing diversity in the span. With stable, diverse samples, or with no such
// evidence, it is info and the message says what the samples show.
import type { Finding, Severity } from '../model';
import { t } from '../l10n';
import type { Thresholds } from './thresholds';
import { medianRange, segmentEndStep, segmentStartStep, slope, spans, type Blocks } from './blocks';
import { formatStep, formatValue, num } from './format';
import type { LossView } from './view';
import type { SampleEvidence } from './sampleEvidence';

type SamplesDuring = (start: number, end: number) => SampleEvidence;
const NO_SAMPLES: SamplesDuring = () => ({ state: 'none', points: 0, score: NaN });

export function detectImbalance(d: LossView, g: LossView, th: Thresholds, samples: SamplesDuring = NO_SAMPLES): Finding[] {
  const M = d.blocks.grid.segments;
  const minLength = Math.max(2, Math.ceil(M * th.imbalanceMinFraction));
  const D = d.segments.level;
  const G = g.segments.level;
  const clean = (j: number) => d.segments.nonFinite[j] === 0 && g.segments.nonFinite[j] === 0;
  const out: Finding[] = [];

  // d-dominant, G high.
  const dLow: boolean[] = [];
  const dWins: boolean[] = [];
  for (let j = 0; j < M; j++) {
    dLow.push(clean(j) && D[j] <= th.dDominantDMax);
    dWins.push(dLow[j] && G[j] >= th.dDominantGMin);
  }
  const covered = new Uint8Array(M);
  for (const [s, e] of spans(dWins, minLength, th.gapSegments)) {
    covered.fill(1, s, e + 1);
    out.push(dDominant(d.blocks, D, G, s, e, M, th, 'high', samples));
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
    if (rise >= th.dDominantGRise) out.push(dDominant(d.blocks, D, G, a, z, M, th, 'climbing', samples));
  }

  // g-dominant.
  const gWins: boolean[] = [];
  for (let j = 0; j < M; j++) gWins.push(clean(j) && D[j] >= th.gDominantDMin && G[j] <= th.gDominantGMax);
  for (const [s, e] of spans(gWins, minLength, th.gapSegments)) {
    const start = segmentStartStep(d.blocks, s);
    const end = segmentEndStep(d.blocks, e);
    const dLevel = medianRange(D, s, e);
    const gLevel = medianRange(G, s, e);
    // D fooled is a failure whatever the samples look like (G may fool it with garbage), unless the
    // samples stay diverse and the levels are mild.
    const seen = samples(start, end);
    const extreme = gLevel <= th.gDominantGExtreme;
    const severity: Severity = seen.state === 'diverse' && !extreme ? 'info' : 'warning';
    out.push({
      kind: 'g-dominant',
      severity,
      start,
      end,
      series: ['discriminator', 'generator'],
      message:
        (e === M - 1
          ? t('The discriminator was fooled from step {0} to the end: D loss stayed near {1}, at or above chance, while G loss stayed low at {2}.', formatStep(start), formatValue(dLevel), formatValue(gLevel))
          : t('The discriminator was fooled from step {0} to step {1}: D loss stayed near {2}, at or above chance, while G loss stayed low at {3}.', formatStep(start), formatStep(end), formatValue(dLevel), formatValue(gLevel))) + samplesSentence(seen),
      evidence: {
        samples: seen.state,
        sampleDiversity: num(seen.score),
        dLevel: num(dLevel),
        gLevel: num(gLevel),
        segments: e - s + 1,
        dMin: th.gDominantDMin,
        gMax: th.gDominantGMax,
        minFraction: th.imbalanceMinFraction,
      },
      advice: t('The generator is winning against a weak discriminator, which does not mean its images are good: tune the learning rates (raise the D rate or lower the G rate) and the other parameters, or try a WGAN loss.'),
    });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** What the samples show, appended to an imbalance message ('' without samples). */
function samplesSentence(seen: SampleEvidence): string {
  if (seen.state === 'diverse') return ' ' + t('The samples stay diverse over this span (tile diversity {0}), so training is not visibly hurt.', formatValue(seen.score));
  if (seen.state === 'collapsing') return ' ' + t('The samples lose diversity over this span (tile diversity {0}).', formatValue(seen.score));
  return '';
}

function dDominant(blocks: Blocks, D: Float64Array, G: Float64Array, s: number, e: number, M: number, th: Thresholds, how: 'high' | 'climbing', samples: SamplesDuring): Finding {
  const start = segmentStartStep(blocks, s);
  const end = segmentEndStep(blocks, e);
  const dLevel = medianRange(D, s, e);
  const edge = Math.max(1, Math.floor((e - s + 1) / 10));
  const gStart = medianRange(G, s, s + edge - 1);
  const gEnd = medianRange(G, e - edge + 1, e);
  const rose = gEnd > gStart * 1.2;
  const gShown = rose ? gEnd : medianRange(G, s, e);
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
      ? t('The discriminator won from step {0} to the end: D loss stayed near {1} while G loss climbed to {2}.', formatStep(start), formatValue(dLevel), formatValue(gShown))
      : t('The discriminator won from step {0} to step {1}: D loss stayed near {2} while G loss climbed to {3}.', formatStep(start), formatStep(end), formatValue(dLevel), formatValue(gShown));
  } else {
    message = toEnd
      ? t('The discriminator won from step {0} to the end: D loss stayed near {1} while G loss stayed high at {2}.', formatStep(start), formatValue(dLevel), formatValue(gShown))
      : t('The discriminator won from step {0} to step {1}: D loss stayed near {2} while G loss stayed high at {3}.', formatStep(start), formatStep(end), formatValue(dLevel), formatValue(gShown));
  }
  if (severity === 'info' && seen.state !== 'diverse') message += ' ' + t('The levels are not extreme and G is not climbing without bound: a strong discriminator, look at the samples.');
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
      dLevel: num(dLevel),
      gLevelStart: num(gStart),
      gLevelEnd: num(gEnd),
      segments: e - s + 1,
      dMax: th.dDominantDMax,
      gMin: th.dDominantGMin,
      gRise: th.dDominantGRise,
      minFraction: th.imbalanceMinFraction,
    },
    advice: t('The discriminator is too strong and the generator gives up: tune the learning rates (lower the D rate or raise the G rate) and the other parameters, or try a WGAN loss.'),
  };
}
