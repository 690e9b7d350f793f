// CSV loss tables: Lightning `metrics.csv` (sparse columns), `losses.csv`, pandas `to_csv` output.
import type { RawSeries } from '../model';
import { t } from '../l10n';
import { ReadFailure } from './errors';
import { decodeText, isBookkeepingKey, parseNumber, quickDecimal, stepKey } from './records';
import { markBuilder, rollbackBuilder, SeriesBuilder, type BuilderMark } from './seriesBuilder';

/** Reads a CSV table with a header row into one series per numeric column. */
export function readCsvSeries(bytes: Uint8Array, fileName: string): RawSeries[] {
  const text = decodeText(bytes, fileName);
  const reader = new CsvReader(fileName);
  return reader.series(text.slice(reader.push(text)), false);
}

interface CsvColumn {
  index: number;
  numeric: boolean;
  builder: SeriesBuilder;
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
  states: { numeric: boolean; builder: BuilderMark }[];
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
  series(rest: string, share: boolean): RawSeries[] {
    const mark = this.mark();
    try {
      this.read(rest, true);
      return this.build(share ? mark : null);
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

  /** One row from scanRows: the header, then data rows. */
  row(cells: string[]): void {
    if (this.header === null) {
      this.setHeader(cells);
      return;
    }
    if (this.noHeader) return;
    const r = this.rows++;
    let step = r;
    if (this.stepColumn >= 0) {
      const s = parseNumber(this.stepColumn < cells.length ? cells[this.stepColumn]! : '');
      if (s !== null && !this.stepFound) {
        // The rows so far had no step: they had row numbers, and now they have no place.
        this.stepFound = true;
        for (const col of this.columns) col.builder = new SeriesBuilder();
      }
      if (this.stepFound) step = s !== null && Number.isFinite(s) ? s : NaN;
    }
    for (const col of this.columns) {
      if (!col.numeric) continue;
      const raw = col.index < cells.length ? cells[col.index]! : '';
      if (raw === '') continue; // sparse column: this row logged something else
      let value = quickDecimal(raw);
      if (value === null) {
        if (!raw.trim()) continue;
        value = parseNumber(raw);
        if (value === null) {
          col.numeric = false;
          col.builder = new SeriesBuilder();
          continue;
        }
      }
      if (step === step) col.builder.push(step, value); // rows without a usable step cannot be placed
    }
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
      columns.push({ index: c, numeric: true, builder: new SeriesBuilder() });
    }
    this.columns = columns;
  }

  private build(mark: CsvMark | null): RawSeries[] {
    if (!this.sawText || this.header === null) throw new ReadFailure(t('{0}: the file is empty', this.fileName));
    if (this.noHeader) {
      throw new ReadFailure(t('{0}: no header row (the first row is numbers; name the columns, e.g. step,d_loss,g_loss)', this.fileName));
    }
    if (this.rows === 0) throw new ReadFailure(t('{0}: a header but no data rows', this.fileName));
    const header = this.header;
    const series: RawSeries[] = [];
    this.columns.forEach((col, i) => {
      if (!col.numeric || !col.builder.length) return;
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
      states: this.columns.map((c) => ({ numeric: c.numeric, builder: markBuilder(c.builder) })),
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
    });
  }
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
  scanRows(text, delimiter.charCodeAt(0), 1, true, fileName, { row: (cells) => rows.push(cells) });
  return rows;
}

/** Where scanRows hands the rows it reads. */
interface RowSink {
  row(cells: string[]): void;
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
        i++;
        field = '';
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) {
            if (!final) break rows;
            throw new ReadFailure(t('{0}: the quoted field starting on line {1} is never closed', fileName, startLine));
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
      if (!(row.length === 1 && row[0] === '')) sink.row(row);
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
