// Reads NumPy `.npy` files (format 1.0/2.0/3.0) into float64 values in C order, and turns loss
// arrays into named series.
//
// Why not npyjs's `parse`: it finds the header keys with regexes (a malformed header is half-read,
// never refused), decodes it as latin1 even for 3.0 (utf8), rejects big-endian dtypes, ignores
// `fortran_order`, never checks the data length against the shape (a truncated file silently
// yields fewer values, extra bytes become extra values), builds views from offset 0 of the
// ArrayBuffer (wrong for a Node Buffer slice), throws a RangeError on unaligned data and turns
// bools into a JS array. So the header is parsed here with a strict literal grammar (never
// evaluated) and every length is checked before anything is allocated; npyjs still decodes float16.
import { fileBaseName } from '../paths';
import { float16ToFloat32 } from 'npyjs';
import { t } from '../l10n';
import type { RawSeries } from '../model';

export interface NpyArray {
  /** As written in the header, e.g. '<f8', '>i4', '|b1'. */
  dtype: string;
  shape: number[];
  fortranOrder: boolean;
  /** '1.0' | '2.0' | '3.0' */
  version: string;
  /** Values in C order (row-major), converted to float64. May share memory with the input bytes. */
  data: Float64Array;
}

/** A file that cannot be read as a loss array; the message is one line: "<fileName>: <reason>". */
export class NpyError extends Error {
  readonly fileName: string;
  readonly reason: string;
  constructor(fileName: string, reason: string) {
    super(`${fileName}: ${reason}`);
    this.name = 'NpyError';
    this.fileName = fileName;
    this.reason = reason;
  }
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
/** numpy refuses longer headers too (`max_header_size`): a huge header is an attack, not data. */
const MAX_HEADER_BYTES = 10_000;
const DEFAULT_MAX_ELEMENTS = 200_000_000;
/** More columns than this is a matrix (latent seeds, images), not a loss history. */
const MAX_SERIES_COLUMNS = 16;
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type Kind = 'f' | 'i' | 'u' | 'b';
interface Dtype {
  kind: Kind;
  size: number;
  little: boolean;
}

/** Parses `.npy` bytes. Throws NpyError (never another error) for anything it cannot read. */
export function parseNpy(bytes: Uint8Array, fileName: string, opts?: { maxElements?: number }): NpyArray {
  const layout = readLayout(bytes, fileName, opts?.maxElements ?? DEFAULT_MAX_ELEMENTS);
  return { ...layout.array, data: readData(bytes, layout) };
}

/**
 * Turns a loss array into named series: `(N,)`/`(N,1)` is one series; `(N,k)` is one series per
 * column (`<base>[<col>]`), except that an integer, strictly increasing first column is the steps.
 * Series of one file share one `steps` array; files read with the same `counting` (one run) too.
 */
export function readNpySeries(bytes: Uint8Array, fileName: string, counting = new CountingSteps()): RawSeries[] {
  const layout = readLayout(bytes, fileName, DEFAULT_MAX_ELEMENTS);
  const { shape } = layout.array;
  const rows = shape[0];
  const columns = shape.length === 2 ? shape[1] : 1;
  // Checked before converting anything: an image stack can be large and is refused anyway.
  if (shape.length > 2 || columns > MAX_SERIES_COLUMNS) {
    throw new NpyError(fileName, t('shape {0} is not a loss history', formatShape(shape)));
  }
  const data = readData(bytes, layout);
  const base = baseName(fileName);
  if (columns === 1) return [{ name: base, column: null, steps: counting.of(rows), values: data }];

  const firstColumn = column(data, rows, columns, 0);
  const hasSteps = isStepColumn(firstColumn);
  const steps = hasSteps ? firstColumn : counting.of(rows);
  const series: RawSeries[] = [];
  for (let c = hasSteps ? 1 : 0; c < columns; c++) {
    series.push({ name: `${base}[${c}]`, column: c, steps, values: c === 0 ? firstColumn : column(data, rows, columns, c) });
  }
  return series;
}

interface Layout {
  array: Omit<NpyArray, 'data'>;
  dtype: Dtype;
  count: number;
  dataOffset: number;
}

/** Magic, version, header and lengths: everything is checked here, before any allocation. */
/** `fileSize`: the whole file's, when `bytes` is only its start (see `CountingSteps.prepare`). */
function readLayout(bytes: Uint8Array, fileName: string, maxElements: number, fileSize = bytes.length): Layout {
  const fail = (reason: string): never => {
    throw new NpyError(fileName, reason);
  };
  const n = fileSize;

  for (let i = 0; i < Math.min(n, MAGIC.length); i++) {
    if (bytes[i] !== MAGIC[i]) fail(t('not a .npy file (the NUMPY magic string is missing)'));
  }
  if (n < 8) fail(t('truncated: the magic string and version need 8 bytes, found {0}', n));
  const major = bytes[6];
  const minor = bytes[7];
  if (minor !== 0 || major < 1 || major > 3) fail(t('unsupported .npy format version {0}.{1}', major, minor));
  const headerStart = major === 1 ? 10 : 12;
  if (n < headerStart) fail(t('truncated: the header length field needs {0} bytes, found {1}', headerStart, n));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > MAX_HEADER_BYTES) {
    fail(t('header is {0} bytes, over the limit of {1}', headerLength, MAX_HEADER_BYTES));
  }
  const dataOffset = headerStart + headerLength;
  if (dataOffset > n) {
    fail(t('header length {0} goes beyond the end of the file ({1} bytes)', headerLength, n));
  }

