// CSV loss tables: Lightning `metrics.csv` (sparse columns), `losses.csv`, pandas `to_csv` output.
//
// Damage policy (skipped.ts): a cell that is not a number is skipped for its column, and the column
// is refused only when most of it is text; a row that cannot be placed (step not a number, more
// cells than the header, a quote never closed) is skipped whole. Both are told as skipped records.
import type { RawSeries } from '../model';
import { t } from '../l10n';
import { ReadFailure } from './errors';
import { decodeText, isBookkeepingKey, parseNumber, quickDecimal, stepKey } from './records';
import { markBuilder, rollbackBuilder, SeriesBuilder, type BuilderMark } from './seriesBuilder';
import { SkipTally, type SkipMark, type SkipReport, type SkippedRecords } from './skipped';
import { scanRows, sniffDelimiter } from './csvRows';
import { HeaderlessRows } from './headerless';
import { exportedCsvTag } from './tensorboardExport';
import type { StoreMark } from './printedRecords';

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
  headerless: StoreMark | null;
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
  // A table whose first row is numbers: read as rows of numbers (headerless.ts).
  private headerless: HeaderlessRows | null = null;

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
      if (report) {
        report.skipped = this.skipped();
        if (this.headerless) Object.assign(report, this.headerless.told());
      }
      return series;
    } finally {
      this.rollback(mark);
    }
  }

  /** Bytes of series memory held. */
  get heldBytes(): number {
    return this.columns.reduce((sum, c) => sum + c.builder.heldBytes, 0) + (this.headerless?.heldBytes ?? 0);
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
    if (this.noHeader) {
      this.numberRow(cells, line, unfinished);
      return;
    }
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
    // TensorBoard's download of one scalar: its values are the tag the file is named after.
    const tag = exportedCsvTag(header, this.fileName);
    if (tag !== null) header[2] = tag;
    this.header = header;
    if (header.every((h) => parseNumber(h) !== null)) {
      this.noHeader = true;
      this.headerless = new HeaderlessRows(this.fileName);
      this.headerless.row(header.map((h) => parseNumber(h)!));
      this.rows++;
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
    if (this.headerless) {
      const series = this.headerless.series();
      if (!series.length) throw new ReadFailure(t('{0}: no rows of numbers', this.fileName));
      return series;
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
      states: this.columns.map((c) => ({
        numeric: c.numeric,
        builder: markBuilder(c.builder),
        text: c.text,
        textLines: c.textLines,
        textLineCount: c.textLines.length,
      })),
      rowSkips: this.rowSkips.mark(),
      unplaced: this.unplaced.mark(),
      headerless: this.headerless?.mark() ?? null,
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
    if (!mark.headerless) this.headerless = null;
    else this.headerless?.rollback(mark.headerless);
  }

  /** A row of a table without a header: its numbers, or skipped whole when a cell is not one. */
  private numberRow(cells: string[], line: number, unfinished: boolean): void {
    const values: number[] = [];
    for (const cell of cells) {
      const v = quickDecimal(cell) ?? parseNumber(cell);
      if (v === null) {
        if (!unfinished) this.rowSkips.skip({ line }, () => t('not a row of numbers'));
        return;
      }
      values.push(v);
    }
    this.headerless!.row(values);
    this.rows++;
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
