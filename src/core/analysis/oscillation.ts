// Oscillation: sustained large periodic swings. The block means are detrended with a centred
// moving average (1/8 of the run wide), clipped against spikes, and their autocorrelation must show a
// dip then a clear peak at the swing period. Periods from a few blocks up to 1/8 of the run are seen.
import type { Finding } from '../model';
import { t } from '../l10n';
import type { Thresholds } from './thresholds';
import { medianOf, segmentEndStep, segmentStartStep, spans } from './blocks';
import { formatStep, formatValue, num } from './format';
import { lossLabel, type LossView } from './view';

export function detectOscillation(view: LossView, th: Thresholds): Finding[] {
  const { blocks, segments, role } = view;
  const B = blocks.grid.blocks;
  const M = blocks.grid.segments;
  const P = blocks.grid.perSegment;
  if (B < 16) return [];
  // Block means with empty blocks filled by the previous value, so the series has no holes.
  const y = new Float64Array(B);
  let prev = NaN;
  for (let b = 0; b < B; b++) {
    if (blocks.count[b]! > 0) prev = blocks.mean[b]!;
    y[b] = prev;
  }
  let firstDefined = 0;
  while (firstDefined < B && y[firstDefined] !== y[firstDefined]) firstDefined++;
  if (firstDefined >= B) return [];
  for (let b = 0; b < firstDefined; b++) y[b] = y[firstDefined]!;
  const W = Math.max(4, Math.round(B / 8));
  const half = W >> 1;
  const prefix = new Float64Array(B + 1);
  for (let b = 0; b < B; b++) prefix[b + 1] = prefix[b]! + y[b]!;
  const x = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    const a = Math.max(0, b - half);
    const e = Math.min(B, b + half + 1);
    x[b] = y[b]! - (prefix[e]! - prefix[a]!) / (e - a);
  }
  // Clip at 4 robust standard deviations so a spike cannot dominate the autocorrelation.
  const abs = new Float64Array(B);
  for (let b = 0; b < B; b++) abs[b] = Math.abs(x[b]!);
  const mad = medianOf(abs, B) * 1.4826;
  if (!(mad > 0)) return [];
  const clip = 4 * mad;
  let energy = 0;
  for (let b = 0; b < B; b++) {
    x[b] = Math.max(-clip, Math.min(clip, x[b]!));
    energy += x[b]! * x[b]!;
  }
  if (!(energy > 0)) return [];
  const maxLag = Math.min(W, B >> 1);
  let dipped = false;
  let bestLag = 0;
  let best = -1;
  for (let k = 1; k <= maxLag; k++) {
    let s = 0;
    for (let b = 0; b + k < B; b++) s += x[b]! * x[b + k]!;
    const r = s / energy;
    if (!dipped) {
      if (r <= -th.oscillationMinAcf / 2) dipped = true;
      continue;
    }
    if (r > best) {
      best = r;
      bestLag = k;
    }
  }
  if (!dipped || best < th.oscillationMinAcf) return [];

  // Where the swings are: segments whose residual RMS is at least half the run's.
  const rms = Math.sqrt(energy / B);
  const segRms = new Float64Array(M);
  const loud: boolean[] = [];
  for (let j = 0; j < M; j++) {
    let s = 0;
    for (let b = j * P; b < (j + 1) * P; b++) s += x[b]! * x[b]!;
    segRms[j] = Math.sqrt(s / P);
    loud.push(segRms[j]! >= 0.5 * rms);
  }
  // Sustained: at least three periods long.
  const minLength = Math.max(2, Math.ceil((3 * bestLag) / P));
  const found = spans(loud, minLength, Math.max(th.gapSegments, Math.ceil(bestLag / P)));
  if (!found.length) return [];
  let [s, e] = found[0]!;
  for (const sp of found) if (sp[1] - sp[0] > e - s) [s, e] = sp;
  let spanEnergy = 0;
  for (let b = s * P; b < (e + 1) * P; b++) spanEnergy += x[b]! * x[b]!;
  const amplitude = Math.sqrt((2 * spanEnergy) / ((e - s + 1) * P));
  // The loss's typical size, as in exploding: level magnitude, or noise when the level sits near 0.
  const sizes = new Float64Array(e - s + 1);
  const levels = new Float64Array(e - s + 1);
  let k = 0;
  for (let j = s; j <= e; j++) {
    if (segments.level[j] !== segments.level[j]) continue;
    levels[k] = segments.level[j]!;
    sizes[k++] = Math.max(Math.abs(segments.level[j]!), segments.noise[j] || 0);
  }
  const size = medianOf(sizes, k);
  const level = medianOf(levels, k);
  const relative = amplitude / size;
  if (!(relative >= th.oscillationMinAmplitude)) return [];
  const start = segmentStartStep(blocks, s);
  const end = segmentEndStep(blocks, e);
  const g = blocks.grid;
  const period = (bestLag * (g.hi - g.lo)) / B;
  return [
    {
      kind: 'oscillation',
      severity: relative >= th.oscillationWarnAmplitude ? 'warning' : 'info',
      start,
      end,
      series: [role],
      message: t(
        '{0} swung by about ±{1} around {2}, once every {3} steps, from step {4} to step {5}.',
        lossLabel(role),
        formatValue(amplitude),
        formatValue(level),
        formatStep(roughly(period)),
        formatStep(start),
        formatStep(end),
      ),
      evidence: {
        periodSteps: num(period),
        autocorrelation: num(best),
        amplitude: num(amplitude),
        level: num(level),
        relativeAmplitude: num(relative),
        minAcf: th.oscillationMinAcf,
        minAmplitude: th.oscillationMinAmplitude,
        warnAmplitude: th.oscillationWarnAmplitude,
      },
      advice: t(
        'The networks keep overpowering each other in turn: lower or rebalance the learning rates; check the samples for mode collapse; a WGAN loss trains more steadily.',
      ),
    },
  ];
}

/** A period measured from block lags, to two significant digits: "every 850,000 steps", not 849,999.92. */
function roughly(steps: number): number {
  if (!(steps > 0)) return steps;
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(steps)) - 1);
  return Math.round(steps / unit) * unit;
}
