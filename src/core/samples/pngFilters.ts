// PNG scanline filters undone (PNG spec §9), for pngRows.ts. The 8-bit RGB cases, the usual ones
// in sample grids, keep the left neighbour in registers instead of reading back what they wrote.

/** Undoes the scanline's filter in place (`line[0]` is the filter type); `prev` is the unfiltered line above. */
export function unfilter(line: Uint8Array, prev: Uint8Array, length: number, bpp: number): void {
  const type = line[0];
  switch (type) {
    case 0:
      return;
    case 1:
      if (bpp === 3) return sub3(line, length);
      for (let i = 1 + bpp; i < length; i++) line[i] = (line[i]! + line[i - bpp]!) & 0xff;
      return;
    case 2:
      for (let i = 1; i < length; i++) line[i] = (line[i]! + prev[i]!) & 0xff;
      return;
    case 3:
      if (bpp === 3) return average3(line, prev, length);
      for (let i = 1; i < length; i++) line[i] = (line[i]! + (((i > bpp ? line[i - bpp]! : 0) + prev[i]!) >> 1)) & 0xff;
      return;
    case 4: {
      if (bpp === 3) return paeth3(line, prev, length);
      for (let i = 1; i <= bpp && i < length; i++) line[i] = (line[i]! + prev[i]!) & 0xff;
      for (let i = 1 + bpp; i < length; i++) {
        const a = line[i - bpp]!;
        const b = prev[i]!;
        const c = prev[i - bpp]!;
        const p = a + b - c;
        const pa = p > a ? p - a : a - p;
        const pb = p > b ? p - b : b - p;
        const pc = p > c ? p - c : c - p;
        line[i] = (line[i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 0xff;
      }
      return;
    }
    default:
      throw new Error(`unknown scanline filter ${type}`);
  }
}

/** Paeth for 3-byte pixels (8-bit RGB, the usual sample grid): the left and upper-left pixels stay in registers. */
function paeth3(line: Uint8Array, prev: Uint8Array, length: number): void {
  let a0 = 0, a1 = 0, a2 = 0, c0 = 0, c1 = 0, c2 = 0;
  for (let i = 1; i + 2 < length; i += 3) {
    const b0 = prev[i]!, b1 = prev[i + 1]!, b2 = prev[i + 2]!;
    a0 = (line[i]! + predict(a0, b0, c0)) & 0xff;
    a1 = (line[i + 1]! + predict(a1, b1, c1)) & 0xff;
    a2 = (line[i + 2]! + predict(a2, b2, c2)) & 0xff;
    line[i] = a0;
    line[i + 1] = a1;
    line[i + 2] = a2;
    c0 = b0;
    c1 = b1;
    c2 = b2;
  }
}

function predict(a: number, b: number, c: number): number {
  const pa = Math.abs(b - c);
  const pb = Math.abs(a - c);
  const pc = Math.abs(a + b - c - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

function sub3(line: Uint8Array, length: number): void {
  let a0 = 0, a1 = 0, a2 = 0;
  for (let i = 1; i + 2 < length; i += 3) {
    a0 = (line[i]! + a0) & 0xff;
    a1 = (line[i + 1]! + a1) & 0xff;
    a2 = (line[i + 2]! + a2) & 0xff;
    line[i] = a0;
    line[i + 1] = a1;
    line[i + 2] = a2;
  }
}

function average3(line: Uint8Array, prev: Uint8Array, length: number): void {
  let a0 = 0, a1 = 0, a2 = 0;
  for (let i = 1; i + 2 < length; i += 3) {
    a0 = (line[i]! + ((a0 + prev[i]!) >> 1)) & 0xff;
    a1 = (line[i + 1]! + ((a1 + prev[i + 1]!) >> 1)) & 0xff;
    a2 = (line[i + 2]! + ((a2 + prev[i + 2]!) >> 1)) & 0xff;
    line[i] = a0;
    line[i + 1] = a1;
    line[i + 2] = a2;
  }
}

/**
 * Unfilters one 8-bit RGB scanline (bpp 3) and writes its luma to `gray` in the same loop, with
 * the formula of decoding.ts (opaque: alpha 255). The bytes are still unfiltered in place: the next
 * line is filtered against them. One loop per filter type, so none branches per pixel.
 */
export function unfilterRgbToGray(line: Uint8Array, prev: Uint8Array, length: number, gray: Float32Array): void {
  const type = line[0];
  if (type === 2) {
    for (let i = 1; i < length; i++) line[i] = (line[i]! + prev[i]!) & 0xff;
  } else if (type === 1 || type === 3 || type === 4) {
    let a0 = 0, a1 = 0, a2 = 0, c0 = 0, c1 = 0, c2 = 0;
    let x = 0;
    if (type === 1) {
      for (let i = 1; i + 2 < length; i += 3, x++) {
        line[i] = a0 = (line[i]! + a0) & 0xff;
        line[i + 1] = a1 = (line[i + 1]! + a1) & 0xff;
        line[i + 2] = a2 = (line[i + 2]! + a2) & 0xff;
        gray[x] = (0.299 * a0 + 0.587 * a1 + 0.114 * a2) * 255 * K;
      }
    } else if (type === 3) {
      for (let i = 1; i + 2 < length; i += 3, x++) {
        line[i] = a0 = (line[i]! + ((a0 + prev[i]!) >> 1)) & 0xff;
        line[i + 1] = a1 = (line[i + 1]! + ((a1 + prev[i + 1]!) >> 1)) & 0xff;
        line[i + 2] = a2 = (line[i + 2]! + ((a2 + prev[i + 2]!) >> 1)) & 0xff;
        gray[x] = (0.299 * a0 + 0.587 * a1 + 0.114 * a2) * 255 * K;
      }
    } else {
      for (let i = 1; i + 2 < length; i += 3, x++) {
        const b0 = prev[i]!, b1 = prev[i + 1]!, b2 = prev[i + 2]!;
        line[i] = a0 = (line[i]! + predict(a0, b0, c0)) & 0xff;
        line[i + 1] = a1 = (line[i + 1]! + predict(a1, b1, c1)) & 0xff;
        line[i + 2] = a2 = (line[i + 2]! + predict(a2, b2, c2)) & 0xff;
        c0 = b0;
        c1 = b1;
        c2 = b2;
        gray[x] = (0.299 * a0 + 0.587 * a1 + 0.114 * a2) * 255 * K;
      }
    }
    return;
  } else if (type !== 0) {
    throw new Error(`unknown scanline filter ${type}`);
  }
  // None and Up: the bytes are final already; luma in a second, branch-free loop.
  for (let i = 1, x = 0; i + 2 < length; i += 3, x++) gray[x] = (0.299 * line[i]! + 0.587 * line[i + 1]! + 0.114 * line[i + 2]!) * 255 * K;
}

/** 1 / 255², as decoding.ts's luma uses it. */
const K = 1 / (255 * 255);
