// A history item's key and JSON value read from the record's bytes without making a string per
// item: a million `wandb.log` rows hold five million items, nearly all a repeated key and a number.

const utf8 = new TextDecoder('utf-8');

/** The UTF-8 text of bytes[start, end). */
export const textAt = (bytes: Uint8Array, start: number, end: number): string => utf8.decode(bytes.subarray(start, end));

// Powers of ten a double holds exactly (up to 10^22): the Clinger fast path below.
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const MAX_EXACT = 2 ** 53;

/**
 * The JSON number at bytes[start, end) (`0.6934201717376709`, `-2`, `1e-05`, and Python's bare
 * `NaN`, `Infinity`, `-Infinity`), else null (strings, objects, booleans, null). Exact: a mantissa of
 * up to 2^53 times an exact power of ten is one correctly rounded operation; anything else goes to `Number`.
 */
export function numberAt(bytes: Uint8Array, start: number, end: number): number | null {
  let i = start;
  let c = bytes[i];
  const negative = c === 45; /* - */
  if (negative) c = bytes[++i];
  if (c === 78 /* N */ || c === 73 /* I */) {
    const word = textAt(bytes, i, end);
    if (word === 'Infinity') return negative ? -Infinity : Infinity;
    return word === 'NaN' && !negative ? NaN : null;
  }
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  for (; i < end && (c = bytes[i]!) >= 48 && c <= 57; i++, digits++) mantissa = mantissa * 10 + (c - 48);
  if (i < end && bytes[i] === 46 /* . */) {
    for (i++; i < end && (c = bytes[i]!) >= 48 && c <= 57; i++, digits++, scale--) mantissa = mantissa * 10 + (c - 48);
  }
  if (digits === 0) return null;
  if (i < end && (bytes[i]! | 32) === 101 /* e */) {
    i++;
    const sign = bytes[i] === 45 ? -1 : 1;
    if (bytes[i] === 45 || bytes[i] === 43) i++;
    let exponent = 0;
    let expDigits = 0;
    for (; i < end && (c = bytes[i]!) >= 48 && c <= 57; i++, expDigits++) exponent = exponent * 10 + (c - 48);
    if (expDigits === 0) return null;
    scale += sign * exponent;
  }
  if (i !== end) return null;
  if (mantissa <= MAX_EXACT && scale >= -22 && scale <= 22) {
    const v = scale < 0 ? mantissa / POW10[-scale]! : mantissa * POW10[scale]!;
    return negative ? -v : v;
  }
  return Number(textAt(bytes, start, end));
}

/** History keys by their bytes: each distinct key is decoded once. */
export class KeyCache {
  private readonly byHash = new Map<number, { bytes: Uint8Array; name: string }>();

  name(bytes: Uint8Array, start: number, end: number): string {
    // FNV-1a over the key's bytes; a hit is checked byte for byte.
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 16777619);
    const hit = this.byHash.get(h);
    if (hit && hit.bytes.length === end - start) {
      let same = true;
      for (let i = start; i < end && same; i++) same = hit.bytes[i - start] === bytes[i];
      if (same) return hit.name;
    }
    const name = textAt(bytes, start, end);
    // A run with endless distinct keys (a key per step) must not grow this without bound.
    if (this.byHash.size > 100_000) this.byHash.clear();
    this.byHash.set(h, { bytes: bytes.slice(start, end), name });
    return name;
  }
}
