// W&B history rows → series and media, as wandb's own readers see them (core/internal/leet's
// ParseHistory): one row per `wandb.log` call; an item's name is its `nested_key` joined with "."
// (else its `key`); `_step` is the row's step (else the record's `step.num`); other `_` keys
// (`_runtime`, `_timestamp`, `_wandb`) are bookkeeping; a number (NaN and ±Infinity too, as
// Python's json writes them) is a point of its key's series. A JSON object with a `_type` is a
// typed value: an `image-file` or an `images/separated` list is a logged image (its `path` is
// relative to the run's `files/`), anything else (tables, histograms) is left out. Newer SDKs
// write such an object flattened (`["samples", "_type"]`, `["samples", "path"]`); older ones one
// item with the whole object. A plain nested dict becomes `parent.child` series, as W&B shows it.
// Values are read from `value_json`, which every wandb release writes; the typed `HistoryItem.value`
// proposed in wandb/wandb#12831 is not read (no release writes it).
//
// Shared by the `.wandb` reader (wandb.ts) and the `wandb-history.jsonl` that wandb before 0.10
// wrote (one JSON object per row), read here.
import type { RawSeries } from '../model';
import { t } from '../l10n';
import { ReadFailure } from './errors';
import { decodeText, readLines } from './records';
import { SeriesBuilder } from './seriesBuilder';
import { SkipTally, type SkipReport } from './skipped';
import { numberAt, textAt } from './wandbText';

/** An image a history row logged: its key, the row's step, its path relative to the run's `files/`. */
export interface WandbMedia {
  key: string;
  step: number;
  path: string;
}

const IMAGE_FORMATS = /^(png|jpe?g|gif)$/i;

/** The number a history value spells (`0.69`, `-2`, `1e-05`, `NaN`, `Infinity`), else null. */
export function historyNumber(json: string): number | null {
  const c = json.charCodeAt(0);
  // Digits, '-', '.', 'N'aN, 'I'nfinity: nothing else can be a number (booleans, null and strings are not).
  if (!((c >= 48 && c <= 57) || c === 45 || c === 46 || c === 78 || c === 73)) return null;
  const v = +json;
  if (v === v) return v;
  return json === 'NaN' ? NaN : null;
}

// Python's json writes NaN and ±Infinity bare; JSON.parse refuses them. Outside strings they become
// marked strings the reviver turns back into numbers.
const BARE_NON_FINITE = /"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g;
const MARK = '\u0000';

/** JSON.parse that also takes Python's bare NaN / Infinity; throws on anything else that is not JSON. */
export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    if (!/NaN|Infinity/.test(text)) throw err;
    const marked = text.replace(BARE_NON_FINITE, (m) => (m.charCodeAt(0) === 34 ? m : `"\\u0000${m}"`));
    return JSON.parse(marked, (_key, v: unknown) => (typeof v === 'string' && v.charCodeAt(0) === 0 ? Number(v.slice(MARK.length)) : v));
  }
}

