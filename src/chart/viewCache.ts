// What the inspector's host keeps between view requests: smoothed series (per weight, with their
// block index) and decimated views (per zoom level), so panning back or redrawing at the same width
// costs nothing, and a live run that appended steps is smoothed from where it stopped.
import { buildBlockIndex, MIN_INDEXED, type BlockIndex } from './blockIndex';
import { decimate, viewBytes, type ViewPayload, type ViewSeries } from './decimate';
import { ema, EmaStream, startState, type EmaState, type Smoother } from './smoothing';

interface SmoothedSeries {
  weight: number;
  /** The series smoothed, to tell later whether a new one only grew from it. */
  source: ViewSeries;
  /** The smoothing; the raw values themselves at weight 0. */
  values: Float64Array;
  /** Where the smoothing stopped; none at weight 0 (nothing to carry on, and not ours to reuse). */
  state: EmaState | undefined;
  index: BlockIndex | undefined;
}

const bufferOf = (a: Float64Array): ArrayBuffer =>
  a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? (a.buffer as ArrayBuffer) : (a.slice().buffer as ArrayBuffer);

/**
 * Smoothed series are full length (80 MB for 10,000,000 steps): older weights are kept within
 * `maxSmoothedBytes`, the weight asked for now always is, and a forgotten array is written over by
 * the next smoothing (fresh memory costs a page fault per 4 KiB, most of the time of a smoothing).
 */
