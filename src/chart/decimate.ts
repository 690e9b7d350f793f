// Any-length series → a few thousand points that draw the same pixels (M4: first, min, max, last
// per pixel bucket), so a 10,000,000-step run shows its spikes instead of a reservoir sample.
// NaN/±Inf are kept as explicit gaps: a break point (value NaN) in the line plus a [start, end] range.
import type { SeriesView } from '../protocol';
import type { BlockIndex } from './blockIndex';
import { EmaStream } from './smoothing';
import { lowerBound, upperBound } from '../core/stepSearch';

export interface Decimated {
  /** Points to draw, in step order; a NaN value marks a break where non-finite values were. */
  steps: Float64Array;
  values: Float64Array;
  /** The companion series (e.g. EMA-smoothed) at the same points, when one was given. */
  smoothed: Float64Array | undefined;
  /** Non-finite stretches inside the range, flattened [startStep, endStep] pairs. */
  gaps: Float64Array;
  /** Source points with start ≤ step ≤ end. */
  total: number;
  /** True when every finite source point of the range is in the output. */
  exact: boolean;
}

/** Output buffer; one per call, methods called once per bucket (not per point) to keep the hot loop tight. */
class Out {
  readonly steps: Float64Array;
  readonly values: Float64Array;
  readonly smoothed: Float64Array | undefined;
  n = 0;
  emittedInRange = 0;
  private readonly picked = [0, 0, 0, 0, 0, 0];
  constructor(
    capacity: number,
    private readonly src: { steps: Float64Array; values: Float64Array; inLo: number; inHi: number },
    /** The companion's values: smoothedAt[i − smoothedFrom] is point i's (a stream's stretch moves on). */
    private smoothedAt: Float64Array | undefined,
    private smoothedFrom = 0,
  ) {
    this.steps = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
    this.smoothed = smoothedAt ? new Float64Array(capacity) : undefined;
  }
  companion(at: Float64Array, from: number): void {
    this.smoothedAt = at;
    this.smoothedFrom = from;
  }
  brk(step: number): void {
    this.steps[this.n] = step;
    this.values[this.n] = Number.NaN;
    if (this.smoothed) this.smoothed[this.n] = Number.NaN;
    this.n++;
  }
  /** Emits the distinct indices in step order (at most six, so an insertion sort). */
  flush(first: number, minV: number, maxV: number, minS: number, maxS: number, last: number): void {
    if (first < 0) return;
    const picked = this.picked;
    let k = 0;
    const add = (i: number) => {
      if (i < 0) return;
      for (let j = 0; j < k; j++) if (picked[j] === i) return;
      let b = k - 1;
      while (b >= 0 && picked[b]! > i) {
        picked[b + 1] = picked[b]!;
        b--;
      }
      picked[b + 1] = i;
      k++;
    };
    add(first);
    add(minV);
    add(maxV);
    add(minS);
    add(maxS);
    add(last);
    const { steps, values, inLo, inHi } = this.src;
    const at = this.smoothedAt;
    const from = this.smoothedFrom;
    for (let j = 0; j < k; j++) {
      const i = picked[j]!;
      this.steps[this.n] = steps[i]!;
      this.values[this.n] = values[i]!;
      if (this.smoothed) this.smoothed[this.n] = at![i - from]!;
      this.n++;
      if (i >= inLo && i < inHi) this.emittedInRange++;
    }
  }
}

/**
 * Decimates `values` (and optionally `smoothed`, same length) over start ≤ step ≤ end into
 * `buckets` equal-width step buckets. One pass, O(points in range + buckets·log n). The points
 * just outside the range are included so a zoomed line reaches the chart edges.
 * Within one bucket, a gap that starts where the previous gap ended merges with it; the finite
 * points between still count toward the bucket's envelope. Output is bounded by ~13 points per bucket.
 */
