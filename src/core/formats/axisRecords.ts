// The training's records of a printed log, picked from everything it printed (printedRecords.ts),
// with their counters laid out flat for the step axis (stepAxis.ts):
// - the shapes that print losses (or a codebase's own lines; or, in a file of nothing else, rows of
//   numbers), and of those the ones that place themselves like most of them: `[Sample] d_loss: …`
//   printed between training lines with counters is not a training record, nor is a stray
//   `starting G epochs: 5.44` between StyleGAN's tick lines;
// - how a lane of records (a training, its relaunches and stages) counts: epochs from 0 or 1, a
//   batch counter inside the epoch or a global one, batches per epoch printed or learned.
import {
  HAS_EPOCH,
  HAS_EPOCH_TOTAL,
  HAS_GLOBAL,
  HAS_INNER,
  KERAS_BAR,
  PLACE_BITS,
  ROW_LOSSES,
  ROW_NUMBERS,
  type RecordStore,
  type Shape,
} from './printedRecords';

/** Numeric rows whose first column is whole, never negative, and rises: that column is the step. */
export function isStepColumn(s: Shape): boolean {
  if (s.kind !== ROW_NUMBERS || s.values.length < 2) return false;
  const col = s.values[0]!;
  let rises = 0;
  for (let i = 0; i < s.rows; i++) {
    const v = col[i]!;
    if (!(v >= 0) || v !== Math.floor(v)) return false;
    if (i > 0 && v > col[i - 1]!) rises++;
  }
  return s.rows < 2 || rises > 0;
}

function iota<T extends Int32Array | Float64Array>(a: T): T {
  for (let i = 0; i < a.length; i++) a[i] = i;
  return a;
}

function nans(n: number): Float64Array {
  return new Float64Array(n).fill(NaN);
}

/** The first `n` stages of a column, -1 where a record has none. */
function stagesOrNone(column: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = column[i]!;
    out[i] = v === v ? v : -1;
  }
  return out;
}

/** Which shapes are the training's records: see the top of this file. */
function mainShapes(store: RecordStore): Shape[] {
  const live = store.shapes.filter((s) => s.rows > 0);
  const losses = live.some((s) => s.kind >= ROW_LOSSES);
  const candidates = live.filter((s) => (losses ? s.kind >= ROW_LOSSES : s.kind === ROW_NUMBERS));
  const bySig = new Map<number, number>();
  for (const s of candidates) bySig.set(s.bits & PLACE_BITS, (bySig.get(s.bits & PLACE_BITS) ?? 0) + s.rows);
  let best = -1;
  let most = -1;
  for (const [sig, rows] of bySig) {
    if (rows > most || (rows === most && sig > best)) {
      best = sig;
      most = rows;
    }
  }
  return candidates.filter((s) => (s.bits & PLACE_BITS) === best);
}

/**
 * The main records in file order, their counters flat (NaN where absent), and their places. Made
 * by `mainRecords` as one object literal: a class's instances, one per read and gone after it,
 * would take new hidden classes on each read and the per-record loops would start cold each time.
 */
export interface MainRecords {
  readonly count: number;
  readonly shapes: Shape[];
  /** Index into `shapes`, and the row in that shape, of each record. */
  readonly shape: Int32Array;
  readonly row: Int32Array;
  readonly epoch: Float64Array;
  readonly epochTotal: Float64Array;
  readonly inner: Float64Array;
  readonly innerTotal: Float64Array;
  /** A global counter, or a numeric row's step column. */
  readonly global: Float64Array;
  readonly clock: Float64Array;
  /** The stage (-1: none), then the counters that order records (see printedTracks.ts). */
  readonly stage: Float64Array;
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly follows: Uint8Array;
  /** The shapes whose first column is the step (not a value). */
  readonly stepColumn: boolean[];
  readonly keras: boolean;
  readonly epochTotals: boolean;
}

type Columns = Pick<MainRecords, 'shape' | 'row' | 'epoch' | 'epochTotal' | 'inner' | 'innerTotal' | 'global' | 'clock' | 'stage' | 'a' | 'b' | 'follows'>;

/** The main records of a store (see MainRecords). */
export function mainRecords(store: RecordStore): MainRecords {
  const shapes = mainShapes(store);
  let n = 0;
  for (const s of shapes) n += s.rows;
  const stepColumn = shapes.map(isStepColumn);
  const sig = shapes.length ? shapes[0]!.bits & PLACE_BITS : 0;
  // Every record is of one shape (most logs): its columns, as they are, are the flat arrays.
  const one = shapes.length === 1 && n === store.records && !(sig === 0 && store.launchStarts.length);
  const c = one ? oneShapeColumns(shapes[0]!, n, sig, stepColumn[0]!) : flatColumns(store, shapes, n, sig, stepColumn);
  return {
    count: n,
    shapes,
    shape: c.shape,
    row: c.row,
    epoch: c.epoch,
    epochTotal: c.epochTotal,
    inner: c.inner,
    innerTotal: c.innerTotal,
    global: c.global,
    clock: c.clock,
    stage: c.stage,
    a: c.a,
    b: c.b,
    follows: c.follows,
    stepColumn,
    keras: shapes.some((s) => s.bits & KERAS_BAR),
    epochTotals: shapes.some((s) => s.bits & HAS_EPOCH_TOTAL),
  };
}

