// What the line-by-line text logs share (junyanz loss_log.txt, printed training logs, MLflow metric
// files): splitting text into lines as it grows, columns of (position, value) that a relaunch can
// cut back, and the damaged lines skipped instead of failing the file (told through formats/skipped.ts).
//
// Like CsvReader and JsonlReader, a reader is fed the file's text in pieces: `push` reads the
// complete lines, `series(rest)` adds the unfinished last line the way a whole read does and forgets
// it again, so the append cache parses only the bytes a live run added.
import type { RawSeries } from '../model';
import { t } from '../l10n';
import { ReadFailure } from './errors';
import { readLines, readLineSpans } from './records';
import { SkipTally, type SkipReport } from './skipped';

// Bytes of lines read as text at once, at most, by `pushBytes` where lines often need the text.
const TEXT_RUN = 16 * 1024;

/** One format's reading of single lines into columns. */
export interface LineFormat {
  /**
   * Reads one line (without its line break). `tentative`: the file's unfinished end, read for a
   * series and undone after (it must only add points, never cut any). Returns false for a damaged
   * line (it is skipped and counted); lines that are simply not records return true.
   */
  line(text: string, tentative: boolean): boolean;
  /** `line` of `text` from `start` to `end`, read where it is (no string made of each line of a big file). */
  lineAt?(text: string, start: number, end: number, tentative: boolean): boolean;
  /**
   * Reads the line of a file's UTF-8 `bytes` at `start`, undecoded, when it can: returns where the
   * line ends (its line break; `bytesRead` false for a damaged line), or -1 when it must be read as
   * text (decoded, through `line`). A line break follows somewhere in `bytes`.
   */
  bytesLine?(bytes: Uint8Array, start: number): number;
  readonly bytesRead?: boolean;
  /** State to restore after a tentative line: whatever `line` changes besides the columns. */
  mark(): unknown;
  rollback(mark: unknown): void;
  series(): RawSeries[];
  readonly columns: Columns;
  /** What the last `series()` told beside the series (relaunches set aside, stages, the step unit). */
  told?(): Pick<SkipReport, 'notes' | 'stages' | 'stepUnit'>;
  /** Bytes held besides `columns`. */
  readonly heldBytes?: number;
}

/** A growing column: a sortable position `x` and a value per point. */
export class Column {
  x = new Float64Array(16);
  values = new Float64Array(16);
  length = 0;

  push(x: number, value: number): void {
    if (this.length === this.x.length) {
      const nx = new Float64Array(this.x.length * 2);
      const nv = new Float64Array(this.x.length * 2);
      nx.set(this.x);
      nv.set(this.values);
      this.x = nx;
      this.values = nv;
    }
    this.x[this.length] = x;
    this.values[this.length++] = value;
  }

  /** Drops the points at `x` or after (positions only grow inside a column). */
  cutFrom(x: number): void {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.x[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    this.length = lo;
  }
}

/** Named columns in first-seen order. */
export class Columns {
  readonly byName = new Map<string, Column>();
  /** The last position any column took: a later line at or before it is a relaunch. */
  lastX = -Infinity;

  push(name: string, x: number, value: number): void {
    let c = this.byName.get(name);
    if (!c) this.byName.set(name, (c = new Column()));
    c.push(x, value);
  }

  /**
   * Makes room for a line at `x`: a training launched again (a new header, epochs from 1 again, a
   * resumed run repeating an epoch) rewrites what it repeats, so the earlier points from `x` on go
   * and the latest launch is kept.
   */
  cutFrom(x: number): void {
    for (const c of this.byName.values()) c.cutFrom(x);
  }

  get heldBytes(): number {
    let n = 0;
    for (const c of this.byName.values()) n += c.x.byteLength + c.values.byteLength;
    return n;
  }

  mark(): { lengths: Map<Column, number>; names: number; lastX: number } {
    return { lengths: new Map([...this.byName.values()].map((c) => [c, c.length])), names: this.byName.size, lastX: this.lastX };
  }

  rollback(mark: { lengths: Map<Column, number>; names: number; lastX: number }): void {
    this.lastX = mark.lastX;
    let i = 0;
    for (const [name, c] of [...this.byName]) {
      if (i++ >= mark.names) this.byName.delete(name);
      else c.length = mark.lengths.get(c) ?? c.length;
    }
  }

  /** Each non-empty column as a series, its positions mapped to steps by `stepOf`. */
  series(stepOf: (x: number) => number = (x) => x): RawSeries[] {
    const out: RawSeries[] = [];
    for (const [name, c] of this.byName) {
      if (!c.length) continue;
      const steps = new Float64Array(c.length);
      for (let i = 0; i < c.length; i++) steps[i] = stepOf(c.x[i]!);
      out.push({ name, column: null, steps, values: c.values.slice(0, c.length) });
    }
    return out;
  }
}

/** Splits text into lines for a LineFormat; tallies the damaged ones it skipped (one SkippedRecords per file). */
export class LineReader {
  private line = 0;
  private readonly skips = new SkipTally();

