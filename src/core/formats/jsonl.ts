// JSON lines loss logs (one object per line, e.g. `{"step": 10, "d_loss": 0.6, "g_loss": 0.8}`),
// plus what the Chainer log reader shares with it: records of keys → one series per numeric key.
import type { RawSeries } from '../model';
import { t } from '../l10n';
import { ReadFailure } from '../readers';
import { decodeText, isBookkeepingKey, parseNumber, stepKey, toRawSeries } from './csv';

export type LogRecord = Record<string, unknown>;

/** Reads a `.jsonl` / `.ndjson` file: every non-blank line must be a JSON object. */
export function readJsonlSeries(bytes: Uint8Array, fileName: string): RawSeries[] {
  const text = decodeText(bytes, fileName);
  const lines = text.split(/\r\n|\n|\r/);
  let last = lines.length - 1;
  while (last >= 0 && !lines[last]!.trim()) last--;
  // A line without its newline may still be being written by the training script.
  const lastMayBeCut = !/[\r\n]\s*$/.test(text);
  const records: LogRecord[] = [];
  for (let i = 0; i <= last; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(withNonFiniteAsStrings(line));
    } catch {
      if (i === last && lastMayBeCut && records.length) break;
      throw new ReadFailure(t('{0}: line {1} is not valid JSON', fileName, i + 1));
    }
    if (!isRecord(value)) throw new ReadFailure(t('{0}: line {1} is not a JSON object', fileName, i + 1));
    records.push(value);
  }
  if (!records.length) throw new ReadFailure(t('{0}: the file is empty', fileName));
  return seriesFromRecords(records, fileName);
}

/**
 * One series per key whose values are all numbers (null or absent = not logged at that record).
 * Nested objects become `outer/inner` keys. Steps come from a step/iteration (else epoch) key,
 * else the record's position.
 */
export function seriesFromRecords(records: readonly LogRecord[], fileName: string): RawSeries[] {
  const flat = records.map((r) => flatten(r));
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const r of flat) {
    for (const k of r.keys()) {
      if (!seen.has(k)) {
        seen.add(k);
        keys.push(k);
      }
    }
  }
  const stepName = stepKey(keys);
  const stepOf = (r: Map<string, unknown>, index: number): number | null => {
    if (stepName === null) return index;
    const s = asNumber(r.get(stepName));
    return s !== null && Number.isFinite(s) ? s : null;
  };

  const series: RawSeries[] = [];
  for (const key of keys) {
    if (isBookkeepingKey(key)) continue;
    const steps: number[] = [];
    const values: number[] = [];
    let numeric = true;
    for (let i = 0; i < flat.length && numeric; i++) {
      const raw = flat[i]!.get(key);
      if (raw === undefined || raw === null) continue;
      const value = asNumber(raw);
      if (value === null) numeric = false;
      else {
        const step = stepOf(flat[i]!, i);
        if (step === null) continue;
        steps.push(step);
        values.push(value);
      }
    }
    if (numeric && values.length) series.push(toRawSeries(key, null, steps, values));
  }
  if (!series.length) throw new ReadFailure(t('{0}: no numeric field besides step, epoch and time fields', fileName));
  return series;
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

function asNumber(value: unknown): number | null {
  if (typeof value === 'number') return value;
  // Only the spelled-out non-finite values: other strings are labels, not losses.
  if (typeof value === 'string' && /^[+-]?(nan|inf|infinity)$/i.test(value.trim())) return parseNumber(value);
  return null;
}

function flatten(record: LogRecord, prefix = '', out = new Map<string, unknown>(), depth = 0): Map<string, unknown> {
  for (const [k, v] of Object.entries(record)) {
    const key = prefix ? `${prefix}/${k}` : k;
    if (isRecord(v) && depth < 4) flatten(v, key, out, depth + 1);
    else out.set(key, v);
  }
  return out;
}