/** A typed value's images (`image-file`, `images/separated`), relative to `files/`; [] for any other type. */
function imagesOf(key: string, step: number, obj: Record<string, unknown>): string[] {
  const type = obj._type;
  if (type === 'image-file') return typeof obj.path === 'string' && obj.path ? [obj.path] : [];
  if (type !== 'images/separated') return [];
  if (Array.isArray(obj.filenames)) return obj.filenames.filter((f): f is string => typeof f === 'string' && f !== '');
  // Before `filenames`, the list was implied: wandb saved image i as `media/images/<key>_<step>_<i>.<format>`.
  const count = typeof obj.count === 'number' ? Math.min(obj.count, 1000) : 0;
  const format = typeof obj.format === 'string' && IMAGE_FORMATS.test(obj.format) ? obj.format : 'png';
  return Array.from({ length: count }, (_, i) => `media/images/${key}_${step}_${i}.${format}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * History rows being read: `begin`, one `item` per history item, `end` with the record's step.
 * Values wait for the row's end because `_step` comes last in the items.
 */
export class HistoryRows {
  rows = 0;
  readonly media: WandbMedia[] = [];
  private readonly builders = new Map<string, SeriesBuilder>();
  // The row being read.
  private names: string[] = [];
  private values: number[] = [];
  private count = 0;
  private step: number | null = null;
  // Items written flattened (`nested_key` of two or more parts), by their parent's name.
  private flattened: Map<string, Record<string, unknown>> | null = null;
  private objects: [string, Record<string, unknown>][] = [];

  begin(): void {
    this.count = 0;
    this.step = null;
    this.flattened = null;
    this.objects.length = 0;
  }

  /** One history item. `nested`: its `nested_key` parts, or null when it has a plain `key`. */
  item(key: string, nested: string[] | null, json: string): void {
    if (nested && nested.length > 1) {
      const parent = nested.slice(0, -1).join('.');
      const fields = ((this.flattened ??= new Map()).get(parent) ?? {}) as Record<string, unknown>;
      this.flattened.set(parent, fields);
      fields[nested[nested.length - 1]!] = this.parse(json);
      return;
    }
    const name = nested ? nested[0]! : key;
    this.value(name, json);
  }

  /** A top-level item whose JSON value is at bytes[start, end): a number is read in place, anything else as text. */
  itemAt(name: string, bytes: Uint8Array, start: number, end: number): void {
    if (name === '_step') {
      const step = numberAt(bytes, start, end);
      if (step !== null && Number.isFinite(step)) this.step = step;
      return;
    }
    // `_runtime`, `_timestamp`: never read.
    if (name === '' || name.charCodeAt(0) === 95 /* _ */) return;
    const v = numberAt(bytes, start, end);
    if (v !== null) {
      this.names[this.count] = name;
      this.values[this.count++] = v;
    } else if (bytes[start] === 123 /* { */) this.value(name, textAt(bytes, start, end));
  }

  /** A top-level name and its JSON value (a `.wandb` item, or a key of a `wandb-history.jsonl` row). */
  value(name: string, json: string | number | Record<string, unknown> | null): void {
    if (name === '_step') {
      const step = typeof json === 'string' ? historyNumber(json) : typeof json === 'number' ? json : null;
      if (step !== null && Number.isFinite(step)) this.step = step;
      return;
    }
    if (name === '' || name.charCodeAt(0) === 95 /* _ */) return;
    const v = typeof json === 'string' ? historyNumber(json) : typeof json === 'number' ? json : null;
    if (v !== null) {
      this.names[this.count] = name;
      this.values[this.count++] = v;
      return;
    }
    const parsed = typeof json === 'string' ? (json.charCodeAt(0) === 123 /* { */ ? this.parse(json) : null) : json;
    if (isObject(parsed)) this.objects.push([name, parsed]);
  }

  /** Ends the row; `recordStep` is the record's own step, used when no `_step` item came. */
  end(recordStep: number): void {
    const step = this.step ?? recordStep;
    if (this.flattened) for (const [parent, fields] of this.flattened) this.objects.push([parent, fields]);
    for (const [name, obj] of this.objects) this.object(name, obj, step);
    for (let i = 0; i < this.count; i++) {
      const name = this.names[i]!;
      let builder = this.builders.get(name);
      if (!builder) this.builders.set(name, (builder = new SeriesBuilder()));
      builder.push(step, this.values[i]!);
    }
    this.rows++;
  }

  private object(name: string, obj: Record<string, unknown>, step: number): void {
    if (typeof obj._type === 'string') {
      for (const path of imagesOf(name, step, obj)) this.media.push({ key: name, step, path });
      return;
    }
    // A plain dict: its numbers are series `name.child` (W&B shows nested keys joined by dots).
    for (const [child, v] of Object.entries(obj)) {
      const full = `${name}.${child}`;
      if (typeof v === 'number') {
        this.names[this.count] = full;
        this.values[this.count++] = v;
      } else if (isObject(v)) this.object(full, v, step);
    }
  }

  private parse(json: string): unknown {
    const n = historyNumber(json);
    if (n !== null) return n;
    try {
      return parsePythonJson(json);
    } catch {
      return null;
    }
  }

  /** One series per key that had a number, in the order keys first appeared. */
  series(share: boolean): RawSeries[] {
    const out: RawSeries[] = [];
    for (const [name, builder] of this.builders) out.push(builder.toRaw(name, null, share));
    return out;
  }

  get heldBytes(): number {
    let sum = this.media.length * 64;
    for (const b of this.builders.values()) sum += b.heldBytes;
    return sum;
  }
}

/**
 * `wandb-history.jsonl` (wandb before 0.10): one JSON object per row, `_step` among its keys. A
 * line that is not a JSON object is skipped and told in `report`; a last line cut short (still
 * being written) is dropped silently. `media`: where the row's images are put, when asked.
 */
export function readWandbHistoryJsonl(bytes: Uint8Array, fileName: string, report?: SkipReport, media?: WandbMedia[]): RawSeries[] {
  const text = decodeText(bytes, fileName, true);
  const rows = new HistoryRows();
  const skips = new SkipTally();
  let line = 0;
  readLines(text, true, (raw, tentative) => {
    line++;
    const s = raw.trim();
    if (!s) return;
    let row: unknown;
    try {
      row = parsePythonJson(s);
    } catch {
      row = null;
    }
    if (!isObject(row)) {
      if (!tentative) skips.skip({ line }, () => t('not a JSON object'));
      return;
    }
    rows.begin();
    // Values are parsed already: a JSON string here is text, never a number to read.
    for (const [k, v] of Object.entries(row)) rows.value(k, typeof v === 'number' || isObject(v) ? v : null);
    rows.end(rows.rows);
  });
  if (!rows.rows) {
    const first = skips.firstPlace;
    if (first && 'line' in first) throw new ReadFailure(t('{0}: line {1} is {2}', fileName, first.line, skips.firstReason));
    throw new ReadFailure(t('{0}: no history rows', fileName));
  }
  if (report) report.skipped = skips.result();
  if (media) media.push(...rows.media);
  return rows.series(false);
}
