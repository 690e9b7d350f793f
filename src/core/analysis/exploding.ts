// Exploding: the loss's typical size grows by orders of magnitude and stays there, or it keeps
// jumping by orders of magnitude. Sizes come from segment levels (medians of block means) so one
// spike moves nothing; a lone spike is never a finding. The first 5% of the run is warm-up, where
// big swings are normal, and only serves as history.
import type { Finding } from '../model';
import { t } from '../l10n';
import type { Thresholds } from './thresholds';
import { medianOf, segmentEndStep, segmentFirstIndex, segmentStartStep, spans } from './blocks';
import { formatStep, formatValue, num } from './format';
import { lossLabel, type LossView } from './view';

const WARMUP_FRACTION = 0.05;

/** What the formulation says about a loss's size: bounded in practice (BCE, LSGAN), and the least size a blow-up reaches. */
export interface SizeLimits {
  bounded: boolean;
  /** 0 when any size can be a blow-up. */
  minSize: number;
}

export function detectExploding(view: LossView, th: Thresholds, limits: SizeLimits = { bounded: false, minSize: 0 }): Finding[] {
  const bce = limits.bounded;
  const { blocks, segments, role } = view;
  const M = blocks.grid.segments;
  const P = blocks.grid.perSegment;
  // A segment's size: its level's magnitude, or its noise when the level sits near 0 (WGAN losses cross 0).
  const size = new Float64Array(M);
  for (let j = 0; j < M; j++) size[j] = Math.max(Math.abs(segments.level[j]!), segments.noise[j] || 0);
  const warmup = Math.max(1, Math.ceil(M * WARMUP_FRACTION));
  const minLength = Math.max(2, Math.ceil(M * th.explodingMinFraction));
  const out: Finding[] = [];
  const scratch = new Float64Array(M);

  // The run's lower-quartile size: a loss resting near 0 for a while and then returning to its
  // usual size has not exploded, so growth is also measured against this floor.
  let q = 0;
  for (let i = warmup; i < M; i++) if (size[i] === size[i]) scratch[q++] = size[i]!;
  const sorted = q ? scratch.subarray(0, q).sort() : scratch.subarray(0, 0);
  const floor = q ? sorted[Math.floor((q - 1) / 4)]! : NaN;
  const low = q ? sorted[Math.floor((q - 1) / 10)]! : NaN;

  // Sustained growth: compare each segment with the median size of the history before it
  // (at least 10% of the run after warm-up, so there is a history to compare with).
  const history = Math.max(3, Math.ceil(M * 0.1));
  // An unbounded loss (a WGAN critic without a penalty) grows steadily: against its own growing
  // history it never jumps 10×, so it is also compared with the size it trained at right after
  // warm-up (never below the run's lowest tenth, so a critic starting near 0 is not an explosion).
  // A BCE loss is bounded in practice; its slow rise is an imbalance, not an explosion.
  let e0 = 0;
  for (let i = warmup; i < Math.min(M, warmup + history); i++) if (size[i] === size[i]) scratch[e0++] = size[i]!;
  const early = bce || !e0 ? Infinity : Math.max(medianOf(scratch, e0), low);
  let j = warmup + history;
  while (j < M) {
    let k = 0;
    for (let i = warmup; i < j; i++) if (size[i] === size[i]) scratch[k++] = size[i]!;
    const base = Math.min(Math.max(medianOf(scratch, k), floor), early);
    if (!(base > 0) || !(size[j]! >= th.explodingRatio * base)) {
      j++;
      continue;
    }
    // Hold the base from the onset and follow the span while the size stays that large.
    const flags: boolean[] = [];
    for (let i = j; i < M; i++) flags.push(size[i]! >= th.explodingRatio * base);
    const first = spans(flags, 1, th.gapSegments)[0]!;
    const e = j + first[1];
    let peak = 0;
    for (let i = j; i <= e; i++) peak = Math.max(peak, size[i]!);
    // An explosion reaches sizes the run has never had before (a loss falling from a large start
    // and later returning towards it is not exploding).
    let earlier = 0;
    for (let i = 0; i < j; i++) if (size[i]! > earlier) earlier = size[i]!;
    if (e - j + 1 >= minLength && peak > earlier && peak >= limits.minSize) {
      const toEnd = e === M - 1;
      const startStep = segmentStartStep(blocks, j);
      const endStep = segmentEndStep(blocks, e);
      out.push({
        kind: 'exploding',
        severity: 'warning',
        start: startStep,
        end: endStep,
        series: [role],
        message: toEnd
          ? t(
              '{0} blew up from step {1}: its typical size grew from {2} to {3} ({4}×) and never came back.',
              lossLabel(role),
              formatStep(startStep),
              formatValue(base),
              formatValue(peak),
              formatValue(peak / base),
            )
          : t(
              '{0} blew up from step {1} to step {2}: its typical size grew from {3} to {4} ({5}×).',
              lossLabel(role),
              formatStep(startStep),
              formatStep(endStep),
              formatValue(base),
              formatValue(peak),
              formatValue(peak / base),
            ),
        evidence: {
          rule: 'sustained growth',
          baseSize: num(base),
          peakSize: num(peak),
          growth: num(peak / base),
          segments: e - j + 1,
          ratioThreshold: th.explodingRatio,
          minFraction: th.explodingMinFraction,
        },
        advice: advice(),
      });
    }
    j = e + 1;
  }

  // A size no GAN loss trains at (a critic at −4·10¹⁰), reached from a sane start: diverged, even
  // when it happened within the warm-up and the history above is already the blown-up size.
  if (!out.length) out.push(...absurdSize(view, size, th, minLength));

  // Repeated spikes: blocks whose largest value is orders of magnitude above the typical size
  // (not reported again when the loss already blew up for good).
  if (out.length) return out;
  let k = 0;
  for (let i = warmup; i < M; i++) if (size[i] === size[i]) scratch[k++] = size[i]!;
  const typical = medianOf(scratch, k);
  // A loss resting near 0 (a winning D at 1e-8) makes any ordinary value look like a 10^8× jump. A
  // spike must also be an order of magnitude above the sizes the loss started at (its warm-up, where
  // it sits at its usual scale) and, for BCE, reach a size no ordinary step gives (a BCE of 2.4 is not
  // an explosion).
  let w = 0;
  for (let i = 0; i < warmup; i++) if (size[i] === size[i]) scratch[w++] = size[i]!;
  const startScale = w ? medianOf(scratch, w) : 0;
  if (typical > 0) {
    const limit = Math.max(th.spikeRatio * typical, th.explodingRatio * startScale, limits.minSize);
    let count = 0;
    let inSpike = false;
    let firstBlock = -1;
    let lastBlock = -1;
    let largest = 0;
    for (let b = warmup * P; b < blocks.grid.blocks; b++) {
      const big = blocks.count[b]! > 0 && Math.max(Math.abs(blocks.max[b]!), Math.abs(blocks.min[b]!)) >= limit;
      if (big && !inSpike) count++;
      if (big) {
        if (firstBlock < 0) firstBlock = b;
        lastBlock = b;
        largest = Math.max(largest, Math.abs(blocks.max[b]!), Math.abs(blocks.min[b]!));
      }
      inSpike = big;
    }
    if (count >= th.spikeMinCount) {
      const { steps, values } = blocks.series;
      // The exact first and last spike values, found inside their blocks.
      let a = blocks.start[firstBlock]!;
      while (!(Math.abs(values[a]!) >= limit)) a++;
      let z = blocks.start[lastBlock + 1]! - 1;
      while (!(Math.abs(values[z]!) >= limit)) z--;
      const startStep = steps[a]!;
      const endStep = steps[z]!;
      out.push({
        kind: 'exploding',
        severity: 'warning',
        start: startStep,
        end: endStep,
        series: [role],
        message: t(
          '{0} jumped {1} times by orders of magnitude between steps {2} and {3}: up to {4} against a typical {5}.',
          lossLabel(role),
          String(count),
          formatStep(startStep),
          formatStep(endStep),
          formatValue(largest),
          formatValue(typical),
        ),
        evidence: {
          rule: 'repeated spikes',
          spikes: count,
          largest: num(largest),
          typicalSize: num(typical),
          spikeRatio: th.spikeRatio,
          spikeMinCount: th.spikeMinCount,
        },
        advice: advice(),
      });
    }
  }
  return out;
}

