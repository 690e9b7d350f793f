// CSV loss tables: Lightning `metrics.csv` (sparse columns), `losses.csv`, pandas `to_csv` output.
// Also holds what the record-shaped readers share: which column is the step, which to skip,
// how a cell becomes a number, and how (step, value) pairs become a RawSeries.
//
// Damage policy (skipped.ts): a cell that is not a number is skipped for its column, and the column
// is refused only when most of it is text; a row that cannot be placed (step not a number, more
// cells than the header, a quote never closed) is skipped whole. Both are told as skipped records.
import type { RawSeries } from '../model';
import { t } from '../l10n';
import { ReadFailure } from '../readers';
import { markBuilder, rollbackBuilder, SeriesBuilder, toRawSeries, type BuilderMark } from './seriesBuilder';
import { SkipTally, type SkipMark, type SkipReport, type SkippedRecords } from './skipped';

const STEP_NAMES = ['step', 'global_step', 'iteration', 'iter', 'it', '_step', 'steps', 'iterations'];
const EPOCH_NAMES = ['epoch', 'epochs'];
// Clock columns are not losses: wall time, elapsed seconds, per-iteration timings, dates.
const TIME_NAME = /(^|[_\s/.-])(time|timestamp|walltime|datetime|date|elapsed|runtime|duration)$/i;

/** The key that gives steps: a step/iteration key first, else an epoch key; null when none. */
export function stepKey(keys: readonly string[]): string | null {
  for (const names of [STEP_NAMES, EPOCH_NAMES]) {
    for (const name of names) {
      const found = keys.find((k) => k.trim().toLowerCase() === name);
      if (found !== undefined) return found;
    }
  }
  return null;
}

/** Keys that are never a series: steps, epochs, clocks. */
export function isBookkeepingKey(key: string): boolean {
  const k = key.trim().toLowerCase();
  return STEP_NAMES.includes(k) || EPOCH_NAMES.includes(k) || TIME_NAME.test(k);
}

const NON_FINITE = /^([+-]?)(nan|inf|infinity)$/i;
// `str(loss)` of a PyTorch tensor, e.g. "tensor(0.6931, device='cuda:0', grad_fn=<...>)".
const TORCH_TENSOR = /^tensor\(\s*([^,)\s]+)/;

/**
 * The number a plain decimal spells (`[+-]digits[.digits][e[+-]digits]`, nothing around it), else
 * null. Checked by character codes: this runs once per cell of a million-row table.
 */
export function decimalValue(s: string): number | null {
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 43 /* + */ || c === 45 /* - */) c = s.charCodeAt(++i);
  let digits = 0;
  while (c >= 48 && c <= 57) {
    digits++;
    c = s.charCodeAt(++i);
  }
  if (c === 46 /* . */) {
    c = s.charCodeAt(++i);
    while (c >= 48 && c <= 57) {
      digits++;
      c = s.charCodeAt(++i);
    }
  }
  if (digits === 0) return null;
  if (c === 101 /* e */ || c === 69 /* E */) {
    c = s.charCodeAt(++i);
    if (c === 43 || c === 45) c = s.charCodeAt(++i);
    let exponent = 0;
    while (c >= 48 && c <= 57) {
      exponent++;
      c = s.charCodeAt(++i);
    }
    if (exponent === 0) return null;
  }
  return i === s.length ? Number(s) : null;
}

/**
 * `decimalValue` for the common cell, at the cost of `Number` alone: a finite Number of a string
 * that starts with a digit, sign or point and ends in a digit or point is a plain decimal, unless
 * it is `0x…`, `0o…` or `0b…`. Null means "ask decimalValue / parseNumber".
 */
