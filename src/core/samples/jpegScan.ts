// The entropy-coded part of a baseline JPEG for jpegRows.ts: Huffman tables, the bit reader over
// the file's bytes (0xFF00 unstuffed, stopping at a marker), one 8×8 block's coefficients, and the
// inverse DCT. The arithmetic of the IDCT and the tolerance of the block decoder are jpeg-js's
// (its quantizeAndInverse and decodeBaseline, from pdf.js), so a streamed image has jpeg-js's pixels.

/** Thrown when the buffered bytes run out before the file does: the caller reads more and retries. */
export const NEED_MORE = Symbol('need more bytes');

const ZIGZAG = Int32Array.from([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22,
  15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);
export { ZIGZAG };

const LOOKAHEAD = 9;

/** A canonical Huffman table: a 9-bit lookahead for short codes, the spec's MAXCODE walk for the rest. */
export interface HuffmanTable {
  /** (length << 8) | value for each 9-bit prefix whose code is at most 9 bits long; 0 otherwise. */
  fast: Uint16Array;
  maxcode: Int32Array;
  valptr: Int32Array;
  mincode: Int32Array;
  values: Uint8Array;
}

export function buildHuffman(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const maxcode = new Int32Array(18).fill(-1);
  const valptr = new Int32Array(17);
  const mincode = new Int32Array(17);
  const fast = new Uint16Array(1 << LOOKAHEAD);
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    const n = counts[len - 1]!;
    if (n) {
      valptr[len] = k;
      mincode[len] = code;
      for (let i = 0; i < n; i++, k++, code++) {
        if (code >= 2 ** len) throw new Error('Huffman table has more codes than fit');
        if (len <= LOOKAHEAD) {
          const shift = LOOKAHEAD - len;
          for (let p = code << shift, end = (code + 1) << shift; p < end; p++) fast[p] = (len << 8) | values[k]!;
        }
      }
      maxcode[len] = code - 1;
    }
    code <<= 1;
  }
  maxcode[17] = 0x7fffffff;
  return { fast, maxcode, valptr, mincode, values };
}

/** Per-component scan state the MCU decoder needs. */
export interface ScanComponent {
  dc: HuffmanTable;
  ac: HuffmanTable;
  quant: Int32Array;
  pred: number;
}

/**
 * Bits from `buf[pos..end)`. Reading stops before a marker; asking for bits past it throws like
 * jpeg-js ("unexpected marker"), past the end of a complete file as truncated, past the end of
 * the buffered bytes with NEED_MORE (state is then restored from a `save()` by the caller).
 */
export class BitReader {
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  end = 0;
  /** True when `end` is the end of the file's bytes. */
  eof = false;
  acc = 0;
  n = 0;
  /** Set when filling met a marker (`pos` points at its 0xFF). */
  atMarker = false;

  private fill(): void {
    const buf = this.buf;
    while (this.n <= 16) {
      if (this.atMarker) return;
      if (this.pos >= this.end) {
        if (!this.eof) throw NEED_MORE;
        return;
      }
      const b = buf[this.pos]!;
      if (b === 0xff) {
        if (this.pos + 1 >= this.end) {
          if (!this.eof) throw NEED_MORE;
          return;
        }
        if (buf[this.pos + 1] !== 0) {
          this.atMarker = true;
          return;
        }
        this.pos += 2;
      } else {
        this.pos++;
      }
      this.acc = ((this.acc << 8) | b) & 0xffffff;
      this.n += 8;
    }
  }

  private starved(): never {
    if (this.atMarker) throw new Error(`unexpected marker: ff${this.buf[this.pos + 1]!.toString(16)}`);
    throw new Error('image data ends early (truncated or still being written)');
  }

  bits(k: number): number {
    if (this.n < k) {
      this.fill();
      if (this.n < k) this.starved();
    }
    this.n -= k;
    return (this.acc >>> this.n) & ((1 << k) - 1);
  }

  decode(t: HuffmanTable): number {
    if (this.n < 16) this.fill();
    const n = this.n;
    const peek = n >= LOOKAHEAD ? (this.acc >>> (n - LOOKAHEAD)) & 511 : (this.acc << (LOOKAHEAD - n)) & 511;
    const hit = t.fast[peek]!;
    if (hit !== 0 && hit >> 8 <= n) {
      this.n -= hit >> 8;
      return hit & 255;
    }
    let code = 0;
    for (let len = 1; len <= 16; len++) {
      code = (code << 1) | this.bits(1);
      if (code <= t.maxcode[len]!) return t.values[t.valptr[len]! + code - t.mincode[len]!]!;
    }
    throw new Error('invalid huffman sequence');
  }

  /** jpeg-js's receiveAndExtend: `s` bits as a signed coefficient. */
  extend(s: number): number {
    const v = this.bits(s);
    return v >= 1 << (s - 1) ? v : v + (-1 << s) + 1;
  }

  /**
   * One block's quantized coefficients (natural order) into `zz`, which is zeroed first. Returns
   * whether any AC coefficient was set (a block with none is flat: see flatSample).
   */
  block(c: ScanComponent, zz: Int32Array): boolean {
    zz.fill(0);
    let ac = false;
    const t = this.decode(c.dc);
    if (t > 16) throw new Error(`DC difference of ${t} bits`);
    zz[0] = c.pred += t === 0 ? 0 : this.extend(t);
    for (let k = 1; k < 64;) {
      const rs = this.decode(c.ac);
      const s = rs & 15;
      const r = rs >> 4;
      if (s === 0) {
        if (r < 15) break;
        k += 16;
        continue;
      }
      k += r;
      const v = this.extend(s);
      // jpeg-js drops a coefficient that runs past the block and carries on.
      if (k < 64) {
        zz[ZIGZAG[k]!] = v;
        ac = true;
      }
      k++;
    }
    return ac;
  }
}