/** The columns of a store whose records are all of one shape: its own columns, as they are. */
function oneShapeColumns(s: Shape, n: number, sig: number, stepColumn: boolean): Columns {
  // The counters a shape lacks share one column of NaN (they are only read).
  let none: Float64Array | null = null;
  const view = (g: Float64Array | null) => (g ? g.subarray(0, n) : (none ??= nans(n)));
  const epoch = view(s.epoch);
  const inner = view(s.inner);
  const global = stepColumn ? s.values[0]!.subarray(0, n) : view(s.global);
  const placed = global[0] === global[0];
  return {
    shape: new Int32Array(n),
    row: iota(new Int32Array(n)),
    epoch,
    epochTotal: view(s.epochTotal),
    inner,
    innerTotal: view(s.innerTotal),
    global,
    clock: view(s.clock),
    follows: new Uint8Array(n).fill(s.follows ? 1 : 0),
    stage: s.stage ? stagesOrNone(s.stage, n) : new Float64Array(n).fill(-1),
    a: placed ? global : sig & HAS_EPOCH ? epoch : sig & HAS_INNER ? inner : iota(new Float64Array(n)),
    b: sig & HAS_EPOCH && sig & HAS_INNER && !placed ? inner : new Float64Array(n),
  };
}

/** The columns of records of several shapes, laid out flat in file order. */
function flatColumns(store: RecordStore, shapes: Shape[], n: number, sig: number, stepColumn: boolean[]): Columns {
  const index = new Int32Array(store.shapes.length).fill(-1);
  shapes.forEach((s, i) => (index[s.id] = i));
  const f = () => new Float64Array(n);
  const c: Columns = {
    shape: new Int32Array(n),
    row: new Int32Array(n),
    epoch: f(),
    epochTotal: f(),
    inner: f(),
    innerTotal: f(),
    global: f(),
    clock: f(),
    stage: f(),
    a: f(),
    b: f(),
    follows: new Uint8Array(n),
  };
  const rows = new Int32Array(store.shapes.length);
  let r = 0;
  // Records with no counter are numbered from each launch's first (a header starts a launch).
  const launches = store.launchStarts;
  let nextLaunch = 0;
  let launchFirst = 0;
  for (let i = 0; i < store.records; i++) {
    while (nextLaunch < launches.length && launches[nextLaunch]! <= i) {
      nextLaunch++;
      launchFirst = r;
    }
    const id = store.order[i]!;
    const row = rows[id]!++;
    const k = index[id]!;
    if (k < 0) continue;
    const s = shapes[k]!;
    c.shape[r] = k;
    c.row[r] = row;
    c.epoch[r] = s.epoch ? s.epoch[row]! : NaN;
    c.epochTotal[r] = s.epochTotal ? s.epochTotal[row]! : NaN;
    c.inner[r] = s.inner ? s.inner[row]! : NaN;
    c.innerTotal[r] = s.innerTotal ? s.innerTotal[row]! : NaN;
    c.global[r] = stepColumn[k] ? s.values[0]![row]! : s.global ? s.global[row]! : NaN;
    c.clock[r] = s.clock ? s.clock[row]! : NaN;
    const stage = s.stage ? s.stage[row]! : NaN;
    c.stage[r] = stage === stage ? stage : -1;
    c.follows[r] = s.follows ? 1 : 0;
    // The place: a global counter; else epoch then batch; else the one counter; else the record's number.
    if (c.global[r] === c.global[r]) c.a[r] = c.global[r]!;
    else if (sig & HAS_GLOBAL) c.a[r] = r;
    else if (sig & HAS_EPOCH) {
      c.a[r] = c.epoch[r]!;
      c.b[r] = sig & HAS_INNER ? c.inner[r]! : 0;
    } else if (sig & HAS_INNER) c.a[r] = c.inner[r]!;
    else c.a[r] = r - launchFirst;
    r++;
  }
  return c;
}

/** True when most records repeat the place of the record before: a counter printed with every batch. */
export function isCoarse(rec: MainRecords): boolean {
  // Runs of three or more: two lines at each place are more likely two processes printing the same step.
  let repeats = 0;
  let run = 1;
  let longest = 1;
  const { shape, stage, a, b, count } = rec;
  for (let r = 1; r < count; r++) {
    if (shape[r] === shape[r - 1] && stage[r] === stage[r - 1] && a[r] === a[r - 1] && b[r] === b[r - 1]) {
      repeats++;
      if (++run > longest) longest = run;
    } else run = 1;
  }
  return longest >= 3 && repeats * 4 >= count;
}

