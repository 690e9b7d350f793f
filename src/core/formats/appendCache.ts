// Incremental reading of the loss files a live run appends to. A training script adds a few rows
// to its metrics.csv, JSON lines or TensorBoard event file; re-parsing 1,000,000 rows for them
// takes seconds, so a long-lived reader (the extension's worker) keeps, per file, where its last
// read stopped, the reader state to go on from there and the series read so far, and the next read
// parses only the bytes added since. Whatever it gives equals a whole read of the same bytes:
// anything the tail cannot continue exactly is read whole again.
//
// A format continues when its registry object has an `incremental` reader. `.npy` has none (np.save
// rewrites the whole file, and its parse is a zero-copy view of the bytes, so reading them is
// already the floor), nor has Chainer's `log` (one JSON array LogReport rewrites whole): read whole.
import { open } from 'node:fs/promises';
import type { RawSeries } from '../model';
import { readAt, readWhole } from '../fileBytes';
import { ReadFailure } from './errors';
import type { FileFormat, IncrementalReader } from './format';
import { FORMATS, type FormatRegistry, type RegistryRead } from './registry';
import { isBuilderMemory } from './seriesBuilder';
import type { SkipReport } from './skipped';

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
const DEFAULT_MAX_BYTES = 256 * 1024 ** 2;

interface Entry {
  format: FileFormat;
  reader: IncrementalReader;
  size: number;
  mtimeMs: number;
  ino: number;
  /** Where the last read stopped: the end of the last complete row or record. */
  consumed: number;
  head: Uint8Array;
  beforeConsumed: Uint8Array;
  heldBytes: number;
}

export class AppendCache {
  private readonly entries = new Map<string, Entry>(); // least recently read first
  private readonly reads = new Map<string, LastRead>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private heldBytes = 0;

  /**
   * @param maxBytes series memory kept across files; the least recently read are forgotten first.
   * @param formats the formats read (their incremental readers continue reads).
   */
  constructor(
    private readonly maxBytes = DEFAULT_MAX_BYTES,
    private readonly formats: FormatRegistry = FORMATS,
  ) {}

  /** True for the names a read may continue (a format they may be reads incrementally); `read` takes those. */
  continues(fileName: string): boolean {
    return this.formats.continues(fileName);
  }

  /**
   * The series of `file` (absolute), exactly as `readLossFile(fileName, <its bytes>)` gives them,
   * parsing only what was appended since the last read when that is all that changed. Throws what
   * `readLossFile` throws. Reads of one file wait for each other: each continues the one before.
   * `report`: the damaged records skipped, as `readLossFile` tells them (a damaged record in the
   * appended part is skipped the same way).
   */
  read(file: string, fileName: string, info: FileInfo, report?: SkipReport): Promise<RawSeries[]> {
    return this.readFormat(file, fileName, info, report).then((read) => read.series);
  }

  /** `read`, with everything the file gives (series, images where its format holds some) and its format. */
  readFormat(file: string, fileName: string, info: FileInfo, report?: SkipReport): Promise<RegistryRead> {
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

  private async readNow(file: string, fileName: string, info: FileInfo, report?: SkipReport): Promise<RegistryRead> {
    const entry = this.entries.get(file);
    if (entry) {
      try {
        const read = await this.continueRead(file, fileName, entry, info, report);
        if (read) return read;
      } catch {
        // Below: the whole read gives the error, or the series, that is the truth.
      }
    }
    if (report) report.skipped = null;
    return this.wholeRead(file, fileName, info, report);
  }

  /** Null when the file was not just appended to (rewritten, truncated, replaced), or its new bytes change its format. */
  private async continueRead(file: string, fileName: string, entry: Entry, info: FileInfo, report?: SkipReport): Promise<RegistryRead | null> {
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
      // Bytes appended inside the first ones sniffed may tell another format, as to a whole read.
      const sniffed = this.formats.headBytesFor(fileName);
      if (consumed < sniffed && this.formats.formatFor(fileName, await readAt(handle, 0, Math.min(info.size, sniffed))) !== entry.format) return null;
    } finally {
      await handle.close();
    }
    // From here the reader's state moves on: any failure forgets the file (the caller reads it whole).
    this.forget(file);
    const used = entry.reader.push(tail, consumed);
    const read = entry.reader.result(report);
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
    return { ...read, format: entry.format };
  }

  private async wholeRead(file: string, fileName: string, info: FileInfo, report?: SkipReport): Promise<RegistryRead> {
    this.forget(file);
    const bytes = await readWhole(file, info.size);
    const format = this.formats.formatFor(fileName, bytes.subarray(0, this.formats.sniffWindow));
    if (!format) throw new ReadFailure(this.formats.notALossFile(fileName));
    this.reads.set(file, { bytesParsed: bytes.length, incremental: false });
    // Its bytes tell a format rewritten whole (a Chainer `log`): read as readLossFile reads it.
    const reader = format.incremental?.(fileName) ?? null;
    if (!reader) return { ...format.read(bytes, fileName, report ? { report } : {}), format };
    const used = reader.push(bytes, 0);
    const read = { ...reader.result(report), format };
    if (reader.wholeOnly) return read;
    this.remember(file, {
      format,
      reader,
      size: bytes.length,
      mtimeMs: info.mtimeMs,
      ino: info.ino,
      consumed: used,
      head: bytes.slice(0, Math.min(used, FINGERPRINT)),
      beforeConsumed: bytes.slice(Math.max(0, used - FINGERPRINT), used),
      heldBytes: 0,
    });
    return read;
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
