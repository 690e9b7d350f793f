// One pass over each loss series builds per-block aggregates on a step grid shared by D and G;
// every detector then works on those ~2,000 blocks (and ~200 segments of blocks), never on the raw
// values again. That keeps a 10,000,000-step run to one tight loop per series and lines D and G up
// by step even when they were logged at different rates.
import { lowerBound } from '../stepSearch';
import type { Series, SeriesStats } from '../model';

/** Most blocks per run; 10 blocks make one segment, 200 segments at most. */
const MAX_SEGMENTS = 200;
const MAX_BLOCKS_PER_SEGMENT = 10;
/** At least this many values per segment, so a 100-epoch run gets 20 segments of 5, not 100 of 1. */
const MIN_VALUES_PER_SEGMENT = 5;

/** The shared step grid: `blocks` equal step intervals over [lo, hi], grouped `perSegment` to a segment. */
export interface Grid {
  lo: number;
  hi: number;
  blocks: number;
  segments: number;
  perSegment: number;
}

/** Per-block aggregates of one series on a grid. Block b holds values [start[b], start[b+1]). */
export interface Blocks {
  series: Series;
  /** The series' own statistics, which this pass gives for free (analyzeRun keeps them on the series). */
  stats: SeriesStats;
  grid: Grid;
  n: number;
  start: Int32Array;
  /** Finite values per block. */
  count: Int32Array;
  nonFiniteIn: Int32Array;
  mean: Float64Array;
  variance: Float64Array;
  min: Float64Array;
  max: Float64Array;
  nonFinite: number;
  firstNonFinite: number;
  lastNonFinite: number;
  finiteMin: number;
  finiteMax: number;
}

/** Robust per-segment view: the level is the median of block means, so one spike cannot move it. */
export interface Segments {
  level: Float64Array;
  /** Robust standard deviation of single values around the level (0 for a constant stretch). */
  noise: Float64Array;
  count: Int32Array;
  nonFinite: Int32Array;
}

/** A grid spanning every given series' steps, fine enough for the longest one. */
export function makeGrid(series: Series[]): Grid {
  let lo = Infinity;
  let hi = -Infinity;
  let maxN = 0;
  for (const s of series) {
    const n = s.steps.length;
    if (!n) continue;
    lo = Math.min(lo, s.steps[0]!);
    hi = Math.max(hi, s.steps[n - 1]!);
    maxN = Math.max(maxN, n);
  }
  if (!(hi > lo)) return { lo: Number.isFinite(lo) ? lo : 0, hi: Number.isFinite(lo) ? lo : 0, blocks: 1, segments: 1, perSegment: 1 };
  const segments = Math.max(1, Math.min(MAX_SEGMENTS, Math.floor(maxN / MIN_VALUES_PER_SEGMENT)));
  const perSegment = Math.max(1, Math.min(MAX_BLOCKS_PER_SEGMENT, Math.floor(maxN / segments)));
  return { lo, hi, blocks: segments * perSegment, segments, perSegment };
}