/** How the counters of one lane (a training, with its relaunches and stages) become steps. */
export interface AxisRule {
  /** Epochs count from this (0 or 1) when a batch counter places records inside them. */
  epochBase: number;
  /** Batches count from this (1 when they run `1/234` … `234/234`): steps are iterations counted from 0. */
  batchBase: number;
  /** The inner counter counts batches inside an epoch (else it is the only counter, or a global one). */
  inEpoch: boolean;
  /** Batches per epoch, per stage (-1: no stage). */
  perEpoch: Map<number, number>;
  /** Records per place, for a coarse counter (one printed with every batch). */
  perPlace: number;
}

/** How lane `lane`'s records count (`laneOf`: each record's lane; null when every record is in the one lane). */
export function ruleOf(rec: MainRecords, laneOf: Int32Array | null, lane: number, coarse: boolean): AxisRule {
  let sawZero = false;
  let sawLast = false;
  let minEpoch = Infinity;
  // The batch counts from 1 (`1/234` … `234/234`): the code counts from 1, epochs too.
  let minInnerAll = Infinity;
  let innerReachesTotal = false;
  let inEpoch = false;
  let printedTotal = false;
  const maxInner = new Map<number, number>();
  const minInner = new Map<number, number>();
  const totals = new Map<number, number>();
  // The stage being read, its largest and smallest batch so far (kept in the maps when the stage changes).
  let stage = NaN;
  let max = -Infinity;
  let min = Infinity;
  const flush = () => {
    if (stage !== stage) return;
    maxInner.set(stage, Math.max(max, maxInner.get(stage) ?? -Infinity));
    minInner.set(stage, Math.min(min, minInner.get(stage) ?? Infinity));
  };
  let most = 1;
  let run = 0;
  let prev = -1;
  let lastEpoch = NaN;
  let lastInner = NaN;
  // `totals.get(stage)`, kept as the stage changes (a log changes stage a few times in a million records).
  let stageTotal: number | undefined;
  // The loop reads typed arrays and locals only: it stays optimized whatever shape of log it meets.
  const { epoch, inner, global, stage: stages, epochTotal, innerTotal, a, b } = rec;
  const count = rec.count;
  for (let r = 0; r < count; r++) {
    if (laneOf !== null && laneOf[r] !== lane) continue;
    if (coarse) {
      run = prev >= 0 && stages[r] === stages[prev] && a[r] === a[prev] && b[r] === b[prev] ? run + 1 : 1;
      if (run > most) most = run;
    }
    prev = r;
    const e = epoch[r]!;
    const i = inner[r]!;
    if (e !== e || i !== i || global[r] === global[r]) continue;
    if (stages[r] !== stage) {
      flush();
      stage = stages[r]!;
      stageTotal = totals.get(stage);
      max = -Infinity;
      min = Infinity;
    }
    if (e === 0) sawZero = true;
    if (e < minEpoch) minEpoch = e;
    if (e === epochTotal[r]) sawLast = true;
    const total = innerTotal[r]!;
    if (total === total && (!printedTotal || stageTotal !== total)) {
      printedTotal = true;
      totals.set(stage, total);
      stageTotal = total;
    }
    if (i > max) max = i;
    if (i < min) min = i;
    if (i < minInnerAll) minInnerAll = i;
    if (i === total) innerReachesTotal = true;
    // The inner counter starts again when the epoch moves on: it counts batches inside the epoch.
    if (e > lastEpoch && i <= lastInner) inEpoch = true;
    lastEpoch = e;
    lastInner = i;
  }
  flush();
  if (printedTotal) inEpoch = true;
  const perEpoch = new Map<number, number>();
  for (const [stage, max] of maxInner) perEpoch.set(stage, totals.get(stage) ?? max + (minInner.get(stage) === 0 ? 1 : 0));
  // `[4/4]` after `[0/4]` is the fifth of five epochs: counted from 0; `[100/100]`, Keras's `Epoch 1/500`,
  // `>1, 1/234` (no total) and `>79, 152/234` … `>79, 234/234` from 1. `[Epoch 1/200]` alone may be either: as printed.
  const oneBased = sawLast || rec.keras || (!rec.epochTotals && (minEpoch === 1 || (minInnerAll >= 1 && innerReachesTotal)));
  const epochBase = sawZero ? 0 : oneBased ? 1 : 0;
  // The last batch of an epoch is then its iteration B - 1, where epoch-numbered samples are placed (samples/placing.ts).
  const batchBase = inEpoch && minInnerAll >= 1 && innerReachesTotal ? 1 : 0;
  return { epochBase, batchBase, inEpoch, perEpoch, perPlace: most };
}

/** One lane's records on the axis, after relaunches are set aside. */
export interface LaneAxis {
  /** Kept records (indices into MainRecords) and their steps and stage offsets, `n` of them. */
  records: Int32Array;
  steps: Float64Array;
  offsets: Float64Array;
  n: number;
  /** Records set aside per earlier launch (whole launches), and those a resumed launch repeated. */
  setAside: number[];
  resumed: { from: number; lines: number }[];
}
