// The fast path of the printed-log reader. A log is a few print statements run a million times: the
// text between their numbers (names, brackets, spaces) is the same every time, only the numbers
// change. Once a line has been read token by token (printedLine.ts), its template keeps that text
// and what each number was (a counter, a named value, the clock…); a later line with the same text
// around numbers of the same kind is read by comparing the text and reading the numbers alone, and
// gives exactly what reading it token by token gives.
import { BADNUM, BAR, CLOCK, DATE, FRAC, GAP_NONE, NUM, PUNCT, type LineTokens } from './lineTokens';
import type { LineParts } from './lineParts';

// What a number of the template goes to.
const EPOCH = 1;
const INNER = 2;
const GLOBAL = 3;
const STAGE = 4;

const MAX_TEMPLATES = 8;

interface Slot {
  kind: number;
  sub: number;
  /** The sign and wholeness decide what the number is: they must be as in the template's line. */
  strict: boolean;
  nonNegative: boolean;
  /** A sign may start the number here (a space or punctuation before it). */
  signOk: boolean;
  /** The unit run into the number in the template's line (`s`, `ms/step`, `%`), else ''. */
  unit: string;
  /** For a bar or a date: its text in the template's line and what it read as (the same text reads the same). */
  text: string;
  textChars: Uint16Array;
  textValue: number;
  /** The named value it is (-1: none). */
  value: number;
  /** The counter it is (EPOCH…; 0: none). */
  field: number;
  /** 1: sets the clock; 2: adds to it (a date's time of day); 0: neither. */
  clock: number;
  bar: boolean;
  /** The characters of the text after it (to the next number or the line's end). */
  after: Uint16Array;
}

interface Template {
  /** The characters before the first number (the text after each is its slot's `after`). */
  head: Uint16Array;
  slots: Slot[];
  names: string[];
  stageWord: string;
  numeric: boolean;
  damaged: string;
  /** The template of the line after this one's last time: two prints taking turns, or the same again. */
  next: Template | null;
}

const isNumberKind = (k: number) => k === NUM || k === FRAC || k === CLOCK || k === DATE || k === BADNUM || k === BAR;