export class ViewCache {
  private readonly smoothedBy = new Map<string, SmoothedSeries>();
  private readonly viewsBy = new Map<string, ViewPayload>();
  /** Smoothings being made a slice at a time (prewarmInSlices), by the same key as smoothedBy. */
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly smoother: Smoother = ema,
    private readonly maxViews = 64,
    private readonly maxSmoothedBytes = 256 * 1024 * 1024,
  ) {}

  /**
   * Takes over what `previous` worked out for series that are unchanged or only grew (training
   * appended steps, the earlier values untouched): a grown series is smoothed and indexed from where
   * it stopped instead of from the start. Anything else is left to be worked out again.
   */
  carryOver(previous: ViewCache, series: ViewSeries[], same: PrefixCheck = samePrefix): void {
    const byId = new Map(series.map((s) => [s.id, s]));
    for (const [key, e] of previous.smoothedBy) {
      const s = byId.get(e.source.id);
      if (!s || !grewFrom(e.source, s, same)) continue;
      this.smoothedBy.set(key, this.extended(e, s));
    }
  }

  /** Smooths and indexes ahead of the first request (while the webview is still loading). */
  prewarm(series: ViewSeries[], weight: number): void {
    for (const s of series) this.smoothedOf(s, weight);
  }

  /**
   * `prewarm` a slice of `SLICE` values at a time with `pause()` between (the extension host's thread
   * must stay free for every other extension: two 10,000,000-step series are ~20 slices of tens of
   * ms, not one block of hundreds). A view asked for meanwhile waits for it through `settled`.
   */
  async prewarmInSlices(series: ViewSeries[], weight: number, pause: () => Promise<void> = nextTurn): Promise<void> {
    for (const s of series) {
      const key = `${s.id}@${weight}`;
      if (this.smoothedBy.has(key) || this.pending.has(key)) continue;
      const job = this.smoothInSlices(s, weight, key, pause);
      this.pending.set(key, job);
      try {
        await job;
      } finally {
        this.pending.delete(key);
      }
    }
  }

  /** Resolves once no smoothing of these series at this weight is still being made in slices. */
  async settled(series: ViewSeries[], weight: number): Promise<void> {
    await Promise.all(series.map((s) => this.pending.get(`${s.id}@${weight}`)));
  }

  private async smoothInSlices(s: ViewSeries, weight: number, key: string, pause: () => Promise<void>): Promise<void> {
    const n = s.values.length;
    if (weight <= 0 || n <= SLICE) {
      this.smoothedOf(s, weight);
      return;
    }
    const values = this.makeRoom(n, weight) ?? new Float64Array(n);
    const state = startState();
    let index: BlockIndex | undefined;
    // Each slice carries the smoothing and the index on from the previous one, as for a run that grew.
    for (let end = SLICE; ; end = Math.min(n, end + SLICE)) {
      const part = s.values.subarray(0, end);
      const out = values.subarray(0, end);
      if (state.length === 0) this.smoother.smooth(part, weight, out, state);
      else this.smoother.extend(part, weight, out, state);
      index = buildBlockIndex(part, out, undefined, index);
      if (end === n) break;
      await pause();
    }
    this.smoothedBy.set(key, { weight, source: s, values, state, index });
  }

  /**
   * Views of several series for one chart width, fewer buckets if needed so the whole message
   * stays under `maxBytes` (1 MB by default: large webview messages stall the renderer).
   */
  views(series: ViewSeries[], start: number, end: number, width: number, weight: number, maxBytes = 1024 * 1024): ViewPayload[] {
    let buckets = Math.max(1, Math.min(Math.floor(width), 4096));
    for (;;) {
      const out = series.map((s) => this.view(s, start, end, buckets, weight));
      if (viewBytes(out) <= maxBytes || buckets <= 16) return out;
      buckets = Math.floor(buckets / 2);
    }
  }

  /**
   * True when views of these series from `start` need no smoothing of a whole series first: at
   * weight 0, with the smoothings made already, or for a range from the first step, where the
   * smoothing is streamed along the way (EmaStream: a run's first view is painted before its
   * 160 MB of smoothing is made). Otherwise `view` would smooth whole series first.
   */
  answersNow(series: ViewSeries[], start: number, weight: number): boolean {
    return series.every((s) => !this.needsSmoothing(s, weight) || fromFirstStep(s, start));
  }

  /** No smoothing of `s` at `weight` is made yet (at weight 0 the raw values are the smoothing). */
  private needsSmoothing(s: ViewSeries, weight: number): boolean {
    return weight > 0 && !this.smoothedBy.has(`${s.id}@${weight}`);
  }

  view(s: ViewSeries, start: number, end: number, buckets: number, weight: number): ViewPayload {
    const key = `${s.id}|${start}|${end}|${buckets}|${weight}`;
    const hit = this.viewsBy.get(key);
    if (hit) return hit;
    // A range from the first step of a series not smoothed yet: smoothed on the way, not first whole.
    const streamed = this.needsSmoothing(s, weight) && fromFirstStep(s, start);
    const smoothed = streamed ? undefined : this.smoothedOf(s, weight);
    const d = smoothed
      ? decimate(s.steps, s.values, start, end, buckets, smoothed.values, smoothed.index)
      : decimate(s.steps, s.values, start, end, buckets, new EmaStream(s.values, weight));
    const payload: ViewPayload = {
      id: s.id,
      steps: bufferOf(d.steps),
      values: bufferOf(d.values),
      smoothed: bufferOf(d.smoothed!),
      gaps: bufferOf(d.gaps),
      total: d.total,
      exact: d.exact,
    };
    remember(this.viewsBy, key, payload, this.maxViews);
    return payload;
  }

  private smoothedOf(s: ViewSeries, weight: number): SmoothedSeries {
    const key = `${s.id}@${weight}`;
    const hit = this.smoothedBy.get(key);
    if (hit) {
      this.smoothedBy.delete(key);
      this.smoothedBy.set(key, hit);
      return hit;
    }
    let values = s.values;
    let state: EmaState | undefined;
    if (weight > 0) {
      values = this.makeRoom(s.values.length, weight) ?? new Float64Array(s.values.length);
      state = startState();
      this.smoother.smooth(s.values, weight, values, state);
    }
    const entry: SmoothedSeries = { weight, source: s, values, state, index: indexOf(s.values, values) };
    this.smoothedBy.set(key, entry);
    return entry;
  }

  /** A carried-over smoothing brought up to the series' new length. */
  private extended(e: SmoothedSeries, s: ViewSeries): SmoothedSeries {
    const n = s.values.length;
    if (n === e.source.values.length) return { ...e, source: s, values: e.state ? e.values : s.values };
    if (!e.state) return { ...e, source: s, values: s.values, index: indexOf(s.values, s.values, e.index) };
    const values = grown(e.values, n);
    const state = { ...e.state };
    this.smoother.extend(s.values, e.weight, values, state);
    return { weight: e.weight, source: s, values, state, index: indexOf(s.values, values, e.index) };
  }

  /**
   * Forgets least recently used smoothings of other weights until `length` more values fit the
   * budget; returns a forgotten array of that length to write over, if there is one.
   */
  private makeRoom(length: number, weight: number): Float64Array | undefined {
    let bytes = length * 8;
    for (const e of this.smoothedBy.values()) if (e.state) bytes += e.values.byteLength;
    let spare: Float64Array | undefined;
    for (const [key, e] of [...this.smoothedBy]) {
      if (bytes <= this.maxSmoothedBytes) break;
      if (e.weight === weight) continue;
      this.smoothedBy.delete(key);
      if (!e.state) continue;
      bytes -= e.values.byteLength;
      if (!spare && e.values.length === length && e.values.byteOffset === 0) spare = e.values;
    }
    return spare;
  }
}

