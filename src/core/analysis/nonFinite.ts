// NaN/Inf in a loss is a divergence: report where it starts and how much of the run it spoils.
import type { Finding } from '../model';
import { t } from '../l10n';
import { formatPercent, formatStep, num } from './format';
import { lossLabel, type LossView } from './view';

export function detectNonFinite(view: LossView): Finding[] {
  const { blocks, role } = view;
  if (blocks.nonFinite === 0) return [];
  const { steps, values } = blocks.series;
  const first = blocks.firstNonFinite;
  const last = blocks.lastNonFinite;
  const firstValue = values[first]!;
  const kind = Number.isNaN(firstValue) ? 'NaN' : firstValue > 0 ? 'Infinity' : '-Infinity';
  const fraction = blocks.nonFinite / blocks.n;
  // Everything from the first bad value on is bad: training never came back (the usual divergence).
  const toEnd = blocks.nonFinite === blocks.n - first;
  const message = toEnd
    ? t(
        '{0} becomes {1} at step {2} and never recovers: {3} of its values are not finite.',
        lossLabel(role),
        kind,
        formatStep(steps[first]!),
        formatPercent(fraction),
      )
    : t(
        '{0} is {1} at step {2}; {3} non-finite values ({4} of the run) up to step {5}.',
        lossLabel(role),
        kind,
        formatStep(steps[first]!),
        blocks.nonFinite.toLocaleString('en-US'),
        formatPercent(fraction),
        formatStep(steps[last]!),
      );
  return [
    {
      kind: 'non-finite',
      severity: 'error',
      start: steps[first]!,
      end: steps[last]!,
      series: [role],
      message,
      evidence: {
        firstStep: num(steps[first]!),
        lastStep: num(steps[last]!),
        firstValue: kind,
        nonFiniteValues: blocks.nonFinite,
        values: blocks.n,
        fraction: num(fraction),
        untilEnd: toEnd,
      },
      advice: t(
        'Training diverged (exploding gradients): lower the learning rate, add gradient clipping and weight regularisation, and use LeakyReLU and BatchNorm layers.',
      ),
    },
  ];
}
