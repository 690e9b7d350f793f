// TensorBoard event files (`events.out.tfevents.*`): TFRecord framing around `Event` protos.
// Scalars come from `simple_value` (PyTorch SummaryWriter, TF1) or a one-element float tensor
// (TF2 `tf.summary.scalar`). Image summaries are found, not copied: where each encoded image sits
// in the file (`Summary.Image` of TF1 / PyTorch `add_image`, or the string tensor of TF2
// `tf.summary.image`: width, height, then the images), for the run to read as embedded samples. Decoding walks the fields with protobufjs's Reader in the shape
// `pbjs --target static` generates, so no code is generated at run time (works under a strict CSP).
//
// Damage policy: a record whose length or data checksum is wrong (a flipped byte, a hole of zeros,
// bytes lost) is skipped: every record before it is kept, and reading resumes at the next offset
// where a record's length checksum AND data checksum both verify (so nothing that was never a
// record is read as one), as `SkipTally` tells (see skipped.ts). A final record cut short, as while
// training is still writing, ends the read and keeps everything before it. A file where not one
// record verifies is refused as not an event file.
import { Reader } from 'protobufjs/minimal';
import type { RawSeries } from '../model';
import { t } from '../l10n';
import { ReadFailure } from './errors';
import { SeriesBuilder } from './seriesBuilder';
import { SkipTally, type SkipReport, type SkippedRecords } from './skipped';
import { imageFormatOf, type FileReport, type FoundImage } from './foundImages';
import {
  DataType,
  DimFields,
  EventFields,
  ImageFields,
  MetadataFields,
  PluginDataFields,
  ShapeFields,
  SummaryFields,
  TensorFields,
  ValueFields,
} from './tfevents.proto';

const HEADER_BYTES = 12; // uint64 length + masked crc32c of the length
const FOOTER_BYTES = 4; // masked crc32c of the data

/**
 * One scalar per tag and step, in file order; tags of non-scalar plugins are left out. Empty when
 * the file has no scalars. `report.images` gets where the file's image summaries are.
 */
