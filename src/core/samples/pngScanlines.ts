// The pixel half of reading a PNG as rows, apart from its chunks and inflating (pngRows.ts): scanlines unfiltered into luma and RGBA rows.
import { ScanlineKernel } from './digestKernel';
import { lumaOf } from './decoding';
import { CHANNELS, type Header } from './pngChunks';
import type { RowConsumer } from './rowConsumer';

const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;
/** Interlaced images (their rows arrive in seven passes) keep a whole plane of luma: exact float up to this size; larger ones 16-bit (they are downscaled anyway). */
const EXACT_PLANE_PIXELS = 4_000_000;

/** Inflated bytes → unfiltered scanlines → luma rows, pass by pass for interlaced images. */
export class RowMaker {
  private readonly bpp: number;
  private readonly passes: Array<{ xs: number; ys: number; dx: number; dy: number; width: number; rows: number }>;
  private pass = 0;
  private passRow = 0;
  /** The current and previous scanlines live in WebAssembly memory, where they are unfiltered. */
  private readonly lines: ScanlineKernel;
  private fill = 0;
  private readonly gray: Float32Array;
  private readonly samples: Uint8Array;
  private readonly alpha: Uint8Array;
  private readonly rgba: Uint8Array;
  /** Interlaced images only: the whole image's luma (0..1, or 0..65535 when 16-bit). */
  private readonly plane: Float32Array | Uint16Array | undefined;
  private readonly paletteRgba: Uint8Array | undefined;
  private readonly transparent: number[] | undefined;
  private readonly paletteSize: number = 0;
  private done = false;
  /** 8-bit RGB without tRNS (3) or 8-bit RGBA (4): luma made in WebAssembly; 0: in toGray here. */
  private readonly fastChannels: 0 | 3 | 4;

  constructor(
    private readonly h: Header,
    palette: Uint8Array | undefined,
    trns: Uint8Array | undefined,
    private readonly consumer: RowConsumer,
  ) {
    const channels = CHANNELS[h.colorType]!;
    const bitsPerPixel = channels * h.depth;
    this.bpp = Math.max(1, bitsPerPixel >> 3);
    this.passes = (h.interlaced ? ADAM7 : [[0, 0, 1, 1] as const])
      .map(([xs, ys, dx, dy]) => ({
        xs,
        ys,
        dx,
        dy,
        width: Math.ceil((h.width - xs) / dx),
        rows: Math.ceil((h.height - ys) / dy),
      }))
      .filter((p) => p.width > 0 && p.rows > 0);
    const stride = Math.ceil((h.width * bitsPerPixel) / 8);
    this.lines = new ScanlineKernel(stride + 1, h.width);
    this.gray = new Float32Array(h.width);
    this.samples = new Uint8Array(h.width * channels);
    this.alpha = new Uint8Array(h.width);
    this.rgba = new Uint8Array(consumer.colorRow || consumer.colorPass ? h.width * 4 : 0);
    if (h.colorType === 3) {
      if (!palette || palette.length % 3 !== 0 || palette.length === 0) throw new Error('palette image without a valid palette');
      const n = palette.length / 3;
      this.paletteRgba = new Uint8Array(256 * 4);
      for (let i = 0; i < n; i++) {
        this.paletteRgba.set(palette.subarray(3 * i, 3 * i + 3), 4 * i);
        this.paletteRgba[4 * i + 3] = trns && i < trns.length ? trns[i]! : 255;
      }
      this.paletteSize = n;
    } else if (trns && (h.colorType === 0 || h.colorType === 2)) {
      const count = h.colorType === 0 ? 1 : 3;
      if (trns.length >= 2 * count) this.transparent = Array.from({ length: count }, (_, i) => (trns[2 * i]! << 8) | trns[2 * i + 1]!);
    }
    this.fastChannels = h.depth !== 8 ? 0 : h.colorType === 2 && !this.transparent ? 3 : h.colorType === 6 ? 4 : 0;
    this.consumer.start(h.width, h.height);
    if (h.interlaced) this.plane = h.width * h.height <= EXACT_PLANE_PIXELS ? new Float32Array(h.width * h.height) : new Uint16Array(h.width * h.height);
  }

