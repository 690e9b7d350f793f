// AssemblyScript source of the sample decoder's two hot loops (built into
// src/core/samples/digestKernel.wasm.ts by `npm run build:wasm`; a unit test fails when the two
// drift apart). A 7680×4096 snapshot grid is 31 million pixels: in JavaScript, undoing the scanline
// filters and folding every pixel into the layout profile cost more than zlib's inflating. Here the
// same arithmetic runs without bounds checks, and the per-column sums four columns at a time.
//
// Every result is bit for bit what the JavaScript references compute (the PNG spec's filters as test/unit/core/samples/digest-kernel.test.ts undoes them, layout.ts's imageProfile and DigestBuilder): the
// same IEEE operations in the same order (sums along a row stay sequential; columns are independent
// lanes; f32 values are promoted to f64 before they are added, as JavaScript does).
//
// State lives in linear memory the caller lays out and passes to `setup`; one instance serves one
// image, so module globals are that image's, not shared.

const K: f64 = 1.0 / (255.0 * 255.0);
// Rec. 601 weights, typed f64: inside `<f32>(…)` a bare literal would be read as an f32 and the
// luma would be one ulp off JavaScript's.
const WR: f64 = 0.299;
const WG: f64 = 0.587;
const WB: f64 = 0.114;
const STRIPS: i32 = 16;
const FLAT_RANGE: f64 = 0.06;

// ---- scanlines ---------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline
function predict(a: i32, b: i32, c: i32): i32 {
  const da = b - c;
  const db = a - c;
  const dc = da + db;
  const sa = da >> 31;
  const sb = db >> 31;
  const sc = dc >> 31;
  const pa = (da ^ sa) - sa;
  const pb = (db ^ sb) - sb;
  const pc = (dc ^ sc) - sc;
  const notA = ((pb - pa) | (pc - pa)) >> 31;
  const notB = (pc - pb) >> 31;
  return (a & ~notA) | (((b & ~notB) | (c & notB)) & notA);
}

/** Undoes the filter of the scanline at `line` (filter byte first) against `prev`; 0, or -1 for an unknown filter. */
export function unfilter(line: usize, prev: usize, length: i32, bpp: i32): i32 {
  const type = <i32>load<u8>(line);
  if (type == 0) return 0;
  if (type == 1) {
    for (let i = 1 + bpp; i < length; i++) store<u8>(line + i, load<u8>(line + i) + load<u8>(line + i - bpp));
    return 0;
  }
  if (type == 2) {
    let i = 1;
    for (; i + 16 <= length; i += 16) v128.store(line + i, i8x16.add(v128.load(line + i), v128.load(prev + i)));
    for (; i < length; i++) store<u8>(line + i, load<u8>(line + i) + load<u8>(prev + i));
    return 0;
  }
  if (type == 3) {
    for (let i = 1; i < length; i++) {
      const a: i32 = i > bpp ? <i32>load<u8>(line + i - bpp) : 0;
      store<u8>(line + i, <i32>load<u8>(line + i) + ((a + <i32>load<u8>(prev + i)) >> 1));
    }
    return 0;
  }
  if (type == 4) {
    const head = min(length, 1 + bpp);
    for (let i = 1; i < head; i++) store<u8>(line + i, load<u8>(line + i) + load<u8>(prev + i));
    for (let i = 1 + bpp; i < length; i++) {
      const p = predict(<i32>load<u8>(line + i - bpp), <i32>load<u8>(prev + i), <i32>load<u8>(prev + i - bpp));
      store<u8>(line + i, <i32>load<u8>(line + i) + p);
    }
    return 0;
  }
  return -1;
}

// @ts-ignore: decorator
@inline
function luma3(gray: usize, x: i32, r: i32, g: i32, b: i32): void {
  store<f32>(gray + (<usize>x << 2), <f32>((WR * <f64>r + WG * <f64>g + WB * <f64>b) * 255.0 * K));
}

