// Numbers as the printed-log templates read them (lineTemplates.ts), where the text around them is
// already known: a plain number, a clock, a unit run into it, exactly where the tokenizer
// (lineTokens.ts) would end them, so a line read by its template gives what reading it token by
// token gives.
import { POW10, isDigit, isWordChar, isWordStart } from './lineChars';
import { BAR, CLOCK, FRAC, NUM } from './lineTokens';
import { longDecimal } from './longDecimal';

/** A number read by `plainNumber`. */
export interface Plain {
  kind: number;
  value: number;
  total: number;
  whole: number;
  end: number;
  /** Room for the low half of a long decimal (see longDecimal.ts). */
  lo: Float64Array;
}

/**
 * Whether the tokenizer (LineTokens.number) ends a number at `c`, the character at `j` after its
 * digits, point and exponent, with no unit (`whole`: it has no point or exponent). It does not at a
 * `%` or a letter (a unit), at `:` and two digits after a whole number (a clock), nor here (these
 * go the tokenizer's way) at `-` (a date?), `.`, `/`.
 */
export function endsPlain(text: string, j: number, c: number, whole: number): boolean {
  if (c === 37 || c === 45 || c === 46 || c === 47 || isWordStart(c)) return false;
  return !(c === 58 && whole && isDigit(text.charCodeAt(j + 1)) && isDigit(text.charCodeAt(j + 2)));
}

/**
 * A plain number at `pos` (`-12`, `0.6931`, `6.9e-01`, or a fraction of whole numbers `3/25`),
 * with the template's `unit` run into it or none, as `LineTokens.one` would read it; false for
 * anything else (a clock, a date, `nan`…), which `one` then reads. The characters at the line's
 * `end` and after are another line's or none: a line break or NaN, which no number reads on into.
 */
