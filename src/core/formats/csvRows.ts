// CSV rows from text (RFC 4180: quotes, delimiters, LF/CRLF/CR breaks), apart from what the rows
// mean (csv.ts): the scanner hands each row, or each row it cannot read, to a sink, so a whole read
// and a live read of appended text share it.
import { t } from '../l10n';
import { ReadFailure } from './errors';

/** Comma unless the header has none and uses tabs or semicolons instead. */
export function sniffDelimiter(first: string): string {
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
export interface RowSink {
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
export function scanRows(text: string, delim: number, firstLine: number, final: boolean, fileName: string, sink: RowSink): { consumed: number; line: number } {
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
