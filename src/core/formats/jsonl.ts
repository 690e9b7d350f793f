// JSON lines loss logs (one object per line, e.g. `{"step": 10, "d_loss": 0.6, "g_loss": 0.8}`),
// plus what the Chainer log reader shares with it: records of keys → one series per numeric key.
import type { RawSeries } from '../model';
import { t } from '../l10n';
import { ReadFailure } from './errors';
import { decodeText, isBookkeepingKey, parseNumber, readLines, stepKey, type LogRecord } from './records';
import { metricReport, statMean } from './stylegan';
import { markBuilder, rollbackBuilder, SeriesBuilder, type BuilderMark } from './seriesBuilder';
import { SkipTally, type SkipReport } from './skipped';

export type { LogRecord };

/**
 * Reads a `.jsonl` / `.ndjson` file: one JSON object per non-blank line. A line that is not one
 * (damaged, or a stray line printed into the log) is skipped and told in `report`; the file is
 * refused only when no line is.
 */
export function readJsonlSeries(bytes: Uint8Array, fileName: string, report?: SkipReport): RawSeries[] {
  const text = decodeText(bytes, fileName, true);
  const reader = new JsonlReader(fileName);
  return reader.series(text.slice(reader.push(text)), false, report);
}

/**
 * A JSON lines file read in pieces as it grows, like CsvReader: `push` reads the complete lines,
 * `series` adds the unfinished last line the way a whole read does and forgets it again.
 */
export class JsonlReader {
  private line = 0;
  private readonly records: RecordSeries;
  private readonly skips = new SkipTally();

  constructor(private readonly fileName: string) {
    this.records = new RecordSeries(fileName);
  }

  /** Reads the complete lines at the start of `text`; returns how many characters they took. */
  push(text: string): number {
    return this.read(text, false);
  }

  /** The series of everything pushed plus `rest`, the file's unfinished end; the reader is left as it was. */
  series(rest: string, share: boolean, report?: SkipReport): RawSeries[] {
    const line = this.line;
    const mark = this.records.mark();
    const skipMark = this.skips.mark();
    try {
      this.read(rest, true);
      if (!this.records.count) {
        const first = this.skips.firstPlace;
        // Nothing readable: the first bad line says why, as it did before lines were skipped.
        if (first && 'line' in first) throw new ReadFailure(t('{0}: line {1} is {2}', this.fileName, first.line, this.skips.firstReason));
        throw new ReadFailure(t('{0}: the file is empty', this.fileName));
      }
      const series = this.records.series(share ? mark : null);
      if (report) report.skipped = this.skips.result();
      return series;
    } finally {
      this.line = line;
      this.records.rollback(mark);
      this.skips.rollback(skipMark);
    }
  }

  get heldBytes(): number {
    return this.records.heldBytes;
  }

  /** Reads the lines as `readLines` splits them; a tentative last line is dropped when cut short. */
  private read(text: string, final: boolean): number {
    return readLines(text, final, (line, tentative) => this.readLine(line, tentative));
  }

  /**
   * A line that was a record (it holds a `{` or a `":`) keeps its place, so the records after it
   * keep their steps when steps are positions; a line printed into the log (`Epoch 3/10`) has none.
   */
  private skipLine(number: number, line: string, reason: () => string): void {
    this.skips.skip({ line: number }, reason);
    if (line.includes('{') || line.includes('":')) this.records.skipPlace();
  }

  private readLine(raw: string, mayBeCut: boolean): void {
    const number = ++this.line;
    const line = raw.trim();
    if (!line) return;
    let value: unknown;
    try {
      value = JSON.parse(withNonFiniteAsStrings(line));
    } catch {
      // A last line cut short is still being written, not damage.
      if (mayBeCut && this.records.count) return;
      this.skipLine(number, line, () => t('not valid JSON'));
      return;
    }
    if (!isRecord(value)) {
      this.skipLine(number, line, () => t('not a JSON object'));
      return;
    }
    this.records.add(value);
  }
}

/**
 * One series per key whose values are all numbers (null or absent = not logged at that record).
 * Nested objects become `outer/inner` keys. Steps come from a step/iteration (else epoch) key,
 * else the record's position.
 */
export function seriesFromRecords(records: readonly LogRecord[], fileName: string): RawSeries[] {
  const series = new RecordSeries(fileName);
  for (const r of records) series.add(r);
  return series.series(null);
}

interface KeyState {
  /** Null for keys that are never a series: steps, epochs, clocks. */
  builder: SeriesBuilder | null;
  numeric: boolean;
}

interface RecordsMark {
  count: number;
  place: number;
  stepName: string | null;
  keys: number;
  states: { state: KeyState; numeric: boolean; builder: BuilderMark | null }[];
}

/** Records of keys → series, one record at a time (what `seriesFromRecords` does at once). */
class RecordSeries {
  count = 0;
  /** Records read and damaged records skipped: a record's step when the records have no step key. */
  private place = 0;
  private readonly keys: string[] = [];
  private readonly byKey = new Map<string, KeyState>();
  private stepName: string | null = null;

  constructor(private readonly fileName: string) {}

