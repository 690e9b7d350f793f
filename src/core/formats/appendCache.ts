// Incremental reading of the loss files a live run appends to. A training script adds a few rows
// to its metrics.csv, JSON lines or TensorBoard event file; re-parsing 1,000,000 rows for them
// takes seconds, so a long-lived reader (the extension's worker) keeps, per file, where its last
// read stopped, the reader state to go on from there and the series read so far, and the next read
// parses only the bytes added since. Whatever it gives equals a whole read of the same bytes:
// anything the tail cannot continue exactly is read whole again.
//
// Not here on purpose: `.npy` (np.save rewrites the whole file, and its parse is a zero-copy view
// of the bytes, so reading them is already the floor) and Chainer's `log` (one JSON array that
// LogReport rewrites whole at every report).
import { open } from 'node:fs/promises';
import type { RawSeries } from '../model';
import { isPrintedLogCandidate, lossFileKind, type LossFileKind } from '.';
import { newJunyanzReader } from './junyanz';
import { newPrintedReader } from './printed';
import { newMlflowReader } from './mlflow';
import { readAt, readWhole } from '../fileBytes';
import { CsvReader } from './csv';
import { decodeText } from './records';
import { JsonlReader } from './jsonl';
import { TfEventsReader } from './tfevents';
import { isBuilderMemory } from './seriesBuilder';
import type { LineReader } from './lineLog';
import type { SkipReport } from './skipped';
import type { FileReport } from './foundImages';

/** What `stat` says of the file just before the read. */
export interface FileInfo {
  size: number;
  mtimeMs: number;
  ino: number;
}

/** How the last read of a file went: the bytes parsed, and whether it continued the one before. */
export interface LastRead {
  bytesParsed: number;
  incremental: boolean;
}

// Bytes compared at the start of the file and just before where the last read stopped, to tell
// an append (both unchanged) from a rewrite.
const FINGERPRINT = 4096;
// decodeText's binary check looks at the first 4 KiB: bytes appended inside them are checked too.
const TEXT_PROBE = 4096;
const DEFAULT_MAX_BYTES = 256 * 1024 ** 2;

/** A format's reader behind one interface: bytes in, series out. */
interface LossReader {
  /** Reads the complete rows / records of `bytes` (which start at file offset `offset`); returns the bytes consumed. */
  push(bytes: Uint8Array, offset: number): number;
  /** What a whole read of every byte pushed so far gives (once after each push), damaged records skipped told in `report`. */
  series(report?: SkipReport & FileReport): RawSeries[];
  readonly heldBytes: number;
  /** True when no later read can continue this one: the file is read whole every time. */
  readonly wholeOnly?: boolean;
}

interface Entry {
  reader: LossReader;
  size: number;
  mtimeMs: number;
  ino: number;
  /** Where the last read stopped: the end of the last complete row or record. */
  consumed: number;
  head: Uint8Array;
  beforeConsumed: Uint8Array;
  heldBytes: number;
}

/** Thrown inside a continued read for what only a whole read may answer (it gives the real error). */
class ReadWhole extends Error {}

export class AppendCache {
  private readonly entries = new Map<string, Entry>(); // least recently read first
  private readonly reads = new Map<string, LastRead>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private heldBytes = 0;

  /** @param maxBytes series memory kept across files; the least recently read are forgotten first. */
  constructor(private readonly maxBytes = DEFAULT_MAX_BYTES) {}

  /** True for the formats a read can continue (see the top of this file); `read` takes only those. */
  continues(fileName: string): boolean {
    return continuedKind(fileName) !== null;
  }

  /**
   * The series of `file` (absolute), exactly as `readLossFile(fileName, <its bytes>)` gives them,
   * parsing only what was appended since the last read when that is all that changed. Throws what
   * `readLossFile` throws. Reads of one file wait for each other: each continues the one before.
   * `report`: the damaged records skipped, as `readLossFile` tells them (a damaged record in the
   * appended part is skipped the same way).
   */
  read(file: string, fileName: string, info: FileInfo, report?: SkipReport & FileReport): Promise<RawSeries[]> {
    const previous = this.queues.get(file) ?? Promise.resolve();
    const result = previous.then(() => this.readNow(file, fileName, info, report));
    const settled = result.catch(() => undefined);
    this.queues.set(file, settled);
    void settled.then(() => {
      if (this.queues.get(file) === settled) this.queues.delete(file);
    });
    return result;
  }