  constructor(
    private readonly format: LineFormat,
    private readonly fileName: string,
    /** Said when nothing at all was read, after "<file>: ". */
    private readonly emptyReason: string = t('no loss lines'),
    /** Why a damaged line was skipped, as the skipped-records line says it. */
    private readonly damagedReason: string = t('not a loss line this reader can read'),
  ) {}

  /** Reads the complete lines at the start of `text`; returns how many characters they took. */
  push(text: string): number {
    return this.read(text, false);
  }

  /** True when the format reads lines from their bytes (`pushBytes` may be called). */
  get readsBytes(): boolean {
    return this.format.bytesLine !== undefined;
  }

  /**
   * `push` of a file's UTF-8 bytes (after the byte-order mark, if any), each line read where it is
   * without decoding it when the format can (`bytesLineAt`), else decoded; returns how many bytes
   * the complete lines took (the rest is the caller's to decode for `series`).
   */
  pushBytes(bytes: Uint8Array, textRun = TEXT_RUN): number {
    const format = this.format;
    if (!format.bytesLine) throw new Error('pushBytes: the format reads text only');
    // A line decoded on its own keeps a byte-order mark in it as the whole text's decoding does.
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    const n = bytes.length;
    // Lines end in LF, CRLF or CR alone, as `readLineSpans` splits text (with `final` false): the
    // lines up to the last line break are read, except a CR at the very end (half of a CRLF?).
    // (Looked for from the end by hand: Buffer's lastIndexOf reads a whole file without one byte by byte.)
    let last = n - 1;
    while (last >= 0 && bytes[last] !== 10 && !(bytes[last] === 13 && last !== n - 1)) last--;
    let i = 0;
    // Lines read from bytes since the last one read as text, and how many bytes the next run of text takes.
    let read = 0;
    let run = 0;
    while (i <= last) {
      let end = format.bytesLine(bytes, i);
      if (end >= 0) {
        this.counted(format.bytesRead!);
        read++;
      } else {
        // Read as text: this line alone (a print seen for the first time: its template is learned
        // from it), or with the lines after it up to `run` bytes where lines often need the text
        // (one decoding of a run costs less than one a line).
        run = read < 16 ? Math.min(run ? run * 2 : 256, textRun) : 0;
        read = 0;
        end = Math.min(i + run, last);
        while (bytes[end] !== 10 && bytes[end] !== 13) end++;
        if (bytes[end] === 10 && end > i && bytes[end - 1] === 13) end--; // the run ends at a CRLF's CR
        this.textLines(decoder.decode(bytes.subarray(i, end)));
      }
      i = end + (bytes[end] === 13 && bytes[end + 1] === 10 ? 2 : 1);
    }
    return i;
  }

  /** Reads the lines of `text`, which ends where its last line does (before its line break). */
  private textLines(text: string): void {
    const format = this.format;
    let start = 0;
    for (;;) {
      let end = start;
      while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
      this.counted(format.lineAt ? format.lineAt(text, start, end, false) : format.line(text.slice(start, end), false));
      if (end === text.length) return;
      start = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
    }
  }

  /**
   * The series of everything pushed plus `rest`, the file's unfinished end; the reader is left as it
   * was. The damaged lines skipped, the end's included, are told in `report`.
   */
  series(rest: string, _share?: boolean, report?: SkipReport): RawSeries[] {
    const line = this.line;
    const skips = this.skips.mark();
    const columns = this.format.columns.mark();
    const own = this.format.mark();
    try {
      this.read(rest, true);
      const series = this.format.series();
      if (!series.length) throw new ReadFailure(`${this.fileName}: ${this.emptyReason}`);
      if (report) {
        report.skipped = this.skips.result();
        const told = this.format.told?.();
        if (told) {
          report.notes = told.notes;
          report.stages = told.stages;
          report.stepUnit = told.stepUnit;
        }
      }
      return series;
    } finally {
      this.line = line;
      this.skips.rollback(skips);
      this.format.columns.rollback(columns);
      this.format.rollback(own);
    }
  }

  get heldBytes(): number {
    return this.format.columns.heldBytes + (this.format.heldBytes ?? 0);
  }

  /** Reads the lines as `readLines` splits them (CR alone too: progress bars, `\r[Epoch …]`). */
  private read(text: string, final: boolean): number {
    const format = this.format;
    if (format.lineAt) return readLineSpans(text, final, (start, end, tentative) => this.counted(format.lineAt!(text, start, end, tentative)));
    return readLines(text, final, (line, tentative) => this.counted(format.line(line, tentative)));
  }

  /** Counts a line read; a damaged one (`read` false) is skipped and told. */
  private counted(read: boolean): void {
    const number = ++this.line;
    if (read) return;
    this.skips.skip({ line: number }, () => this.damagedReason);
  }
}
