// Weights & Biases run files (`wandb/run-<date>_<time>-<id>/run-<id>.wandb`): the log wandb writes
// every record of a run to (wandb/sdk/internal/datastore.py, core/pkg/leveldb/record.go).
//
// Framing: a 7-byte header (`:W&B`, magic 0xBEE1 little-endian, version 0), then LevelDB's log
// format in 32 KiB blocks counted from the start of the file (the header is part of the first
// block). A chunk is a 7-byte header — checksum (u32 LE), data length (u16 LE), type (FULL 1,
// FIRST 2, MIDDLE 3, LAST 4) — then its data; a record too long for what is left of a block goes
// as FIRST, MIDDLE…, LAST chunks in the blocks that follow. A block tail shorter than a chunk
// header is zero padding. The checksum is plain CRC-32 (zlib's, the IEEE polynomial, not masked —
// unlike LevelDB's and TFRecord's masked CRC-32C) over the type byte followed by the data. Each
// record is a protobuf `Record` (wandb.proto.ts); its history rows are read by wandbHistory.ts.
//
// Damage policy, as the TensorBoard reader's (tfevents.ts, skipped.ts): a chunk whose checksum
// fails, whose length runs past its block or whose type is unknown, and the pieces of a record whose
// start is lost, are skipped: every record before them is kept, and reading resumes at the next
// chunk that starts a record (FULL or FIRST) and whose checksum verifies, told as one damaged record
// per run of unreadable bytes. A record cut short at the end (the run is still writing it) ends the
// read and keeps everything before it, unless a record verifies further on: the length (which no
// checksum covers) was damaged then. A file where not one record verifies is refused.
import type { RawSeries } from '../model';
import { t } from '../l10n';
import { ReadFailure } from './errors';
import { SkipTally, type SkipReport, type SkippedRecords } from './skipped';
import { HistoryRows, type WandbMedia } from './wandbHistory';
import { RecordDecoder, type RunExit } from './wandbRecord';
import * as framing from './wandbLog';

export type { WandbMedia };

// The framing's constants as locals: the read loop asks them for every chunk.
const { BLOCK, CHUNK_HEADER, FILE_HEADER, FIRST, FULL, LAST, MIDDLE, chunkCrc, concat, isWandbHeader } = framing;
export { isWandbHeader };

/** Everything a whole read of a `.wandb` file gives: the series, the logged images, the damage skipped. */
export interface WandbRead {
  series: RawSeries[];
  media: WandbMedia[];
  rows: number;
  skipped: SkippedRecords | null;
}

/** One series per history key that logged a number, on `_step`. Empty when the rows hold no number. */
export function readWandb(bytes: Uint8Array, fileName: string, report?: SkipReport): RawSeries[] {
  const read = readWandbRun(bytes, fileName);
  if (report) report.skipped = read.skipped;
  return read.series;
}

/** A whole read of a `.wandb` file, with the images its history logged. Throws ReadFailure as `readWandb`. */
export function readWandbRun(bytes: Uint8Array, fileName: string): WandbRead {
  const reader = new WandbReader(fileName);
  reader.push(bytes);
  return { series: reader.series(false), media: reader.media, rows: reader.rows, skipped: reader.skipped() };
}

interface Chunk {
  type: number;
  dataStart: number;
  dataEnd: number;
}

/**
 * A `.wandb` file read in pieces as wandb appends records: `push` takes the bytes that follow the
 * ones it consumed before and reads the complete records; `series` gives what a whole read of the
 * same bytes gives. A record cut short (or whose last chunks are still to come) is left for the next push.
 */
export class WandbReader {
  private readonly history = new HistoryRows();
  private records = 0;
  private offset = 0;
  private headerRead = false;
  // After a damaged chunk: looking for the next chunk that starts a record and verifies.
  private resyncing = false;
  private readonly skips = new SkipTally();
  private exit: RunExit | null = null;
  private readonly decoder = new RecordDecoder();

