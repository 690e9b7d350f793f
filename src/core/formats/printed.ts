// Training logs printed to the terminal and saved to a file (`train.log`, `nohup.out`, `log.txt`,
// a SLURM `slurm-N.out`), whatever the print statement: each line is split into counters and named
// numbers (printedLine.ts), the lines that print losses are kept by shape (printedRecords.ts), and
// the file's step axis is worked out from all of them (stepAxis.ts). Every other line (warnings,
// `Namespace(...)`, progress bars, tracebacks, stray prints) is passed over without a word.
// Besides, the lines a codebase writes in its own shape:
// - StyleGAN / PGGAN tick lines: `tick 1 kimg 4.0 time 14m 08s sec/tick 151.7 … augment 0.035`;
// - StyleGAN2-ADA / StyleGAN3 metric reports (metric_main.py report_metric prints each as JSON:
//   `{"results": {"fid50k_full": 58.27}, "metric": …, "snapshot_pkl": "network-snapshot-001360.pkl", …}`),
//   `Metrics/<name>` at the snapshot's kimg;
// - StyleGAN / StyleGAN2 (TF) `metric-<name>.txt` lines: `network-snapshot-000200  time 3m 21s  fid50k 12.3`;
// - rows of numbers and nothing else (`np.savetxt`, `f.write(f"{step}\t{d}\t{g}\n")`), in a file of nothing else.
import type { RawSeries } from '../model';
import { t } from '../l10n';
import { metricDirection, nameTokens, roleOf } from '../roles';
import { decodeText, isBookkeepingKey, textEncoding, utf8BomLength } from './records';
import { Columns, LineReader, type LineFormat } from './lineLog';
import type { SkipReport } from './skipped';
import { LineSplitter, NameCache, NO, type LineParts } from './printedLine';
import { RecordStore, ROW_CODEBASE, ROW_LOSSES, ROW_NUMBERS, type Counters, type Shape, type StoreMark } from './printedRecords';
import { buildAxis, type AxisResult } from './stepAxis';
import { printedReport, snapshotMetrics } from './stylegan';
import { holdsBytes, holdsInLine, mayBeLaunchHeaderBytes, SNAPSHOT_BYTES, TICK_BYTES } from './printedBytes';

export { NameCache };