  push(data: Uint8Array): void {
    let at = 0;
    while (at < data.length) {
      if (this.done) throw new Error('more image data than the image holds');
      const pass = this.passes[this.pass]!;
      const need = 1 + Math.ceil((pass.width * CHANNELS[this.h.colorType]! * this.h.depth) / 8);
      const k = Math.min(need - this.fill, data.length - at);
      this.lines.line.set(data.subarray(at, at + k), this.fill);
      this.fill += k;
      at += k;
      if (this.fill === need) {
        this.fill = 0;
        this.scanline(need);
      }
    }
  }

  finish(): void {
    if (!this.done) throw new Error('image data ends early (truncated or still being written)');
  }

  private scanline(length: number): void {
    const lines = this.lines;
    const pass = this.passes[this.pass]!;
    let gray = this.gray;
    if (this.fastChannels === 3) {
      lines.unfilterRgb(length);
      gray = lines.gray;
    } else {
      lines.unfilter(length, this.bpp);
      if (this.fastChannels === 4) {
        lines.lumaRgba(pass.width);
        gray = lines.gray;
      } else {
        this.toGray(lines.line.subarray(1, length), pass.width);
      }
    }
    const line = lines.line;
    const y = pass.ys + this.passRow * pass.dy;
    if (this.consumer.colorRow && !this.plane) {
      this.toRgba(line.subarray(1, length), pass.width);
      this.consumer.colorRow(y, this.rgba);
    }
    if (this.plane) {
      if (this.consumer.colorPass) {
        this.toRgba(line.subarray(1, length), pass.width);
        this.consumer.colorPass(y, pass.xs, pass.dx, this.rgba, pass.width);
      }
      const plane = this.plane;
      const base = y * this.h.width;
      const k = plane instanceof Uint16Array ? 65535 : 1;
      for (let i = 0, x = pass.xs; i < pass.width; i++, x += pass.dx) plane[base + x] = k === 1 ? gray[i]! : Math.round(gray[i]! * k);
    } else {
      this.consumer.row(y, gray);
    }
    // The next scanline is filtered against this one.
    lines.advance();
    if (++this.passRow < pass.rows) return;
    this.passRow = 0;
    lines.prev.fill(0);
    if (++this.pass < this.passes.length) return;
    this.done = true;
    if (this.plane) this.emitPlane();
  }

  private emitPlane(): void {
    const { width, height } = this.h;
    const plane = this.plane!;
    const gray = this.gray;
    const k = plane instanceof Uint16Array ? 1 / 65535 : 1;
    for (let y = 0; y < height; y++) {
      const base = y * width;
      for (let x = 0; x < width; x++) gray[x] = plane[base + x]! * k;
      this.consumer.row(y, gray);
    }
  }

  /**
   * One scanline of `n` pixels → this.gray, through 8-bit samples as pngjs makes them. Not used for
   * 8-bit RGB and RGBA, the usual sample grids: digestKernel makes their luma.
   */
  private toGray(raw: Uint8Array, n: number): void {
    const { colorType } = this.h;
    const gray = this.gray;
    this.expand(raw, n);
    const s = this.samples;
    const alpha = this.alpha;
    if (colorType === 3) {
      const pal = this.paletteRgba!;
      for (let x = 0; x < n; x++) {
        const p = s[x]!;
        if (p >= this.paletteSize) throw new Error(`index ${p} not in palette`);
        gray[x] = lumaOf(pal[4 * p]!, pal[4 * p + 1]!, pal[4 * p + 2]!, pal[4 * p + 3]!);
      }
    } else if (colorType === 0) {
      for (let x = 0; x < n; x++) gray[x] = lumaOf(s[x]!, s[x]!, s[x]!, alpha[x]!);
    } else if (colorType === 4) {
      for (let x = 0; x < n; x++) gray[x] = lumaOf(s[2 * x]!, s[2 * x]!, s[2 * x]!, s[2 * x + 1]!);
    } else if (colorType === 2) {
      for (let x = 0, j = 0; x < n; x++, j += 3) gray[x] = lumaOf(s[j]!, s[j + 1]!, s[j + 2]!, alpha[x]!);
    } else {
      for (let x = 0, j = 0; x < n; x++, j += 4) gray[x] = lumaOf(s[j]!, s[j + 1]!, s[j + 2]!, s[j + 3]!);
    }
  }

