import type { SeriesStats } from './model';

/** One pass over the values: finite min/max/mean, raw first/last (null when not finite), non-finite count. */
export function seriesStats(values: ArrayLike<number>): SeriesStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let finite = 0;
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v - v === 0) {
      // v - v is 0 only for finite numbers: NaN and ±Inf give NaN.
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      finite++;
    }
  }
  const rawOrNull = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : null);
  return {
    min: finite ? min : null,
    max: finite ? max : null,
    mean: finite ? sum / finite : null,
    first: rawOrNull(n ? values[0] : undefined),
    last: rawOrNull(n ? values[n - 1] : undefined),
    nonFinite: n - finite,
  };
}