  /** A damaged record: it is not read, but the records after it keep their places. */
  skipPlace(): void {
    this.place++;
  }

  add(given: LogRecord): void {
    const record = metricReport(given) ?? given;
    this.count++;
    const index = this.place++;
    const flat = isFlat(record) ? null : flatten(record);
    const keys = flat ? [...flat.keys()] : Object.keys(record);
    const values = flat ? [...flat.values()] : Object.values(record);
    let newStepName = false;
    for (const k of keys) {
      if (this.byKey.has(k)) continue;
      const bookkeeping = isBookkeepingKey(k);
      this.keys.push(k);
      this.byKey.set(k, { builder: bookkeeping ? null : new SeriesBuilder(), numeric: true });
      if (bookkeeping) newStepName = true;
    }
    if (newStepName) {
      const stepName = stepKey(this.keys);
      if (stepName !== this.stepName) {
        // A step key no earlier record had: those records have no step now, so nothing of theirs is placed.
        this.stepName = stepName;
        for (const state of this.byKey.values()) if (state.builder) state.builder = new SeriesBuilder();
      }
    }
    let step: number | null = index;
    if (this.stepName !== null) {
      const at = keys.indexOf(this.stepName);
      const s = at < 0 ? null : asNumber(values[at]);
      step = s !== null && Number.isFinite(s) ? s : null;
    }
    for (let i = 0; i < keys.length; i++) {
      const state = this.byKey.get(keys[i]!)!;
      if (!state.builder || !state.numeric) continue;
      const raw = values[i];
      if (raw === undefined || raw === null) continue;
      const value = asNumber(raw);
      if (value === null) {
        state.numeric = false;
        state.builder = new SeriesBuilder();
      } else if (step !== null) state.builder.push(step, value);
    }
  }

  series(mark: RecordsMark | null): RawSeries[] {
    const series: RawSeries[] = [];
    this.keys.forEach((key, i) => {
      const state = this.byKey.get(key)!;
      if (!state.builder || !state.numeric || !state.builder.length) return;
      // Shared only when the unfinished end added nothing to it: that part is rewritten next time.
      const before = mark && i < mark.keys ? mark.states[i]!.builder : null;
      const share = before !== null && before.builder === state.builder && before.length === state.builder.length;
      series.push(state.builder.toRaw(key, null, share));
    });
    if (!series.length) throw new ReadFailure(t('{0}: no numeric field besides step, epoch and time fields', this.fileName));
    return series;
  }

  get heldBytes(): number {
    let sum = 0;
    for (const state of this.byKey.values()) sum += state.builder?.heldBytes ?? 0;
    return sum;
  }

  mark(): RecordsMark {
    return {
      count: this.count,
      place: this.place,
      stepName: this.stepName,
      keys: this.keys.length,
      states: this.keys.map((k) => {
        const state = this.byKey.get(k)!;
        return { state, numeric: state.numeric, builder: state.builder && markBuilder(state.builder) };
      }),
    };
  }

  rollback(mark: RecordsMark): void {
    this.count = mark.count;
    this.place = mark.place;
    this.stepName = mark.stepName;
    for (const k of this.keys.splice(mark.keys)) this.byKey.delete(k);
    for (const { state, numeric, builder } of mark.states) {
      state.numeric = numeric;
      if (builder) state.builder = rollbackBuilder(builder);
    }
  }
}

/** True when no value is an object, so the record's own keys are its flat keys. */
function isFlat(record: LogRecord): boolean {
  for (const k in record) if (isRecord(record[k])) return false;
  return true;
}

/**
 * Python's `json.dump` writes NaN, Infinity and -Infinity as bare words, which JSON.parse refuses.
 * A diverged loss is exactly such a value, so turn them into strings (outside string literals).
 */
export function withNonFiniteAsStrings(json: string): string {
  if (!json.includes('NaN') && !json.includes('Infinity')) return json;
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    if (c !== 'N' && c !== 'I' && c !== '-') continue;
    for (const word of ['NaN', '-Infinity', 'Infinity']) {
      if (json.startsWith(word, i)) {
        out += json.slice(from, i) + '"' + word + '"';
        i += word.length - 1;
        from = i + 1;
        break;
      }
    }
  }
  return out + json.slice(from);
}

export function isRecord(value: unknown): value is LogRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON value as a loss value: a number, or a spelled-out NaN/Infinity string; null for anything else. */
export function asNumber(value: unknown): number | null {
  if (typeof value === 'number') return value;
  // Only the spelled-out non-finite values: other strings are labels, not losses.
  if (typeof value === 'string' && /^[+-]?(nan|inf|infinity)$/i.test(value.trim())) return parseNumber(value);
  return null;
}

function flatten(record: LogRecord, prefix = '', out = new Map<string, unknown>(), depth = 0): Map<string, unknown> {
  for (const [k, v] of Object.entries(record)) {
    const key = prefix ? `${prefix}/${k}` : k;
    const mean = statMean(v);
    if (mean !== undefined) out.set(key, mean);
    else if (isRecord(v) && depth < 4) flatten(v, key, out, depth + 1);
    else out.set(key, v);
  }
  return out;
}
