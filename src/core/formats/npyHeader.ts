// The `.npy` header: magic, version, the header dict (a strict literal grammar, never evaluated)
// and every length, checked before anything is allocated. npy.ts turns the data into series.
import { t } from '../l10n';

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

export type Kind = 'f' | 'i' | 'u' | 'b';
export interface Dtype {
  kind: Kind;
  size: number;
  little: boolean;
}

export interface Layout {
  array: Omit<NpyArray, 'data'>;
  dtype: Dtype;
  count: number;
  dataOffset: number;
}

/** Magic, version, header and lengths: everything is checked here, before any allocation. */
/** `fileSize`: the whole file's, when `bytes` is only its start (see `CountingSteps.prepare`). */
export function readLayout(bytes: Uint8Array, fileName: string, maxElements: number, fileSize = bytes.length): Layout {
  const fail = (reason: string): never => {
    throw new NpyError(fileName, reason);
  };
  const n = fileSize;

  for (let i = 0; i < Math.min(n, MAGIC.length); i++) {
    if (bytes[i] !== MAGIC[i]) fail(t('not a .npy file (the NUMPY magic string is missing)'));
  }
  if (n < 8) fail(t('truncated: the magic string and version need 8 bytes, found {0}', n));
  const major = bytes[6]!;
  const minor = bytes[7]!;
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
  for (const byte of raw) s += String.fromCharCode(byte);
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
    while (pos < text.length && isSpace(text[pos]!)) pos++;
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
    const quote = text[pos]!;
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
  while (pos < text.length && (isSpace(text[pos]!) || text[pos] === '\0')) pos++;
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
  const [, order = '', kind = '', rest = ''] = m;
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

/** Header text quoted for a one-line message: JSON escapes control characters; also the Unicode line breaks. */
function quote(text: string): string {
  return JSON.stringify(text)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Python's spelling, as numpy users know it: `(3,)`, `(25, 100)`. */
export function formatShape(shape: number[]): string {
  const dims = shape.map((d) => (Number.isFinite(d) ? String(d) : '…'));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}
