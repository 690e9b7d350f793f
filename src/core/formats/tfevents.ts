// TensorBoard event files (`events.out.tfevents.*`): TFRecord framing around `Event` protos
// (decoded in tfeventsRecord.ts).
// Scalars come from `simple_value` (PyTorch SummaryWriter, TF1) or a one-element float tensor
// (TF2 `tf.summary.scalar`). Image summaries are found, not copied: where each encoded image sits
// in the file (`Summary.Image` of TF1 / PyTorch `add_image`, or the string tensor of TF2
// `tf.summary.image`: width, height, then the images), for the run to read as embedded samples.
//
// Damage policy: a record whose length or data checksum is wrong (a flipped byte, a hole of zeros,
// bytes lost) is skipped: every record before it is kept, and reading resumes at the next offset
// where a record's length checksum AND data checksum both verify (so nothing that was never a
// record is read as one), as `SkipTally` tells (see skipped.ts). A final record cut short, as while
// training is still writing, ends the read and keeps everything before it. A file where not one
// record verifies is refused as not an event file.
import type { RawSeries } from '../model';
import { t } from '../l10n';
import { ReadFailure } from './errors';
import { SeriesBuilder } from './seriesBuilder';
import { SkipTally, type SkipReport, type SkippedRecords } from './skipped';
import { imageFormat, type ImageFormat } from '../samples/imageFormat';
import { decodeEvent, type DecodedEvent } from './tfeventsRecord';

const HEADER_BYTES = 12; // uint64 length + masked crc32c of the length
const FOOTER_BYTES = 4; // masked crc32c of the data

/** One image summary found in an event file: its tag and step, and where its encoded bytes are. */
export interface FoundImage {
  tag: string;
  step: number;
  /** Which of the images one value holds (a TF2 image summary holds several). */
  index: number;
  /** Byte offset and length of the encoded image in the file. */
  offset: number;
  length: number;
  format: ImageFormat;
}

/**
 * One scalar per tag and step, in file order; tags of non-scalar plugins are left out. Empty when
 * the file has no scalars. `images` (when given) gets where the file's image summaries are.
 */
export function readTfEvents(bytes: Uint8Array, fileName: string, report?: SkipReport, images?: FoundImage[]): RawSeries[] {
  const reader = new TfEventsReader(fileName);
  reader.push(bytes);
  const series = reader.series(false);
  if (report) report.skipped = reader.skipped();
  images?.push(...reader.images());
  return series;
}

interface TagState {
  builder: SeriesBuilder;
  plugin: string | null;
}

/**
 * An event file read in pieces as the writer appends records: `push` takes the bytes that follow
 * the ones it consumed before and reads the complete records; `series` gives what a whole read of
 * the same bytes gives. A record cut short is left for the next push (a whole read drops it too).
 */
export class TfEventsReader {
  private readonly tags = new Map<string, TagState>();
  private readonly found: FoundImage[] = [];
  private record = 0;
  private offset = 0;
  // After a damaged record: looking for the next offset where a whole record verifies.
  private resyncing = false;
  private readonly skips = new SkipTally();

  constructor(private readonly fileName: string) {}

  /** Reads the complete records at the start of `bytes`; returns how many bytes they took. */
  push(bytes: Uint8Array): number {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let pos = 0;
    for (;;) {
      if (this.resyncing) {
        const next = nextVerifiedRecord(bytes, view, pos);
        if (next < 0) {
          // Nothing verifies yet; what is left may begin a record whose end is still to come.
          pos = Math.max(pos, -next - 1);
          break;
        }
        pos = next;
        this.resyncing = false;
      }
      if (bytes.length - pos < HEADER_BYTES) break;
      const at = this.offset + pos;
      const lengthCrc = view.getUint32(pos + 8, true);
      if (maskedLengthCrc(bytes, pos) !== lengthCrc) {
        this.damaged(at, () => t('the record length fails its checksum'));
        pos++;
        continue;
      }
      const length = view.getUint32(pos, true) + view.getUint32(pos + 4, true) * 2 ** 32;
      const dataStart = pos + HEADER_BYTES;
      if (dataStart + length + FOOTER_BYTES > bytes.length) break; // still being written
      const data = bytes.subarray(dataStart, dataStart + length);
      if (maskedCrc32c(data) !== view.getUint32(dataStart + length, true)) {
        this.damaged(at, () => t('the record data fails its checksum'));
        pos++;
        continue;
      }
      pos = dataStart + length + FOOTER_BYTES;
      let event: DecodedEvent;
      try {
        event = decodeEvent(data);
      } catch {
        // The checksums hold, so the framing is right: only this record is lost.
        this.skips.skip({ byte: at }, () => t('not a TensorBoard event'));
        continue;
      }
      for (const v of event.values) {
        let entry = this.tags.get(v.tag);
        if (!entry) this.tags.set(v.tag, (entry = { builder: new SeriesBuilder(), plugin: null }));
        // Writers put the plugin name only on a tag's first value; remember it for the rest.
        if (v.plugin !== null && entry.plugin === null) entry.plugin = v.plugin;
        if (v.value !== null) entry.builder.push(event.step, v.value);
        // TF2 images: a string tensor of the images plugin, [width, height, image…].
        const spans = v.image ? [v.image] : entry.plugin === 'images' && v.strings ? v.strings.slice(2) : [];
        spans.forEach((span, index) => {
          const format = imageFormat(data.subarray(span.start, span.start + 16));
          if (format) this.found.push({ tag: v.tag, step: event.step, index, offset: this.offset + dataStart + span.start, length: span.length, format });
        });
      }
      this.record++;
    }
    this.offset += pos;
    return pos;
  }