  constructor(private readonly fileName: string) {}

  /** Reads the complete records at the start of `bytes`; returns how many bytes they took. */
  push(bytes: Uint8Array): number {
    let pos = 0;
    if (!this.headerRead) {
      if (bytes.length < FILE_HEADER) return 0;
      if (!isWandbHeader(bytes)) throw new ReadFailure(t('{0}: not a W&B run file (it does not start with the :W&B header)', this.fileName));
      this.headerRead = true;
      pos = FILE_HEADER;
    }
    const end = bytes.length;
    for (;;) {
      if (this.resyncing) {
        const next = this.nextRecordStart(bytes, pos);
        if (next < 0) {
          // Nothing verifies yet; what is left may begin a record whose end is still to come.
          pos = Math.max(pos, -next - 1);
          break;
        }
        pos = next;
        this.resyncing = false;
      }
      const left = BLOCK - ((this.offset + pos) % BLOCK);
      if (left < CHUNK_HEADER) {
        // The block's zero padding.
        if (end - pos < left) break;
        pos += left;
        continue;
      }
      if (end - pos < CHUNK_HEADER) break;
      const at = this.offset + pos;
      const chunk = this.chunkAt(bytes, pos, left);
      if (chunk === null) {
        // Still being written, unless a record verifies after it: then its length was damaged.
        if (this.nextRecordStart(bytes, pos + 1) < 0) break;
        this.damaged(at, t('the record length is wrong (records follow where its data would be)'));
        pos++;
        continue;
      }
      if (typeof chunk === 'string') {
        this.damaged(at, chunk);
        pos++;
        continue;
      }
      if (chunk.type === MIDDLE || chunk.type === LAST) {
        // A verified piece of a record whose start is lost: skipped with what follows it up to the next record.
        this.damaged(at, t('a piece of a record whose start is lost'));
        pos = chunk.dataEnd;
        continue;
      }
      if (chunk.type === FULL) {
        pos = chunk.dataEnd;
        this.record(bytes, chunk.dataStart, chunk.dataEnd, at);
        continue;
      }
      // FIRST: the record goes on in MIDDLE chunks and ends in a LAST one, in the blocks that follow.
      const parts = [bytes.subarray(chunk.dataStart, chunk.dataEnd)];
      let p = chunk.dataEnd;
      let done = false;
      let broken = false;
      while (!done && !broken) {
        const blockLeft = BLOCK - ((this.offset + p) % BLOCK);
        if (blockLeft < CHUNK_HEADER) {
          if (end - p < blockLeft) break;
          p += blockLeft;
          continue;
        }
        if (end - p < CHUNK_HEADER) break;
        const next = this.chunkAt(bytes, p, blockLeft);
        if (next === null) break;
        if (typeof next === 'string' || next.type === FULL || next.type === FIRST) {
          broken = true;
          break;
        }
        parts.push(bytes.subarray(next.dataStart, next.dataEnd));
        p = next.dataEnd;
        done = next.type === LAST;
      }
      if (broken) {
        // The record is lost; the chunk that broke it may start the next one, so the search starts there.
        this.damaged(at, t('a record split across blocks is broken'));
        pos = p;
        continue;
      }
      if (!done) {
        // Its last chunks are still to come, unless a record verifies after it (then a length was damaged).
        if (this.nextRecordStart(bytes, pos + 1) < 0) break;
        this.damaged(at, t('a record split across blocks is broken'));
        pos++;
        continue;
      }
      pos = p;
      const whole = concat(parts);
      this.record(whole, 0, whole.length, at);
    }
    this.offset += pos;
    return pos;
  }

  /** The damaged records skipped so far. */
  skipped(): SkippedRecords | null {
    return this.skips.result();
  }

  /** History rows read so far. */
  get rows(): number {
    return this.history.rows;
  }

  /** The images the history rows logged, in file order. */
  get media(): WandbMedia[] {
    return this.history.media;
  }

