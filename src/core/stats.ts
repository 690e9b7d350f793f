import type { SeriesStats } from './model';

// Loss type inference, the JSON report and the tree all ask for the same numbers: one pass per
// array, remembered for as long as the array lives.
const memo = new WeakMap<object, SeriesStats>();

/** One pass over the values: finite min/max/mean, raw first/last (null when not finite), non-finite count. */
export function seriesStats(values: ArrayLike<number>): SeriesStats {
  const known = memo.get(values);
  if (known) return known;
  const stats = computeStats(values);
  memo.set(values, stats);
  return stats;
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

/** Statistics another pass already worked out (the analysis's block pass), so nobody counts again. */
export function rememberStats(values: ArrayLike<number>, stats: SeriesStats): void {
  if (!memo.has(values)) memo.set(values, stats);
}

/** The statistics already known for an array (remembered or computed), without computing them. */
export function knownStats(values: ArrayLike<number>): SeriesStats | undefined {
  return memo.get(values);
}

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
