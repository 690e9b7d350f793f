// A notebook's JSON, parsed without materialising its images: the values of image keys (base64
// strings, megabytes each in a notebook of sample grids) are given as the byte range they occupy,
// and read only when an image is shown or scored (src/core/samples/imageSource.ts). Everything else
// is parsed as JSON.parse would. A 10 MB notebook costs its bytes and its text, not its images twice.

/** JSON values, with a Span where an image's value was. */
export type JsonValue = null | boolean | number | string | Span | JsonValue[] | { [key: string]: JsonValue };

export class JsonError extends Error {}

/** Objects nest this deep at most: a notebook is four levels deep; a hostile file must not overflow the stack. */
const MAX_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const utf8 = new TextDecoder('utf-8');

/** True for a Span (an image's place) rather than a parsed value. */
export function isSpan(v: JsonValue | undefined): v is Span {
  return v instanceof Span;
}

/**
 * Where a JSON value sits in the file: bytes [start, end). A class, so it is never mistaken for an
 * object the file wrote with "start" and "end" keys.
 */
export class Span {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {}
}

/**
 * Parses `bytes` (UTF-8 JSON); the value of any object member whose key `spanned` accepts is not
 * parsed but given as its Span. Throws JsonError (a short reason with the byte offset) on bad JSON.
 */
export function parseJson(bytes: Uint8Array, spanned: (key: string) => boolean): JsonValue {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;

  const fail = (what: string): never => {
    throw new JsonError(`${what} at byte ${pos}`);
  };
  const space = () => {
    for (;;) {
      const c = buf[pos];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else return;
    }
  };
  /** The position of the quote that ends the string whose opening quote is at `open`. */
  const stringEnd = (open: number): number => {
    let q = open;
    for (;;) {
      q = buf.indexOf(QUOTE, q + 1);
      if (q < 0) return fail('unterminated string');
      let slashes = 0;
      while (buf[q - 1 - slashes] === BACKSLASH) slashes++;
      if (slashes % 2 === 0) return q;
    }
  };
  const string = (): string => {
    const open = pos;
    const close = stringEnd(open);
    pos = close + 1;
    const slice = buf.subarray(open + 1, close);
    if (slice.indexOf(BACKSLASH) < 0) return utf8.decode(slice);
    try {
      return JSON.parse(utf8.decode(buf.subarray(open, close + 1))) as string;
    } catch {
      return fail('bad string escape');
    }
  };
  /** Passes over a value without building it (a spanned image: a string or a list of strings). */
  const skip = (depth: number): void => {
    space();
    const c = buf[pos];
    if (c === QUOTE) {
      pos = stringEnd(pos) + 1;
      return;
    }
    if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (depth > MAX_DEPTH) fail('nested too deep');
      const close = c === 0x5b ? 0x5d : 0x7d;
      pos++;
      for (;;) {
        space();
        if (buf[pos] === close) {
          pos++;
          return;
        }
        skip(depth + 1);
        space();
        if (buf[pos] === 0x3a /* : */ || buf[pos] === 0x2c /* , */) pos++;
        else if (buf[pos] !== close) fail('expected , or a closing bracket');
      }
    }
    value(depth); // a number or a literal: cheap
  };
  const value = (depth: number): JsonValue => {
    space();
    if (pos >= buf.length) fail('the file ends early');
    const c = buf[pos];
    if (c === QUOTE) return string();
    if (c === 0x7b /* { */) {
      if (depth > MAX_DEPTH) fail('nested too deep');
      pos++;
      const out: { [key: string]: JsonValue } = {};
      space();
      if (buf[pos] === 0x7d) {
        pos++;
        return out;
      }
      for (;;) {
        space();
        if (buf[pos] !== QUOTE) fail('expected a key');
        const key = string();
        space();
        if (buf[pos++] !== 0x3a) fail('expected :');
        if (spanned(key)) {
          space();
          const start = pos;
          skip(depth + 1);
          put(out, key, new Span(start, pos));
        } else put(out, key, value(depth + 1));
        space();
        const sep = buf[pos++];
        if (sep === 0x7d) return out;
        if (sep !== 0x2c) fail('expected , or }');
      }
    }
    if (c === 0x5b /* [ */) {
      if (depth > MAX_DEPTH) fail('nested too deep');
      pos++;
      const out: JsonValue[] = [];
      space();
      if (buf[pos] === 0x5d) {
        pos++;
        return out;
      }
      for (;;) {
        out.push(value(depth + 1));
        space();
        const sep = buf[pos++];
        if (sep === 0x5d) return out;
        if (sep !== 0x2c) fail('expected , or ]');
      }
    }
    if (c === 0x74 && buf.toString('latin1', pos, pos + 4) === 'true') return ((pos += 4), true);
    if (c === 0x66 && buf.toString('latin1', pos, pos + 5) === 'false') return ((pos += 5), false);
    if (c === 0x6e && buf.toString('latin1', pos, pos + 4) === 'null') return ((pos += 4), null);
    const start = pos;
    while (pos < buf.length && /[-+0-9.eE]/.test(String.fromCharCode(buf[pos]!))) pos++;
    const n = Number(buf.toString('latin1', start, pos));
    if (start === pos || !Number.isFinite(n)) fail('unexpected character');
    return n;
  };

  const result = value(0);
  space();
  if (pos < buf.length) fail('unexpected data after the end');
  return result;
}

/** Sets a member as JSON.parse does: a key `__proto__` is an own property, never the object's prototype. */
function put(out: { [key: string]: JsonValue }, key: string, v: JsonValue): void {
  Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
}