/**
 * An 8-bit RGB scanline (3 bytes a pixel, the usual sample grid) unfiltered and turned to luma in
 * one pass, the left and upper-left pixels kept in registers; 0, or -1 for an unknown filter.
 */
export function unfilterRgbLuma(line: usize, prev: usize, length: i32, gray: usize): i32 {
  const type = <i32>load<u8>(line);
  if (type > 4) return -1;
  if (type == 2) {
    let i = 1;
    for (; i + 16 <= length; i += 16) v128.store(line + i, i8x16.add(v128.load(line + i), v128.load(prev + i)));
    for (; i < length; i++) store<u8>(line + i, load<u8>(line + i) + load<u8>(prev + i));
  }
  if (type == 0 || type == 2) {
    lumaRgb(line + 1, (length - 1) / 3, gray);
    return 0;
  }
  let a0: i32 = 0, a1: i32 = 0, a2: i32 = 0;
  let x = 0;
  if (type == 1) {
    for (let i = 1; i + 2 < length; i += 3, x++) {
      const p = line + i;
      a0 = (<i32>load<u8>(p) + a0) & 0xff;
      a1 = (<i32>load<u8>(p, 1) + a1) & 0xff;
      a2 = (<i32>load<u8>(p, 2) + a2) & 0xff;
      store<u8>(p, a0);
      store<u8>(p, a1, 1);
      store<u8>(p, a2, 2);
      luma3(gray, x, a0, a1, a2);
    }
  } else if (type == 3) {
    for (let i = 1; i + 2 < length; i += 3, x++) {
      const p = line + i;
      const q = prev + i;
      a0 = (<i32>load<u8>(p) + ((a0 + <i32>load<u8>(q)) >> 1)) & 0xff;
      a1 = (<i32>load<u8>(p, 1) + ((a1 + <i32>load<u8>(q, 1)) >> 1)) & 0xff;
      a2 = (<i32>load<u8>(p, 2) + ((a2 + <i32>load<u8>(q, 2)) >> 1)) & 0xff;
      store<u8>(p, a0);
      store<u8>(p, a1, 1);
      store<u8>(p, a2, 2);
      luma3(gray, x, a0, a1, a2);
    }
  } else {
    let c0: i32 = 0, c1: i32 = 0, c2: i32 = 0;
    for (let i = 1; i + 2 < length; i += 3, x++) {
      const p = line + i;
      const q = prev + i;
      const b0 = <i32>load<u8>(q), b1 = <i32>load<u8>(q, 1), b2 = <i32>load<u8>(q, 2);
      a0 = (<i32>load<u8>(p) + predict(a0, b0, c0)) & 0xff;
      a1 = (<i32>load<u8>(p, 1) + predict(a1, b1, c1)) & 0xff;
      a2 = (<i32>load<u8>(p, 2) + predict(a2, b2, c2)) & 0xff;
      store<u8>(p, a0);
      store<u8>(p, a1, 1);
      store<u8>(p, a2, 2);
      c0 = b0; c1 = b1; c2 = b2;
      luma3(gray, x, a0, a1, a2);
    }
  }
  return 0;
}

/** Luma of `n` 8-bit RGB pixels at `rgb` into f32 `gray`: decoding.ts's formula, opaque. */
function lumaRgb(rgb: usize, n: i32, gray: usize): void {
  for (let x = 0; x < n; x++) {
    const p = rgb + <usize>(3 * x);
    luma3(gray, x, <i32>load<u8>(p), <i32>load<u8>(p, 1), <i32>load<u8>(p, 2));
  }
}

/** Luma of `n` 8-bit RGBA pixels, composited on black (times alpha), as decoding.ts computes it. */
export function lumaRgba(rgba: usize, n: i32, gray: usize): void {
  for (let x = 0; x < n; x++) {
    const p = rgba + <usize>(4 * x);
    const v = (WR * <f64>load<u8>(p) + WG * <f64>load<u8>(p, 1) + WB * <f64>load<u8>(p, 2)) * <f64>load<u8>(p, 3) * K;
    store<f32>(gray + (<usize>x << 2), <f32>v);
  }
}

