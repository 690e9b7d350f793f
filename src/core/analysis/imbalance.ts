// G/D imbalance for BCE losses only (the caller checks the loss type): the discriminator winning
// (D near 0 while G is high or climbing) or losing (D at/above chance while G stays low), judged
// on segment levels over a sustained span so a single dip never counts.
import type { Finding } from '../model';
import { t } from '../l10n';
import type { Thresholds } from './thresholds';
import { medianRange, segmentEndStep, segmentStartStep, slope, spans, type Blocks } from './blocks';
import { formatStep, formatValue, num } from './format';
import type { LossView } from './view';

export function detectImbalance(d: LossView, g: LossView, th: Thresholds): Finding[] {
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
    out.push(dDominant(d.blocks, D, G, s, e, M, th, 'high'));
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
    if (rise >= th.dDominantGRise) out.push(dDominant(d.blocks, D, G, a, z, M, th, 'climbing'));
  }

  // g-dominant.
  const gWins: boolean[] = [];
  for (let j = 0; j < M; j++) gWins.push(clean(j) && D[j] >= th.gDominantDMin && G[j] <= th.gDominantGMax);
  for (const [s, e] of spans(gWins, minLength, th.gapSegments)) {
    const start = segmentStartStep(d.blocks, s);
    const end = segmentEndStep(d.blocks, e);
    const dLevel = medianRange(D, s, e);
    const gLevel = medianRange(G, s, e);
    out.push({
      kind: 'g-dominant',
      severity: 'warning',
      start,
      end,
      series: ['discriminator', 'generator'],
      message:
        e === M - 1
          ? t('The discriminator was fooled from step {0} to the end: D loss stayed near {1}, at or above chance, while G loss stayed low at {2}.', formatStep(start), formatValue(dLevel), formatValue(gLevel))
          : t('The discriminator was fooled from step {0} to step {1}: D loss stayed near {2}, at or above chance, while G loss stayed low at {3}.', formatStep(start), formatStep(end), formatValue(dLevel), formatValue(gLevel)),
      evidence: {
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

function dDominant(blocks: Blocks, D: Float64Array, G: Float64Array, s: number, e: number, M: number, th: Thresholds, how: 'high' | 'climbing'): Finding {
  const start = segmentStartStep(blocks, s);
  const end = segmentEndStep(blocks, e);
  const dLevel = medianRange(D, s, e);
  const edge = Math.max(1, Math.floor((e - s + 1) / 10));
  const gStart = medianRange(G, s, s + edge - 1);
  const gEnd = medianRange(G, e - edge + 1, e);
  const rose = gEnd > gStart * 1.2;
  const gShown = rose ? gEnd : medianRange(G, s, e);
  const toEnd = e === M - 1;
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
  return {
    kind: 'd-dominant',
    severity: 'warning',
    start,
    end,
    series: ['discriminator', 'generator'],
    message,
    evidence: {
      rule: how === 'high' ? 'G high' : 'G climbing',
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
