// Chainer's LogReport `log`: a JSON array of objects such as
// {"epoch": 1, "iteration": 100, "gen/loss": 1.9, "dis/loss": 0.4, "elapsed_time": 12.3}.
//
// Damage policy: an intact log is one JSON.parse. When that fails, the array is scanned record by
// record (never evaluated): each `{…}` is parsed on its own, a damaged one is skipped (SkipTally,
// see skipped.ts) and reading resumes at the next `{` that can start a record (before a key, not
// after a `:`), so every intact record around a damaged one is kept. A log cut short while
// LogReport rewrites it keeps its complete records and says nothing.
import type { RawSeries } from '../model';
import { t } from '../l10n';
import { ReadFailure } from './errors';
import { decodeText } from './records';
import { isRecord, seriesFromRecords, withNonFiniteAsStrings, type LogRecord } from './jsonl';
import { SkipTally, type SkipReport } from './skipped';

/** Reads a Chainer log; steps from `iteration` (else `epoch`), one series per numeric key. */
export function readChainerLog(bytes: Uint8Array, fileName: string, report?: SkipReport): RawSeries[] {
  const text = decodeText(bytes, fileName, true);
  if (!text.trim()) throw new ReadFailure(t('{0}: the file is empty', fileName));
  let parsed: unknown;
  try {
    parsed = JSON.parse(withNonFiniteAsStrings(text));
  } catch {
    return readDamagedLog(text, fileName, report);
  }
  if (!Array.isArray(parsed) || !parsed.every(isRecord)) {
    throw new ReadFailure(t('{0}: not a Chainer log (expected a JSON array of objects)', fileName));
  }
  if (!parsed.length) throw new ReadFailure(t('{0}: the log has no entries yet', fileName));
  return seriesFromRecords(parsed, fileName);
}

function readDamagedLog(text: string, fileName: string, report?: SkipReport): RawSeries[] {
  const start = firstNonSpace(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  if (text[start] !== '[') throw new ReadFailure(t('{0}: not valid JSON', fileName));
  const { records, skips } = scanRecords(text, start + 1);
  if (!records.length) {
    const first = skips.firstPlace;
    if (first && 'line' in first) {
      throw new ReadFailure(t('{0}: no record can be read; line {1}: {2}', fileName, first.line, skips.firstReason));
    }
    throw new ReadFailure(t('{0}: the log has no entries yet', fileName));
  }
  const series = seriesFromRecords(records, fileName);
  if (report) report.skipped = skips.result();
  return series;
}

/** The intact records of a damaged JSON array of objects, from just after its `[`. */
export function scanRecords(text: string, from: number): { records: LogRecord[]; skips: SkipTally } {
  const records: LogRecord[] = [];
  const skips = new SkipTally();
  const lines = new LineCounter(text);
  const n = text.length;
  let i = from;
  // A damaged fragment with no `}` before the next `{` never closed: that `{` (a flipped byte's,
  // inside the same record) starts more of the same damage, not a record of its own to count.
  let inDamage = false;
  const damaged = (at: number, reason: () => string): boolean => {
    if (!inDamage) skips.skip({ line: lines.at(at) }, reason);
    const next = nextRecordStart(text, at + 1);
    if (next < 0) return false;
    inDamage = text.lastIndexOf('}', next) < at;
    i = next;
    return true;
  };
  // A `,` belongs after a record; anywhere else it, and its absence there, is damage too.
  let afterRecord = false;
  let recordEnd = 0;
  for (;;) {
    i = firstNonSpace(text, i);
    // The end (a `]` with nothing after it), or cut short there.
    if (i >= n || (text[i] === ']' && firstNonSpace(text, i + 1) >= n)) break;
    if (afterRecord) {
      afterRecord = false;
      if (text[i] === ',') i = firstNonSpace(text, i + 1);
      else if (text[i] === '{') skips.skip({ line: lines.at(recordEnd) }, () => t('a comma is missing'));
      if (i >= n) break;
    }
    if (text[i] !== '{') {
      if (!damaged(i, () => t('not a JSON object'))) break;
      continue;
    }
    const end = objectEnd(text, i);
    if (end < 0) {
      // Runs to the end of the text: cut short while being written, unless the array is closed after it.
      if (!/\]\s*$/.test(text.slice(i)) && nextRecordStart(text, i + 1) < 0) break;
      if (!damaged(i, () => t('not valid JSON'))) break;
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(withNonFiniteAsStrings(text.slice(i, end)));
    } catch {
      if (!damaged(i, () => t('not valid JSON'))) break;
      continue;
    }
    if (!isRecord(value)) {
      if (!damaged(i, () => t('not a JSON object'))) break;
      continue;
    }
    records.push(value);
    inDamage = false;
    i = recordEnd = end;
    afterRecord = true;
  }
  return { records, skips };
}

/** The index after the `}` closing the object that opens at `open` (strings respected); -1 when it never closes. */
function objectEnd(text: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */) depth++;
    else if (c === 125 /* } */ && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * The next `{` at or after `from` that may start an array element: before a key (or `}`), and not
 * after a `"key":` on its line (that is an object inside a record). Damage can leave anything before a record's
 * `{` (its `,` gone, stray text), so nothing more is asked; what is found must still parse.
 */
function nextRecordStart(text: string, from: number): number {
  for (let i = text.indexOf('{', from); i >= 0; i = text.indexOf('{', i + 1)) {
    const after = text[firstNonSpace(text, i + 1)];
    if (after !== '"' && after !== '}') continue;
    let b = i - 1;
    while (b >= 0 && (text[b] === ' ' || text[b] === '\t')) b--;
    if (text[b] !== ':') return i;
    b--;
    while (b >= 0 && (text[b] === ' ' || text[b] === '\t')) b--;
    if (text[b] !== '"') return i;
  }
  return -1;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function firstNonSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Line numbers of increasing positions, counted once. */
class LineCounter {
  private pos = 0;
  private line = 1;
  constructor(private readonly text: string) {}
  at(pos: number): number {
    for (; this.pos < pos; this.pos++) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 10 || (c === 13 && this.text.charCodeAt(this.pos + 1) !== 10)) this.line++;
    }
    return this.line;
  }
}