// ---- the layout profile and the downscaled copy ------------------------------------------------

let W: i32 = 0;
let H: i32 = 0;
let F: i32 = 1;
let SW: i32 = 0;
let gray: usize = 0;
let prevGray: usize = 0;
let xStarts: usize = 0;
let yStrip: usize = 0;
let rowFlat: usize = 0;
let rowEdge: usize = 0;
let rowSum: usize = 0;
let rowSq: usize = 0;
let colMin: usize = 0;
let colMax: usize = 0;
let colEdge: usize = 0;
let colSum: usize = 0;
let colSq: usize = 0;
let small: usize = 0;
let acc: usize = 0;

/** Where each array is (laid out and zeroed or filled by the caller) and the image's size. */
export function setup(
  width: i32, height: i32, factor: i32, smallWidth: i32,
  grayAt: usize, prevGrayAt: usize, xStartsAt: usize, yStripAt: usize, rowFlatAt: usize, rowEdgeAt: usize,
  rowSumAt: usize, rowSqAt: usize, colMinAt: usize, colMaxAt: usize, colEdgeAt: usize, colSumAt: usize,
  colSqAt: usize, smallAt: usize, accAt: usize,
): void {
  W = width; H = height; F = factor; SW = smallWidth;
  gray = grayAt; prevGray = prevGrayAt; xStarts = xStartsAt; yStrip = yStripAt; rowFlat = rowFlatAt;
  rowEdge = rowEdgeAt; rowSum = rowSumAt; rowSq = rowSqAt; colMin = colMinAt; colMax = colMaxAt;
  colEdge = colEdgeAt; colSum = colSumAt; colSq = colSqAt; small = smallAt; acc = accAt;
}

/**
 * Row `y` (its luma at `gray`) folded into the profile and the downscaled copy. Returns the row of
 * the downscaled copy completed at `small` by this row, or -1: the caller keeps the copy itself, so
 * this memory stays a few rows deep however large the image.
 */
