// The smoothing shown to users: TensorBoard's debiased EMA (tensorboard/components/vz_line_chart2
// `resmoothDataset`, later `classicSmoothing`), reproduced exactly so numbers agree with what people
// already read in TensorBoard. Detection does not use it (see docs/findings.md: it uses block means).

/**
 * TensorBoard's scalar smoothing: `last = last * w + (1 - w) * v`, divided by `1 - w^k` where k counts
 * the finite values so far. Non-finite values pass through unsmoothed and leave the state alone;
 * a constant series is returned as is (TensorBoard #786: avoids float noise on flat lines).
 */
export function emaDebiased(values: ArrayLike<number>, weight = 0.6): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  // TensorBoard clamps the slider value to [0, 1] and treats a non-finite weight as 0.
  const w = Number.isFinite(weight) ? Math.min(1, Math.max(0, weight)) : 0;
  let constant = true;
  const first = n ? values[0] : 0;
  for (let i = 1; i < n && constant; i++) if (values[i] != first) constant = false;
  if (constant) {
    for (let i = 0; i < n; i++) out[i] = values[i];
    return out;
  }
  let last = 0;
  let accumulated = 0;
  // Once w^k < 2^-54, 1 - w^k rounds to exactly 1, so Math.pow can stop without changing a bit.
  let debiasDone = w === 1;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * w + (1 - w) * v;
    accumulated++;
    if (debiasDone) {
      out[i] = last;
      continue;
    }
    const wk = Math.pow(w, accumulated);
    if (wk < 5.551115123125783e-17) debiasDone = true;
    out[i] = last / (1 - wk);
  }
  return out;
}
