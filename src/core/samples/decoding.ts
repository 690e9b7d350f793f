// Sample image bytes → one gray plane (luma 0..1, alpha composited on black). Pure: bytes in, pixels out.
// The format is taken from the file's magic bytes, not its extension, because saved names lie.
import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';
import { t } from '../l10n';
import { imageFormat, type ImageFormat } from './imageFormat';

export interface GrayImage {
  width: number;
  height: number;
  /** Row-major luma, 0 (black) .. 1 (white). */
  gray: Float32Array;
}

/** Refuse anything larger: a 40 MP RGBA decode already needs 160 MB. */
export const MAX_IMAGE_PIXELS = 40_000_000;
/**
 * Refuse a longer side too: the streaming decoder keeps per-column and per-row arrays, so a
 * 40,000,000×1 "image" would cost gigabytes without holding a single large frame.
 */
export const MAX_IMAGE_SIDE = 65_536;

// omggif ships no types; this is the part of its GifReader we call.
interface GifReader {
  width: number;
  height: number;
  numFrames(): number;
  decodeAndBlitFrameRGBA(frame: number, pixels: Uint8Array): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { GifReader } = require('omggif') as { GifReader: new (bytes: Uint8Array) => GifReader };

export { imageFormat, type ImageFormat };

/** Decodes PNG, JPEG or GIF (first frame). Throws one line naming `name` and the reason. */
export function decodeImage(bytes: Uint8Array, name: string): GrayImage {
  const format = imageFormat(bytes);
  if (!format) throw new Error(t('{0}: not a PNG, JPEG or GIF image', name));
  const declared = declaredSize(bytes, format);
  if (declared) refuseOversized(declared.width, declared.height, name);
  let rgba: { width: number; height: number; data: Uint8Array };
  try {
    rgba = decodeRgba(bytes, format);
  } catch (err) {
    throw new Error(t('{0}: cannot decode {1} image ({2})', name, format.toUpperCase(), firstLine(err)));
  }
  refuseOversized(rgba.width, rgba.height, name);
  return { width: rgba.width, height: rgba.height, gray: luma(rgba.data, rgba.width * rgba.height) };
}

function decodeRgba(bytes: Uint8Array, format: ImageFormat): { width: number; height: number; data: Uint8Array } {
  if (format === 'png') {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, data: png.data };
  }
  if (format === 'jpeg') {
    const maxResolutionInMP = MAX_IMAGE_PIXELS / 1e6;
    return jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP, maxMemoryUsageInMB: 512 });
  }
  const gif = new GifReader(bytes);
  if (gif.numFrames() < 1) throw new Error('no frames');
  const data = new Uint8Array(gif.width * gif.height * 4);
  gif.decodeAndBlitFrameRGBA(0, data);
  return { width: gif.width, height: gif.height, data };
}

/** Throws one line naming `name` when a width×height image is over the pixel or side limit. */
export function refuseOversized(width: number, height: number, name: string): void {
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new Error(t('{0}: image is {1}×{2} pixels, larger than the {3} MP limit', name, width, height, MAX_IMAGE_PIXELS / 1e6));
  }
  if (Math.max(width, height) > MAX_IMAGE_SIDE) {
    throw new Error(t('{0}: image is {1}×{2} pixels, a side longer than the {3} px limit', name, width, height, MAX_IMAGE_SIDE));
  }
}

/**
 * Width and height from the header, so an oversized image is refused before any pixel is allocated
 * (and a large one shown by its preview); `bytes` may be only the file's start.
 */
export function declaredSize(bytes: Uint8Array, format: ImageFormat): { width: number; height: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (format === 'png') return bytes.length >= 24 ? { width: view.getUint32(16), height: view.getUint32(20) } : null;
  if (format === 'gif') return bytes.length >= 10 ? { width: view.getUint16(6, true), height: view.getUint16(8, true) } : null;
  // JPEG: walk the markers to the first start-of-frame.
  let p = 2;
  while (p + 9 < bytes.length) {
    if (bytes[p] !== 0xff) return null;
    const marker = bytes[p + 1]!;
    if (marker === 0xff) {
      p++;
      continue;
    }
    const length = view.getUint16(p + 2);
    const isStartOfFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isStartOfFrame) return { height: view.getUint16(p + 5), width: view.getUint16(p + 7) };
    p += 2 + length;
  }
  return null;
}

const LUMA_K = 1 / (255 * 255);

/**
 * Luma of one 8-bit pixel, 0..1: Rec. 601 weights, alpha scaling the colour (compositing on black).
 * Every decoder (whole-frame, PNG and JPEG rows; the WebAssembly kernel repeats it) uses this one
 * formula, in this order of operations, so they all give the same bits for the same pixel.
 */
export function lumaOf(r: number, g: number, b: number, a: number): number {
  return (0.299 * r + 0.587 * g + 0.114 * b) * a * LUMA_K;
}

function luma(rgba: Uint8Array, pixels: number): Float32Array {
  const gray = new Float32Array(pixels);
  for (let i = 0, j = 0; i < pixels; i++, j += 4) gray[i] = lumaOf(rgba[j]!, rgba[j + 1]!, rgba[j + 2]!, rgba[j + 3]!);
  return gray;
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!.trim();
}