/** A number read by `plainNumber`. */
interface Plain {
  kind: number;
  value: number;
  total: number;
  whole: number;
  end: number;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Whether the tokenizer (LineTokens.number) ends a number at `c`, the character at `j` after its
 * digits, point and exponent, with no unit (`whole`: it has no point or exponent). It does not at a
 * `%` or a letter (a unit), at `:` and two digits after a whole number (a clock), nor here (these
 * go the tokenizer's way) at `-` (a date?), `.`, `/`.
 */
function endsPlain(text: string, j: number, c: number, whole: number): boolean {
  if (c === 37 || c === 45 || c === 46 || c === 47 || isWordStart(c)) return false;
  return !(c === 58 && whole && isDigit(text.charCodeAt(j + 1)) && isDigit(text.charCodeAt(j + 2)));
}

/**
 * A plain number at `pos` (`-12`, `0.6931`, `6.9e-01`, or a fraction of whole numbers `3/25`),
 * with the template's `unit` run into it or none, as `LineTokens.one` would read it; false for
 * anything else (a clock, a date, `nan`…), which `one` then reads. The characters at the line's
 * `end` and after are another line's or none: a line break or NaN, which no number reads on into.
 */
function plainNumber(text: string, pos: number, end: number, signOk: boolean, unit: string, out: Plain): boolean {
  let j = pos;
  let c = text.charCodeAt(j);
  const negative = c === 45;
  if (negative) {
    if (!signOk) return false;
    c = text.charCodeAt(++j);
  }
  if (!isDigit(c)) return false;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  while (isDigit(c)) {
    mantissa = mantissa * 10 + (c - 48);
    if (mantissa !== 0) digits++;
    c = text.charCodeAt(++j);
  }
  let whole = 1;
  if (c === 46 && isDigit(text.charCodeAt(j + 1))) {
    whole = 0;
    c = text.charCodeAt(++j);
    while (isDigit(c)) {
      mantissa = mantissa * 10 + (c - 48);
      if (mantissa !== 0) digits++;
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
  if (unit) {
    // The template's unit again (`11s`, `33ms/step`, `50.00%`), ending where the tokenizer ends a unit.
    if (!text.startsWith(unit, j)) return false;
    const past = j + unit.length;
    const after = text.charCodeAt(past);
    if (unit !== '%' && (isWordChar(after) || (after === 47 && isWordChar(text.charCodeAt(past + 1))))) return false;
    whole = 0;
    j = past;
  } else if (j !== end && !endsPlain(text, j, c, whole)) return false;
  out.kind = NUM;
  out.value = decimal(text, pos, numberEnd, negative, mantissa, digits, scale, exponentDigits ? exponent : 0, exponentDigits);
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
function decimal(text: string, start: number, end: number, negative: boolean, mantissa: number, digits: number, scale: number, exponent: number, exponentDigits: number): number {
  const e = exponent - scale;
  if (digits > 15 || exponentDigits > 4 || e < -22 || e > 22) return Number(text.slice(start, end));
  const v = e < 0 ? mantissa / POW10[-e]! : e > 0 ? mantissa * POW10[e]! : mantissa;
  return negative ? -v : v;
}

/** Whether a token of `kind` may start with character `c` (a quick no before asking the tokenizer). */
function mayStart(kind: number, c: number): boolean {
  if (kind === BAR) return c === 91 || c === 124;
  if (isDigit(c) || c === 45 || c === 43 || c === 46) return true;
  // `nan`, `inf`, `Infinity`.
  return kind === NUM && ((c | 32) === 110 || (c | 32) === 105);
}

/** A clock at `pos` (`17:38`, `0:00:05.123`, `10:11:12,345`) as the tokenizer reads it: its seconds. */
function plainClock(text: string, pos: number, out: Plain): boolean {
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
    seconds += part / 10 ** (e - k - 1);
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
function unitOf(text: string, start: number, end: number): string {
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
function charsOf(s: string): Uint16Array {
  const out = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Whether `text` holds `chars` at `pos` (past its end, NaN matches nothing). */
function holds(text: string, pos: number, chars: Uint16Array): boolean {
  for (let k = 0; k < chars.length; k++) if (text.charCodeAt(pos + k) !== chars[k]) return false;
  return true;
}

// Word characters as the tokenizer has them (any script but block elements).
const isWordStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c >= 128 && !(c >= 0x2580 && c <= 0x259f) && c !== 0xa0);
const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c >= 128 && !(c >= 0x2580 && c <= 0x259f) && c !== 0xa0);

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

export class LineTemplates {
  private readonly list: Template[] = [];
  /** The template of the line before (null after a line no template was made of). */
  private last: Template | null = null;
  private readonly plain: Plain = { kind: 0, value: 0, total: NaN, whole: 0, end: 0 };

  /**
   * Reads the line of `text` from `start` to `end` (where it ends, or a line break) by a template
   * into `parts`; false when no template fits (`parts` is then unspecified).
   */
  match(text: string, start: number, end: number, tokens: LineTokens, parts: LineParts): boolean {
    // First the template that followed the last one before: a print repeated, or prints taking turns
    // (Keras's `Epoch 3/500` and its bar, SinGAN's scale line and its losses), read without a wrong try.
    const last = this.last;
    const guess = last !== null ? last.next : null;
    if (guess !== null && this.fits(guess, text, start, end, tokens, parts)) {
      this.last = guess;
      return true;
    }
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      const tpl = list[i]!;
      if (tpl === guess || !this.fits(tpl, text, start, end, tokens, parts)) continue;
      // Moved up one place: two prints taking turns (Keras's `Epoch 3/500` and its bar) keep their places.
      if (i > 1) {
        list[i] = list[i - 1]!;
        list[i - 1] = tpl;
      }
      if (last !== null) last.next = tpl;
      this.last = tpl;
      return true;
    }
    return false;
  }

  /** Keeps the template of a line just read token by token. */
  learn(tokens: LineTokens, parts: LineParts): void {
    const n = tokens.n;
    const before = this.last;
    this.last = null;
    if (n === 0 || n >= tokens.kind.length || parts.header.length) return;
    const text = tokens.text;
    const literals: string[] = [];
    const slots: Slot[] = [];
    const valueOf = new Map<number, number>();
    for (let i = 0; i < parts.count; i++) valueOf.set(parts.valueTok[i]!, i);
    const clockOf = new Map<number, number>();
    for (const op of parts.clockOps) clockOf.set(op >> 1, op & 1 ? 2 : 1);
    let from = 0;
    for (let k = 0; k < n; k++) {
      const kind = tokens.kind[k]!;
      if (!isNumberKind(kind)) continue;
      literals.push(text.slice(from, tokens.start[k]!));
      from = tokens.end[k]!;
      const prev = k > 0 ? tokens.kind[k - 1]! : 0;
      slots.push({
        kind,
        sub: tokens.sub[k]!,
        strict: parts.strict.includes(k),
        nonNegative: tokens.value[k]! >= 0,
        signOk: k === 0 || tokens.gap[k] !== GAP_NONE || prev === PUNCT,
        unit: kind === NUM ? unitOf(text, tokens.start[k]!, tokens.end[k]!) : '',
        text: kind === BAR || kind === DATE ? text.slice(tokens.start[k]!, tokens.end[k]!) : '',
        textChars: charsOf(kind === BAR || kind === DATE ? text.slice(tokens.start[k]!, tokens.end[k]!) : ''),
        textValue: tokens.value[k]!,
        value: valueOf.get(k) ?? -1,
        field: k === parts.epochTok ? EPOCH : k === parts.innerTok ? INNER : k === parts.globalTok ? GLOBAL : k === parts.stageTok ? STAGE : 0,
        clock: clockOf.get(k) ?? 0,
        bar: k === parts.barTok,
        after: new Uint16Array(0),
      });
    }
    if (!slots.length) return;
    literals.push(text.slice(from));
    slots.forEach((slot, i) => (slot.after = charsOf(literals[i + 1]!)));
    const tpl: Template = { head: charsOf(literals[0]!), slots, names: parts.names.slice(0, parts.count), stageWord: parts.stageWord, numeric: parts.numeric, damaged: parts.damaged, next: null };
    this.list.unshift(tpl);
    if (before !== null) before.next = tpl;
    this.last = tpl;
    if (this.list.length > MAX_TEMPLATES) this.list.pop();
  }

  private fits(tpl: Template, text: string, start: number, end: number, tokens: LineTokens, p: LineParts): boolean {
    const { head, slots } = tpl;
    if (!holds(text, start, head)) return false;
    let pos = start + head.length;
    p.reset();
    const plain = this.plain;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      let kind: number;
      let value: number;
      let sub: number;
      let total = NaN;
      if (slot.text && holds(text, pos, slot.textChars)) {
        // A full bar, the same day: the same text as the template's reads as it did.
        kind = slot.kind;
        value = slot.textValue;
        sub = slot.sub;
        pos += slot.textChars.length;
      } else if (((slot.kind === NUM || slot.kind === FRAC) && plainNumber(text, pos, end, slot.signOk, slot.unit, plain)) || (slot.kind === CLOCK && plainClock(text, pos, plain))) {
        // Most numbers of a log: digits, a point, digits, then a space or punctuation.
        kind = plain.kind;
        value = plain.value;
        sub = plain.whole;
        total = plain.total;
        pos = plain.end;
      } else {
        if (!mayStart(slot.kind, text.charCodeAt(pos)) || !tokens.one(text, pos, slot.signOk)) return false;
        kind = tokens.kind[0]!;
        value = tokens.value[0]!;
        sub = tokens.sub[0]!;
        if (kind === FRAC) total = tokens.total[0]!;
        pos = tokens.end[0]!;
      }
      if (kind !== slot.kind) return false;
      if (kind === BAR) {
        if (sub !== slot.sub) return false;
      } else if (slot.strict && (sub !== slot.sub || value >= 0 !== slot.nonNegative)) return false;
      if (!holds(text, pos, slot.after)) return false;
      pos += slot.after.length;
      if (slot.value >= 0) p.values[slot.value] = value;
      if (slot.clock) p.clock = slot.clock === 2 ? p.clock + value : value;
      if (slot.bar) {
        p.bar = slot.sub;
        p.barFull = value === 1;
      }
      switch (slot.field) {
        case EPOCH:
          p.epoch = value;
          p.epochTotal = total;
          break;
        case INNER:
          p.inner = value;
          p.innerTotal = total;
          break;
        case GLOBAL:
          p.global = value;
          break;
        case STAGE:
          p.stage = value;
          break;
      }
    }
    if (pos !== end) return false;
    const names = tpl.names;
    for (let i = 0; i < names.length; i++) p.names[i] = names[i]!;
    p.count = names.length;
    if (tpl.stageWord) p.stageWord = tpl.stageWord;
    p.numeric = tpl.numeric;
    p.damaged = tpl.damaged;
    return true;
  }
}
