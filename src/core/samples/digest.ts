// One sample image → what scoring needs from it, built row by row as the image decodes: the layout
// profile at full resolution (flat and edge rows/columns, O(width + height)) and a gray image box-
// downscaled to at most SMALL_PIXELS. Images already that small are kept as they are, so they score
// exactly as the whole-frame decoder scored them; larger ones never exist whole in memory.
import { open } from 'node:fs/promises';
import * as jpeg from 'jpeg-js';
import { t } from '../l10n';
import { decodeImage, imageFormat, MAX_IMAGE_PIXELS, type GrayImage } from './decoding';
import { FLAT_RANGE, STRIPS, type ImageProfile } from './layout';
import { meanAndSpread, type AxisProfiles } from './periodic';
import { readJpegRows } from './jpegRows';
import { readPngRows } from './pngRows';
import type { RowConsumer } from './rowConsumer';
import { PreviewBuilder, previewPath, savePreview, wantsPreview } from './preview';

/** Largest downscaled image kept per sample (4 MP, 16 MB): a 256 px tile still spans 85 of its pixels. */
export const SMALL_PIXELS = 4_000_000;
/** Sample files larger than this are refused unread (a JPEG or GIF is read whole). */
export const MAX_SAMPLE_BYTES = 512 * 1024 * 1024;

export interface SampleDigest {
  profile: ImageProfile;
  /** The image box-downscaled by `scale` (1: the image itself). */
  small: GrayImage;
  /** Full-resolution pixels per pixel of `small`, along each axis. */
  scale: number;
}

/**
 * Reads and digests one sample file; throws one line naming `name` and the reason. With
 * `previewDir`, a large image's preview is made in the same pass and saved there (see preview.ts).
 */
export async function digestSampleFile(file: string, name: string, maxBytes = MAX_SAMPLE_BYTES, previewDir?: string): Promise<SampleDigest> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw new Error(t('{0}: file is {1} MB, over the {2} MB limit', name, (size / 2 ** 20).toFixed(0), (maxBytes / 2 ** 20).toFixed(0)));
    const head = new Uint8Array(16);
    const { bytesRead } = await handle.read(head, 0, 16, 0);
    const format = imageFormat(head.subarray(0, bytesRead));
    const builder = new DigestBuilder();
    let preview: PreviewBuilder | undefined;
    const rows: RowConsumer = {
      start: (w, h) => {
        builder.start(w, h);
        preview?.start(w, h);
      },
      row: (y, gray) => builder.row(y, gray),
    };
    const accept = (w: number, h: number) => {
      refuseOversized(w, h, name);
      if (previewDir === undefined || !wantsPreview(w, h)) return;
      const made = (preview = new PreviewBuilder());
      rows.colorRow = (y, rgba) => made.colorRow(y, rgba);
      rows.colorPass = (y, x0, dx, rgba, count) => made.colorPass(y, x0, dx, rgba, count);
    };
    // PNG and baseline JPEG stream row by row; the rest (GIF, progressive JPEG...) is decoded whole.
    let streamed = false;
    if (format === 'png' || format === 'jpeg') {
      try {
        if (format === 'png') streamed = (await readPngRows(handle, rows, { accept }), true);
        else streamed = (await readJpegRows(handle, rows, { accept, limit: size })) === 'streamed';
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (message.startsWith(name)) throw err;
        throw new Error(t('{0}: cannot decode {1} image ({2})', name, format.toUpperCase(), message.split('\n')[0]!.trim()));
      }
    }
    let digest: SampleDigest;
    if (streamed) {
      digest = builder.finish();
    } else {
      // Their libraries decode whole images; the frame is digested and let go at once. A JPEG got
      // here after its declared size was accepted (see readJpegRows).
      const bytes = new Uint8Array(size);
      let got = 0;
      while (got < size) {
        const r = await handle.read(bytes, got, size - got, got);
        if (r.bytesRead === 0) break;
        got += r.bytesRead;
      }
      digest = digestBytes(bytes.subarray(0, got), name, preview);
    }
    if (preview?.complete && previewDir !== undefined) {
      const st = await handle.stat();
      // A preview that cannot be saved only means the webview shows the original.
      await savePreview(previewPath(previewDir, file, st.mtimeMs, st.size), preview.png()).catch(() => undefined);
    }
    return digest;
  } finally {
    await handle.close();
  }
}