const COS1 = 4017;
const SIN1 = 799;
const COS3 = 3406;
const SIN3 = 2276;
const COS6 = 1567;
const SIN6 = 3784;
const SQRT2 = 5793;
const SQRT1D2 = 2896;

/** The one sample of a block without AC coefficients: idct's two shortcuts in a row, exactly. */
export function flatSample(dc: number, quant: Int32Array): number {
  const p = (dc * quant[0]!) | 0;
  const t = (SQRT2 * p + 512) >> 10;
  const s = 128 + ((((SQRT2 * t + 8192) >> 14) + 8) >> 4);
  return s < 0 ? 0 : s > 255 ? 255 : s;
}

/**
 * Dequantizes `zz` and writes the 8×8 samples to `out` at `offset` with row stride `stride`. The
 * same integer steps as jpeg-js (Loeffler–Ligtenberg–Moschytz, via poppler): Int32Array stores wrap
 * where jpeg-js's do, so even absurd coefficients give its pixels.
 */
export function idct(zz: Int32Array, quant: Int32Array, p: Int32Array, out: Uint8Array, offset: number, stride: number): void {
  for (let i = 0; i < 64; i++) p[i] = zz[i]! * quant[i]!;
  // The rows keep 4 more bits than the columns: their results are the columns' inputs.
  idctPass(p, 8, 1, 8);
  idctPass(p, 1, 8, 12);
  for (let i = 0, o = offset; i < 64; i += 8, o += stride) {
    for (let j = 0; j < 8; j++) {
      const s = 128 + ((p[i + j]! + 8) >> 4);
      out[o + j] = s < 0 ? 0 : s > 255 ? 255 : s;
    }
  }
}

/**
 * The 8 one-dimensional passes of `idct` over the rows (`next` 8, `step` 1, rounded to 8 fractional
 * bits) or the columns (`next` 1, `step` 8, 12 bits): each over the 8 values at `at`, `at + step`, ….
 */
function idctPass(p: Int32Array, next: number, step: number, bits: number): void {
  const half = 1 << (bits - 1);
  const dcHalf = half << 2;
  const dcBits = bits + 2;
  const lift = 12 - bits;
  const end = 8 * next;
  for (let at = 0; at < end; at += next) {
    const s1 = at + step,
      s2 = s1 + step,
      s3 = s2 + step,
      s4 = s3 + step,
      s5 = s4 + step,
      s6 = s5 + step,
      s7 = s6 + step;
    let t;
    if (p[s1] === 0 && p[s2] === 0 && p[s3] === 0 && p[s4] === 0 && p[s5] === 0 && p[s6] === 0 && p[s7] === 0) {
      // Only the DC term: the 8 outputs are one value.
      t = (SQRT2 * p[at]! + dcHalf) >> dcBits;
      for (let j = at; j <= s7; j += step) p[j] = t;
      continue;
    }
    let v0 = (SQRT2 * p[at]! + half) >> bits;
    let v1 = (SQRT2 * p[s4]! + half) >> bits;
    let v2 = p[s2]!;
    let v3 = p[s6]!;
    let v4 = (SQRT1D2 * (p[s1]! - p[s7]!) + half) >> bits;
    let v7 = (SQRT1D2 * (p[s1]! + p[s7]!) + half) >> bits;
    let v5 = p[s3]! << lift;
    let v6 = p[s5]! << lift;
    t = (v0 - v1 + 1) >> 1;
    v0 = (v0 + v1 + 1) >> 1;
    v1 = t;
    t = (v2 * SIN6 + v3 * COS6 + half) >> bits;
    v2 = (v2 * COS6 - v3 * SIN6 + half) >> bits;
    v3 = t;
    t = (v4 - v6 + 1) >> 1;
    v4 = (v4 + v6 + 1) >> 1;
    v6 = t;
    t = (v7 + v5 + 1) >> 1;
    v5 = (v7 - v5 + 1) >> 1;
    v7 = t;
    t = (v0 - v3 + 1) >> 1;
    v0 = (v0 + v3 + 1) >> 1;
    v3 = t;
    t = (v1 - v2 + 1) >> 1;
    v1 = (v1 + v2 + 1) >> 1;
    v2 = t;
    t = (v4 * SIN3 + v7 * COS3 + 2048) >> 12;
    v4 = (v4 * COS3 - v7 * SIN3 + 2048) >> 12;
    v7 = t;
    t = (v5 * SIN1 + v6 * COS1 + 2048) >> 12;
    v5 = (v5 * COS1 - v6 * SIN1 + 2048) >> 12;
    v6 = t;
    p[at] = v0 + v7;
    p[s7] = v0 - v7;
    p[s1] = v1 + v6;
    p[s6] = v1 - v6;
    p[s2] = v2 + v5;
    p[s5] = v2 - v5;
    p[s3] = v3 + v4;
    p[s4] = v3 - v4;
  }
}