  /** Generic path: this.samples as pngjs's 8-bit samples, this.alpha from tRNS (255 elsewhere). */
  private expand(raw: Uint8Array, n: number): void {
    const { colorType, depth } = this.h;
    const channels = CHANNELS[colorType]!;
    const s = this.samples;
    const alpha = this.alpha;
    alpha.fill(255, 0, n);
    const count = n * channels;
    const trans = this.transparent;
    if (depth === 16) {
      for (let i = 0; i < count; i++) s[i] = Math.floor((((raw[2 * i]! << 8) | raw[2 * i + 1]!) * 255) / 65535 + 0.5);
      if (trans) markTransparent(raw, n, channels, trans, alpha, (r, i) => (r[2 * i]! << 8) | r[2 * i + 1]!);
    } else if (depth === 8) {
      s.set(raw.subarray(0, count));
      if (trans) markTransparent(raw, n, channels, trans, alpha, (r, i) => r[i]!);
    } else {
      // 1, 2 or 4 bits per sample (gray or palette: one channel), high bits first.
      const perByte = 8 / depth;
      const mask = (1 << depth) - 1;
      for (let i = 0; i < count; i++) s[i] = (raw[(i / perByte) | 0]! >> (8 - depth * ((i % perByte) + 1))) & mask;
      if (trans) markTransparent(s, n, channels, trans, alpha, (r, i) => r[i]!);
      if (colorType === 0) {
        const scale = 255 / mask;
        for (let i = 0; i < count; i++) s[i] = Math.floor(s[i]! * scale + 0.5);
      }
    }
  }

  /** One scanline of `n` pixels → this.rgba (8-bit, as pngjs would give it). */
  private toRgba(raw: Uint8Array, n: number): void {
    const { colorType, depth } = this.h;
    const out = this.rgba;
    if (colorType === 2 && depth === 8 && !this.transparent) {
      for (let x = 0, j = 0, o = 0; x < n; x++, j += 3, o += 4) {
        out[o] = raw[j]!;
        out[o + 1] = raw[j + 1]!;
        out[o + 2] = raw[j + 2]!;
        out[o + 3] = 255;
      }
      return;
    }
    if (colorType === 6 && depth === 8) {
      out.set(raw.subarray(0, 4 * n));
      return;
    }
    this.expand(raw, n);
    const s = this.samples;
    const alpha = this.alpha;
    for (let x = 0, o = 0; x < n; x++, o += 4) {
      if (colorType === 3) {
        const p = s[x]!;
        if (p >= this.paletteSize) throw new Error(`index ${p} not in palette`);
        out.set(this.paletteRgba!.subarray(4 * p, 4 * p + 4), o);
      } else if (colorType === 0 || colorType === 4) {
        const v = s[colorType === 0 ? x : 2 * x]!;
        out[o] = out[o + 1] = out[o + 2] = v;
        out[o + 3] = colorType === 0 ? alpha[x]! : s[2 * x + 1]!;
      } else {
        const c = colorType === 2 ? 3 : 4;
        out[o] = s[c * x]!;
        out[o + 1] = s[c * x + 1]!;
        out[o + 2] = s[c * x + 2]!;
        out[o + 3] = c === 3 ? alpha[x]! : s[c * x + 3]!;
      }
    }
  }
}

/** tRNS for gray and RGB: pixels equal to the transparent colour (compared before rescaling) get alpha 0. */
function markTransparent(
  raw: Uint8Array,
  n: number,
  channels: number,
  trans: number[],
  alpha: Uint8Array,
  sample: (raw: Uint8Array, i: number) => number,
): void {
  for (let x = 0; x < n; x++) {
    let same = true;
    for (let c = 0; c < channels && same; c++) same = sample(raw, x * channels + c) === trans[c];
    if (same) alpha[x] = 0;
  }
}
