// The first pass of the printed-log reader: one line of text → tokens (words, numbers, fractions,
// clocks, progress bars, punctuation) with the spacing before each, in one walk over the
// characters. Kept in typed arrays the tokenizer reuses: a log is a million lines of the same kind.
// What the tokens mean (counters, named numbers) is printedLine.ts's job.

export const WORD = 1;
export const NUM = 2;
/** `a/b` of whole numbers (`[ 3/25]`, `152/234`, `[ 935/ 937]`): a counter and its total. */
export const FRAC = 3;
/** `17:38`, `0:00:05.12`, `10:11:12,345`: a time of day or a duration, never a value. */
export const CLOCK = 4;
export const PUNCT = 5;
/** A progress bar: Keras `[=====>....]` (sub 1) or tqdm `|████▌   |` (sub 2). */
export const BAR = 6;
/** A number run into letters that are not a unit (`3.0x1`, `0.69WARNING`): a value that does not parse. */
export const BADNUM = 7;
/** `2023-01-02`: a date. */
export const DATE = 8;

/** Spacing before a token: none, one space, or wider (a tab, two or more spaces). */
export const GAP_NONE = 0;
export const GAP_SPACE = 1;
export const GAP_WIDE = 2;

import { POW10, digitsAt, isBarBlock, isDigit, isLetter, isUnit, isWordChar, isWordStart, skipEscape } from './lineChars';

const MAX_TOKENS = 512;

export class LineTokens {
  kind = new Uint8Array(MAX_TOKENS);
  /** Bar kind, or for NUM: 1 when the number is a whole number as written, without a unit. */
  sub = new Uint8Array(MAX_TOKENS);
  gap = new Uint8Array(MAX_TOKENS);
  start = new Int32Array(MAX_TOKENS);
  end = new Int32Array(MAX_TOKENS);
  /** NUM: the value; FRAC: the counter; CLOCK: seconds; BAR: 1 when a bar is full. */
  value = new Float64Array(MAX_TOKENS);
  /** FRAC: the total. */
  total = new Float64Array(MAX_TOKENS);
  /** The character of a PUNCT token. */
  char = new Uint16Array(MAX_TOKENS);
  n = 0;
  text = '';
  // The last date read and its seconds: a log's dates change once a day.
  private lastDay = -1;
  private lastDaySeconds = 0;