/**
 * The digest of image bytes held in memory (JPEG as RGB rows, others through decodeImage). A JPEG's
 * colour rows also go to `preview` when given.
 */
export function digestBytes(bytes: Uint8Array, name: string, preview?: PreviewBuilder): SampleDigest {
  const builder = new DigestBuilder();
  if (imageFormat(bytes) === 'jpeg') {
    let rgb: { width: number; height: number; data: Uint8Array } | undefined;
    try {
      // Three bytes a pixel, not four: the alpha of a JPEG is always opaque.
      rgb = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6, maxMemoryUsageInMB: 512 });
    } catch {
      rgb = undefined;
    }
    if (rgb) {
      refuseOversized(rgb.width, rgb.height, name);
      const { width, height, data } = rgb;
      builder.start(width, height);
      const row = new Float32Array(width);
      const k = 1 / (255 * 255);
      const rgba = new Uint8Array(preview ? width * 4 : 0).fill(255);
      preview?.start(width, height);
      for (let y = 0; y < height; y++) {
        for (let x = 0, j = y * width * 3; x < width; x++, j += 3) row[x] = (0.299 * data[j]! + 0.587 * data[j + 1]! + 0.114 * data[j + 2]!) * 255 * k;
        if (preview) {
          for (let x = 0, j = y * width * 3; x < width; x++, j += 3) rgba.set(data.subarray(j, j + 3), 4 * x);
          preview.colorRow(y, rgba);
        }
        builder.row(y, row);
      }
      return builder.finish();
    }
  }
  // Errors (and anything jpeg-js refused above) get decodeImage's one-line message.
  const image = decodeImage(bytes, name);
  builder.start(image.width, image.height);
  for (let y = 0; y < image.height; y++) builder.row(y, image.gray.subarray(y * image.width, (y + 1) * image.width));
  return builder.finish();
}

function refuseOversized(width: number, height: number, name: string): void {
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new Error(t('{0}: image is {1}×{2} pixels, larger than the {3} MP limit', name, width, height, MAX_IMAGE_PIXELS / 1e6));
  }
}

/** The smallest whole factor that brings a width×height image to at most SMALL_PIXELS. */
export function scaleFor(width: number, height: number, budget = SMALL_PIXELS): number {
  let f = 1;
  while (Math.ceil(width / f) * Math.ceil(height / f) > budget) f++;
  return f;
}

/** Rows in, digest out: the same profile as layout.ts's imageProfile, plus the downscaled image. */
export class DigestBuilder implements RowConsumer {
  private w = 0;
  private h = 0;
  private f = 1;
  private xStarts = new Int32Array(0);
  private yStrip = new Uint8Array(0);
  private rowFlat = new Uint8Array(0);
  private rowEdge = new Float32Array(0);
  private colMin = new Float32Array(0);
  private colMax = new Float32Array(0);
  private colEdge = new Float32Array(0);
  // Sums for periodic.ts's axis profiles (mean and spread per row and column), as axisProfiles keeps them.
  private rowSum = new Float64Array(0);
  private rowSq = new Float64Array(0);
  private colSum = new Float64Array(0);
  private colSq = new Float64Array(0);
  private prev = new Float32Array(0);
  private small = new Float32Array(0);
  private sw = 0;
  private acc = new Float64Array(0);
  private rows = 0;

  constructor(private readonly budget = SMALL_PIXELS) {}

  start(width: number, height: number): void {
    this.w = width;
    this.h = height;
    // Strip j covers columns [xStarts[j], xStarts[j + 1]) — the same split as layout.ts's stripOf.
    this.xStarts = new Int32Array(STRIPS + 1);
    for (let j = 0; j <= STRIPS; j++) this.xStarts[j] = j === STRIPS ? width : firstOfStrip(j, width);
    this.yStrip = new Uint8Array(height);
    for (let y = 0; y < height; y++) this.yStrip[y] = Math.min(STRIPS - 1, Math.floor((y * STRIPS) / height));
    this.rowFlat = new Uint8Array(STRIPS * height);
    this.rowEdge = new Float32Array(height);
    this.colMin = new Float32Array(STRIPS * width).fill(Infinity);
    this.colMax = new Float32Array(STRIPS * width).fill(-Infinity);
    this.colEdge = new Float32Array(width);
    this.rowSum = new Float64Array(height);
    this.rowSq = new Float64Array(height);
    this.colSum = new Float64Array(width);
    this.colSq = new Float64Array(width);
    this.prev = new Float32Array(width);
    this.f = scaleFor(width, height, this.budget);
    this.sw = Math.ceil(width / this.f);
    this.small = new Float32Array(this.sw * Math.ceil(height / this.f));
    this.acc = new Float64Array(this.sw);
    this.rows = 0;
  }

