// Small previews of large sample grids for the inspector's scrubber and GIF export: a 7680×4096
// snapshot is 50 MB the webview would decode at every step. A preview is made while the grid is
// decoded for scoring anyway (colour rows beside the luma ones), once per file and mtime, and kept
// as a PNG in a cache folder the extension owns; the original stays one double-click away.
import { createHash } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { PNG } from 'pngjs';

/** Longest side of a preview. */
export const PREVIEW_SIDE = 1024;
/** Images whose longer side is at most this are shown as they are. */
export const PREVIEW_ABOVE = 2 * PREVIEW_SIDE;

export function wantsPreview(width: number, height: number): boolean {
  return Math.max(width, height) > PREVIEW_ABOVE;
}

/** Where the preview of `file` as it is now (mtime and size) lives in `dir`. */
export function previewPath(dir: string, file: string, mtimeMs: number, size: number): string {
  const key = createHash('sha1')
    .update(`${path.resolve(file)}\0${mtimeMs}\0${size}\0${PREVIEW_SIDE}`)
    .digest('hex')
    .slice(0, 32);
  return path.join(dir, `${key}.png`);
}

/**
 * The preview made for `file` as it is now (its mtime and size, or `version` when the caller has
 * just read them), or undefined when there is none for this version.
 */
export async function currentPreview(dir: string, file: string, version?: { mtimeMs: number; size: number }): Promise<string | undefined> {
  const st = version ?? (await stat(file).catch(() => undefined));
  if (!st) return undefined;
  const preview = previewPath(dir, file, st.mtimeMs, st.size);
  return (await stat(preview).catch(() => undefined)) ? preview : undefined;
}

/**
 * Colour rows in, a box-downscaled opaque RGBA image out (colour composited on black, like the luma).
 * Sums are of colour × alpha, whole numbers, so an interlaced image's pixels, which come pass by
 * pass in another order, give the very same preview.
 */
export class PreviewBuilder {
  private w = 0;
  private h = 0;
  private f = 1;
  private pw = 0;
  private out = new Uint8Array(0);
  private acc = new Float64Array(0);
  private rows = 0;
  /** Interlaced images: sums for the whole preview (3 × 8 bytes a preview pixel, ≤ 25 MB). */
  private sums: Float64Array | undefined;
  private pixels = 0;

  /** Whether every row (or, interlaced, every pixel) came. */
  get complete(): boolean {
    return this.h > 0 && (this.rows === this.h || this.pixels === this.w * this.h);
  }

  start(width: number, height: number): void {
    this.w = width;
    this.h = height;
    this.f = Math.ceil(Math.max(width, height) / PREVIEW_SIDE);
    this.pw = Math.ceil(width / this.f);
    this.out = new Uint8Array(this.pw * Math.ceil(height / this.f) * 4);
    this.acc = new Float64Array(this.pw * 3);
  }

  colorRow(y: number, rgba: Uint8Array): void {
    const { f, pw, acc, w } = this;
    this.rows++;
    for (let px = 0, x = 0; px < pw; px++) {
      const end = Math.min(w, x + f);
      let r = 0,
        g = 0,
        b = 0;
      for (; x < end; x++) {
        const a = rgba[4 * x + 3]!;
        r += rgba[4 * x]! * a;
        g += rgba[4 * x + 1]! * a;
        b += rgba[4 * x + 2]! * a;
      }
      acc[3 * px] = acc[3 * px]! + r;
      acc[3 * px + 1] = acc[3 * px + 1]! + g;
      acc[3 * px + 2] = acc[3 * px + 2]! + b;
    }
    if ((y + 1) % f !== 0 && y !== this.h - 1) return;
    const py = Math.floor(y / f);
    this.emit(acc, 0, py, y - py * f + 1);
    acc.fill(0);
  }

  /** Part of row `y` (an interlaced pass's scanline): `count` pixels at columns x0, x0 + dx, ... */
  colorPass(y: number, x0: number, dx: number, rgba: Uint8Array, count: number): void {
    const { f, pw } = this;
    const sums = (this.sums ??= new Float64Array((this.out.length / 4) * 3));
    const base = Math.floor(y / f) * pw;
    for (let i = 0, x = x0; i < count; i++, x += dx) {
      const a = rgba[4 * i + 3]!;
      const o = 3 * (base + Math.floor(x / f));
      sums[o] = sums[o]! + rgba[4 * i]! * a;
      sums[o + 1] = sums[o + 1]! + rgba[4 * i + 1]! * a;
      sums[o + 2] = sums[o + 2]! + rgba[4 * i + 2]! * a;
    }
    this.pixels += count;
    if (this.pixels !== this.w * this.h) return;
    const ph = this.out.length / 4 / pw;
    for (let py = 0; py < ph; py++) this.emit(sums, 3 * py * pw, py, Math.min(this.h, (py + 1) * f) - py * f);
    this.sums = undefined;
  }

  /** Preview row `py` from the sums at `from` (3 a pixel) over `rows` image rows. */
  private emit(sums: Float64Array, from: number, py: number, rows: number): void {
    const { f, pw, w } = this;
    for (let px = 0; px < pw; px++) {
      const n = (Math.min(w, (px + 1) * f) - px * f) * rows * 255;
      const o = 4 * (py * pw + px);
      const s = from + 3 * px;
      this.out[o] = Math.round(sums[s]! / n);
      this.out[o + 1] = Math.round(sums[s + 1]! / n);
      this.out[o + 2] = Math.round(sums[s + 2]! / n);
      this.out[o + 3] = 255;
    }
  }

  /** The preview as PNG bytes. */
  png(): Buffer {
    const png = new PNG({ width: this.pw, height: this.out.length / 4 / this.pw });
    png.data = Buffer.from(this.out.buffer, this.out.byteOffset, this.out.byteLength);
    return PNG.sync.write(png);
  }
}

/** Writes a preview where readers never see half of it (written aside, then renamed). */
export async function savePreview(target: string, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const aside = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(aside, bytes);
  await rename(aside, target);
}