  /** Splits `text` into tokens; returns how many. */
  scan(text: string): number {
    this.text = text;
    this.n = 0;
    const n = text.length;
    let gap = GAP_NONE;
    let i = 0;
    while (i < n && this.n < MAX_TOKENS) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 0xa0) {
        gap = gap === GAP_NONE && text.charCodeAt(i + 1) !== 32 ? GAP_SPACE : GAP_WIDE;
        i++;
        continue;
      }
      if (c === 9) {
        gap = GAP_WIDE;
        i++;
        continue;
      }
      // Quotes are transparent (`'d_loss': 0.5` reads as `d_loss: 0.5`); backspaces and stray CRs are not text.
      if (c === 39 || c === 34 || c === 8 || c === 13 || c === 0) {
        i++;
        continue;
      }
      if (c === 27) {
        i = skipEscape(text, i);
        continue;
      }
      if (isWordStart(c)) {
        i = this.word(text, i, gap);
      } else if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1))) || ((c === 45 || c === 43) && this.signStarts(text, i, gap))) {
        i = this.number(text, i, gap);
      } else if (c === 91 /* [ */ && this.kerasBar(text, i, gap)) {
        i = this.end[this.n - 1]!;
      } else if (c === 124 /* | */ && this.tqdmBar(text, i, gap)) {
        i = this.end[this.n - 1]!;
      } else {
        this.push(PUNCT, gap, i, i + 1, 0);
        this.char[this.n - 1] = c;
        i++;
      }
      gap = GAP_NONE;
    }
    return this.n;
  }

  /**
   * One token at `pos` of `text`, as `scan` would read it there, as token 0: a number (with a sign
   * when `signOk`: after a space or punctuation), `nan`/`inf`, or a progress bar. False for anything else.
   */
  one(text: string, pos: number, signOk: boolean): boolean {
    this.text = text;
    this.n = 0;
    const c = text.charCodeAt(pos);
    const next = text.charCodeAt(pos + 1);
    if (isDigit(c) || (c === 46 && isDigit(next))) this.number(text, pos, 0);
    else if (c === 45 || c === 43) {
      if (!signOk) return false;
      if (isDigit(next) || (next === 46 && isDigit(text.charCodeAt(pos + 2)))) this.number(text, pos, 0);
      else if (isLetter(next)) {
        this.word(text, pos + 1, 0);
        if (this.kind[0] !== NUM) return false;
        this.start[0] = pos;
        if (c === 45) this.value[0] = -this.value[0]!;
      } else return false;
    } else if (isLetter(c)) this.word(text, pos, 0);
    else if (c === 91) this.kerasBar(text, pos, 0);
    else if (c === 124) this.tqdmBar(text, pos, 0);
    return this.n === 1;
  }

  /** The text of token `k`. */
  textOf(k: number): string {
    return this.text.slice(this.start[k]!, this.end[k]!);
  }

  isPunct(k: number, c: number): boolean {
    return k < this.n && this.kind[k] === PUNCT && this.char[k] === c;
  }

  private push(kind: number, gap: number, start: number, end: number, value: number): void {
    const k = this.n++;
    this.kind[k] = kind;
    this.gap[k] = gap;
    this.start[k] = start;
    this.end[k] = end;
    this.value[k] = value;
    this.sub[k] = 0;
  }

  /** A sign starts a number only after a space or punctuation (`-2.7`), not inside a word (`lr-0.1`) or after a number. */
  private signStarts(text: string, i: number, gap: number): boolean {
    const next = text.charCodeAt(i + 1);
    if (!(isDigit(next) || (next === 46 && isDigit(text.charCodeAt(i + 2))))) return false;
    if (this.n === 0 || gap !== GAP_NONE) return true;
    const prev = this.kind[this.n - 1];
    return prev === PUNCT;
  }

  private word(text: string, i: number, gap: number): number {
    const start = i;
    let j = i + 1;
    const n = text.length;
    for (;;) {
      while (j < n && isWordChar(text.charCodeAt(j))) j++;
      const c = text.charCodeAt(j);
      const next = text.charCodeAt(j + 1);
      if (c === 40 /* ( */) {
        // `D(x)`, `D(G(z))`: a call-like name, parentheses balanced, word characters inside.
        let depth = 0;
        let k = j;
        for (; k < n; k++) {
          const d = text.charCodeAt(k);
          if (d === 40) depth++;
          else if (d === 41) {
            if (--depth === 0) break;
          } else if (!isWordChar(d)) break;
        }
        if (depth === 0 && k < n && k > j + 1) {
          j = k + 1;
          continue;
        }
        break;
      }
      // `sec/tick`, `fid50k.full`, `network-snapshot-000200`, `D-loss`: joined by `/ . -` between word characters.
      if ((c === 47 || c === 46 || c === 45) && isWordChar(next) && !(c === 46 && isDigit(next) && isDigit(text.charCodeAt(j - 1)))) {
        j += 2;
        continue;
      }
      break;
    }
    const f = text.charCodeAt(start) | 32;
    const lower = (f === 110 || f === 105) && (j - start === 3 || j - start === 8) ? text.slice(start, j).toLowerCase() : '';
    if (lower === 'nan' || lower === 'inf' || lower === 'infinity') {
      // `-inf`: the sign right before it belongs to it.
      const last = this.n - 1;
      const signed = last >= 0 && this.kind[last] === PUNCT && (this.char[last] === 45 || this.char[last] === 43) && this.end[last] === start;
      if (signed) this.n--;
      const negative = signed && this.char[last] === 45;
      this.push(NUM, signed ? this.gap[last]! : gap, signed ? start - 1 : start, j, lower === 'nan' ? NaN : negative ? -Infinity : Infinity);
      return j;
    }
    this.push(WORD, gap, start, j, 0);
    return j;
  }

  private number(text: string, i: number, gap: number): number {
    const n = text.length;
    const start = i;
    let j = i;
    let c = text.charCodeAt(j);
    if (c === 45 || c === 43) c = text.charCodeAt(++j);
    const intStart = j;
    // The digits as one whole number and a power of ten (see `decimal`), read on the way.
    let mantissa = 0;
    let digits = 0;
    let scale = 0;
    while (isDigit(c)) {
      mantissa = mantissa * 10 + (c - 48);
      if (mantissa !== 0) digits++;
      c = text.charCodeAt(++j);
    }
    const intEnd = j;
    let whole = true;
    let exact = true;
    if (c === 46 && isDigit(text.charCodeAt(j + 1))) {
      whole = false;
      c = text.charCodeAt(++j);
      while (isDigit(c)) {
        mantissa = mantissa * 10 + (c - 48);
        if (mantissa !== 0) digits++;
        scale++;
        c = text.charCodeAt(++j);
      }
    }
    if (
      (c === 101 || c === 69) &&
      (isDigit(text.charCodeAt(j + 1)) || ((text.charCodeAt(j + 1) === 45 || text.charCodeAt(j + 1) === 43) && isDigit(text.charCodeAt(j + 2))))
    ) {
      whole = false;
      exact = false;
      j += 2;
      while (isDigit(text.charCodeAt(j))) j++;
      c = text.charCodeAt(j);
    }
    // A date: `2023-01-02` (then maybe `T` or a space and a clock, read as the next token).
    if (
      j - start === 4 &&
      c === 45 &&
      isDigit(text.charCodeAt(j + 1)) &&
      isDigit(text.charCodeAt(j + 2)) &&
      text.charCodeAt(j + 3) === 45 &&
      isDigit(text.charCodeAt(j + 4)) &&
      isDigit(text.charCodeAt(j + 5))
    ) {
      const day = mantissa * 10000 + digitsAt(text, j + 1, j + 3) * 100 + digitsAt(text, j + 4, j + 6);
      if (day !== this.lastDay) {
        this.lastDay = day;
        this.lastDaySeconds = Date.UTC(mantissa, (Math.floor(day / 100) % 100) - 1, day % 100) / 1000;
      }
      let end = j + 6;
      if (text.charCodeAt(end) === 84 /* T */) end++;
      this.push(DATE, gap, start, end, this.lastDaySeconds);
      return end;
    }
    // A clock: `17:38`, `0:00:05.123`, `10:11:12,345`.
    if (c === 58 && whole && isDigit(text.charCodeAt(j + 1)) && isDigit(text.charCodeAt(j + 2))) {
      let seconds = mantissa;
      let k = j;
      while (text.charCodeAt(k) === 58 && isDigit(text.charCodeAt(k + 1))) {
        let e = k + 1;
        while (isDigit(text.charCodeAt(e))) e++;
        seconds = seconds * 60 + digitsAt(text, k + 1, e);
        k = e;
      }
      const f = text.charCodeAt(k);
      if ((f === 46 || f === 44) && isDigit(text.charCodeAt(k + 1))) {
        let e = k + 1;
        while (isDigit(text.charCodeAt(e))) e++;
        seconds += e - k - 1 <= 15 ? digitsAt(text, k + 1, e) / 10 ** (e - k - 1) : Number(`0.${text.slice(k + 1, e)}`);
        k = e;
      }
      this.push(CLOCK, gap, start, k, seconds);
      return k;
    }
    // Up to 15 digits and no exponent, digits / 10^k is exact and correctly rounded (both are exact
    // doubles): what `Number` gives, without making a substring.
    let value: number;
    if (exact && digits <= 15 && scale <= 22) {
      value = scale ? mantissa / POW10[scale]! : mantissa;
      if (text.charCodeAt(start) === 45) value = -value;
    } else value = Number(text.slice(start, j));
    // A fraction of whole numbers: `3/25`, `[ 935/ 937]`.
    if (whole && intEnd > intStart) {
      let k = j;
      while (text.charCodeAt(k) === 32) k++;
      if (text.charCodeAt(k) === 47 /* / */) {
        k++;
        while (text.charCodeAt(k) === 32) k++;
        let e = k;
        while (isDigit(text.charCodeAt(e))) e++;
        const after = text.charCodeAt(e);
        if (e > k && !(after === 46 && isDigit(text.charCodeAt(e + 1))) && !isWordChar(after)) {
          this.push(FRAC, gap, start, e, value);
          this.total[this.n - 1] = digitsAt(text, k, e);
          return e;
        }
      }
    }
    // A unit run into the number (`11s`, `33ms/step`, `3.31it/s`, `50.00%`): the value stands.
    if (c === 37 /* % */) {
      this.push(NUM, gap, start, j + 1, value);
      return j + 1;
    }
    if (isWordStart(c)) {
      let e = j;
      while (e < n) {
        const d = text.charCodeAt(e);
        if (isWordChar(d) || (d === 47 && isWordChar(text.charCodeAt(e + 1)))) e++;
        else break;
      }
      if (!isUnit(text, j, e)) {
        this.push(BADNUM, gap, start, e, value);
        return e;
      }
      this.push(NUM, gap, start, e, value);
      return e;
    }
    this.push(NUM, gap, start, j, value);
    this.sub[this.n - 1] = whole ? 1 : 0;
    return j;
  }

  /** Keras's `[=====>....]` (at least 5 characters of `=`, `>`, `.`). */
  private kerasBar(text: string, i: number, gap: number): boolean {
    let k = i + 1;
    let dots = 0;
    let fill = 0;
    for (;;) {
      const c = text.charCodeAt(k);
      if (c === 61 || c === 62) fill++;
      else if (c === 46) dots++;
      else break;
      k++;
    }
    if (text.charCodeAt(k) !== 93 || fill + dots < 5) return false;
    this.push(BAR, gap, i, k + 1, dots === 0 ? 1 : 0);
    this.sub[this.n - 1] = 1;
    return true;
  }

  /** tqdm's `|████▌     |`. */
  private tqdmBar(text: string, i: number, gap: number): boolean {
    let k = i + 1;
    let blocks = 0;
    let spaces = 0;
    for (;;) {
      const c = text.charCodeAt(k);
      if (isBarBlock(c)) blocks++;
      else if (c === 32) spaces++;
      else break;
      k++;
    }
    if (text.charCodeAt(k) !== 124 || blocks + spaces < 3 || (blocks === 0 && spaces < 3)) return false;
    this.push(BAR, gap, i, k + 1, spaces === 0 ? 1 : 0);
    this.sub[this.n - 1] = 2;
    return true;
  }
}