/** A view from `start` takes in the first point of `s`, so a smoothing can be streamed along it. */
const fromFirstStep = (s: ViewSeries, start: number) => !s.steps.length || start <= s.steps[0]!;

/** Values smoothed between two pauses of prewarmInSlices: ~10 ms here. */
const SLICE = 1 << 20;
const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const indexOf = (values: Float64Array, smoothed: Float64Array, previous?: BlockIndex) =>
  values.length >= MIN_INDEXED ? buildBlockIndex(values, smoothed, undefined, previous) : undefined;

/**
 * `out` lengthened to `n` with its values kept: in place when its buffer has room, else in a new
 * buffer with an eighth to spare, since a series that grew once is being written by a live run.
 */
function grown(out: Float64Array, n: number): Float64Array {
  if (out.byteOffset + n * 8 <= out.buffer.byteLength) return new Float64Array(out.buffer, out.byteOffset, n);
  const next = new Float64Array(new ArrayBuffer((n + (n >>> 3)) * 8), 0, n);
  next.set(out);
  return next;
}

/** True when `s` holds `old`'s steps and values unchanged, maybe followed by more. */
function grewFrom(old: ViewSeries, s: ViewSeries, same: PrefixCheck): boolean {
  if (old.values === s.values && old.steps === s.steps) return true;
  return s.values.length >= old.values.length && same(old.values, s.values) && same(old.steps, s.steps);
}

/**
 * Bit-for-bit equality of `a` and the start of `b` (NaN equals the same NaN, -0 is not 0). The
 * extension host passes a memcmp (Node's Buffer) instead, 4× faster; this one also runs in a browser.
 */
export type PrefixCheck = (a: Float64Array, b: Float64Array) => boolean;

export function samePrefix(a: Float64Array, b: Float64Array): boolean {
  if (a === b) return true;
  if (b.length < a.length) return false;
  const x = new Int32Array(a.buffer, a.byteOffset, a.length * 2);
  const y = new Int32Array(b.buffer, b.byteOffset, a.length * 2);
  for (let i = 0; i < x.length; i += CHUNK) if (!sameChunk(x, y, i, Math.min(x.length, i + CHUNK))) return false;
  return true;
}

const CHUNK = 1 << 16;

function sameChunk(x: Int32Array, y: Int32Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (x[i] !== y[i]) return false;
  return true;
}

function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value as string);
}
