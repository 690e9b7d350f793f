// Decimal numbers of 16 to 19 significant digits as `Number` reads them, without making a string:
// np.savetxt's default `%.18e` (`6.899999999999999467e-01`) and Python's repr of a float
// (`0.6931471805599453`) print that many, and `Number(text.slice(…))` costs as much as the rest
// of the line's reading. The mantissa comes as two exact doubles (its first 15 digits and the
// rest), is scaled by exact powers of ten in double-double arithmetic (Dekker's exact products),
// and the result is kept only when the error bound cannot straddle a rounding boundary; otherwise
// (ties, extreme exponents) the caller asks `Number`, so the value is always exactly `Number`'s.

import { POW10 } from './lineChars';

// Dekker's splitter for doubles: 2^27 + 1.
const SPLIT = 134217729;
// The band around the double-double that must round as one: 2^-96 of it, where the double-double
// is within 2^-102 of the exact value (a few roundings of 2^-106 each; the tests measure it).
const BAND = 1.262177448353619e-29;

/**
 * (head·10^tailDigits + tail)·10^exponent as a double-double: returns the high part and puts the
 * low one in `lo[0]` (a typed array, so nothing is allocated line after line). `head` < 10^15,
 * `tail` < 10^tailDigits ≤ 10^4, −44 ≤ `exponent` ≤ 22 (the caller checks).
 */
export function decimalPair(head: number, tail: number, tailDigits: number, exponent: number, lo: Float64Array): number {
  // head·10^k exactly (Dekker's TwoProduct), plus the tail: an exact pair.
  const b = POW10[tailDigits]!;
  const p = head * b;
  let c = SPLIT * head;
  let ah = c - (c - head);
  let al = head - ah;
  c = SPLIT * b;
  let bh = c - (c - b);
  let bl = b - bh;
  const pl = ah * bh - p + ah * bl + al * bh + al * bl;
  const sum = p + tail;
  const err = tail - (sum - p) + pl;
  let hi = sum + err;
  let low = err - (hi - sum);
  if (exponent > 0) {
    // Times 10^exponent: the high part's product exactly, the low part's rounded (2^-106 of the whole).
    const m = POW10[exponent]!;
    const t = hi * m;
    c = SPLIT * hi;
    ah = c - (c - hi);
    al = hi - ah;
    c = SPLIT * m;
    bh = c - (c - m);
    bl = m - bh;
    const l = ah * bh - t + ah * bl + al * bh + al * bl + low * m;
    hi = t + l;
    low = l - (hi - t);
  }
  while (exponent < 0) {
    // Over 10^step (at most 10^22, an exact double): the quotient, and the remainder's quotient.
    const step = exponent < -22 ? 22 : -exponent;
    exponent += step;
    const d = POW10[step]!;
    const q = hi / d;
    const t = q * d;
    c = SPLIT * q;
    ah = c - (c - q);
    al = q - ah;
    c = SPLIT * d;
    bh = c - (c - d);
    bl = d - bh;
    const tl = ah * bh - t + ah * bl + al * bh + al * bl;
    // hi − q·d is exact (q·d is within an ulp of hi).
    const l = (hi - t - tl + low) / d;
    hi = q + l;
    low = l - (hi - q);
  }
  lo[0] = low;
  return hi;
}

/**
 * The value of the decimal (see decimalPair) correctly rounded, as `Number` reads it; NaN when a
 * rounding boundary is too near to be sure, or the exponent is out of the range this reads.
 */
export function longDecimal(head: number, tail: number, tailDigits: number, exponent: number, lo: Float64Array): number {
  if (exponent < -44 || exponent > 22 || tailDigits > 4) return NaN;
  const hi = decimalPair(head, tail, tailDigits, exponent, lo);
  const band = Math.abs(hi) * BAND;
  const down = hi + (lo[0]! - band);
  const up = hi + (lo[0]! + band);
  return down === up ? down : NaN;
}
