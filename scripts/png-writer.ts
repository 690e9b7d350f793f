// Writes PNGs of every kind the format allows, for the streaming decoder's tests: colour types 0, 2,
// 3, 4, 6; bit depths 1–16; Adam7 interlacing; a chosen filter per scanline; palette and tRNS.
// pngjs (the reference decoder in those tests) can write only a few of these, so they are made here.
import * as zlib from 'node:zlib';

export interface PngSpec {
  width: number;
  height: number;
  colorType: 0 | 2 | 3 | 4 | 6;
  depth: 1 | 2 | 4 | 8 | 16;
  interlaced?: boolean;
  /** Samples per pixel in channel order, each 0..2^depth−1 (palette: the index). */
  pixel: (x: number, y: number) => number[];
  /** Filter type (0..4) of each scanline (default: cycles through all five). */
  filter?: (row: number) => number;
  /** Palette RGB triples (colour type 3). */
  palette?: number[][];
  /** Raw tRNS chunk body. */
  trns?: Uint8Array;
  /** Split the zlib stream into IDAT chunks of this size (default one chunk). */
  idatSize?: number;
}

const CHANNELS = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as const;
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

export function writePng(spec: PngSpec): Buffer {
  const { width, height, colorType, depth } = spec;
  const channels = CHANNELS[colorType];
  const bpp = Math.max(1, (channels * depth) >> 3);
  const passes = spec.interlaced ? ADAM7 : [[0, 0, 1, 1]];
  const raw: number[] = [];
  let row = 0;
  for (const [xs, ys, dx, dy] of passes) {
    const pw = Math.ceil((width - xs!) / dx!);
    const ph = Math.ceil((height - ys!) / dy!);
    if (pw <= 0 || ph <= 0) continue;
    const stride = Math.ceil((pw * channels * depth) / 8);
    let prev = new Uint8Array(stride);
    for (let py = 0; py < ph; py++) {
      const line = new Uint8Array(stride);
      let bit = 0;
      for (let px = 0; px < pw; px++) {
        const samples = spec.pixel(xs! + px * dx!, ys! + py * dy!);
        for (const v of samples) {
          if (depth === 16) {
            line[bit >> 3] = v >> 8;
            line[(bit >> 3) + 1] = v & 0xff;
          } else if (depth === 8) line[bit >> 3] = v;
          else line[bit >> 3]! |= v << (8 - depth - (bit & 7));
          bit += depth;
        }
      }
      const type = spec.filter ? spec.filter(row) : row % 5;
      raw.push(type, ...filterLine(line, prev, type, bpp));
      prev = line;
      row++;
    }
  }
  const data = zlib.deflateSync(Uint8Array.from(raw));
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = colorType;
  ihdr[12] = spec.interlaced ? 1 : 0;
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (spec.palette) parts.push(chunk('PLTE', Buffer.from(spec.palette.flat())));
  if (spec.trns) parts.push(chunk('tRNS', Buffer.from(spec.trns)));
  const step = spec.idatSize ?? data.length;
  for (let at = 0; at < data.length; at += step) parts.push(chunk('IDAT', data.subarray(at, at + step)));
  parts.push(chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

export function chunk(type: string, body: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), body])) >>> 0, 0);
  return Buffer.concat([head, body, crc]);
}

function filterLine(line: Uint8Array, prev: Uint8Array, type: number, bpp: number): Uint8Array {
  const out = new Uint8Array(line.length);
  for (let i = 0; i < line.length; i++) {
    const a = i >= bpp ? line[i - bpp]! : 0;
    const b = prev[i]!;
    const c = i >= bpp ? prev[i - bpp]! : 0;
    let pred = 0;
    if (type === 1) pred = a;
    else if (type === 2) pred = b;
    else if (type === 3) pred = (a + b) >> 1;
    else if (type === 4) {
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
    out[i] = (line[i]! - pred) & 0xff;
  }
  return out;
}
