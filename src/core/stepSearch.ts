// Binary search over a series' increasing steps: the analysis (blocks) and the chart (decimation)
// both find a step range this way.

/** First index with steps[i] >= x (steps increasing). */
export function lowerBound(steps: Float64Array, x: number): number {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (steps[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with steps[i] > x. */
export function upperBound(steps: Float64Array, x: number): number {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (steps[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