export function digestRow(y: i32): i32 {
  const w = W;
  const colBase = <usize>(<i32>load<u8>(yStrip + y) * w);
  const first = y == 0;
  let jump: f64 = 0;
  let sum: f64 = 0;
  let sq: f64 = 0;
  for (let j = 0; j < STRIPS; j++) {
    const from = load<i32>(xStarts + (<usize>j << 2));
    const to = load<i32>(xStarts + (<usize>(j + 1) << 2));
    // Along the row, in order: the sums must add up exactly as imageProfile adds them.
    let mn: f64 = Infinity;
    let mx: f64 = -Infinity;
    for (let x = from; x < to; x++) {
      const v = <f64>load<f32>(gray + (<usize>x << 2));
      if (v < mn) mn = v;
      if (v > mx) mx = v;
      sum += v;
      sq += v * v;
      if (!first) jump += abs(v - <f64>load<f32>(prevGray + (<usize>x << 2)));
    }
    store<u8>(rowFlat + <usize>(j * H + y), mx - mn <= FLAT_RANGE || from == to ? 1 : 0);
    // Down the columns: each column its own lane, four at a time.
    let x = from;
    if (x == 0 && x < to) {
      const v = load<f32>(gray);
      const c = colBase << 2;
      store<f32>(colMin + c, min(load<f32>(colMin + c), v));
      store<f32>(colMax + c, max(load<f32>(colMax + c), v));
      store<f64>(colSum, load<f64>(colSum) + <f64>v);
      store<f64>(colSq, load<f64>(colSq) + <f64>v * <f64>v);
      x = 1;
    }
    for (; x + 4 <= to; x += 4) {
      const g = gray + (<usize>x << 2);
      const v = v128.load(g);
      const left = v128.load(g - 4);
      const c = (colBase + <usize>x) << 2;
      v128.store(colMin + c, f32x4.pmin(v128.load(colMin + c), v));
      v128.store(colMax + c, f32x4.pmax(v128.load(colMax + c), v));
      const lo = f64x2.promote_low_f32x4(v);
      const hi = f64x2.promote_low_f32x4(v128.shuffle<i32>(v, v, 2, 3, 0, 1));
      const s = colSum + (<usize>x << 3);
      const q = colSq + (<usize>x << 3);
      v128.store(s, f64x2.add(v128.load(s), lo));
      v128.store(s, f64x2.add(v128.load(s, 16), hi), 16);
      v128.store(q, f64x2.add(v128.load(q), f64x2.mul(lo, lo)));
      v128.store(q, f64x2.add(v128.load(q, 16), f64x2.mul(hi, hi)), 16);
      const llo = f64x2.promote_low_f32x4(left);
      const lhi = f64x2.promote_low_f32x4(v128.shuffle<i32>(left, left, 2, 3, 0, 1));
      const e = colEdge + (<usize>x << 2);
      const old = v128.load(e);
      const elo = f64x2.add(f64x2.promote_low_f32x4(old), f64x2.abs(f64x2.sub(lo, llo)));
      const ehi = f64x2.add(f64x2.promote_low_f32x4(v128.shuffle<i32>(old, old, 2, 3, 0, 1)), f64x2.abs(f64x2.sub(hi, lhi)));
      const d0 = f32x4.demote_f64x2_zero(elo);
      const d1 = f32x4.demote_f64x2_zero(ehi);
      v128.store(e, v128.shuffle<i32>(d0, d1, 0, 1, 4, 5));
    }
    for (; x < to; x++) {
      const v = load<f32>(gray + (<usize>x << 2));
      const c = (colBase + <usize>x) << 2;
      if (v < load<f32>(colMin + c)) store<f32>(colMin + c, v);
      if (v > load<f32>(colMax + c)) store<f32>(colMax + c, v);
      const s = colSum + (<usize>x << 3);
      const q = colSq + (<usize>x << 3);
      store<f64>(s, load<f64>(s) + <f64>v);
      store<f64>(q, load<f64>(q) + <f64>v * <f64>v);
      if (x > 0) {
        const e = colEdge + (<usize>x << 2);
        store<f32>(e, <f32>(<f64>load<f32>(e) + abs(<f64>v - <f64>load<f32>(gray + (<usize>(x - 1) << 2)))));
      }
    }
  }
  store<f32>(rowEdge + (<usize>y << 2), <f32>(jump / <f64>w));
  store<f64>(rowSum + (<usize>y << 3), sum);
  store<f64>(rowSq + (<usize>y << 3), sq);
  memory.copy(prevGray, gray, <usize>w << 2);
  return downscaleRow(y);
}

function downscaleRow(y: i32): i32 {
  const w = W;
  const f = F;
  if (f == 1) {
    memory.copy(small, gray, <usize>w << 2);
    return y;
  }
  const sw = SW;
  let x = 0;
  for (let sx = 0; sx < sw; sx++) {
    let s: f64 = 0;
    const end = min(w, x + f);
    for (; x < end; x++) s += <f64>load<f32>(gray + (<usize>x << 2));
    const a = acc + (<usize>sx << 3);
    store<f64>(a, load<f64>(a) + s);
  }
  if ((y + 1) % f != 0 && y != H - 1) return -1;
  const sy = y / f;
  const rowsIn = y - sy * f + 1;
  for (let sx = 0; sx < sw; sx++) {
    const colsIn = min(w, (sx + 1) * f) - sx * f;
    const a = acc + (<usize>sx << 3);
    store<f32>(small + (<usize>sx << 2), <f32>(load<f64>(a) / <f64>(colsIn * rowsIn)));
    store<f64>(a, 0);
  }
  return sy;
}
