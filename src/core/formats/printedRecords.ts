// What the printed-log reader keeps of a file: its records, grouped by shape (which counters a line
// carries and which names it prints), in file order. Nothing is decided here about which shape is
// the training's or where a record sits on the axis: a log is only understood whole (the main shape,
// the epoch base, batches per epoch, restarts), so stepAxis.ts decides that from everything kept,
// and a live read that adds lines gives exactly what a whole read gives.

/** Which counters a record has (own or from the lines before it). */
export const HAS_EPOCH = 1;
export const HAS_INNER = 2;
export const HAS_GLOBAL = 4;
/** Which counters make the record's place; the others only describe it. */
export const PLACE_BITS = HAS_EPOCH | HAS_INNER | HAS_GLOBAL;
export const HAS_STAGE = 8;
export const HAS_CLOCK = 16;
export const HAS_EPOCH_TOTAL = 32;
export const HAS_INNER_TOTAL = 64;
/** The line ends in Keras's progress bar (`274/274 [====] - 9s - d_loss: …`): its epochs count from 1. */
export const KERAS_BAR = 128;

/** What kind of lines a shape holds. */
export const ROW_NUMBERS = 1;
export const ROW_LOSSES = 2;
/** A codebase's own lines (StyleGAN's tick lines, metric reports): records whatever their names. */
export const ROW_CODEBASE = 3;

/** A column of a shape: a record's number in each of its `rows` first places (see Shape). */
const column = (capacity: number) => new Float64Array(capacity);

/** A column of twice the room, holding the first `rows` numbers of `c`. */
function grown(c: Float64Array, rows: number): Float64Array {
  const g = column(c.length * 2);
  g.set(c.subarray(0, rows));
  return g;
}

/**
 * One record shape: a set of counters and of names, and its rows. Its columns grow together: a
 * record's numbers go in place `rows` of each, with one check of the room for all of them.
 */
export class Shape {
  rows = 0;
  epoch: Float64Array | null;
  epochTotal: Float64Array | null;
  inner: Float64Array | null;
  innerTotal: Float64Array | null;
  global: Float64Array | null;
  stage: Float64Array | null;
  clock: Float64Array | null;
  readonly values: Float64Array[];
  /** The room every column has. */
  private room = 16;

  constructor(
    readonly id: number,
    readonly key: string,
    readonly names: string[],
    readonly bits: number,
    readonly kind: number,
    /** The stage's word (`scale`, `depth`), when it has one. */
    readonly stageWord: string,
    /** Placed with the record before it (a StyleGAN metric line follows its snapshot's tick). */
    readonly follows: boolean,
  ) {
    const g = (bit: number) => (bits & bit ? column(this.room) : null);
    this.epoch = g(HAS_EPOCH);
    this.epochTotal = g(HAS_EPOCH_TOTAL);
    this.inner = g(HAS_INNER);
    this.innerTotal = g(HAS_INNER_TOTAL);
    this.global = g(HAS_GLOBAL);
    this.stage = g(HAS_STAGE);
    this.clock = g(HAS_CLOCK);
    this.values = names.map(() => column(this.room));
  }

  /** Adds a record: its counters (those the shape has) and its values. */
  add(c: Counters, values: readonly number[]): void {
    const r = this.rows;
    if (r === this.room) this.grow();
    this.rows = r + 1;
    if (this.epoch) this.epoch[r] = c.epoch;
    if (this.epochTotal) this.epochTotal[r] = c.epochTotal;
    if (this.inner) this.inner[r] = c.inner;
    if (this.innerTotal) this.innerTotal[r] = c.innerTotal;
    if (this.global) this.global[r] = c.global;
    if (this.stage) this.stage[r] = c.stage;
    if (this.clock) this.clock[r] = c.clock;
    const vs = this.values;
    for (let i = 0; i < vs.length; i++) vs[i]![r] = values[i]!;
  }