  const header = decodeHeader(bytes.subarray(headerStart, dataOffset), major === 3, fail);
  const fields = parseHeaderDict(header, fail);
  const dtype = parseDescr(fields.descr, fail);
  const shape = fields.shape;
  const shapeText = formatShape(shape);
  if (shape.length === 0) fail(t('0-d array (shape ()) holds a single value, not a series'));
  let count = 1;
  for (const dim of shape) {
    if (dim === 0) fail(t('empty array (shape {0})', shapeText));
    count *= dim;
  }
  if (!(count <= maxElements)) {
    fail(t('shape {0} has more than {1} elements', shapeText, maxElements));
  }

  const expected = count * dtype.size;
  const found = n - dataOffset;
  if (found < expected) {
    const partial = found % dtype.size;
    fail(
      partial
        ? t('data is truncated: shape {0} of {1} needs {2} bytes, found {3} (ends inside an element)', shapeText, fields.descr, expected, found)
        : t('data is truncated: shape {0} of {1} needs {2} bytes, found {3}', shapeText, fields.descr, expected, found),
    );
  }
  return {
    array: { dtype: fields.descr, shape, fortranOrder: fields.fortranOrder, version: `${major}.0` },
    dtype,
    count,
    dataOffset,
  };
}

function readData(bytes: Uint8Array, layout: Layout): Float64Array {
  const data = toFloat64(bytes, layout.dataOffset, layout.count, layout.dtype);
  const { shape, fortranOrder } = layout.array;
  return fortranOrder && shape.length > 1 ? fortranToC(data, shape) : data;
}

function decodeHeader(raw: Uint8Array, utf8: boolean, fail: (reason: string) => never): string {
  if (utf8) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      return fail(t('header is not valid UTF-8'));
    }
  }
  // TextDecoder('latin1') is really windows-1252; the format says latin1, i.e. byte = code point.
  let s = '';
  for (let i = 0; i < raw.length; i++) s += String.fromCharCode(raw[i]);
  return s;
}