function quickDecimal(s: string): number | null {
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  if (!((first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46)) return null;
  if (!((last >= 48 && last <= 57) || last === 46)) return null;
  const v = +s;
  if (v - v !== 0) return null; // NaN or ±Infinity (1e999): decimalValue decides
  if (first === 48 && s.length > 2) {
    const x = s.charCodeAt(1) | 32;
    if (x === 120 /* x */ || x === 111 /* o */ || x === 98 /* b */) return null;
  }
  return v;
}

/** A cell or JSON string as a number (NaN/±Inf spelled any common way count), or null if it is not one. */
export function parseNumber(text: string): number | null {
  const quick = quickDecimal(text);
  if (quick !== null) return quick;
  let s = text.trim();
  const trimmed = decimalValue(s);
  if (trimmed !== null) return trimmed;
  const tensor = s.startsWith('tensor(') ? TORCH_TENSOR.exec(s) : null;
  if (tensor) s = tensor[1]!;
  const inTensor = decimalValue(s);
  if (inTensor !== null) return inTensor;
  const nf = NON_FINITE.exec(s);
  if (nf) {
    if (nf[2]!.toLowerCase() === 'nan') return NaN;
    return nf[1] === '-' ? -Infinity : Infinity;
  }
  return null;
}

export { toRawSeries };

/**
 * Decodes text bytes (UTF-8, or UTF-16LE with its BOM as Excel saves; BOM dropped); refuses binary
 * bytes: NULs in the first line (unless `firstLineIsRecord`), or in a quarter of the first 4 KiB. A
 * few NULs elsewhere are a hole in a text file (a disk hiccup), left for the reader to skip as a
 * damaged line.
 */
export function decodeText(bytes: Uint8Array, fileName: string, firstLineIsRecord = false): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  const probe = bytes.subarray(0, 4096);
  const nul = probe.indexOf(0);
  if (nul >= 0) {
    let breakAt = probe.indexOf(10);
    const cr = probe.indexOf(13);
    if (cr >= 0 && (breakAt < 0 || cr < breakAt)) breakAt = cr;
    let nuls = 0;
    for (let i = nul; i < probe.length; i++) if (probe[i] === 0) nuls++;
    // A first line that is a header must be readable; one that is a record (JSON lines) may be damaged.
    if (breakAt < 0 || (nul < breakAt && !firstLineIsRecord) || nuls * 4 > probe.length) throw new ReadFailure(t('{0}: not a text file (it contains NUL bytes)', fileName));
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * Reads a CSV table with a header row into one series per numeric column. A cell that is not a
 * number is skipped for its column (the column survives while most of its cells are numbers); a
 * row that cannot be placed at all (its step is not a number, or it has more cells than the header)
 * is skipped whole; both are told in `report`.
 */
export function readCsvSeries(bytes: Uint8Array, fileName: string, report?: SkipReport): RawSeries[] {
  const text = decodeText(bytes, fileName);
  const reader = new CsvReader(fileName);
  return reader.series(text.slice(reader.push(text)), false, report);
}

// A column whose first this many cells are all text is a text column: its later cells are not looked at.
const TEXT_COLUMN_CELLS = 64;
// Lines of unreadable cells remembered per column, to count rows once across columns.
const TEXT_LINES_KEPT = 4096;

interface CsvColumn {
  index: number;
  /** False once the column is known to be text (see TEXT_COLUMN_CELLS). */
  numeric: boolean;
  builder: SeriesBuilder;
  /** Non-empty cells that are not numbers, and the lines of the first TEXT_LINES_KEPT of them. */
  text: number;
  textLines: number[];
}

interface CsvMark {
  delimiter: number;
  line: number;
  sawText: boolean;
  header: string[] | null;
  noHeader: boolean;
  rows: number;
  stepColumn: number;
  stepFound: boolean;
  columns: CsvColumn[];
  states: { numeric: boolean; builder: BuilderMark; text: number; textLines: number[]; textLineCount: number }[];
  rowSkips: SkipMark;
  unplaced: SkipMark;
}

/**
 * A CSV table read in pieces as it grows: `push` takes the text that follows what it consumed
 * before and reads its complete rows; `series` gives what reading everything pushed plus the
 * unfinished end of the file, in one go, would give, and forgets that end again.
 */
export class CsvReader {
  private delimiter = -1;
  private line = 1;
  private sawText = false;
  private header: string[] | null = null;
  private noHeader = false;
  private rows = 0;
  private stepColumn = -1;
  // A step column counts once some data row has a number in it; until then rows are numbered.
  private stepFound = false;
  private columns: CsvColumn[] = [];
  // Rows skipped whole (unplaceable); unreadable cells are counted per column, since whether they
  // are damage depends on whether their column is a series in the end.
  private readonly rowSkips = new SkipTally();
  // Rows whose step cell is text, before any step was a number: damage once the column proves a step column.
  private readonly unplaced = new SkipTally();

  constructor(private readonly fileName: string) {}

  /** Reads the complete rows at the start of `text`; returns how many characters they took. */
  push(text: string): number {
    return this.read(text, false);
  }

  /**
   * The series of everything pushed plus `rest`, the file's unfinished end (a row still being
   * written counts, as it would in a whole read); the reader is left as it was. `share`: hand out
   * views of memory the reader keeps (see SeriesBuilder.toRaw) instead of copies.
   */
  series(rest: string, share: boolean, report?: SkipReport): RawSeries[] {
    const mark = this.mark();
    try {
      this.read(rest, true);
      const series = this.build(share ? mark : null);
      if (report) report.skipped = this.skipped();
      return series;
    } finally {
      this.rollback(mark);
    }
  }

  /** Bytes of series memory held. */
  get heldBytes(): number {
    return this.columns.reduce((sum, c) => sum + c.builder.heldBytes, 0);
  }

  private read(text: string, final: boolean): number {
    let delimiter = this.delimiter;
    if (delimiter < 0) {
      const end = text.search(/[\r\n]/);
      if (end < 0 && !final) return 0;
      delimiter = sniffDelimiter(end < 0 ? text : text.slice(0, end)).charCodeAt(0);
    }
    const { consumed, line } = scanRows(text, delimiter, this.line, final, this.fileName, this);
    if (consumed === 0) return 0;
    // Only from a consumed first line: nothing unconsumed is remembered, it may still change.
    this.delimiter = delimiter;
    this.line = line;
    if (!this.sawText) this.sawText = /\S/.test(consumed === text.length ? text : text.slice(0, consumed));
    return consumed;
  }

  /**
   * One row from scanRows: the header, then data rows. `line`: where the row starts; `unfinished`:
   * the file's last row without its line break, maybe still being written, so what it lacks is not
   * damage.
   */
  row(cells: string[], line: number, unfinished: boolean): void {
    const header = this.header;
    if (header === null) {
      this.setHeader(cells);
      return;
    }
    if (this.noHeader) return;
    if (cells.length > header.length && extraCellsHold(cells, header.length)) {
      // A writer writes the header's cells; more is a stray line or a broken row: nothing in it has a sure column.
      if (!unfinished) this.rowSkips.skip({ line }, () => t('more cells than the header'));
      // A broken row (it holds numbers) keeps its row number, so the rows after it keep their steps.
      if (this.stepColumn < 0 && holdsNumber(cells)) this.rows++;
      return;
    }
    if (this.stepColumn < 0 && cells.length !== header.length && !holdsNumber(cells)) {
      // A line the table's writer did not write (a message printed into the file): no row number for it.
      if (!unfinished) this.rowSkips.skip({ line }, () => t('not a row of the table'));
      return;
    }
    let step = this.rows;
    if (this.stepColumn >= 0) {
      const rawStep = this.stepColumn < cells.length ? cells[this.stepColumn]! : '';
      const s = parseNumber(rawStep);
      if (s !== null && !this.stepFound) {
        // The rows so far had no step: they had row numbers, and now they have no place.
        this.stepFound = true;
        for (const col of this.columns) {
          col.builder = new SeriesBuilder();
          col.text = 0;
          col.textLines = [];
        }
        this.rowSkips.absorb(this.unplaced);
      }
      if (this.stepFound) {
        if (s === null || !Number.isFinite(s)) {
          // A row without a usable step cannot be placed; with no step at all it logged none (not damage).
          if (!unfinished && rawStep !== '') this.rowSkips.skip({ line }, () => t('the step is not a number'));
          return;
        }
        step = s;
      } else if (rawStep !== '' && !unfinished) this.unplaced.skip({ line }, () => t('the step is not a number'));
    }
    this.rows++;
    for (const col of this.columns) {
      if (!col.numeric) continue;
      const raw = col.index < cells.length ? cells[col.index]! : '';
      if (raw === '') continue; // sparse column: this row logged something else
      let value = quickDecimal(raw);
      if (value === null) {
        if (!raw.trim()) continue;
        value = parseNumber(raw);
        if (value === null) {
          if (unfinished) continue;
          // Skipped for this column only; build() decides whether the column is text or this cell damage.
          if (col.textLines.length < TEXT_LINES_KEPT) col.textLines.push(line);
          if (++col.text >= TEXT_COLUMN_CELLS && col.builder.length === 0) col.numeric = false;
          continue;
        }
      }
      col.builder.push(step, value);
    }
  }

  /** scanRows' report of a row whose quoted field never closes: skipped whole. */
  unclosedQuote(line: number, quoteLine: number, unfinished: boolean): void {
    if (this.header === null) throw new ReadFailure(t('{0}: the quoted field starting on line {1} is never closed', this.fileName, quoteLine));
    if (!unfinished) this.rowSkips.skip({ line }, () => t('a quoted cell is never closed'));
  }

  /** What was skipped: whole rows, and rows with an unreadable cell in a column that is a series. */
  private skipped(): SkippedRecords | null {
    const kept = this.columns.filter(isSeriesColumn);
    const damaged = kept.filter((c) => c.text > 0);
    if (!damaged.length) return this.rowSkips.result();
    const lines = new Set<number>();
    let atLeast = 0;
    for (const col of damaged) {
      for (const l of col.textLines) lines.add(l);
      atLeast = Math.max(atLeast, col.text);
    }
    let first = Infinity;
    for (const l of lines) if (l < first) first = l;
    const rowFirst = this.rowSkips.firstPlace;
    const cells = Math.max(lines.size, atLeast);
    if (rowFirst && 'line' in rowFirst && rowFirst.line < first) {
      return { count: this.rowSkips.count + cells, first: rowFirst, reason: this.rowSkips.firstReason };
    }
    const col = damaged.find((c) => c.textLines.includes(first))!;
    const name = this.header![col.index] || t('column {0}', col.index + 1);
    return { count: this.rowSkips.count + cells, first: { line: first }, reason: t('"{0}" is not a number', name) };
  }

  private setHeader(cells: string[]): void {
    const header = cells.map((h) => h.trim());
    this.header = header;
    if (header.every((h) => parseNumber(h) !== null)) {
      this.noHeader = true;
      return;
    }
    // pandas `to_csv` writes its row index as a first column with an empty (or "Unnamed: 0") name.
    const indexColumn = header[0] === '' || /^unnamed: ?0$/i.test(header[0]!) ? 0 : -1;
    const stepName = stepKey(header);
    this.stepColumn = stepName === null ? indexColumn : header.indexOf(stepName);
    const columns: CsvColumn[] = [];
    for (let c = 0; c < header.length; c++) {
      if (c === this.stepColumn || c === indexColumn || isBookkeepingKey(header[c]!)) continue;
      columns.push({ index: c, numeric: true, builder: new SeriesBuilder(), text: 0, textLines: [] });
    }
    this.columns = columns;
  }

  private build(mark: CsvMark | null): RawSeries[] {
    if (!this.sawText || this.header === null) throw new ReadFailure(t('{0}: the file is empty', this.fileName));
    if (this.noHeader) {
      throw new ReadFailure(t('{0}: no header row (the first row is numbers; name the columns, e.g. step,d_loss,g_loss)', this.fileName));
    }
    if (this.rows === 0) {
      const first = this.rowSkips.firstPlace;
      // Every row damaged: the first says why, as a file that cannot be read does.
      if (first && 'line' in first) throw new ReadFailure(t('{0}: line {1}: {2}', this.fileName, first.line, this.rowSkips.firstReason));
      throw new ReadFailure(t('{0}: a header but no data rows', this.fileName));
    }
    const header = this.header;
    const series: RawSeries[] = [];
    this.columns.forEach((col, i) => {
      if (!isSeriesColumn(col)) return;
      // Shared only when the unfinished end added nothing to it: that part is rewritten next time.
      const before = mark && mark.columns === this.columns ? mark.states[i]!.builder : null;
      const share = before !== null && before.builder === col.builder && before.length === col.builder.length;
      series.push(col.builder.toRaw(header[col.index] || t('column {0}', col.index + 1), col.index, share));
    });
    if (!series.length) throw new ReadFailure(t('{0}: no numeric column besides step, epoch and time columns', this.fileName));
    return series;
  }

  private mark(): CsvMark {
    return {
      delimiter: this.delimiter,
      line: this.line,
      sawText: this.sawText,
      header: this.header,
      noHeader: this.noHeader,
      rows: this.rows,
      stepColumn: this.stepColumn,
      stepFound: this.stepFound,
      columns: this.columns,
      states: this.columns.map((c) => ({ numeric: c.numeric, builder: markBuilder(c.builder), text: c.text, textLines: c.textLines, textLineCount: c.textLines.length })),
      rowSkips: this.rowSkips.mark(),
      unplaced: this.unplaced.mark(),
    };
  }

  private rollback(mark: CsvMark): void {
    this.delimiter = mark.delimiter;
    this.line = mark.line;
    this.sawText = mark.sawText;
    this.header = mark.header;
    this.noHeader = mark.noHeader;
    this.rows = mark.rows;
    this.stepColumn = mark.stepColumn;
    this.stepFound = mark.stepFound;
    this.columns = mark.columns;
    mark.columns.forEach((col, i) => {
      const state = mark.states[i]!;
      col.numeric = state.numeric;
      col.builder = rollbackBuilder(state.builder);
      col.text = state.text;
      col.textLines = state.textLines;
      col.textLines.length = state.textLineCount;
    });
    this.rowSkips.rollback(mark.rowSkips);
    this.unplaced.rollback(mark.unplaced);
  }
}

/** A column is a series unless most of its cells are not numbers: a text column is not a loss. */
function isSeriesColumn(col: CsvColumn): boolean {
  return col.numeric && col.builder.length > 0 && col.builder.length >= col.text;
}

function extraCellsHold(cells: string[], from: number): boolean {
  for (let i = from; i < cells.length; i++) if (cells[i]!.trim() !== '') return true;
  return false;
}

function holdsNumber(cells: string[]): boolean {
  return cells.some((c) => parseNumber(c) !== null);
}

/** Comma unless the header has none and uses tabs or semicolons instead. */
function sniffDelimiter(first: string): string {
  if (first.includes(',')) return ',';
  if (first.includes('\t')) return '\t';
  if (first.includes(';')) return ';';
  return ',';
}

/**
 * RFC 4180 rows: quoted fields may hold delimiters, `""` and line breaks; lines end in LF, CRLF
 * or CR; blank lines are skipped. Returns at least one row for non-blank text.
 */
export function parseCsv(text: string, delimiter: string, fileName: string): string[][] {
  const rows: string[][] = [];
  scanRows(text, delimiter.charCodeAt(0), 1, true, fileName, {
    row: (cells) => rows.push(cells),
    unclosedQuote: (_line, quoteLine) => {
      throw new ReadFailure(t('{0}: the quoted field starting on line {1} is never closed', fileName, quoteLine));
    },
  });
  return rows;
}

/** Where scanRows hands the rows it reads (see CsvReader.row), and the rows it cannot read. */
interface RowSink {
  row(cells: string[], line: number, unfinished: boolean): void;
  /** A row whose quoted field never closes: reading goes on at the line after its opening quote. */
  unclosedQuote(line: number, quoteLine: number, unfinished: boolean): void;
}

/**
 * Hands each non-blank row of `text` to `sink`. `final`: the text ends the file, so its end ends
 * the last row and an open quote is an error; otherwise a row counts only once its line break is
 * there (a CR at the very end may be half of a CRLF) and reading stops before an unfinished row.
 * Returns the characters consumed and the line number after them.
 */
function scanRows(text: string, delim: number, firstLine: number, final: boolean, fileName: string, sink: RowSink): { consumed: number; line: number } {
  const n = text.length;
  let i = 0;
  let consumed = 0;
  let committedLine = firstLine;
  rows: while (i < n) {
    let line = committedLine;
    const row: string[] = [];
    for (;;) {
      let field: string;
      if (text.charCodeAt(i) === 34 /* " */) {
        const startLine = line;
        const quoteAt = i;
        i++;
        field = '';
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) {
            if (!final) break rows;
            // A stray quote (a damaged row): the row ends where its opening quote's line ends.
            i = quoteAt;
            while (i < n && !isBreak(text.charCodeAt(i))) i++;
            sink.unclosedQuote(committedLine, startLine, i >= n);
            if (i < n) i += text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
            consumed = i;
            committedLine = startLine + 1;
            continue rows;
          }
          const chunk = text.slice(i, q);
          line += countBreaks(chunk);
          field += chunk;
          if (text.charCodeAt(q + 1) === 34) {
            field += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        // Text after the closing quote is kept, as spreadsheet programs do.
        while (i < n && !isBreak(text.charCodeAt(i)) && text.charCodeAt(i) !== delim) field += text[i++];
      } else {
        const start = i;
        for (; i < n; i++) {
          const c = text.charCodeAt(i);
          if (c === delim || c === 10 || c === 13) break;
        }
        field = text.slice(start, i);
      }
      row.push(field);
      let end: number;
      if (i >= n) {
        if (!final) break rows;
        end = n;
      } else if (text.charCodeAt(i) === delim) {
        i++;
        if (i < n) continue;
        if (!final) break rows;
        row.push('');
        end = n;
      } else {
        if (!final && i + 1 === n && text.charCodeAt(i) === 13) break rows;
        // CRLF, LF or a lone CR ends the row.
        end = i += text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
        line++;
      }
      if (!(row.length === 1 && row[0] === '')) sink.row(row, committedLine, end === n && final && !isBreak(text.charCodeAt(n - 1)));
      consumed = end;
      committedLine = line;
      continue rows;
    }
  }
  return { consumed, line: committedLine };
}

function isBreak(c: number): boolean {
  return c === 10 || c === 13;
}

function countBreaks(s: string): number {
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) count++;
    else if (c === 13 && s.charCodeAt(i + 1) !== 10) count++;
  }
  return count;
}
