// Losses saved as one JSON document, the way training scripts dump their lists at the end or every
// epoch: `json.dump({'D_losses': D_losses, 'G_losses': G_losses}, f)`, Keras' `history.history`
// (`{"d_loss": [...], "acc": [...]}`), a list of per-epoch records (`[{"epoch": 1, "d_loss": …}]`),
// and Sacred's `metrics.json` (`{"d_loss": {"steps": [...], "values": [...], "timestamps": [...]}}`).
import type { RawSeries } from '../model';
import { t } from '../l10n';
import { ReadFailure } from './errors';
import { asNumber, isRecord, seriesFromRecords, withNonFiniteAsStrings } from './jsonl';
import { decodeText, isBookkeepingKey, stepKey } from './records';
import { isTrainingColumn } from './trainingNames';
import { exportedRows, exportedTag } from './tensorboardExport';

/** Nested objects of lists are read this deep (`{"train": {"d_loss": [...]}}` → `train/d_loss`). */
const MAX_DEPTH = 3;

/** Reads a JSON document of loss lists or records; throws ReadFailure (one line, naming the file) when it holds none. */
export function readJsonSeries(bytes: Uint8Array, fileName: string): RawSeries[] {
  let doc: unknown;
  try {
    doc = JSON.parse(withNonFiniteAsStrings(decodeText(bytes, fileName).replace(/^\uFEFF/, '')));
  } catch (e) {
    if (e instanceof ReadFailure) throw e;
    throw new ReadFailure(t('{0}: not valid JSON', fileName));
  }
  // TensorBoard's download of one scalar: its rows, named by the tag in the file's name.
  const tag = exportedTag(fileName);
  const exported = tag !== null ? exportedRows(doc) : null;
  if (exported) return [{ name: tag!, column: null, ...exported }];
  const series = Array.isArray(doc) ? seriesFromRecords(doc.filter(isRecord), fileName) : isRecord(doc) ? seriesOfObject(doc, '', 0) : [];
  if (!series.length) throw new ReadFailure(t('{0}: no lists of loss values in this JSON file', fileName));
  return series;
}

function seriesOfObject(doc: Record<string, unknown>, prefix: string, depth: number): RawSeries[] {
  const lists = new Map<string, Float64Array>();
  const out: RawSeries[] = [];
  for (const [key, value] of Object.entries(doc)) {
    const name = prefix ? `${prefix}/${key}` : key;
    const list = Array.isArray(value) ? numbers(value) : null;
    if (list) lists.set(key, list);
    else if (isRecord(value) && Array.isArray(value.values)) {
      // Sacred: each metric with its own steps.
      const values = numbers(value.values);
      const steps = Array.isArray(value.steps) ? numbers(value.steps) : null;
      if (values?.length) out.push({ name, column: null, values, steps: steps && steps.length === values.length ? steps : counting(values.length) });
    } else if (isRecord(value) && depth < MAX_DEPTH) out.push(...seriesOfObject(value, name, depth + 1));
  }
  // A list named like a step counter is the axis of the lists as long as it, never a series.
  const axisKey = stepKey([...lists.keys()]);
  const axis = axisKey !== null ? lists.get(axisKey)! : null;
  for (const [key, values] of lists) {
    if (isBookkeepingKey(key) || !values.length) continue;
    const steps = axis && axis.length === values.length ? axis : counting(values.length);
    out.push({ name: prefix ? `${prefix}/${key}` : key, column: null, steps, values });
  }
  return out;
}

/** The list as numbers (null and spelled-out NaN/Infinity allowed), or null when it holds anything else. */
function numbers(list: unknown[]): Float64Array | null {
  const out = new Float64Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const v = list[i] === null ? NaN : asNumber(list[i]);
    if (v === null) return null;
    out[i] = v;
  }
  return out;
}

function counting(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => i);
}

// `"d_loss": [0.69`, `"D_losses": [ NaN`, `"d_loss": {"steps"`, and a record's `"d_loss": 0.69`.
const LIST_KEY = /"((?:[^"\\]|\\.){1,120})"\s*:\s*(?:\[\s*(?:[-+]?\.?\d|NaN|-?Infinity|null)|\{\s*"(?:steps|values|timestamps)"\s*:)/g;
const RECORD_KEY = /"((?:[^"\\]|\\.){1,120})"\s*:\s*(?:[-+]?\.?\d|NaN|-?Infinity)/g;

/**
 * The first bytes of a JSON document of loss lists or records: a list (or Sacred metric) under a
 * key that names a loss or a metric, or a list of records with such a key. Settings and data files
 * (`package.json`, `{"betas": [0.5, 0.999]}`) are not.
 */
export function sniffJsonSeries(head: Uint8Array, fileName = ''): boolean {
  const text = headText(head);
  if (text === null) return false;
  const tag = exportedTag(fileName);
  if (tag !== null && /^\[\s*\[/.test(text)) return isTrainingColumn(tag);
  if (text.startsWith('{')) return keysOf(text, LIST_KEY).some(isTrainingColumn);
  return /^\[\s*\{/.test(text) && keysOf(text, RECORD_KEY).some(isTrainingColumn);
}

/** The number-valued keys of the records in the first bytes of a JSON list of records (`[{"iteration": 100, "main/loss": 0.5}, …]`). */
export function recordKeysInHead(head: Uint8Array): string[] {
  const text = headText(head);
  return text !== null && /^\[\s*\{/.test(text) ? keysOf(text, RECORD_KEY) : [];
}

function headText(head: Uint8Array): string | null {
  if (head.subarray(0, 4096).includes(0)) return null;
  return new TextDecoder('utf-8')
    .decode(head)
    .replace(/^\uFEFF/, '')
    .trimStart();
}

function keysOf(text: string, re: RegExp): string[] {
  return [...text.matchAll(re)].map((m) => m[1]!);
}
