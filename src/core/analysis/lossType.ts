// BCE-specific rules (ln 2 references, chance level, "D near 0") only make sense for BCE losses.
import type { LossType } from '../model';

/**
 * The loss type the detectors use: a declared type wins, except that negative values rule out BCE
 * (a cross-entropy cannot be negative). An undeclared ('unknown') run counts as BCE when every
 * D and G value is ≥ 0, the usual case for the tutorial's GANs; otherwise it stays 'unknown'.
 */
export function effectiveLossType(declared: LossType, minimums: number[]): LossType {
  const negative = minimums.some((m) => m < 0);
  if (declared === 'bce') return negative ? 'unknown' : 'bce';
  if (declared !== 'unknown') return declared;
  return negative || minimums.length === 0 ? 'unknown' : 'bce';
}
