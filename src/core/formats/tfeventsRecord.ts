// One TensorBoard `Event` record decoded field by field with protobufjs's Reader, in the shape
// `pbjs --target static` generates (no code generated at run time, so it works under a strict CSP):
// its step, and per summary value its tag, plugin, scalar (a `simple_value` or a one-element float
// tensor) and where its encoded images are (a `Summary.Image`, or a TF2 string tensor).
import { Reader } from 'protobufjs/minimal';
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

/** Where a bytes field's content is, in the record's data. */
export interface Span {
  start: number;
  length: number;
}

export interface DecodedValue {
  tag: string;
  /** The scalar, or null when this value holds something else (an image, a histogram…). */
  value: number | null;
  plugin: string | null;
  /** A `Summary.Image`'s encoded image. */
  image: Span | null;
  /** The strings of a string tensor (TF2 image summaries). */
  strings: Span[] | null;
}

export interface DecodedEvent {
  step: number;
  values: DecodedValue[];
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

export function decodeEvent(data: Uint8Array): DecodedEvent {
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
    } else if (field === ValueFields.metadata.id && wire === WIRE_BYTES) value.plugin = decodePluginName(r, r.uint32());
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