  private grow(): void {
    const rows = this.rows;
    const g = (c: Float64Array | null) => (c ? grown(c, rows) : null);
    this.epoch = g(this.epoch);
    this.epochTotal = g(this.epochTotal);
    this.inner = g(this.inner);
    this.innerTotal = g(this.innerTotal);
    this.global = g(this.global);
    this.stage = g(this.stage);
    this.clock = g(this.clock);
    for (let i = 0; i < this.values.length; i++) this.values[i] = grown(this.values[i]!, rows);
    this.room *= 2;
  }

  /** Bytes held. */
  get bytes(): number {
    let n = 0;
    for (const c of [this.epoch, this.epochTotal, this.inner, this.innerTotal, this.global, this.stage, this.clock]) if (c) n += c.byteLength;
    for (const v of this.values) n += v.byteLength;
    return n;
  }

  /** Sets every column back to `rows` rows. */
  truncate(rows: number): void {
    this.rows = rows;
  }
}

/** A record's counters as a line (and the lines before it) gave them; NaN where absent. */
export interface Counters {
  epoch: number;
  epochTotal: number;
  inner: number;
  innerTotal: number;
  global: number;
  stage: number;
  stageWord: string;
  clock: number;
  keras?: boolean;
}

export interface StoreMark {
  records: number;
  shapes: number;
  rows: number[];
  launches: number;
}

/** The records of one file, in file order, by shape. */
export class RecordStore {
  readonly shapes: Shape[] = [];
  private readonly byKey = new Map<string, Shape>();
  /** The shape of each record, in file order. */
  order = new Int32Array(1024);
  records = 0;
  /** Where each launch after the first begins (a record index): a header or options dump was printed there. */
  readonly launchStarts: number[] = [];

  /** A header or options dump: the records after it are another launch (told apart when they print no counter). */
  newLaunch(): void {
    const last = this.launchStarts[this.launchStarts.length - 1] ?? 0;
    if (this.records > last) this.launchStarts.push(this.records);
  }

  /** Which counters `c` holds (the `HAS_…` bits). */
  bitsOf(c: Counters): number {
    let bits = 0;
    if (c.epoch === c.epoch) bits |= HAS_EPOCH;
    if (c.inner === c.inner) bits |= HAS_INNER;
    if (c.global === c.global) bits |= HAS_GLOBAL;
    if (c.stage === c.stage) bits |= HAS_STAGE;
    if (c.clock === c.clock) bits |= HAS_CLOCK;
    if (c.epochTotal === c.epochTotal) bits |= HAS_EPOCH_TOTAL;
    if (c.innerTotal === c.innerTotal) bits |= HAS_INNER_TOTAL;
    if (c.keras) bits |= KERAS_BAR;
    return bits;
  }

  /** The shape for these counters and names, made on first sight. */
  shape(c: Counters, names: readonly string[], kind: number, follows = false): Shape {
    const bits = this.bitsOf(c);
    const stageWord = bits & HAS_STAGE ? c.stageWord : '';
    const key = `${bits}\u0001${kind}\u0001${stageWord}\u0001${follows ? 1 : 0}\u0001${names.join('\u0002')}`;
    let shape = this.byKey.get(key);
    if (!shape) {
      shape = new Shape(this.shapes.length, key, [...names], bits, kind, stageWord, follows);
      this.shapes.push(shape);
      this.byKey.set(key, shape);
    }
    return shape;
  }

  /** Adds a record of `shape`. */
  add(shape: Shape, c: Counters, values: readonly number[]): void {
    if (this.records === this.order.length) {
      const o = new Int32Array(this.order.length * 2);
      o.set(this.order);
      this.order = o;
    }
    this.order[this.records++] = shape.id;
    shape.add(c, values);
  }

  get bytes(): number {
    let n = this.order.byteLength;
    for (const s of this.shapes) n += s.bytes;
    return n;
  }

  mark(): StoreMark {
    return { records: this.records, shapes: this.shapes.length, rows: this.shapes.map((s) => s.rows), launches: this.launchStarts.length };
  }

  rollback(mark: StoreMark): void {
    this.records = mark.records;
    this.launchStarts.length = mark.launches;
    while (this.shapes.length > mark.shapes) this.byKey.delete(this.shapes.pop()!.key);
    this.shapes.forEach((s, i) => s.truncate(mark.rows[i]!));
  }
}
