// CSV loss tables: Lightning `metrics.csv` (sparse columns), `losses.csv`, pandas `to_csv` output.
// Also holds what the record-shaped readers share: which column is the step, which to skip,
// how a cell becomes a number, and how (step, value) pairs become a RawSeries.
import type { RawSeries } from '../model';
import { t } from '../l10n';
import { ReadFailure } from '../readers';

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

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE = /^([+-]?)(nan|inf|infinity)$/i;
// `str(loss)` of a PyTorch tensor, e.g. "tensor(0.6931, device='cuda:0', grad_fn=<...>)".
const TORCH_TENSOR = /^tensor\(\s*([^,)\s]+)/;

/** A cell or JSON string as a number (NaN/±Inf spelled any common way count), or null if it is not one. */
export function parseNumber(text: string): number | null {
  let s = text.trim();
  if (DECIMAL.test(s)) return Number(s);
  const tensor = s.startsWith('tensor(') ? TORCH_TENSOR.exec(s) : null;
  if (tensor) s = tensor[1]!;
  if (DECIMAL.test(s)) return Number(s);
  const nf = NON_FINITE.exec(s);
  if (nf) {
    if (nf[2]!.toLowerCase() === 'nan') return NaN;
    return nf[1] === '-' ? -Infinity : Infinity;
  }
  return null;
}

/**
 * Builds a series from (step, value) pairs in file order. Steps must increase for the model:
 * files appended after a resumed run can go back, so those are stably sorted by step.
 */
export function toRawSeries(name: string, column: number | null, steps: ArrayLike<number>, values: ArrayLike<number>): RawSeries {
  const n = steps.length;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if (steps[i]! < steps[i - 1]!) sorted = false;
  if (sorted) return { name, column, steps: Float64Array.from(steps), values: Float64Array.from(values) };
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => steps[a]! - steps[b]! || a - b);
  return {
    name,
    column,
    steps: Float64Array.from(order, (i) => steps[i]!),
    values: Float64Array.from(order, (i) => values[i]!),
  };
}

/** Decodes text bytes (UTF-8, or UTF-16LE with its BOM as Excel saves; BOM dropped); refuses binary bytes. */
export function decodeText(bytes: Uint8Array, fileName: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  const probe = bytes.subarray(0, 4096);
  if (probe.includes(0)) throw new ReadFailure(t('{0}: not a text file (it contains NUL bytes)', fileName));
  return new TextDecoder('utf-8').decode(bytes);
}

/** Reads a CSV table with a header row into one series per numeric column. */
export function readCsvSeries(bytes: Uint8Array, fileName: string): RawSeries[] {
  const text = decodeText(bytes, fileName);
  if (!text.trim()) throw new ReadFailure(t('{0}: the file is empty', fileName));
  const rows = parseCsv(text, sniffDelimiter(text), fileName);
  const header = rows[0]!.map((h) => h.trim());
  if (header.every((h) => parseNumber(h) !== null)) {
    throw new ReadFailure(t('{0}: no header row (the first row is numbers; name the columns, e.g. step,d_loss,g_loss)', fileName));
  }
  if (rows.length < 2) throw new ReadFailure(t('{0}: a header but no data rows', fileName));

  // pandas `to_csv` writes its row index as a first column with an empty (or "Unnamed: 0") name.
  const indexColumn = header[0] === '' || /^unnamed: ?0$/i.test(header[0]!) ? 0 : -1;
  const stepName = stepKey(header);
  let stepColumn = stepName === null ? indexColumn : header.indexOf(stepName);
  const cell = (row: string[], c: number) => (c < row.length ? row[c]! : '');
  if (stepColumn >= 0 && !rows.some((row, r) => r > 0 && parseNumber(cell(row, stepColumn)) !== null)) stepColumn = -1;
  // Step of each data row; NaN where the row has no usable step (its values cannot be placed).
  const rowSteps = new Float64Array(rows.length - 1);
  for (let r = 1; r < rows.length; r++) {
    const step = stepColumn < 0 ? r - 1 : parseNumber(cell(rows[r]!, stepColumn));
    rowSteps[r - 1] = step !== null && Number.isFinite(step) ? step : NaN;
  }

  const series: RawSeries[] = [];
  for (let c = 0; c < header.length; c++) {
    if (c === stepColumn || c === indexColumn || isBookkeepingKey(header[c]!)) continue;
    const steps: number[] = [];
    const values: number[] = [];
    let numeric = true;
    for (let r = 1; r < rows.length && numeric; r++) {
      const raw = cell(rows[r]!, c);
      if (!raw.trim()) continue; // sparse column: this row logged something else
      const value = parseNumber(raw);
      if (value === null) numeric = false;
      else {
        const step = rowSteps[r - 1]!;
        if (Number.isNaN(step)) continue;
        steps.push(step);
        values.push(value);
      }
    }
    if (numeric && values.length) series.push(toRawSeries(header[c] || t('column {0}', c + 1), c, steps, values));
  }
  if (!series.length) throw new ReadFailure(t('{0}: no numeric column besides step, epoch and time columns', fileName));
  return series;
}

/** Comma unless the header has none and uses tabs or semicolons instead. */
function sniffDelimiter(text: string): string {
  const end = text.search(/[\r\n]/);
  const first = end < 0 ? text : text.slice(0, end);
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
  const delim = delimiter.charCodeAt(0);
  const n = text.length;
  let row: string[] = [];
  let line = 1;
  let i = 0;
  const endRow = () => {
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
  };
  while (i <= n) {
    if (i === n) {
      if (row.length) endRow();
      break;
    }
    let field = '';
    if (text.charCodeAt(i) === 34 /* " */) {
      const startLine = line;
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new ReadFailure(t('{0}: the quoted field starting on line {1} is never closed', fileName, startLine));
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
      while (i < n && !isBreak(text.charCodeAt(i)) && text.charCodeAt(i) !== delim) i++;
      field = text.slice(start, i);
    }
    row.push(field);
    if (i >= n) {
      endRow();
      break;
    }
    const c = text.charCodeAt(i);
    if (c === delim) {
      i++;
      if (i === n) {
        row.push('');
        endRow();
        break;
      }
    } else {
      // CRLF, LF or a lone CR ends the row.
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
      line++;
      endRow();
    }
  }
  return rows;
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