export function readTfEvents(bytes: Uint8Array, fileName: string, report?: SkipReport & FileReport): RawSeries[] {
  const reader = new TfEventsReader(fileName);
  reader.push(bytes);
  const series = reader.series(false);
  if (report) {
    report.skipped = reader.skipped();
    report.images = reader.images();
  }
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
          const format = imageFormatOf(data.subarray(span.start, span.start + 16));
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
      throw new ReadFailure(t('{0}: not a TensorBoard event file (no record can be read; at byte {1}: {2})', this.fileName, byteOf(this.skips.firstPlace), this.skips.firstReason));
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

/** Where a bytes field's content is, in the record's data. */
interface Span {
  start: number;
  length: number;
}

interface DecodedValue {
  tag: string;
  /** The scalar, or null when this value holds something else (an image, a histogram…). */
  value: number | null;
  plugin: string | null;
  /** A `Summary.Image`'s encoded image. */
  image: Span | null;
  /** The strings of a string tensor (TF2 image summaries). */
  strings: Span[] | null;
}

interface DecodedEvent {
  step: number;
  values: DecodedValue[];
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

function decodeEvent(data: Uint8Array): DecodedEvent {
  const r = Reader.create(data);
  const event: DecodedEvent = { step: 0, values: [] };
  while (r.pos < r.len) {
    const key = r.uint32();
    const field = key >>> 3;
    const wire = key & 7;
    if (field === EventFields.step.id && wire === WIRE_VARINT) event.step = longToNumber(r.int64());
    else if (field === EventFields.summary.id && wire === WIRE_BYTES) decodeSummary(r, r.uint32(), event.values);
    else r.skipType(wire);
  }
  return event;
}

function decodeSummary(r: Reader, length: number, out: DecodedValue[]): void {
  const end = r.pos + length;
  while (r.pos < end) {
    const key = r.uint32();
    if (key >>> 3 === SummaryFields.value.id && (key & 7) === WIRE_BYTES) out.push(decodeValue(r, r.uint32()));
    else r.skipType(key & 7);
  }
}

function decodeValue(r: Reader, length: number): DecodedValue {
  const end = r.pos + length;
  const value: DecodedValue = { tag: '', value: null, plugin: null, image: null, strings: null };
  while (r.pos < end) {
    const key = r.uint32();
    const field = key >>> 3;
    const wire = key & 7;
    if (field === ValueFields.tag.id && wire === WIRE_BYTES) value.tag = r.string();
    else if (field === ValueFields.simpleValue.id && wire === WIRE_FIXED32) value.value = r.float();
    else if (field === ValueFields.image.id && wire === WIRE_BYTES) value.image = decodeImage(r, r.uint32());
    else if (field === ValueFields.tensor.id && wire === WIRE_BYTES) {
      const tensor = decodeTensor(r, r.uint32());
      value.value = tensor.value;
      value.strings = tensor.strings;
    }
    else if (field === ValueFields.metadata.id && wire === WIRE_BYTES) value.plugin = decodePluginName(r, r.uint32());
    else r.skipType(wire);
  }
  return value;
}

function decodePluginName(r: Reader, length: number): string | null {
  const end = r.pos + length;
  let plugin: string | null = null;
  while (r.pos < end) {
    const key = r.uint32();
    if (key >>> 3 === MetadataFields.pluginData.id && (key & 7) === WIRE_BYTES) {
      const pluginEnd = r.uint32() + r.pos;
      while (r.pos < pluginEnd) {
        const k = r.uint32();
        if (k >>> 3 === PluginDataFields.pluginName.id && (k & 7) === WIRE_BYTES) plugin = r.string();
        else r.skipType(k & 7);
      }
    } else r.skipType(key & 7);
  }
  return plugin;
}

/** Where a `Summary.Image`'s encoded image is; null when it has none. */
function decodeImage(r: Reader, length: number): Span | null {
  const end = r.pos + length;
  let span: Span | null = null;
  while (r.pos < end) {
    const key = r.uint32();
    if (key >>> 3 === ImageFields.encodedImageString.id && (key & 7) === WIRE_BYTES) span = skipBytes(r);
    else r.skipType(key & 7);
  }
  return span;
}

/** Passes over a bytes field's content, giving where it was. */
function skipBytes(r: Reader): Span {
  const length = r.uint32();
  const start = r.pos;
  r.skip(length);
  return { start, length };
}

/**
 * The number in a one-element float/double/half tensor (null for any other tensor), and where the
 * strings of a string tensor are (null for any other).
 */
function decodeTensor(r: Reader, length: number): { value: number | null; strings: Span[] | null } {
  const end = r.pos + length;
  let dtype = 0;
  let elements = 1;
  let content: Uint8Array | null = null;
  const listed: number[] = [];
  const strings: Span[] = [];
  const readRepeated = (wire: number, read: () => number) => {
    if (wire === WIRE_BYTES) {
      const listEnd = r.uint32() + r.pos;
      while (r.pos < listEnd) listed.push(read());
    } else listed.push(read());
  };
  while (r.pos < end) {
    const key = r.uint32();
    const field = key >>> 3;
    const wire = key & 7;
    if (field === TensorFields.dtype.id && wire === WIRE_VARINT) dtype = r.int32();
    else if (field === TensorFields.tensorShape.id && wire === WIRE_BYTES) elements = decodeElementCount(r, r.uint32());
    else if (field === TensorFields.tensorContent.id && wire === WIRE_BYTES) content = r.bytes();
    else if (field === TensorFields.floatVal.id && (wire === WIRE_BYTES || wire === WIRE_FIXED32)) readRepeated(wire, () => r.float());
    else if (field === TensorFields.doubleVal.id && (wire === WIRE_BYTES || wire === WIRE_FIXED64)) readRepeated(wire, () => r.double());
    else if (field === TensorFields.halfVal.id && (wire === WIRE_BYTES || wire === WIRE_VARINT)) readRepeated(wire, () => r.int32());
    else if (field === TensorFields.stringVal.id && wire === WIRE_BYTES) strings.push(skipBytes(r));
    else r.skipType(wire);
  }
  if (dtype === DataType.DT_STRING) return { value: null, strings };
  return { value: scalarOf(dtype, elements, content, listed), strings: null };
}

function scalarOf(dtype: number, elements: number, content: Uint8Array | null, listed: number[]): number | null {
  if (elements !== 1) return null;
  const half = dtype === DataType.DT_HALF || dtype === DataType.DT_BFLOAT16;
  if (dtype !== DataType.DT_FLOAT && dtype !== DataType.DT_DOUBLE && !half) return null;
  if (content && content.length) {
    const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
    if (dtype === DataType.DT_FLOAT && content.length >= 4) return view.getFloat32(0, true);
    if (dtype === DataType.DT_DOUBLE && content.length >= 8) return view.getFloat64(0, true);
    if (half && content.length >= 2) return halfBitsToNumber(view.getUint16(0, true), dtype);
    return null;
  }
  if (!listed.length) return null;
  return half ? halfBitsToNumber(listed[0]! & 0xffff, dtype) : listed[0]!;
}

/** Product of the dimension sizes (1 for a scalar's empty shape); -1 for an unknown rank. */
function decodeElementCount(r: Reader, length: number): number {
  const end = r.pos + length;
  let count = 1;
  while (r.pos < end) {
    const key = r.uint32();
    const field = key >>> 3;
    if (field === ShapeFields.dim.id && (key & 7) === WIRE_BYTES) {
      const dimEnd = r.uint32() + r.pos;
      while (r.pos < dimEnd) {
        const k = r.uint32();
        if (k >>> 3 === DimFields.size.id && (k & 7) === WIRE_VARINT) count *= longToNumber(r.int64());
        else r.skipType(k & 7);
      }
    } else if (field === ShapeFields.unknownRank.id && (key & 7) === WIRE_VARINT) {
      if (r.bool()) count = -1;
    } else r.skipType(key & 7);
  }
  return count;
}

function halfBitsToNumber(bits: number, dtype: number): number {
  if (dtype === DataType.DT_BFLOAT16) {
    const view = new DataView(new ArrayBuffer(4));
    view.setUint32(0, bits << 16);
    return view.getFloat32(0);
  }
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** protobufjs gives a Long when the `long` package is loaded, a number otherwise. */
function longToNumber(v: { low: number; high: number } | number): number {
  return typeof v === 'number' ? v : v.high * 2 ** 32 + (v.low >>> 0);
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