  /** Where the image summaries of the records read so far are, in file order (byte offsets in the file). */
  images(): FoundImage[] {
    return this.found.slice();
  }

  /** The damaged records skipped so far. */
  skipped(): SkippedRecords | null {
    return this.skips.result();
  }

  private damaged(at: number, reason: () => string): void {
    this.skips.skip({ byte: at }, reason);
    this.resyncing = true;
  }

  /**
   * The series of every record pushed. Nothing after them can add one (push stopped there because
   * the record is unfinished), so unlike the text readers there is no unfinished end to read.
   * `share`: hand out views of memory the reader keeps (see SeriesBuilder.toRaw).
   */
  series(share: boolean): RawSeries[] {
    if (this.record === 0 && this.skips.count) {
      throw new ReadFailure(
        t('{0}: not a TensorBoard event file (no record can be read; at byte {1}: {2})', this.fileName, byteOf(this.skips.firstPlace), this.skips.firstReason),
      );
    }
    const series: RawSeries[] = [];
    for (const [tag, entry] of this.tags) {
      const scalarPlugin = entry.plugin === null || entry.plugin === '' || entry.plugin === 'scalars';
      if (scalarPlugin && entry.builder.length) series.push(entry.builder.toRaw(tag, null, share));
    }
    return series;
  }

  get heldBytes(): number {
    let sum = 0;
    for (const entry of this.tags.values()) sum += entry.builder.heldBytes;
    return sum;
  }
}

/**
 * The offset of the first record at or after `from` whose length and data checksums both verify.
 * When none does yet, `-(stop + 1)`: `stop` is where a record could still begin once more bytes
 * come (a header that verifies but whose data is not all there, or the last bytes too few for a header).
 */
function nextVerifiedRecord(bytes: Uint8Array, view: DataView, from: number): number {
  const last = bytes.length - HEADER_BYTES;
  for (let p = from; p <= last; p++) {
    if (maskedLengthCrc(bytes, p) !== view.getUint32(p + 8, true)) continue;
    const length = view.getUint32(p, true) + view.getUint32(p + 4, true) * 2 ** 32;
    const dataStart = p + HEADER_BYTES;
    if (dataStart + length + FOOTER_BYTES > bytes.length) return -(p + 1);
    if (maskedCrc32c(bytes.subarray(dataStart, dataStart + length)) === view.getUint32(dataStart + length, true)) return p;
  }
  return -(Math.max(from, last + 1) + 1);
}

function byteOf(place: { line: number } | { byte: number } | null): number {
  return place && 'byte' in place ? place.byte : 0;
}

// CRC-32C (Castagnoli), reflected polynomial 0x82F63B78, as TFRecord uses.
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** maskedCrc32c of the 8 length bytes at `p`, without a subarray: the resync asks it at every offset. */
function maskedLengthCrc(bytes: Uint8Array, p: number): number {
  let crc = 0xffffffff;
  for (let i = p; i < p + 8; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  crc = (crc ^ 0xffffffff) >>> 0;
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** TFRecord's masked CRC: rotate right by 15 bits and add a constant, so CRCs of CRCs stay strong. */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** Frames one serialized Event as a TFRecord (what TensorBoard's writers append to the file). */
export function tfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + data.length + FOOTER_BYTES);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length, true);
  view.setUint32(4, Math.floor(data.length / 2 ** 32), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, HEADER_BYTES);
  view.setUint32(HEADER_BYTES + data.length, maskedCrc32c(data), true);
  return out;
}