interface HeaderFields {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

/**
 * A strict reader for the one literal numpy writes: `{'descr': '<f8', 'fortran_order': False,
 * 'shape': (3, 2), }` plus padding. Anything else (expressions, calls, escapes, other keys) is refused.
 */
function parseHeaderDict(text: string, fail: (reason: string) => never): HeaderFields {
  let pos = 0;
  const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
  const skip = () => {
    while (pos < text.length && isSpace(text[pos])) pos++;
  };
  const unexpected = (): never => {
    if (pos >= text.length) return fail(t('header is not a plain dict literal (it ends early, at character {0})', pos));
    return fail(t('header is not a plain dict literal (unexpected {0} at character {1})', quote(text.slice(pos, pos + 12)), pos));
  };
  const expect = (c: string) => {
    skip();
    if (text[pos] !== c) unexpected();
    pos++;
  };
  const readString = (): string => {
    skip();
    const quote = text[pos];
    if (quote !== "'" && quote !== '"') unexpected();
    const end = text.indexOf(quote, pos + 1);
    if (end < 0) unexpected();
    const s = text.slice(pos + 1, end);
    if (/[\\\n\r]/.test(s)) unexpected();
    pos = end + 1;
    return s;
  };
  const readShape = (): number[] => {
    skip();
    if (text[pos] !== '(') unexpected();
    pos++;
    const dims: number[] = [];
    let sawComma = false;
    for (;;) {
      skip();
      if (text[pos] === ')') break;
      if (text[pos] === '-') fail(t('shape has a negative dimension'));
      const m = /^[0-9]+[lL]?/.exec(text.slice(pos, pos + 40));
      if (!m) unexpected();
      const digits = m![0].replace(/[lL]$/, '');
      pos += m![0].length;
      // Beyond 2^53 the number is absurd anyway; Infinity fails the element limit below.
      dims.push(digits.length > 17 ? Infinity : Number(digits));
      skip();
      sawComma = text[pos] === ',';
      if (sawComma) pos++;
      else if (text[pos] !== ')') unexpected();
    }
    pos++;
    // `(3)` is the number 3 in Python, not a tuple: numpy refuses it, so do we.
    if (dims.length === 1 && !sawComma) fail(t('shape (…) is a number, not a tuple'));
    return dims;
  };

  let descr: string | undefined;
  let fortranOrder: boolean | undefined;
  let shape: number[] | undefined;
  const seen = new Set<string>();
  expect('{');
  for (;;) {
    skip();
    if (text[pos] === '}') break;
    const key = readString();
    if (seen.has(key)) fail(t('header repeats the key {0}', quote(key.slice(0, 40))));
    seen.add(key);
    expect(':');
    skip();
    if (key === 'descr') {
      if (text[pos] === '[') fail(t('structured dtypes (a list of fields) are not supported'));
      if (text[pos] === '(') fail(t('sub-array dtypes are not supported'));
      descr = readString();
    } else if (key === 'fortran_order') {
      if (text.startsWith('True', pos)) fortranOrder = true;
      else if (text.startsWith('False', pos)) fortranOrder = false;
      else fail(t('header value of fortran_order is not True or False'));
      pos += fortranOrder ? 4 : 5;
    } else if (key === 'shape') {
      shape = readShape();
    } else {
      fail(t('header has an unexpected key {0} (expected descr, fortran_order, shape)', quote(key.slice(0, 40))));
    }
    skip();
    if (text[pos] === ',') pos++;
    else if (text[pos] !== '}') unexpected();
  }
  pos++;
  // numpy pads with spaces and a newline; some writers pad with NULs.
  while (pos < text.length && (isSpace(text[pos]) || text[pos] === '\0')) pos++;
  if (pos < text.length) unexpected();
  if (descr === undefined) fail(t('header is missing the key {0}', "'descr'"));
  if (fortranOrder === undefined) fail(t('header is missing the key {0}', "'fortran_order'"));
  if (shape === undefined) fail(t('header is missing the key {0}', "'shape'"));
  return { descr: descr!, fortranOrder: fortranOrder!, shape: shape! };
}

function parseDescr(descr: string, fail: (reason: string) => never): Dtype {
  // Kind first, so '<M8[ns]' or '|S10' get a reason that says what they are.
  const m = /^([<>|=]?)([A-Za-z])(.*)$/.exec(descr);
  const shown = quote(descr.slice(0, 40));
  if (!m) return fail(t('unsupported dtype {0}', shown));
  const [, order, kind, rest] = m;
  const size = /^\d{1,2}$/.test(rest) ? Number(rest) : NaN;
  if (kind === 'O') fail(t('object arrays (dtype {0}) hold pickled Python objects and are never unpickled', shown));
  if (kind === 'c') fail(t('complex dtype {0} is not a loss series', shown));
  if ('SaUV'.includes(kind)) fail(t('string or void dtype {0} is not a loss series', shown));
  if ('Mm'.includes(kind)) fail(t('date/time dtype {0} is not a loss series', shown));
  const ok =
    (kind === 'f' && (size === 2 || size === 4 || size === 8)) ||
    ((kind === 'i' || kind === 'u') && (size === 1 || size === 2 || size === 4 || size === 8)) ||
    (kind === 'b' && size === 1);
  if (!ok) fail(t('unsupported dtype {0}', shown));
  // '|' (not applicable), '=' (native) and no mark: every host we run on is little-endian.
  return { kind: kind as Kind, size, little: order !== '>' };
}

let float16Table: Float64Array | undefined;
/** All 65,536 half-precision values, decoded once by npyjs. */
function halfTable(): Float64Array {
  if (!float16Table) {
    float16Table = new Float64Array(65536);
    for (let i = 0; i < 65536; i++) float16Table[i] = float16ToFloat32(i);
  }
  return float16Table;
}

/**
 * To float64 in one pass. Native-order float64 at an aligned offset is returned as a view
 * (zero-copy). Unaligned or byte-swapped data is first copied once into fresh (aligned) memory
 * and swapped there with integer ops, which is several times faster than a DataView loop.
 */
function toFloat64(bytes: Uint8Array, offset: number, count: number, d: Dtype): Float64Array {
  const byteLength = count * d.size;
  const swap = d.size > 1 && d.little !== HOST_LITTLE_ENDIAN;
  let buffer: ArrayBufferLike = bytes.buffer;
  let at = bytes.byteOffset + offset;
  if (swap || at % d.size !== 0) {
    // Unaligned data comes from pooled Node Buffers or odd header lengths.
    const copy = new Uint8Array(byteLength);
    copy.set(bytes.subarray(offset, offset + byteLength));
    if (swap) swapBytes(copy.buffer, count, d.size);
    buffer = copy.buffer;
    at = 0;
  }
  switch (`${d.kind}${d.size}`) {
    case 'f8':
      return new Float64Array(buffer, at, count);
    case 'f4':
      return widen(new Float32Array(buffer, at, count));
    case 'f2': {
      const table = halfTable();
      const u16 = new Uint16Array(buffer, at, count);
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = table[u16[i]];
      return out;
    }
    case 'i1':
      return widen(new Int8Array(buffer, at, count));
    case 'u1':
      return widen(new Uint8Array(buffer, at, count));
    case 'b1': {
      const u8 = new Uint8Array(buffer, at, count);
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = u8[i] ? 1 : 0;
      return out;
    }
    case 'i2':
      return widen(new Int16Array(buffer, at, count));
    case 'u2':
      return widen(new Uint16Array(buffer, at, count));
    case 'i4':
      return widen(new Int32Array(buffer, at, count));
    case 'u4':
      return widen(new Uint32Array(buffer, at, count));
    default: {
      // i8/u8: hi * 2^32 is exact and adding lo rounds once, exactly like Number(bigint), without BigInts.
      const words = new Uint32Array(buffer, at, count * 2);
      const signed = d.kind === 'i';
      const lo = HOST_LITTLE_ENDIAN ? 0 : 1;
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const hi = signed ? words[2 * i + 1 - lo] | 0 : words[2 * i + 1 - lo];
        out[i] = hi * 4294967296 + words[2 * i + lo];
      }
      return out;
    }
  }
}