/** The first span whose typical size is at least `explodingAbsurdSize`, after a first record 10× smaller. */
function absurdSize(view: LossView, size: Float64Array, th: Thresholds, minLength: number): Finding[] {
  const { blocks, role } = view;
  const M = size.length;
  const start = blocks.series.values.find((v) => Number.isFinite(v));
  if (start === undefined) return [];
  const flags = Array.from(size, (x) => x >= th.explodingAbsurdSize);
  const span = spans(flags, minLength, th.gapSegments)[0];
  if (!span) return [];
  const [j, e] = span;
  let peak = 0;
  for (let i = j; i <= e; i++) peak = Math.max(peak, size[i]!);
  if (!(peak >= th.explodingRatio * Math.abs(start))) return [];
  // From the first record that size inside the span's first segment.
  const { steps, values } = blocks.series;
  let first = Math.max(0, segmentFirstIndex(blocks, j));
  while (first < values.length - 1 && !(Math.abs(values[first]!) >= th.explodingAbsurdSize)) first++;
  const startStep = Math.max(steps[first]!, segmentStartStep(blocks, j));
  const endStep = segmentEndStep(blocks, e);
  return [
    {
      kind: 'exploding',
      severity: 'warning',
      start: startStep,
      end: endStep,
      series: [role],
      message:
        e === M - 1
          ? t(
              '{0} diverged from step {1}: from {2} at the start to a typical size of {3}, far beyond any loss a GAN trains at, and it never came back.',
              lossLabel(role),
              formatStep(startStep),
              formatValue(start),
              formatValue(peak),
            )
          : t(
              '{0} diverged from step {1} to step {2}: from {3} at the start to a typical size of {4}, far beyond any loss a GAN trains at.',
              lossLabel(role),
              formatStep(startStep),
              formatStep(endStep),
              formatValue(start),
              formatValue(peak),
            ),
      evidence: { rule: 'absurd size', startValue: num(start), peakSize: num(peak), absurdSize: th.explodingAbsurdSize, segments: e - j + 1 },
      advice: advice(),
    },
  ];
}

function advice(): string {
  return t('Exploding gradients: add gradient clipping and weight regularisation, lower the learning rate, and use LeakyReLU and BatchNorm layers.');
}