  /** How the last read of `file` went; undefined when it was never read or is forgotten. */
  lastRead(file: string): LastRead | undefined {
    return this.reads.get(file);
  }

  /**
   * True when the array is memory a reader keeps writing past (the series handed out are views of
   * it). Such memory must be copied, never moved, to another thread: moving it would take it from
   * under the cache.
   */
  owns(array: Float64Array): boolean {
    return isBuilderMemory(array);
  }

  /** Drops what is kept for `file` (gone, or refused): the next read is a whole read. */
  forget(file: string): void {
    const entry = this.entries.get(file);
    if (entry) this.heldBytes -= entry.heldBytes;
    this.entries.delete(file);
    this.reads.delete(file);
  }

  /** Series memory kept now, in bytes. */
  get bytesHeld(): number {
    return this.heldBytes;
  }

  private async readNow(file: string, fileName: string, info: FileInfo, report?: SkipReport & FileReport): Promise<RawSeries[]> {
    const entry = this.entries.get(file);
    if (entry) {
      try {
        const series = await this.continueRead(file, entry, info, report);
        if (series) return series;
      } catch {
        // Below: the whole read gives the error, or the series, that is the truth.
      }
    }
    if (report) report.skipped = null;
    return this.wholeRead(file, fileName, info, report);
  }

  /** Null when the file was not just appended to (rewritten, truncated, replaced). */
  private async continueRead(file: string, entry: Entry, info: FileInfo, report?: SkipReport & FileReport): Promise<RawSeries[] | null> {
    // An append grows the file; the same size with a new time is a rewrite of the same length.
    if (info.ino !== entry.ino || info.size < entry.size) return null;
    if (info.size === entry.size && info.mtimeMs !== entry.mtimeMs) return null;
    const { consumed } = entry;
    const handle = await open(file, 'r');
    let tail: Uint8Array;
    try {
      const head = await readAt(handle, 0, entry.head.length);
      const before = await readAt(handle, consumed - entry.beforeConsumed.length, entry.beforeConsumed.length);
      if (!sameBytes(head, entry.head) || !sameBytes(before, entry.beforeConsumed)) return null;
      tail = await readAt(handle, consumed, info.size - consumed);
      if (tail.length !== info.size - consumed) return null; // shrank since stat
    } finally {
      await handle.close();
    }
    // From here the reader's state moves on: any failure forgets the file (the caller reads it whole).
    this.forget(file);
    const used = entry.reader.push(tail, consumed);
    const series = entry.reader.series(report);
    const end = consumed + used;
    this.remember(file, {
      ...entry,
      size: info.size,
      mtimeMs: info.mtimeMs,
      consumed: end,
      head: entry.head.length < FINGERPRINT ? joinEnd(entry.head, tail.subarray(0, used), Math.min(end, FINGERPRINT), true) : entry.head,
      beforeConsumed: joinEnd(entry.beforeConsumed, tail.subarray(0, used), Math.min(end, FINGERPRINT), false),
    });
    this.reads.set(file, { bytesParsed: tail.length, incremental: true });
    return series;
  }

  private async wholeRead(file: string, fileName: string, info: FileInfo, report?: SkipReport & FileReport): Promise<RawSeries[]> {
    this.forget(file);
    const bytes = await readWhole(file, info.size);
    const reader = newReader(kind(fileName), fileName);
    const used = reader.push(bytes, 0);
    const series = reader.series(report);
    this.reads.set(file, { bytesParsed: bytes.length, incremental: false });
    if (reader.wholeOnly) return series;
    this.remember(file, {
      reader,
      size: bytes.length,
      mtimeMs: info.mtimeMs,
      ino: info.ino,
      consumed: used,
      head: bytes.slice(0, Math.min(used, FINGERPRINT)),
      beforeConsumed: bytes.slice(Math.max(0, used - FINGERPRINT), used),
      heldBytes: 0,
    });
    return series;
  }

  /** Keeps the entry as the most recently read, then forgets the least recently read over the budget. */
  private remember(file: string, entry: Entry): void {
    entry.heldBytes = entry.reader.heldBytes + entry.head.length + entry.beforeConsumed.length;
    this.entries.set(file, entry);
    this.heldBytes += entry.heldBytes;
    for (const [old, kept] of this.entries) {
      if (this.heldBytes <= this.maxBytes) break;
      this.heldBytes -= kept.heldBytes;
      this.entries.delete(old);
      this.reads.delete(old);
    }
  }
}