/** Typed-array `set` converts natively, much faster than a JS loop or `Float64Array.from`. */
function widen(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  out.set(values);
  return out;
}

/** Reverses the bytes of each element in place (buffer starts at 0, so it is aligned). */
function swapBytes(buffer: ArrayBufferLike, count: number, size: number): void {
  if (size === 2) {
    const u16 = new Uint16Array(buffer, 0, count);
    for (let i = 0; i < count; i++) {
      const x = u16[i];
      u16[i] = ((x & 0xff) << 8) | (x >>> 8);
    }
    return;
  }
  const u32 = new Uint32Array(buffer, 0, (count * size) / 4);
  const bswap = (x: number) => ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
  if (size === 4) {
    for (let i = 0; i < count; i++) u32[i] = bswap(u32[i]);
    return;
  }
  for (let i = 0; i < 2 * count; i += 2) {
    const a = u32[i];
    u32[i] = bswap(u32[i + 1]);
    u32[i + 1] = bswap(a);
  }
}

/** Reorders column-major values to row-major. */
function fortranToC(data: Float64Array, shape: number[]): Float64Array {
  const out = new Float64Array(data.length);
  if (shape.length === 2) {
    const [rows, cols] = shape;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) out[r * cols + c] = data[c * rows + r];
    }
    return out;
  }
  // n-D: walk C order with an odometer and track the Fortran offset.
  const nd = shape.length;
  const fStride = new Array<number>(nd);
  let s = 1;
  for (let k = 0; k < nd; k++) {
    fStride[k] = s;
    s *= shape[k];
  }
  const index = new Array<number>(nd).fill(0);
  let f = 0;
  for (let i = 0; i < data.length; i++) {
    out[i] = data[f];
    for (let k = nd - 1; k >= 0; k--) {
      index[k]++;
      f += fStride[k];
      if (index[k] < shape[k]) break;
      f -= fStride[k] * shape[k];
      index[k] = 0;
    }
  }
  return out;
}

