// Numbers in finding messages: steps with thousands separators, losses with 3 significant digits.
// Fixed formatting (not the host locale) so messages and tests read the same everywhere.

/** 1600 → "1,600"; a fractional step (an epoch fraction) keeps up to 2 decimals. */
export function formatStep(step: number): string {
  if (!Number.isFinite(step)) return String(step);
  const rounded = Math.round(step * 100) / 100;
  const negative = rounded < 0;
  const [int = '', frac] = Math.abs(rounded).toString().split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (negative ? '-' : '') + grouped + (frac ? '.' + frac : '');
}

/** A loss value with 3 significant digits: 0.0213 → "0.0213", 8.4213 → "8.42", 12345 → "1.23e+4". */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-4) return v.toExponential(2);
  return String(Number(v.toPrecision(3)));
}

/** 0.4567 → "46%", 0.0004 → "0.04%". */
export function formatPercent(fraction: number): string {
  const p = fraction * 100;
  if (p !== 0 && Math.abs(p) < 1) return `${Number(p.toPrecision(1))}%`;
  return `${Math.round(p)}%`;
}

/** A number for `evidence`: finite values rounded to 6 significant digits, anything else null. */
export function num(v: number): number | null {
  return Number.isFinite(v) ? Number(v.toPrecision(6)) : null;
}