/** The one pass over a series' values. */
export function computeBlocks(series: Series, grid: Grid): Blocks {
  const { values, steps } = series;
  const n = values.length;
  const B = grid.blocks;
  const start = new Int32Array(B + 1);
  const width = (grid.hi - grid.lo) / B;
  for (let b = 1; b < B; b++) start[b] = lowerBound(steps, grid.lo + width * b);
  start[B] = n;
  const count = new Int32Array(B);
  const nonFiniteIn = new Int32Array(B);
  const mean = new Float64Array(B);
  const variance = new Float64Array(B);
  const min = new Float64Array(B);
  const max = new Float64Array(B);
  // Sums are taken around the first finite value so variance keeps its precision on offset losses (e.g. ~100).
  let shift = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v - v === 0) {
      shift = v;
      break;
    }
  }
  let nonFinite = 0;
  let firstNonFinite = -1;
  let lastNonFinite = -1;
  let finiteMin = Infinity;
  let finiteMax = -Infinity;
  for (let b = 0; b < B; b++) {
    const a = start[b]!;
    const e = start[b + 1]!;
    // Fast path: no finiteness test per value, two accumulators (unrolled by 2). A NaN or ±Inf
    // anywhere in the block poisons the sums, and only then is the block rescanned value by value.
    let s1 = 0;
    let s2 = 0;
    let t1 = 0;
    let t2 = 0;
    let mn = Infinity;
    let mx = -Infinity;
    let i = a;
    for (; i + 1 < e; i += 2) {
      const x = values[i]!;
      const y = values[i + 1]!;
      const dx = x - shift;
      const dy = y - shift;
      s1 += dx;
      s2 += dx * dx;
      t1 += dy;
      t2 += dy * dy;
      if (x < mn) mn = x;
      if (x > mx) mx = x;
      if (y < mn) mn = y;
      if (y > mx) mx = y;
    }
    if (i < e) {
      const x = values[i]!;
      const dx = x - shift;
      s1 += dx;
      s2 += dx * dx;
      if (x < mn) mn = x;
      if (x > mx) mx = x;
    }
    s1 += t1;
    s2 += t2;
    let bad = 0;
    if (s1 - s1 !== 0 || s2 - s2 !== 0) {
      s1 = 0;
      s2 = 0;
      mn = Infinity;
      mx = -Infinity;
      for (let k = a; k < e; k++) {
        const v = values[k]!;
        // v - v is 0 only for finite numbers.
        if (v - v === 0) {
          const d = v - shift;
          s1 += d;
          s2 += d * d;
          if (v < mn) mn = v;
          if (v > mx) mx = v;
        } else {
          if (firstNonFinite < 0) firstNonFinite = k;
          lastNonFinite = k;
          bad++;
        }
      }
    }
    const c = e - a - bad;
    count[b] = c;
    nonFiniteIn[b] = bad;
    nonFinite += bad;
    if (c > 0) {
      const m = s1 / c;
      mean[b] = m + shift;
      variance[b] = mn === mx ? 0 : Math.max(0, s2 / c - m * m);
      min[b] = mn;
      max[b] = mx;
      if (mn < finiteMin) finiteMin = mn;
      if (mx > finiteMax) finiteMax = mx;
    } else {
      mean[b] = NaN;
      variance[b] = NaN;
      min[b] = NaN;
      max[b] = NaN;
    }
  }
  // Every value fell in some block: the series' own statistics come out of this pass for free.
  let sum = 0;
  let finite = 0;
  for (let b = 0; b < B; b++) {
    if (count[b]! > 0) {
      sum += mean[b]! * count[b]!;
      finite += count[b]!;
    }
  }
  const raw = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : null);
  const stats: SeriesStats = {
    min: finite ? finiteMin : null,
    max: finite ? finiteMax : null,
    mean: finite ? sum / finite : null,
    first: raw(n ? values[0] : undefined),
    last: raw(n ? values[n - 1] : undefined),
    nonFinite,
  };
  return { series, stats, grid, n, start, count, nonFiniteIn, mean, variance, min, max, nonFinite, firstNonFinite, lastNonFinite, finiteMin, finiteMax };
}

/** Median of a small scratch array's first `len` entries (sorts them in place). */
export function medianOf(a: Float64Array, len: number): number {
  if (len === 0) return NaN;
  const view = a.subarray(0, len).sort();
  const h = len >> 1;
  return len % 2 ? view[h]! : (view[h - 1]! + view[h]!) / 2;
}