/** Header text quoted for a one-line message: JSON escapes control characters; also the Unicode line breaks. */
function quote(text: string): string {
  return JSON.stringify(text).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Python's spelling, as numpy users know it: `(3,)`, `(25, 100)`. */
function formatShape(shape: number[]): string {
  const dims = shape.map((d) => (Number.isFinite(d) ? String(d) : '…'));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

function baseName(fileName: string): string {
  const last = fileBaseName(fileName);
  return last.replace(/\.npy$/i, '');
}

/**
 * The steps 0…N−1 of `.npy` series, shared by the files of ONE run: the D and the G file (same length)
 * get the same array instead of 80 MB more per 10,000,000-step file. One is made per run load and
 * dropped with it, never kept by a module: the worker moves a run's arrays to the extension host,
 * and a module-level copy handed to the next run of the same length would be a detached buffer
 * (issue #13). Only whole arrays are shared, never views of a longer one, so posting a short run to
 * another thread never copies a long buffer.
 */
export class CountingSteps {
  private steps = new Float64Array(0);

  /** 0…n−1; the same array for every call with the same n until another length is asked for. */
  of(n: number): Float64Array {
    if (this.steps.length !== n || this.steps.buffer.byteLength === 0) {
      const steps = new Float64Array(n);
      // In chunks: a small function called often is optimised early; one long loop run once is not.
      for (let i = 0; i < n; i += 1 << 16) fillCounting(steps, i, Math.min(n, i + (1 << 16)));
      this.steps = steps;
    }
    return this.steps;
  }

  /**
   * Makes the steps a `.npy` of one series will get, from the file's first bytes, while the rest of
   * the file is still being read: writing 80 MB of fresh memory (a page fault per 4 KiB) is a fifth
   * of reading a 10,000,000-step run, and overlaps the read instead of following it. Never throws:
   * whatever is wrong with the file is for the real read to report.
   */
  prepare(head: Uint8Array, fileSize: number): void {
    try {
      const { shape } = readLayout(head, '', DEFAULT_MAX_ELEMENTS, fileSize).array;
      if (shape.length === 1 || (shape.length === 2 && shape[1] === 1)) this.of(shape[0]!);
    } catch {
      // reported by the read itself
    }
  }
}

function fillCounting(steps: Float64Array, from: number, to: number): void {
  for (let i = from; i < to; i++) steps[i] = i;
}

function column(data: Float64Array, rows: number, cols: number, c: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = data[r * cols + c];
  return out;
}

/** A `[step, …]` column: at least two rows, integers, strictly increasing. */
function isStepColumn(values: Float64Array): boolean {
  if (values.length < 2) return false;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isInteger(values[i])) return false;
    if (i > 0 && !(values[i] > values[i - 1])) return false;
  }
  return true;
}
