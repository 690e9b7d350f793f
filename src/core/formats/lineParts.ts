// What one printed line says once read (printedLine.ts reads it token by token, lineTemplates.ts by
// the template of an earlier line of the same print): its counters, its named numbers, its clock,
// and which token each came from (for learning the line's template).

export const NO = NaN;

/** What one line says. Counters are NaN when the line prints none. Reused line after line. */
export class LineParts {
  epoch = NO;
  epochTotal = NO;
  /** A counter inside the epoch, or the only one (`batch`, `step`, `iter`, an unkeyed fraction). */
  inner = NO;
  innerTotal = NO;
  /** A global iteration beside an epoch or batch counter (`[   32622 Epoch:[ 1/25] [12603/20018]`, `Iter 5` beside `Batch`). */
  global = NO;
  stage = NO;
  /** The stage's word as printed (`scale`, `depth`, `resolution`). */
  stageWord = '';
  clock = NO;
  /** 0: no progress bar; 1: Keras's; 2: tqdm's. */
  bar = 0;
  /** The progress bar is full (Keras's `[======]`, tqdm's `|██████|`). */
  barFull = false;
  /** The named numbers: `count` of them in `names` / `values` (the arrays are reused). */
  count = 0;
  names: string[] = [];
  values: number[] = [];
  /** A named number whose value does not parse (`G_GAN: 3.0x1`): the name, else ''. */
  damaged = '';
  /** A row of numbers and nothing else (`np.savetxt`, a TSV or CSV without a header): `values` holds them. */
  numeric = false;
  /** A row of words and nothing else, separated by tabs, commas or wide gaps (`step\td_loss\tg_loss`): a header. */
  header: string[] = [];
  /**
   * A numeric row with cells that hold no value (fastai's `#na#` for a loss not computed, its
   * `00:26` epoch time): how many cells the row has, and each value's cell. 0 when every cell is a value.
   */
  cells = 0;
  cellOf: number[] = [];
  // Which token each part came from (-1: none), for learning the line's template (lineTemplates.ts).
  epochTok = -1;
  innerTok = -1;
  globalTok = -1;
  stageTok = -1;
  barTok = -1;
  damagedTok = -1;
  valueTok: number[] = [];
  /** The clock's tokens in the order they set it: token × 2, + 1 when added to it (a date's time of day). */
  clockOps: number[] = [];
  /** Tokens whose sign and wholeness decide what they are (a leading number, a number after a counter's name). */
  strict: number[] = [];

  reset(): void {
    this.epoch = this.epochTotal = this.inner = this.innerTotal = this.global = this.stage = this.clock = NO;
    this.stageWord = '';
    this.bar = 0;
    this.barFull = false;
    this.count = 0;
    this.damaged = '';
    this.numeric = false;
    this.cells = 0;
    if (this.header.length) this.header.length = 0;
    this.epochTok = this.innerTok = this.globalTok = this.stageTok = this.barTok = this.damagedTok = -1;
    if (this.clockOps.length) this.clockOps.length = 0;
    if (this.strict.length) this.strict.length = 0;
  }

  add(name: string, value: number, tok = -1): void {
    this.valueTok[this.count] = tok;
    this.names[this.count] = name;
    this.values[this.count++] = value;
  }

  setClock(value: number, tok: number, add = false): void {
    this.clock = add ? this.clock + value : value;
    this.clockOps.push(tok * 2 + (add ? 1 : 0));
  }

  get counters(): boolean {
    return !(Number.isNaN(this.epoch) && Number.isNaN(this.inner) && Number.isNaN(this.global) && Number.isNaN(this.stage));
  }
}
