// A loss frozen at one exact value (BCE clamped at 100, or 50 when averaged; or exactly 0) has lost
// its gradients even though nothing is NaN. Found from blocks whose min equals max, then the ends
// are refined value by value.
import type { Finding } from '../model';
import { t } from '../l10n';
import type { Thresholds } from './thresholds';
import { formatPercent, formatStep, formatValue, num } from './format';
import { lossLabel, type LossView } from './view';

/** Where a loss of this formulation sticks when it saturates: a framework's clamp (BCE's 100 per term) or D's floor (0). */
export interface StuckValues {
  clamps: number[];
  floor: number | null;
  /** Whether D on its floor is saturation (false for hinge: D winning, the imbalance finding's to tell). */
  floorSaturates?: boolean;
}

export function detectSaturated(view: LossView, th: Thresholds, stuck: StuckValues = { clamps: [100, 50], floor: null }): Finding[] {
  const { blocks, role } = view;
  const { values, steps } = blocks.series;
  const B = blocks.grid.blocks;
  const runSpan = blocks.grid.hi - blocks.grid.lo;
  const out: Finding[] = [];
  let b = 0;
  while (b < B) {
    if (!(blocks.count[b]! > 0 && blocks.nonFiniteIn[b] === 0 && blocks.min[b] === blocks.max[b])) {
      b++;
      continue;
    }
    const value = blocks.min[b]!;
    let e = b;
    // Extend over blocks holding only that value; empty blocks (no values logged there) do not break it.
    for (let k = b + 1; k < B; k++) {
      if (blocks.count[k] === 0 && blocks.nonFiniteIn[k] === 0) continue;
      if (blocks.nonFiniteIn[k] === 0 && blocks.min[k] === value && blocks.max[k] === value) e = k;
      else break;
    }
    let first = blocks.start[b]!;
    let last = blocks.start[e + 1]! - 1;
    while (first > 0 && values[first - 1] === value) first--;
    while (last + 1 < values.length && values[last + 1] === value) last++;
    const length = last - first + 1;
    const span = runSpan > 0 ? (steps[last]! - steps[first]!) / runSpan : 1;
    const dWinning = stuck.floorSaturates === false && value === stuck.floor && role === 'discriminator';
    if (length >= th.saturatedMinValues && span >= th.saturatedMinFraction && !dWinning) {
      const toEnd = last === values.length - 1;
      const message = toEnd
        ? t(
            '{0} is stuck at exactly {1} from step {2} to the end ({3} of the run): its gradients are gone.',
            lossLabel(role),
            formatValue(value),
            formatStep(steps[first]!),
            formatPercent(span),
          )
        : t(
            '{0} is stuck at exactly {1} from step {2} to step {3} ({4} of the run): its gradients are gone.',
            lossLabel(role),
            formatValue(value),
            formatStep(steps[first]!),
            formatStep(steps[last]!),
            formatPercent(span),
          );
      // 100 per term is where frameworks clamp log(0) in BCE: a saturated sigmoid, not a real loss value.
      const clamped = stuck.clamps.includes(value);
      const atFloor = stuck.floor !== null && value === stuck.floor && role === 'discriminator';
      out.push({
        kind: 'saturated',
        severity: 'error',
        start: steps[first]!,
        end: steps[last]!,
        series: [role],
        message,
        evidence: {
          value: num(value),
          startStep: num(steps[first]!),
          endStep: num(steps[last]!),
          values: length,
          fraction: num(span),
          bceClamp: clamped,
          atFloor,
          minFraction: th.saturatedMinFraction,
          minValues: th.saturatedMinValues,
        },
        advice: clamped
          ? t(
              'The BCE loss hit its log(0) clamp: the discriminator saturated. Lower the learning rates, use LeakyReLU and BatchNorm against vanishing gradients, or switch to a WGAN loss.',
            )
          : atFloor
            ? t(
                'The D loss sits on its floor: D is right about every image and the generator gets no gradient from it. Lower the D learning rate or raise the G rate, or try a WGAN loss.',
              )
            : t('The gradients vanished: use LeakyReLU and BatchNorm layers and tune the learning rates.'),
      });
    }
    // Continue after the refined end, past any blocks it covered.
    b = Math.max(e + 1, b + 1);
    while (b < B && blocks.start[b]! <= last) b++;
  }
  return out;
}