export function plainNumber(text: string, pos: number, end: number, signOk: boolean, unit: Uint16Array, out: Plain): boolean {
  let j = pos;
  let c = text.charCodeAt(j);
  const negative = c === 45;
  if (negative) {
    if (!signOk) return false;
    c = text.charCodeAt(++j);
  }
  if (!isDigit(c)) return false;
  // The first 15 significant digits (an exact double), and apart the ones after them (`tail`).
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let tail = 0;
  while (isDigit(c)) {
    if (digits < 15) {
      mantissa = mantissa * 10 + (c - 48);
      if (mantissa !== 0) digits++;
    } else {
      tail = tail * 10 + (c - 48);
      digits++;
    }
    c = text.charCodeAt(++j);
  }
  let whole = 1;
  if (c === 46 && isDigit(text.charCodeAt(j + 1))) {
    whole = 0;
    c = text.charCodeAt(++j);
    while (isDigit(c)) {
      if (digits < 15) {
        mantissa = mantissa * 10 + (c - 48);
        if (mantissa !== 0) digits++;
      } else {
        tail = tail * 10 + (c - 48);
        digits++;
      }
      scale++;
      c = text.charCodeAt(++j);
    }
  }
  // An exponent (`6.899999999999999467e-01`, np.savetxt's default): `e`, a sign maybe, digits.
  let exponent = 0;
  let exponentDigits = 0;
  if (c === 101 || c === 69) {
    let k = j + 1;
    const sign = text.charCodeAt(k);
    if (sign === 45 || sign === 43) k++;
    if (isDigit(text.charCodeAt(k))) {
      while (isDigit(text.charCodeAt(k))) {
        if (++exponentDigits <= 4) exponent = exponent * 10 + (text.charCodeAt(k) - 48);
        k++;
      }
      if (sign === 45) exponent = -exponent;
      whole = 0;
      j = k;
      c = text.charCodeAt(j);
    }
  }
  if (whole) {
    let k = j;
    while (text.charCodeAt(k) === 32) k++;
    if (text.charCodeAt(k) === 47) {
      // A fraction `a/b` (whole numbers): its total.
      if (digits > 15) return false;
      k++;
      while (text.charCodeAt(k) === 32) k++;
      let total = 0;
      const start = k;
      while (isDigit(text.charCodeAt(k))) total = total * 10 + (text.charCodeAt(k++) - 48);
      const after = text.charCodeAt(k);
      if (k === start || k - start > 15 || isWordChar(after) || (after === 46 && isDigit(text.charCodeAt(k + 1)))) return false;
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
    // The template's unit again (`11s`, `33ms/step`, `50.00%`), ending where the tokenizer ends a unit.
    if (!holds(text, j, unit)) return false;
    const past = j + unit.length;
    const after = text.charCodeAt(past);
    if (unit[0] !== 37 /* % */ && (isWordChar(after) || (after === 47 && isWordChar(text.charCodeAt(past + 1))))) return false;
    whole = 0;
    j = past;
  } else if (j !== end && !endsPlain(text, j, c, whole)) return false;
  out.kind = NUM;
  out.value = decimal(text, pos, numberEnd, negative, mantissa, tail, digits, scale, exponentDigits ? exponent : 0, exponentDigits, out.lo);
  out.total = NaN;
  out.whole = whole;
  out.end = j;
  return true;
}

/**
 * The value of the number from `start` to `end` whose digits make `mantissa` (`digits` significant
 * ones, `scale` after the point) times 10^`exponent`: as `Number` reads the text, without reading it
 * again when the mantissa and the power of ten are exact doubles (one rounding, so correctly rounded).
 */
export function decimal(
  text: string,
  start: number,
  end: number,
  negative: boolean,
  mantissa: number,
  tail: number,
  digits: number,
  scale: number,
  exponent: number,
  exponentDigits: number,
  lo: Float64Array,
): number {
  const e = exponent - scale;
  if (exponentDigits > 4) return Number(text.slice(start, end));
  if (digits > 15) {
    // 16 to 19 digits (np.savetxt's %.18e, a float's repr): exactly, else as `Number` reads them.
    const v = longDecimal(mantissa, tail, digits - 15, e, lo);
    return v !== v ? Number(text.slice(start, end)) : negative ? -v : v;
  }
  if (e < -22 || e > 22) return Number(text.slice(start, end));
  const v = e < 0 ? mantissa / POW10[-e]! : e > 0 ? mantissa * POW10[e]! : mantissa;
  return negative ? -v : v;
}

/** Whether a token of `kind` may start with character `c` (a quick no before asking the tokenizer). */
export function mayStart(kind: number, c: number): boolean {
  if (kind === BAR) return c === 91 || c === 124;
  if (isDigit(c) || c === 45 || c === 43 || c === 46) return true;
  // `nan`, `inf`, `Infinity`.
  return kind === NUM && ((c | 32) === 110 || (c | 32) === 105);
}

/** A clock at `pos` (`17:38`, `0:00:05.123`, `10:11:12,345`) as the tokenizer reads it: its seconds. */
export function plainClock(text: string, pos: number, out: Plain): boolean {
  let k = pos;
  let seconds = 0;
  while (isDigit(text.charCodeAt(k))) seconds = seconds * 10 + (text.charCodeAt(k++) - 48);
  if (k === pos || text.charCodeAt(k) !== 58 || !isDigit(text.charCodeAt(k + 1)) || !isDigit(text.charCodeAt(k + 2))) return false;
  if (k - pos === 4 && text.charCodeAt(k) === 45) return false;
  while (text.charCodeAt(k) === 58 && isDigit(text.charCodeAt(k + 1))) {
    let part = 0;
    k++;
    while (isDigit(text.charCodeAt(k))) part = part * 10 + (text.charCodeAt(k++) - 48);
    seconds = seconds * 60 + part;
  }
  const f = text.charCodeAt(k);
  if ((f === 46 || f === 44) && isDigit(text.charCodeAt(k + 1))) {
    let e = k + 1;
    let part = 0;
    while (isDigit(text.charCodeAt(e))) part = part * 10 + (text.charCodeAt(e++) - 48);
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

/** The letters (or `%`) run into a number token from `start` to `end`: its unit, '' when none. */
export function unitOf(text: string, start: number, end: number): string {
  let j = start;
  const c = text.charCodeAt(j);
  if (c === 45 || c === 43) j++;
  while (j < end) {
    const d = text.charCodeAt(j);
    if (isDigit(d) || d === 46) j++;
    else break;
  }
  // An exponent (`1e-3`, as the tokenizer reads one) is part of the number, not a unit.
  if ((text.charCodeAt(j) | 32) === 101) {
    let k = j + 1;
    if (text.charCodeAt(k) === 45 || text.charCodeAt(k) === 43) k++;
    if (isDigit(text.charCodeAt(k))) {
      while (k < end && isDigit(text.charCodeAt(k))) k++;
      j = k;
    }
  }
  const unit = text.slice(j, end);
  // A unit that starts as an exponent would (none does): such numbers go the tokenizer's way.
  return /^[eE]/.test(unit) ? '\u0000' : unit;
}

/** A string's characters, compared one by one where the line is (no string made, no call per literal). */
export function charsOf(s: string): Uint16Array {
  const out = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Whether `text` holds `chars` at `pos` (past its end, NaN matches nothing). */
export function holds(text: string, pos: number, chars: Uint16Array): boolean {
  for (let k = 0; k < chars.length; k++) if (text.charCodeAt(pos + k) !== chars[k]) return false;
  return true;
}
