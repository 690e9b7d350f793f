// The smoothing shown to users: TensorBoard's debiased EMA (tensorboard/components/vz_line_chart2
// `resmoothDataset`, later `classicSmoothing`), reproduced exactly so numbers agree with what people
// already read in TensorBoard. Detection does not use it (see docs/findings.md: it uses block means).

/** The weight the smoothing slider starts at, as in TensorBoard; the `ganInspector.smoothing` default. */
export const DEFAULT_SMOOTHING = 0.6;

/** Where the recurrence stands after some values: enough to carry on without starting over. */
export interface EmaState {
  last: number;
  /** Finite values seen so far (TensorBoard's `accumulated`). */
  accumulated: number;
  /** Values smoothed so far. */
  length: number;
  /** They were all equal, so they were returned as is: a new different value changes every output. */
  constant: boolean;
}

/** Nothing smoothed yet. */
export const startState = (): EmaState => ({ last: 0, accumulated: 0, length: 0, constant: true });

// Once w^k < 2^-54, 1 - w^k rounds to exactly 1, so Math.pow can stop without changing a bit.
const DEBIAS_DONE = 5.551115123125783e-17;
const CHUNK = 1 << 16;

/**
 * TensorBoard's scalar smoothing: `last = last * w + (1 - w) * v`, divided by `1 - w^k` where k counts
 * the finite values so far. Non-finite values pass through unsmoothed and leave the state alone;
 * a constant series is returned as is (TensorBoard #786: avoids float noise on flat lines).
 */
export function emaDebiased(values: ArrayLike<number>, weight = DEFAULT_SMOOTHING, into?: Float64Array, state?: EmaState): Float64Array {
  const n = values.length;
  // Written over completely below, so a reused array needs no clearing.
  const out = into?.length === n ? into : new Float64Array(n);
  const st = Object.assign(state ?? startState(), startState(), { length: n });
  if (isConstant(values)) {
    for (let i = 0; i < n; i++) out[i] = values[i]!;
    return out;
  }
  st.constant = false;
  run(values, out, clampWeight(weight), st, 0, n, 0);
  return out;
}

/**
 * Carries a smoothing on after `values` grew: `out` holds the smoothing of the first `state.length`
 * values (made by emaDebiased or an earlier call of this with the same weight) and gets the rest,
 * bit for bit what smoothing the whole series again gives. A series that was constant so far is
 * smoothed again whole (its outputs were the raw values). `out.length` must be `values.length`.
 */
export function emaExtend(values: ArrayLike<number>, weight: number, out: Float64Array, state: EmaState): void {
  const n = values.length;
  if (state.constant) {
    emaDebiased(values, weight, out, state);
    return;
  }
  run(values, out, clampWeight(weight), state, state.length, n, 0);
  state.length = n;
}

/**
 * The same smoothing made a stretch at a time, front to back, into a small reused array instead of
 * a whole-length one: what a view of a whole series needs before the series has been smoothed
 * (writing 80 MB of fresh memory for 10,000,000 steps is most of a smoothing's time).
 */
export class EmaStream {
  /** The smoothing of values [from, to) of the last `next` call, at [0, to − from). */
  out = new Float64Array(0);
  private readonly w: number;
  private readonly constant: boolean;
  // `constant` is this stream's own field: the state only ever carries the recurrence on.
  private readonly state: EmaState = { ...startState(), constant: false };

  constructor(
    private readonly values: ArrayLike<number>,
    weight: number,
  ) {
    this.w = clampWeight(weight);
    this.constant = isConstant(values);
  }

  /** Smooths values [from, to): `from` must be where the previous call ended (0 at first). */
  next(from: number, to: number): Float64Array {
    if (from !== this.state.length) throw new Error(`EmaStream: asked for ${from}, at ${this.state.length}`);
    if (this.out.length < to - from) this.out = new Float64Array(Math.max(to - from, 2 * this.out.length));
    if (this.constant) for (let i = from; i < to; i++) this.out[i - from] = this.values[i]!;
    else run(this.values, this.out, this.w, this.state, from, to, from);
    this.state.length = to;
    return this.out;
  }
}

/** All values equal (TensorBoard's `==`, so NaN never is): such a series is shown unsmoothed. */
function isConstant(values: ArrayLike<number>): boolean {
  const n = values.length;
  const first = n ? values[0] : 0;
  for (let i = 1; i < n; i++) if (values[i] != first) return false;
  return true;
}

// TensorBoard clamps the slider value to [0, 1] and treats a non-finite weight as 0.
const clampWeight = (weight: number) => (Number.isFinite(weight) ? Math.min(1, Math.max(0, weight)) : 0);

/** Smooths values [from, to) into out[i − offset], carrying `state` on. */
function run(values: ArrayLike<number>, out: Float64Array, w: number, state: EmaState, from: number, to: number, offset: number): void {
  // The first values need Math.pow for the debiasing; the rest (all but ~80 at the default weight)
  // go through the plain recurrence in chunks, so V8 optimises that small loop after a few calls:
  // one long loop in a function that runs once stays in slow code (2–3× slower on 10M values).
  let i = w === 1 || Math.pow(w, state.accumulated) < DEBIAS_DONE ? from : debiased(values, out, w, state, from, to, offset);
  for (; i < to; i += CHUNK) plain(values, out, w, state, i, Math.min(to, i + CHUNK), offset);
}

/** The debiased start; returns the index from which `1 - w^k` is exactly 1 (or `to`). */
function debiased(values: ArrayLike<number>, out: Float64Array, w: number, state: EmaState, from: number, to: number, offset: number): number {
  let { last, accumulated } = state;
  let i = from;
  for (; i < to; i++) {
    const v = values[i]!;
    if (v - v !== 0) {
      // NaN or ±Inf: shown as is, the state stays.
      out[i - offset] = v;
      continue;
    }
    last = last * w + (1 - w) * v;
    accumulated++;
    const wk = Math.pow(w, accumulated);
    out[i - offset] = last / (1 - wk);
    if (wk < DEBIAS_DONE) {
      i++;
      break;
    }
  }
  state.last = last;
  state.accumulated = accumulated;
  return i;
}

function plain(values: ArrayLike<number>, out: Float64Array, w: number, state: EmaState, from: number, to: number, offset: number): void {
  let last = state.last;
  let accumulated = state.accumulated;
  const u = 1 - w;
  for (let i = from; i < to; i++) {
    const v = values[i]!;
    if (v - v !== 0) {
      out[i - offset] = v;
      continue;
    }
    last = last * w + u * v;
    out[i - offset] = last;
    accumulated++;
  }
  state.last = last;
  state.accumulated = accumulated;
}

/**
 * How the inspector smooths, writing into `out` (same length as `values`) and leaving `state` where
 * it stopped: a whole series, or the new end of one that grew (`out` already holds the start).
 */
export interface Smoother {
  smooth(values: Float64Array, weight: number, out: Float64Array, state: EmaState): void;
  extend(values: Float64Array, weight: number, out: Float64Array, state: EmaState): void;
}

export const ema: Smoother = {
  smooth: (values, weight, out, state) => void emaDebiased(values, weight, out, state),
  extend: emaExtend,
};
