// Characters and number pieces the printed-log tokenizer (lineTokens.ts) and its line templates read
// with, without making substrings: letter and digit classes, the units a value may carry, whole
// numbers from digits, ANSI escapes.

// Units a printed value may carry: seconds, rates, percentages, memory.
export const UNITS: readonly string[] = [
  's',
  'ms',
  'us',
  'µs',
  'ns',
  'm',
  'min',
  'mins',
  'h',
  'hr',
  'hrs',
  'sec',
  'secs',
  'it/s',
  's/it',
  'ms/step',
  's/step',
  'us/step',
  'ms/it',
  'img/s',
  'kimg',
  'mb',
  'gb',
  'kb',
  'mib',
  'gib',
  'kib',
  'x',
  'k',
  'b',
];
export const UNITS_BY_LENGTH: readonly (readonly string[])[] = Array.from({ length: 9 }, (_x, n) => UNITS.filter((u) => u.length === n));

export const isDigit = (c: number) => c >= 48 && c <= 57;
export const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
// Letters of any script count as word characters (a name may be `損失`), except block elements (bars).
export const isWordStart = (c: number) => isLetter(c) || c === 95 || (c >= 128 && !(c >= 0x2580 && c <= 0x259f) && c !== 0xa0);
export const isWordChar = (c: number) => isWordStart(c) || isDigit(c);
export const isBarBlock = (c: number) => (c >= 0x2580 && c <= 0x259f) || c === 35; /* # */

export const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** The whole number of the digits from `start` to `end`. */
export function digitsAt(text: string, start: number, end: number): number {
  let v = 0;
  for (let i = start; i < end; i++) v = v * 10 + (text.charCodeAt(i) - 48);
  return v;
}

/** Whether the letters from `start` to `end` are a unit (`UNITS`, any case), without making a substring. */
export function isUnit(text: string, start: number, end: number): boolean {
  const n = end - start;
  if (n > 8) return false;
  outer: for (const unit of UNITS_BY_LENGTH[n] ?? []) {
    for (let i = 0; i < n; i++) {
      let c = text.charCodeAt(start + i);
      if (c >= 65 && c <= 90) c |= 32;
      if (c !== unit.charCodeAt(i)) continue outer;
    }
    return true;
  }
  return false;
}

/** Past an ANSI escape sequence (`ESC [ … letter`) starting at `i`. */
export function skipEscape(text: string, i: number): number {
  if (text.charCodeAt(i + 1) !== 91) return i + 1;
  let k = i + 2;
  while (k < text.length && !isLetter(text.charCodeAt(k))) k++;
  return k + 1;
}