export function decimate(
  steps: Float64Array,
  values: Float64Array,
  start: number,
  end: number,
  buckets: number,
  /** Same length as `values`; or an EmaStream of them, read front to back, for a range from the first step. */
  companion?: Float64Array | EmaStream,
  /** Extremes per block of `values` and `smoothed` (built from exactly these arrays), to skip whole blocks. */
  index?: BlockIndex,
): Decimated {
  buckets = Math.max(1, Math.floor(buckets));
  const stream = companion instanceof EmaStream ? companion : undefined;
  // With a stream, `smoothed` is the current bucket's stretch and `off` the index of its first point.
  let smoothed: Float64Array | undefined = companion instanceof EmaStream ? undefined : companion;
  let off = 0;
  if (stream) index = undefined;
  const shift = index?.shift ?? 0;
  const size = 1 << shift;
  const mask = size - 1;
  const inLo = lowerBound(steps, start);
  const inHi = upperBound(steps, end);
  const lo = Math.max(0, inLo - 1);
  const hi = Math.min(steps.length, inHi + 1);
  const width = (end - start) / buckets;
  if (stream && lo !== 0) throw new Error('decimate: a smoothing stream needs a range from the first step');
  const out = new Out(13 * (buckets + 2) + 4, { steps, values, inLo, inHi }, stream ? new Float64Array(0) : smoothed);
  const gaps: number[] = [];
  let finiteInRange = 0;
  let inGap = false;

  let i = lo;
  let bucket = -1;
  while (i < hi) {
    // [i, j) is one bucket: the neighbour before the range, a step bucket, or the neighbour after.
    let j: number;
    if (i < inLo) j = i + 1;
    else if (i >= inHi) j = hi;
    else {
      while (bucket + 1 < buckets && steps[i]! >= start + (bucket + 1) * width) bucket++;
      j = bucket + 1 >= buckets || width <= 0 ? inHi : Math.min(inHi, Math.max(i + 1, lowerBound(steps, start + (bucket + 1) * width)));
    }
    if (stream) {
      smoothed = stream.next(i, j);
      off = i;
      out.companion(smoothed, off);
    }
    let first = -1;
    let last = -1;
    let minV = -1;
    let maxV = -1;
    let minS = -1;
    let maxS = -1;
    let lo2 = Infinity;
    let hi2 = -Infinity;
    let loS = Infinity;
    let hiS = -Infinity;
    let gapInBucket = false;
    let finite = 0;
    let k = i;
    while (k < j) {
      if (index !== undefined && (k & mask) === 0 && k + size <= j) {
        // A whole block of finite points (the coarse one when it fits): its summary stands for its
        // points, with the same picks in the same order.
        const c = index.coarser;
        const level =
          c !== undefined && (k & ((1 << c.shift) - 1)) === 0 && k + (1 << c.shift) <= j && c.clean[k >>> c.shift] === 1
            ? c
            : index.clean[k >>> shift] === 1
              ? index
              : undefined;
        if (level !== undefined) {
          const b = k >>> level.shift;
          const len = 1 << level.shift;
          inGap = false;
          finite += len;
          if (first < 0) first = k;
          last = k + len - 1;
          const a = level.minV[b]!;
          if (values[a]! < lo2) {
            lo2 = values[a]!;
            minV = a;
          }
          const x = level.maxV[b]!;
          if (values[x]! > hi2) {
            hi2 = values[x]!;
            maxV = x;
          }
          if (smoothed) {
            const e = level.minS[b]!;
            if (e >= 0 && smoothed[e]! < loS) {
              loS = smoothed[e]!;
              minS = e;
            }
            const f = level.maxS[b]!;
            if (f >= 0 && smoothed[f]! > hiS) {
              hiS = smoothed[f]!;
              maxS = f;
            }
          }
          k += len;
          continue;
        }
      }
      // Point by point up to the next block boundary (or the bucket's end).
      const stop = index === undefined ? j : Math.min(j, (k | mask) + 1);
      for (; k < stop; k++) {
        const v = values[k]!;
        if (v - v !== 0) {
          // NaN or ±Inf.
          if (!inGap) {
            if (!gapInBucket) {
              out.flush(first, minV, maxV, minS, maxS, last);
              first = last = minV = maxV = minS = maxS = -1;
              lo2 = loS = Infinity;
              hi2 = hiS = -Infinity;
              out.brk(steps[k]!);
              gaps.push(steps[k]!, steps[k]!);
            }
            inGap = true;
            gapInBucket = true;
          }
          gaps[gaps.length - 1] = steps[k]!;
          continue;
        }
        inGap = false;
        finite++;
        if (first < 0) first = k;
        last = k;
        if (v < lo2) {
          lo2 = v;
          minV = k;
        }
        if (v > hi2) {
          hi2 = v;
          maxV = k;
        }
        if (smoothed) {
          const w = smoothed[k - off]!;
          if (w < loS) {
            loS = w;
            minS = k;
          }
          if (w > hiS) {
            hiS = w;
            maxS = k;
          }
        }
      }
    }
    if (i >= inLo && i < inHi) finiteInRange += finite;
    out.flush(first, minV, maxV, minS, maxS, last);
    i = j;
  }

  // Gaps seen only in the neighbour points are outside [start, end].
  const inRangeGaps: number[] = [];
  for (let g = 0; g < gaps.length; g += 2) {
    if (gaps[g + 1]! >= start && gaps[g]! <= end) inRangeGaps.push(gaps[g]!, gaps[g + 1]!);
  }
  return {
    steps: out.steps.slice(0, out.n),
    values: out.values.slice(0, out.n),
    smoothed: out.smoothed?.slice(0, out.n),
    gaps: Float64Array.from(inRangeGaps),
    total: inHi - inLo,
    exact: out.emittedInRange === finiteInRange,
  };
}

/** A full-resolution series the host keeps, keyed by the id the webview knows it by. */
export interface ViewSeries {
  id: string;
  steps: Float64Array;
  values: Float64Array;
}

/** One decimated series ready to post: the protocol's view of a series (Float64 payloads as ArrayBuffers). */
export type ViewPayload = SeriesView;

/** Bytes a view occupies on the wire (three Float64 arrays plus gaps). */
export function viewBytes(views: ViewPayload[]): number {
  return views.reduce((sum, v) => sum + v.steps.byteLength + v.values.byteLength + v.smoothed.byteLength + v.gaps.byteLength, 0);
}