/** The kind of a file whose reads can continue; a printed-log candidate is one (its content was checked when it was found). */
function continuedKind(fileName: string): LossFileKind | null {
  const k = lossFileKind(fileName);
  if (k === 'csv' || k === 'jsonl' || k === 'tfevents' || k === 'junyanz' || k === 'mlflow' || k === 'printed') return k;
  return k === null && isPrintedLogCandidate(fileName) ? 'printed' : null;
}

function kind(fileName: string): LossFileKind {
  const k = continuedKind(fileName);
  if (k === null) throw new Error(`${fileName}: not a format the append cache continues`);
  return k;
}

function newReader(k: LossFileKind, fileName: string): LossReader {
  if (k === 'tfevents') {
    const reader = new TfEventsReader(fileName);
    return {
      push: (bytes) => reader.push(bytes),
      series: (report) => {
        const series = reader.series(true);
        if (report) {
          report.skipped = reader.skipped();
          report.images = reader.images();
        }
        return series;
      },
      get heldBytes() {
        return reader.heldBytes;
      },
    };
  }
  const text = k === 'csv' ? new CsvReader(fileName) : k === 'jsonl' ? new JsonlReader(fileName) : k === 'junyanz' ? newJunyanzReader(fileName) : k === 'mlflow' ? newMlflowReader(fileName) : newPrintedReader(fileName);
  return new TextLossReader(text, fileName);
}

// Bytes after the start of the file are decoded as they are: a BOM there is a character, as it
// is to a whole read, which drops only the file's first.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** A CSV or JSON lines reader fed bytes: decodes them, and maps the characters it consumed back to bytes. */
class TextLossReader implements LossReader {
  private rest = '';
  wholeOnly = false;

  constructor(
    private readonly reader: CsvReader | JsonlReader | LineReader,
    private readonly fileName: string,
  ) {}

  push(bytes: Uint8Array, offset: number): number {
    let text: string;
    if (offset === 0) {
      text = decodeText(bytes, this.fileName, this.reader instanceof JsonlReader);
      if (bytes[0] === 0xff && bytes[1] === 0xfe) {
        // UTF-16 (Excel): characters do not map back to bytes by line breaks.
        this.wholeOnly = true;
        this.rest = text;
        return 0;
      }
    } else {
      if (offset < TEXT_PROBE && bytes.subarray(0, TEXT_PROBE - offset).includes(0)) throw new ReadWhole();
      text = utf8.decode(bytes);
    }
    const used = this.reader.push(text);
    this.rest = text.slice(used);
    return used === 0 ? 0 : endOfConsumed(bytes, this.rest);
  }

  series(report?: SkipReport): RawSeries[] {
    const rest = this.rest;
    // The next push starts at the same bytes again: nothing of this end needs keeping.
    this.rest = '';
    return this.reader.series(rest, true, report);
  }

  get heldBytes(): number {
    return this.reader.heldBytes;
  }
}

/**
 * The byte offset where the consumed text ends. It ends in a line break, and every CR and LF byte
 * decodes to one CR or LF character (even among invalid UTF-8), so skipping the rest's breaks
 * from the end finds it whatever the text holds.
 */
function endOfConsumed(bytes: Uint8Array, rest: string): number {
  let breaks = 0;
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c === 10 || c === 13) breaks++;
  }
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i] === 10 || bytes[i] === 13) {
      if (breaks === 0) return i + 1;
      breaks--;
    }
  }
  throw new ReadWhole();
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The first (`fromStart`) or last `n` bytes of `a` followed by `b`, as a copy. */
function joinEnd(a: Uint8Array, b: Uint8Array, n: number, fromStart: boolean): Uint8Array {
  const out = new Uint8Array(n);
  if (fromStart) {
    const fromA = Math.min(a.length, n);
    out.set(a.subarray(0, fromA));
    out.set(b.subarray(0, n - fromA), fromA);
  } else {
    const fromB = Math.min(b.length, n);
    out.set(a.subarray(a.length - (n - fromB)), 0);
    out.set(b.subarray(b.length - fromB), n - fromB);
  }
  return out;
}