  row(y: number, gray: Float32Array): void {
    const { w, h, colMin, colMax, colEdge, colSum, colSq, prev } = this;
    const colBase = this.yStrip[y]! * w;
    const first = y === 0;
    let jump = 0;
    let sum = 0;
    let sq = 0;
    // Same operations, in the same order, as imageProfile; the branches on y and x are hoisted.
    let left = gray[0]!;
    for (let j = 0; j < STRIPS; j++) {
      const from = this.xStarts[j]!;
      const to = this.xStarts[j + 1]!;
      let min = Infinity;
      let max = -Infinity;
      for (let x = from; x < to; x++) {
        const v = gray[x]!;
        if (v < min) min = v;
        if (v > max) max = v;
        const c = colBase + x;
        if (v < colMin[c]!) colMin[c] = v;
        if (v > colMax[c]!) colMax[c] = v;
        sum += v;
        sq += v * v;
        colSum[x] += v;
        colSq[x] += v * v;
        if (!first) jump += Math.abs(v - prev[x]!);
        if (x > 0) colEdge[x] += Math.abs(v - left);
        left = v;
      }
      // Float32 like imageProfile's per-strip min/max; an empty strip counts as flat.
      this.rowFlat[j * h + y] = Math.fround(max) - Math.fround(min) <= FLAT_RANGE || from === to ? 1 : 0;
    }
    this.rowEdge[y] = jump / w;
    this.rowSum[y] = sum;
    this.rowSq[y] = sq;
    prev.set(gray.subarray(0, w));
    this.downscaleRow(y, gray);
    this.rows++;
  }

  finish(): SampleDigest {
    if (this.rows !== this.h) throw new Error(`image ended after ${this.rows} of ${this.h} rows`);
    const { w, h } = this;
    const colFlat = new Uint8Array(STRIPS * w);
    for (let i = 0; i < colFlat.length; i++) colFlat[i] = this.colMax[i]! - this.colMin[i]! <= FLAT_RANGE ? 1 : 0;
    for (let x = 0; x < w; x++) this.colEdge[x] = this.colEdge[x]! / h;
    // The axis profiles' edge rows are the same sums as rowEdge/colEdge (see periodic.ts's axisProfiles).
    const rowAxis: AxisProfiles = { ...meanAndSpread(this.rowSum, this.rowSq, w), edge: this.rowEdge };
    const colAxis: AxisProfiles = { ...meanAndSpread(this.colSum, this.colSq, h), edge: this.colEdge };
    const profile: ImageProfile = { width: w, height: h, rowFlat: this.rowFlat, colFlat, rowEdge: this.rowEdge, colEdge: this.colEdge, rowAxis, colAxis };
    const small: GrayImage = { width: this.sw, height: Math.ceil(h / this.f), gray: this.small };
    return { profile, small, scale: this.f };
  }

  private downscaleRow(y: number, gray: Float32Array): void {
    const { f, sw, acc, w } = this;
    if (f === 1) {
      this.small.set(gray.subarray(0, w), y * w);
      return;
    }
    for (let sx = 0, x = 0; sx < sw; sx++) {
      let sum = 0;
      const end = Math.min(w, x + f);
      for (; x < end; x++) sum += gray[x]!;
      acc[sx] = acc[sx]! + sum;
    }
    const last = y === this.h - 1;
    if ((y + 1) % f !== 0 && !last) return;
    const sy = Math.floor(y / f);
    const rowsIn = y - sy * f + 1;
    const base = sy * sw;
    for (let sx = 0; sx < sw; sx++) {
      const colsIn = Math.min(w, (sx + 1) * f) - sx * f;
      this.small[base + sx] = acc[sx]! / (colsIn * rowsIn);
      acc[sx] = 0;
    }
  }
}

/** First column of strip j under stripOf's rule (column i is in strip min(S-1, floor(i·S/len))). */
function firstOfStrip(j: number, length: number): number {
  let x = Math.ceil((j * length) / STRIPS);
  while (x > 0 && Math.floor(((x - 1) * STRIPS) / length) >= j) x--;
  while (x < length && Math.floor((x * STRIPS) / length) < j) x++;
  return Math.min(x, length);
}