  /**
   * The series of every record pushed. `share`: hand out views of memory the reader keeps (see
   * SeriesBuilder.toRaw). A file with no history row is refused with why (nothing logged yet, or
   * the run ended before logging anything); rows that hold no number give no series.
   */
  series(share: boolean): RawSeries[] {
    if (this.records === 0 && this.skips.count) {
      const first = this.skips.firstPlace;
      throw new ReadFailure(
        t(
          '{0}: not a W&B run file (no record can be read; at byte {1}: {2})',
          this.fileName,
          first && 'byte' in first ? first.byte : 0,
          this.skips.firstReason,
        ),
      );
    }
    if (!this.history.rows) {
      if (this.exit)
        throw new ReadFailure(
          t('{0}: no history rows (the run logged nothing; it exited with code {1} after {2} s)', this.fileName, this.exit.code, this.exit.runtime),
        );
      throw new ReadFailure(t('{0}: no history rows (nothing logged with wandb.log yet)', this.fileName));
    }
    return this.history.series(share);
  }

  get heldBytes(): number {
    return this.history.heldBytes;
  }

  private damaged(at: number, reason: string): void {
    this.skips.skip({ byte: at }, () => reason);
    this.resyncing = true;
  }

  /**
   * The chunk whose header is at `p` (`left` bytes from the end of its block); null when its data
   * is not all there yet; the reason when it cannot be a chunk.
   */
  private chunkAt(bytes: Uint8Array, p: number, left: number): Chunk | string | null {
    const length = bytes[p + 4]! | (bytes[p + 5]! << 8);
    const type = bytes[p + 6]!;
    if (type < FULL || type > LAST) return t('not a record header (chunk type {0})', type);
    if (CHUNK_HEADER + length > left) return t('the record length runs past its block');
    const dataEnd = p + CHUNK_HEADER + length;
    if (dataEnd > bytes.length) return null;
    if (chunkCrc(bytes, p + 6, dataEnd) !== readU32(bytes, p)) return t('the record fails its checksum');
    return { type, dataStart: p + CHUNK_HEADER, dataEnd };
  }

  /**
   * The offset of the first chunk at or after `from` that starts a record (FULL or FIRST) and whose
   * checksum verifies. When none does, `-(stop + 1)`: `stop` is where a record could still begin
   * once more bytes come (the first chunk whose data is not all there, else the last bytes, too few
   * for a header). The length is not checksummed, so random bytes often look like the start of a
   * chunk longer than what is there: one that verifies further on wins over them.
   */
  private nextRecordStart(bytes: Uint8Array, from: number): number {
    const end = bytes.length;
    let stop = -1;
    for (let p = from; ; p++) {
      const left = BLOCK - ((this.offset + p) % BLOCK);
      if (left < CHUNK_HEADER) {
        p += left - 1;
        continue;
      }
      if (end - p < CHUNK_HEADER) return -((stop < 0 ? p : stop) + 1);
      const type = bytes[p + 6];
      if (type !== FULL && type !== FIRST) continue;
      const length = bytes[p + 4]! | (bytes[p + 5]! << 8);
      if (CHUNK_HEADER + length > left) continue;
      const dataEnd = p + CHUNK_HEADER + length;
      if (dataEnd > end) {
        if (stop < 0) stop = p;
        continue;
      }
      if (chunkCrc(bytes, p + 6, dataEnd) === readU32(bytes, p)) return p;
    }
  }

  private record(bytes: Uint8Array, start: number, end: number, at: number): void {
    try {
      const exit = this.decoder.decode(bytes, start, end, this.history);
      if (exit) this.exit = exit;
    } catch {
      // The checksum holds, so the framing is right: only this record is lost.
      this.skips.skip({ byte: at }, () => t('not a W&B record'));
      return;
    }
    this.records++;
  }
}

function readU32(bytes: Uint8Array, p: number): number {
  return (bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24)) >>> 0;
}
