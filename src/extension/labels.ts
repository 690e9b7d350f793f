// Numbers and step ranges as the tree, the hover and the Problems messages write them (compact, with
// words for non-finite values). The CLI's text report has its own (plain ASCII) spelling.
import { t } from '../core/l10n';
import { formatStep } from '../core/analysis/format';

/** Compact number for labels: 4 significant digits, exponent for very large/small, words for non-finite. */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined) return '–';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/** "step 120" or "steps 120–450". */
export function stepRange(start: number, end: number): string {
  return start === end ? t('step {0}', formatStep(start)) : t('steps {0}–{1}', formatStep(start), formatStep(end));
}
