import type { Series, SeriesStats } from './model';

/** One pass over the values: finite min/max/mean, raw first/last (null when not finite), non-finite count. */
export function seriesStats(values: ArrayLike<number>): SeriesStats {
  return computeStats(values);
}

/**
 * A series' statistics, worked out once and kept on the series itself (not in a module-level memo):
 * loss type inference, the analysis, the JSON report, the tree and the inspector all ask for them,
 * and they cross to the extension host with the series when a worker read the run.
 */
export function statsOf(series: Pick<Series, 'values' | 'stats'>): SeriesStats {
  return (series.stats ??= computeStats(series.values));
}

interface Totals {
  min: number;
  max: number;
  sum: number;
  finite: number;
}

/**
 * One chunk of the pass. The pass is split into chunks so V8 optimises this small function after
 * a few calls: one long loop in a function that runs once stays in slow code (3× slower on 10M values).
 */
function addChunk(values: ArrayLike<number>, from: number, to: number, acc: Totals): void {
  let { min, max, sum, finite } = acc;
  for (let i = from; i < to; i++) {
    const v = values[i]!;
    if (v - v === 0) {
      // v - v is 0 only for finite numbers: NaN and ±Inf give NaN.
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      finite++;
    }
  }
  acc.min = min;
  acc.max = max;
  acc.sum = sum;
  acc.finite = finite;
}

const CHUNK = 1 << 16;

function computeStats(values: ArrayLike<number>): SeriesStats {
  const n = values.length;
  const acc: Totals = { min: Infinity, max: -Infinity, sum: 0, finite: 0 };
  for (let i = 0; i < n; i += CHUNK) addChunk(values, i, Math.min(n, i + CHUNK), acc);
  const { min, max, sum, finite } = acc;
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