export const TICK = /^tick\s+(\d+)\s+kimg\s+([\d.]+)(.*)$/;
// A tick line's fields, named as stats.jsonl and TensorBoard name the same values.
const TICK_FIELDS: Record<string, string | undefined> = {
  lod: 'Progress/lod',
  minibatch: 'Progress/minibatch',
  'sec/tick': 'Timing/sec_per_tick',
  'sec/kimg': 'Timing/sec_per_kimg',
  maintenance: 'Timing/maintenance_sec',
  cpumem: 'Resources/cpu_mem_gb',
  gpumem: 'Resources/peak_gpu_mem_gb',
  augment: 'Progress/augment',
};
// StyleGAN / StyleGAN2 (TF) metric_base.py, appended to `metric-<name>.txt` per snapshot:
// `'%-30s' % network_name + ' time %-12s' % time + (' ' + name + suffix + ' ' + '%-10.4f' % value)…`
const SNAPSHOT = /^\S*?network-snapshot-(\d+)(?:\.pkl)?\s+time\s+(.*)$/;
// What a training prints when it starts: its options (`Namespace(…)`, `---- Options ----`), a banner.
const LAUNCH_HEADER = /^\s*(Namespace\(|-{3,} ?Options ?-{3,}|={3,} .* ={3,}\s*$|Start(ing)? (the )?training)/i;
/** Whether a line whose first two characters past its indent are `c`, `d` may be a LAUNCH_HEADER (`Na`, `--`, `==`, `St`). */
const mayBeLaunchHeader = (c: number, d: number) => (c === 78 ? (d | 32) === 97 : c === 45 || c === 61 ? d === c : (c === 83 || c === 115) && (d | 32) === 116);
const LOSS_WORDS: ReadonlySet<string> = new Set(['loss', 'losses', 'err', 'error', 'cost']);
// Printed beside the losses and never a series: Keras's `ETA`, junyanz's data-loading time `data`.
const BOOKKEEPING_NAMES = /^(eta|data)$/i;
// What a printed name is to the reader: never a series, a loss (its line is a record), anything else.
const BOOKKEEPING = 0;
const LOSS = 1;
const OTHER = 2;

/** The context counter-only lines give the lines after them (`Epoch 1/500` before Keras's progress line). */
interface Context {
  epoch: number;
  epochTotal: number;
  inner: number;
  innerTotal: number;
  stage: number;
  stageWord: string;
  /** The last tick's kimg: where a metric report without a snapshot name sits. */
  kimg: number;
}

const noContext = (): Context => ({ epoch: NO, epochTotal: NO, inner: NO, innerTotal: NO, stage: NO, stageWord: '', kimg: NO });

export class PrintedLog implements LineFormat {
  /** Unused: the records are kept by shape (the LineFormat interface asks for one). */
  readonly columns = new Columns();
  private readonly store = new RecordStore();
  private readonly names = new NameCache();
  private readonly splitter = new LineSplitter(this.names);
  /** Whether the last line `bytesLine` read was whole (false: damaged). */
  bytesRead = true;
  private readonly kinds = new Map<string, number>();
  private lastShape: Shape | null = null;
  // The names of the last line read, which of them were kept, and whether they made a record (see `keep`).
  private lastNames: string[] = [];
  private keptFrom: number[] = [];
  private lastWorthy = false;
  private context = noContext();
  /** The last header row (`step\td_loss\tg_loss`), for rows of numbers that follow it. */
  private header: string[] = [];
  private lastAxis: AxisResult | null = null;
  private readonly counters: Counters = { epoch: NO, epochTotal: NO, inner: NO, innerTotal: NO, global: NO, stage: NO, stageWord: '', clock: NO };
  private readonly kept: string[] = [];
  private readonly keptValues: number[] = [];

  /** `fileName`: how notes name the file, and what numbered columns are called after (`loss_0[1]`). */
  constructor(private readonly fileName = '') {}

  line(text: string): boolean {
    return this.lineAt(text, 0, text.length);
  }

  /** The line of `text` from `start` to `end`; only the rare lines a pattern reads are made strings. */
  lineAt(text: string, start: number, end: number): boolean {
    let first = start;
    while (first < end && (text.charCodeAt(first) === 32 || text.charCodeAt(first) === 9)) first++;
    const c = first < end ? text.charCodeAt(first) : NaN;
    if (c === 116 /* t */ && text.startsWith('tick ', first)) return this.tick(this.splitter.splitAt(text, start, end));
    if (c === 123 /* { */) {
      const line = text.slice(start, end);
      if (line.includes('"results"') && this.report(line)) return true;
    }
    if (c === 110 /* n */) {
      const line = text.slice(first, end);
      const snapshot = line.includes('network-snapshot-') ? SNAPSHOT.exec(line) : null;
      if (snapshot) return this.snapshot(Number(snapshot[1]), snapshot[2]!);
    }
    if (mayBeLaunchHeader(c, text.charCodeAt(first + 1)) && LAUNCH_HEADER.test(text.slice(start, end))) this.store.newLaunch();
    return this.take(this.splitter.splitAt(text, start, end));
  }

  /** `LineFormat.bytesLine`: the lines `lineAt` reads by a template alone, read from the bytes. */
  bytesLine(bytes: Uint8Array, start: number): number {
    let first = start;
    while (bytes[first] === 32 || bytes[first] === 9) first++;
    const c = bytes[first]!;
    // What `lineAt` reads as text: a metric report, a snapshot's line, a launch's header.
    if (c === 123 || (c === 110 && holdsInLine(bytes, first, SNAPSHOT_BYTES)) || mayBeLaunchHeaderBytes(bytes, first)) return -1;
    const end = this.splitter.splitBytes(bytes, start);
    if (end < 0) return end;
    const p = this.splitter.parts;
    this.bytesRead = c === 116 && holdsBytes(bytes, first, TICK_BYTES) ? this.tick(p) : this.take(p);
    return end;
  }

  /** A line's parts, split: kept as a record, a header, a context, or passed over. */
  private take(p: LineParts): boolean {
    if (p.numeric) return this.numbers(p);
    if (p.header.length) {
      this.header = [...p.header];
      this.store.newLaunch();
      return true;
    }
    if (!p.count) {
      if (p.counters) this.setContext(p);
      return true;
    }
    // Keras's bar before the epoch ends prints running means, not a record; its last state (`274/274 [====]`) is one.
    if (p.bar === 1 && !p.barFull) return true;
    const n = this.keep(p);
    const worthy = this.lastWorthy;
    if (p.damaged && (worthy || p.counters || this.kindOf(p.damaged) === LOSS)) return false;
    const own = !Number.isNaN(p.epoch) || !Number.isNaN(p.global);
    if (!worthy) {
      if (own) this.clearEpoch();
      return true;
    }
    const counters = this.withContext(p);
    if (own) this.clearEpoch();
    this.store.add(this.shapeOf(counters, n, ROW_LOSSES), counters, this.keptValues);
    return true;
  }

  /**
   * Puts the line's names that may be series, and their values, in `kept` / `keptValues`, and
   * returns how many; `lastWorthy` says whether one makes the line a record (no object a line). The names of the line before are checked first: a log prints
   * the same names line after line (and the templates hand out the same strings).
   */
  private keep(p: LineParts): number {
    const kept = this.kept;
    const values = this.keptValues;
    const last = this.lastNames;
    let same = last.length === p.count;
    for (let i = 0; i < p.count && same; i++) if (last[i] !== p.names[i]) same = false;
    if (same) {
      const from = this.keptFrom;
      for (let k = 0; k < from.length; k++) values[k] = p.values[from[k]!]!;
      return from.length;
    }
    let n = 0;
    let worthy = false;
    const from: number[] = [];
    for (let i = 0; i < p.count; i++) {
      const name = p.names[i]!;
      const kind = this.kindOf(name);
      if (kind === BOOKKEEPING) continue;
      if (kind === LOSS) worthy = true;
      kept[n] = name;
      from.push(i);
      values[n++] = p.values[i]!;
    }
    this.lastNames = p.names.slice(0, p.count);
    this.keptFrom = from;
    this.lastWorthy = worthy;
    return n;
  }

  /** The shape of a record with the first `n` kept names: the last one again, most of the time. */
  private shapeOf(c: Counters, n: number, kind: number): Shape {
    const last = this.lastShape;
    if (
      last &&
      last.kind === kind &&
      last.names.length === n &&
      last.bits === this.store.bitsOf(c) &&
      (last.stageWord === '' || last.stageWord === c.stageWord)
    ) {
      let same = true;
      for (let i = 0; i < n && same; i++) if (last.names[i] !== this.kept[i]) same = false;
      if (same) return last;
    }
    this.kept.length = n;
    this.keptValues.length = n;
    return (this.lastShape = this.store.shape(c, this.kept, kind));
  }

  /** What a printed name is to this reader (see `kindOf`'s constants), once per name. */
  private kindOf(name: string): number {
    let kind = this.kinds.get(name);
    if (kind === undefined) {
      kind =
        isBookkeepingKey(name) || BOOKKEEPING_NAMES.test(name)
          ? BOOKKEEPING
          : roleOf(name) !== 'other' || metricDirection(name) !== null || nameTokens(name).some((w) => LOSS_WORDS.has(w))
            ? LOSS
            : OTHER;
      if (this.kinds.size < 10_000) this.kinds.set(name, kind);
    }
    return kind;
  }

  /** Bytes of memory held. */
  get heldBytes(): number {
    return this.store.bytes;
  }

  mark(): unknown {
    return { store: this.store.mark(), context: { ...this.context }, header: this.header };
  }

  rollback(mark: unknown): void {
    const m = mark as { store: StoreMark; context: Context; header: string[] };
    this.store.rollback(m.store);
    this.lastShape = null;
    this.context = { ...m.context };
    this.header = m.header;
  }

  series(): RawSeries[] {
    const stem = (this.fileName.split('/').pop() ?? this.fileName).replace(/\.[^.]+$/, '') || 'column';
    this.lastAxis = buildAxis(this.store, this.fileName, (shape: Shape, i: number) => shape.names[i] || `${stem}[${i}]`);
    return this.lastAxis?.series ?? [];
  }

  told(): Pick<SkipReport, 'notes' | 'stages' | 'stepUnit'> {
    const told = this.lastAxis;
    if (!told) return {};
    return { notes: told.notes, stages: told.stages, stepUnit: told.stepUnit };
  }

  private setContext(p: LineParts): void {
    const ctx = this.context;
    if (!Number.isNaN(p.stage)) {
      ctx.stage = p.stage;
      ctx.stageWord = p.stageWord;
    }
    if (!Number.isNaN(p.epoch)) {
      ctx.epoch = p.epoch;
      ctx.epochTotal = p.epochTotal;
      ctx.inner = NO;
      ctx.innerTotal = NO;
    }
    if (!Number.isNaN(p.inner)) {
      ctx.inner = p.inner;
      ctx.innerTotal = p.innerTotal;
    }
  }

  private clearEpoch(): void {
    const ctx = this.context;
    ctx.epoch = ctx.epochTotal = ctx.inner = ctx.innerTotal = NO;
  }

  /** The line's counters, completed by the lines before it (an epoch header, a stage header). */
  private withContext(p: LineParts): Counters {
    const c = this.counters;
    const ctx = this.context;
    c.epoch = p.epoch;
    c.epochTotal = p.epochTotal;
    c.inner = p.inner;
    c.innerTotal = p.innerTotal;
    c.global = p.global;
    c.stage = p.stage;
    c.stageWord = p.stageWord;
    c.clock = p.clock;
    c.keras = p.bar === 1;
    const ownPlace = !Number.isNaN(p.epoch) || !Number.isNaN(p.global);
    if (!ownPlace) {
      if (!Number.isNaN(ctx.epoch)) {
        c.epoch = ctx.epoch;
        c.epochTotal = ctx.epochTotal;
      }
      if (Number.isNaN(p.inner) && !Number.isNaN(ctx.inner)) {
        c.inner = ctx.inner;
        c.innerTotal = ctx.innerTotal;
      }
    }
    if (Number.isNaN(c.stage) && !Number.isNaN(ctx.stage)) {
      c.stage = ctx.stage;
      c.stageWord = ctx.stageWord;
    }
    return c;
  }

  /** A row of numbers (a header-less table): its columns are named by the header before it, else numbered. */
  private numbers(p: LineParts): boolean {
    const c = this.counters;
    c.epoch = c.epochTotal = c.inner = c.innerTotal = c.global = c.stage = c.clock = NO;
    c.stageWord = '';
    c.keras = false;
    const n = p.count;
    // A row with cells that hold no value (fastai's `#na#`, an epoch's time) is read only under a
    // header of as many cells: the header alone says which column each value is.
    const named = this.header.length === (p.cells || n);
    if (p.cells && !named) return true;
    this.lastNames = []; // `kept` is the row's now
    for (let i = 0; i < n; i++) this.kept[i] = named ? this.header[p.cells ? p.cellOf[i]! : i]! : '';
    this.store.add(this.shapeOf(c, n, ROW_NUMBERS), c, p.values);
    return true;
  }

  private codebaseRecord(kimg: number, names: string[], values: number[], follows: boolean): void {
    const c = this.counters;
    c.epoch = c.epochTotal = c.inner = c.innerTotal = c.stage = c.clock = NO;
    c.stageWord = '';
    c.keras = false;
    c.global = kimg;
    this.store.add(this.store.shape(c, names, ROW_CODEBASE, follows), c, values);
  }

  /** A StyleGAN / PGGAN tick line (`tick 1 kimg 4.0 time 14m 08s sec/tick 151.7 …`): its fields at its kimg. */
  private tick(p: LineParts): boolean {
    this.lastNames = []; // `kept` is the tick's now
    let kimg = NaN;
    let n = 0;
    for (let i = 0; i < p.count; i++) {
      const name = p.names[i]!;
      if (name === 'kimg') kimg = p.values[i]!;
      const field = TICK_FIELDS[name];
      if (!field) continue;
      this.kept[n] = field;
      this.keptValues[n++] = p.values[i]!;
    }
    if (kimg !== kimg) return true;
    this.context.kimg = kimg;
    const c = this.counters;
    c.epoch = c.epochTotal = c.inner = c.innerTotal = c.stage = c.clock = NO;
    c.stageWord = '';
    c.keras = false;
    c.global = kimg;
    this.store.add(this.shapeOf(c, n, ROW_CODEBASE), c, this.keptValues);
    return true;
  }

  /** A metric report printed by StyleGAN2-ADA / StyleGAN3: `Metrics/<name>` at its snapshot's kimg. */
  private report(text: string): boolean {
    const r = printedReport(text, this.context.kimg);
    if (r === null) return false;
    if (r.names.length && r.kimg === r.kimg) this.codebaseRecord(r.kimg, r.names, r.values, true);
    return true;
  }

  /** A metric line of a snapshot (`network-snapshot-000200  time 3m 21s  fid50k 12.3456`): `Metrics/<name>` at its kimg. */
  private snapshot(kimg: number, rest: string): boolean {
    const r = snapshotMetrics(rest);
    if (r === null) return false;
    this.codebaseRecord(kimg, r.names, r.values, false);
    return true;
  }
}

export function newPrintedReader(fileName: string): LineReader {
  return new LineReader(
    new PrintedLog(fileName),
    fileName,
    t('no training loss lines (such as "D loss: … G loss: …")'),
    t('a loss line with a value that is not a number'),
  );
}

/** Reads a whole printed log. */
export function readPrintedLog(bytes: Uint8Array, fileName: string, report?: SkipReport): RawSeries[] {
  const reader = newPrintedReader(fileName);
  if (textEncoding(bytes, fileName) !== 'utf-8') {
    const text = decodeText(bytes, fileName);
    return reader.series(text.slice(reader.push(text)), false, report);
  }
  // Read from the bytes where a line's template fits (no decoding of the file); the end decoded.
  const body = bytes.subarray(utf8BomLength(bytes));
  return reader.series(new TextDecoder('utf-8', { ignoreBOM: true }).decode(body.subarray(reader.pushBytes(body))), false, report);
}
