// Numbers as the printed-log templates read them from a file's UTF-8 bytes, undecoded
// (lineTemplates.ts, `matchBytes`): what templateNumbers.ts reads from the decoded text, with the
// same value and end, or no reading at all (the line is then decoded and read as text). Numbers are
// ASCII; where a decision rests on the character after a number and that byte is not ASCII (part of
// a character the text would hold whole), the number is not read here, so no byte of a multi-byte
// character is ever taken for what its character is not.
import { POW10, isDigit, isWordChar, isWordStart } from './lineChars';
import { longDecimal } from './longDecimal';
import { BAR, CLOCK, FRAC, NUM } from './lineTokens';
import type { Plain } from './templateNumbers';

// Any byte past ASCII counts as a letter here: it ends no number, so such a number is left to the text.
const isWordStart8 = (c: number) => c >= 128 || isWordStart(c);
const isWordChar8 = (c: number) => c >= 128 || isWordChar(c);

/** Whether `bytes` holds `chars` (UTF-8) at `pos`. */
export function holdsBytes(bytes: Uint8Array, pos: number, chars: Uint8Array): boolean {
  for (let k = 0; k < chars.length; k++) if (bytes[pos + k] !== chars[k]) return false;
  return true;
}

/** The ASCII text of `bytes` from `start` to `end` (a number's). */
function asciiOf(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/**
 * templateNumbers.ts `plainNumber` on bytes: a plain number at `pos` with the template's `unit`
 * (UTF-8) run into it or none; false where `plainNumber` would be false, and also where the byte
 * deciding its end is not ASCII. The line ends in a line break (the caller reads no line without
 * one), where `plainNumber`'s line end is: a number ends there as before the end of `plainNumber`'s line.
 */
export function plainNumberBytes(bytes: Uint8Array, pos: number, signOk: boolean, unit: Uint8Array, out: Plain): boolean {
  let j = pos;
  let c = bytes[j]!;
  const negative = c === 45;
  if (negative) {
    if (!signOk) return false;
    c = bytes[++j]!;
  }
  if (!isDigit(c)) return false;
  // Digits straight into an exact double while there are at most 15 of them (most numbers).
  const first = j;
  let mantissa = 0;
  while (isDigit(c)) {
    mantissa = mantissa * 10 + (c - 48);
    c = bytes[++j]!;
  }
  let whole = 1;
  let scale = 0;
  if (c === 46 && isDigit(bytes[j + 1]!)) {
    whole = 0;
    c = bytes[++j]!;
    const from = j;
    while (isDigit(c)) {
      mantissa = mantissa * 10 + (c - 48);
      c = bytes[++j]!;
    }
    scale = j - from;
  }
  // More: again as templateNumbers.ts reads them, the first 15 significant digits apart from the rest (`tail`).
  let digits = 0;
  let tail = 0;
  if (j - first - (1 - whole) > 15) {
    mantissa = 0;
    for (let k = first; k < j; k++) {
      const d = bytes[k]!;
      if (d === 46) continue;
      if (digits < 15) {
        mantissa = mantissa * 10 + (d - 48);
        if (mantissa !== 0) digits++;
      } else {
        tail = tail * 10 + (d - 48);
        digits++;
      }
    }
  }
  let exponent = 0;
  let exponentDigits = 0;
  if (c === 101 || c === 69) {
    let k = j + 1;
    const sign = bytes[k]!;
    if (sign === 45 || sign === 43) k++;
    if (isDigit(bytes[k]!)) {
      while (isDigit(bytes[k]!)) {
        if (++exponentDigits <= 4) exponent = exponent * 10 + (bytes[k]! - 48);
        k++;
      }
      if (sign === 45) exponent = -exponent;
      whole = 0;
      j = k;
      c = bytes[j]!;
    }
  }
  if (whole) {
    let k = j;
    while (bytes[k] === 32) k++;
    if (bytes[k] === 47) {
      // A fraction `a/b` (whole numbers): its total.
      if (digits > 15) return false;
      k++;
      while (bytes[k] === 32) k++;
      let total = 0;
      const start = k;
      while (isDigit(bytes[k]!)) total = total * 10 + (bytes[k++]! - 48);
      const after = bytes[k]!;
      if (k === start || k - start > 15 || isWordChar8(after) || (after === 46 && isDigit(bytes[k + 1]!))) return false;
      out.kind = FRAC;
      out.value = negative ? -mantissa : mantissa;
      out.total = total;
      out.whole = 0;
      out.end = k;
      return !negative;
    }
  }
  const numberEnd = j;
  if (unit.length) {
    if (!holdsBytes(bytes, j, unit)) return false;
    const past = j + unit.length;
    const after = bytes[past]!;
    if (unit[0] !== 37 /* % */ && (isWordChar8(after) || (after === 47 && isWordChar8(bytes[past + 1]!)))) return false;
    whole = 0;
    j = past;
  } else {
    // templateNumbers.ts `endsPlain`, a byte past ASCII ending nothing (a line break ends it).
    if (c === 37 || c === 45 || c === 46 || c === 47 || isWordStart8(c)) return false;
    if (c === 58 && whole && isDigit(bytes[j + 1]!) && isDigit(bytes[j + 2]!)) return false;
  }
  out.kind = NUM;
  const e = (exponentDigits ? exponent : 0) - scale;
  let value: number;
  if (exponentDigits > 4 || (digits <= 15 && (e < -22 || e > 22))) value = Number(asciiOf(bytes, pos, numberEnd));
  else if (digits > 15) {
    const v = longDecimal(mantissa, tail, digits - 15, e, out.lo);
    value = v !== v ? Number(asciiOf(bytes, pos, numberEnd)) : negative ? -v : v;
  } else {
    const v = e < 0 ? mantissa / POW10[-e]! : e > 0 ? mantissa * POW10[e]! : mantissa;
    value = negative ? -v : v;
  }
  out.value = value;
  out.total = NaN;
  out.whole = whole;
  out.end = j;
  return true;
}

/** templateNumbers.ts `plainClock` on bytes (`17:38`, `0:00:05.123`, `10:11:12,345`): its seconds. */
export function plainClockBytes(bytes: Uint8Array, pos: number, out: Plain): boolean {
  let k = pos;
  let seconds = 0;
  while (isDigit(bytes[k]!)) seconds = seconds * 10 + (bytes[k++]! - 48);
  if (k === pos || bytes[k] !== 58 || !isDigit(bytes[k + 1]!) || !isDigit(bytes[k + 2]!)) return false;
  while (bytes[k] === 58 && isDigit(bytes[k + 1]!)) {
    let part = 0;
    k++;
    while (isDigit(bytes[k]!)) part = part * 10 + (bytes[k++]! - 48);
    seconds = seconds * 60 + part;
  }
  const f = bytes[k];
  if ((f === 46 || f === 44) && isDigit(bytes[k + 1]!)) {
    let e = k + 1;
    let part = 0;
    while (isDigit(bytes[e]!)) part = part * 10 + (bytes[e++]! - 48);
    if (e - k - 1 > 15) return false;
    seconds += part / POW10[e - k - 1]!;
    k = e;
  }
  out.kind = CLOCK;
  out.value = seconds;
  out.total = NaN;
  out.whole = 0;
  out.end = k;
  return true;
}

/**
 * A progress bar at `pos` as `LineTokens.one` reads it (lineTokens.ts `kerasBar`, `tqdmBar`): Keras's
 * `[=====>....]` (sub 1), tqdm's `|████▌     |` (sub 2, its blocks U+2580–U+259F, three bytes each
 * as UTF-8, or `#`); its value 1 when full. Every byte of it is read whole, so the text's characters are these.
 */
export function plainBarBytes(bytes: Uint8Array, pos: number, out: Plain): boolean {
  const open = bytes[pos];
  let k = pos + 1;
  let empty = 0;
  let filled = 0;
  if (open === 91) {
    for (;;) {
      const c = bytes[k];
      if (c === 61 || c === 62) filled++;
      else if (c === 46) empty++;
      else break;
      k++;
    }
    if (bytes[k] !== 93 || filled + empty < 5) return false;
    out.whole = 1;
  } else if (open === 124) {
    for (;;) {
      const c = bytes[k];
      if (c === 32) empty++;
      else if (c === 35) filled++;
      else if (c === 0xe2 && bytes[k + 1] === 0x96 && bytes[k + 2]! >= 0x80 && bytes[k + 2]! <= 0x9f) {
        filled++;
        k += 2;
      } else break;
      k++;
    }
    if (bytes[k] !== 124 || filled + empty < 3 || (filled === 0 && empty < 3)) return false;
    out.whole = 2;
  } else return false;
  out.kind = BAR;
  out.value = empty === 0 ? 1 : 0;
  out.total = NaN;
  out.end = k + 1;
  return true;
}

const encoder = new TextEncoder();

/** A template's text as UTF-8, as the file's bytes hold it. */
export function bytesOf(s: string): Uint8Array {
  return encoder.encode(s);
}

/** A template's text as the file's bytes hold it, and its bytes four at a time (little-endian words) to compare them so. */
export interface ByteText {
  bytes: Uint8Array;
  words: Int32Array;
}

export function byteText(s: string): ByteText {
  const bytes = bytesOf(s);
  const words = new Int32Array(bytes.length >> 2);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let w = 0; w < words.length; w++) words[w] = view.getInt32(w * 4, true);
  return { bytes, words };
}

/** Whether `bytes` (seen also through `view`) hold `text` at `pos`: `holdsBytes`, four bytes a step. */
export function holdsText(view: DataView, bytes: Uint8Array, pos: number, text: ByteText): boolean {
  const chars = text.bytes;
  const words = text.words;
  if (pos + chars.length > bytes.length) return false;
  let k = 0;
  for (let w = 0; w < words.length; w++, k += 4) if (view.getInt32(pos + k, true) !== words[w]) return false;
  for (; k < chars.length; k++) if (bytes[pos + k] !== chars[k]) return false;
  return true;
}