/** Segment levels and noise of a series' blocks. */
export function computeSegments(blocks: Blocks): Segments {
  const { segments: M, perSegment: P } = blocks.grid;
  const level = new Float64Array(M);
  const noise = new Float64Array(M);
  const count = new Int32Array(M);
  const nonFinite = new Int32Array(M);
  const scratch = new Float64Array(P);
  for (let j = 0; j < M; j++) {
    let k = 0;
    let c = 0;
    let bad = 0;
    for (let b = j * P; b < (j + 1) * P; b++) {
      bad += blocks.nonFiniteIn[b]!;
      if (blocks.count[b]! > 0) {
        scratch[k++] = blocks.mean[b]!;
        c += blocks.count[b]!;
      }
    }
    count[j] = c;
    nonFinite[j] = bad;
    const L = medianOf(scratch, k);
    level[j] = L;
    if (k === 0) {
      noise[j] = NaN;
      continue;
    }
    // Each block's mean squared distance of its values from the level; the median ignores a spiky block.
    k = 0;
    for (let b = j * P; b < (j + 1) * P; b++) {
      if (blocks.count[b]! > 0) {
        const d = blocks.mean[b]! - L;
        scratch[k++] = blocks.variance[b]! + d * d;
      }
    }
    let ms = medianOf(scratch, k);
    // With one value per block that median is the median of a χ²₁ draw: 0.455 σ², not σ².
    if (c / k < 4) ms /= 0.455;
    noise[j] = Math.sqrt(ms);
  }
  return { level, noise, count, nonFinite };
}

/** Index of the first value in segment j (or -1 when it holds none). */
export function segmentFirstIndex(blocks: Blocks, j: number): number {
  const P = blocks.grid.perSegment;
  const a = blocks.start[j * P]!;
  return a < blocks.start[(j + 1) * P]! ? a : -1;
}

/** Index of the last value in segment j (or -1 when it holds none). */
export function segmentLastIndex(blocks: Blocks, j: number): number {
  const P = blocks.grid.perSegment;
  const e = blocks.start[(j + 1) * P]!;
  return e > blocks.start[j * P]! ? e - 1 : -1;
}

/** The step where segment j starts: its first value's step, or the grid edge when it is empty. */
export function segmentStartStep(blocks: Blocks, j: number): number {
  const i = segmentFirstIndex(blocks, j);
  if (i >= 0) return blocks.series.steps[i]!;
  const g = blocks.grid;
  return g.lo + ((g.hi - g.lo) * j) / g.segments;
}

/** The step where segment j ends: its last value's step, or the grid edge when it is empty. */
export function segmentEndStep(blocks: Blocks, j: number): number {
  const i = segmentLastIndex(blocks, j);
  if (i >= 0) return blocks.series.steps[i]!;
  const g = blocks.grid;
  return g.lo + ((g.hi - g.lo) * (j + 1)) / g.segments;
}

/** Maximal runs of true flags, bridging gaps up to `gap` long, kept when at least `minLength` long. */
export function spans(flags: ArrayLike<boolean>, minLength: number, gap: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let s = -1;
  let lastTrue = -1;
  for (let j = 0; j <= flags.length; j++) {
    const f = j < flags.length && flags[j];
    if (f) {
      if (s < 0) s = j;
      else if (j - lastTrue - 1 > gap) {
        if (lastTrue - s + 1 >= minLength) out.push([s, lastTrue]);
        s = j;
      }
      lastTrue = j;
    }
  }
  if (s >= 0 && lastTrue - s + 1 >= minLength) out.push([s, lastTrue]);
  return out;
}

/** Least-squares slope of y over index, ignoring NaN entries, in y units per index. */
export function slope(y: Float64Array, a: number, e: number): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let j = a; j <= e; j++) {
    const v = y[j]!;
    if (v !== v) continue;
    n++;
    sx += j;
    sy += v;
    sxx += j * j;
    sxy += j * v;
  }
  const den = n * sxx - sx * sx;
  return n > 1 && den !== 0 ? (n * sxy - sx * sy) / den : 0;
}

/** Median of y over [a, e], ignoring NaN. */
export function medianRange(y: Float64Array, a: number, e: number): number {
  const tmp = new Float64Array(e - a + 1);
  let k = 0;
  for (let j = a; j <= e; j++) if (y[j] === y[j]) tmp[k++] = y[j]!;
  return medianOf(tmp, k);
}
