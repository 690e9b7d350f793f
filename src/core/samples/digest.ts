// One sample image → what scoring needs from it, built row by row as the image decodes: the layout
// profile at full resolution (flat and edge rows/columns, O(width + height)) and a gray image box-
// downscaled to at most SMALL_PIXELS. Images already that small are kept as they are, so they score
// exactly as the whole-frame decoder scored them; larger ones never exist whole in memory.
import * as jpeg from 'jpeg-js';
import { t } from '../l10n';
import { decodeImage, imageFormat, lumaOf, MAX_IMAGE_PIXELS, refuseOversized, type GrayImage } from './decoding';
import { FLAT_RANGE, STRIPS, type ImageProfile } from './layout';
import { meanAndSpread, type AxisProfiles } from './periodic';
import { ProfileKernel } from './digestKernel';
import { readJpegRows } from './jpegRows';
import { readPngRows } from './pngRows';
import type { RowConsumer } from './rowConsumer';
import { PreviewBuilder, previewPath, savePreview, wantsPreview } from './preview';
import { openImage, readAll, type ImageSource } from './imageSource';

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
 * Reads and digests one sample image (a file, or an image embedded in another file); throws one
 * line naming `name` and the reason. With `previewDir`, a large image file's preview is made in the
 * same pass and saved there (see preview.ts).
 */
export async function digestSampleFile(file: string | ImageSource, name: string, maxBytes = MAX_SAMPLE_BYTES, previewDir?: string): Promise<SampleDigest> {
  const src = typeof file === 'string' ? { file } : file;
  // An embedded image's preview is made from the file the inspector extracts it to, not here.
  const preview = previewDir !== undefined && !src.embedded;
  const read = await readSample(src, name, { maxBytes, preview });
  if (read.preview && preview) {
    // A preview that cannot be saved only means the webview shows the original.
    await savePreview(previewPath(previewDir, src.file, read.mtimeMs, read.size), read.preview).catch(() => undefined);
  }
  return read.digest;
}

export interface SampleRead {
  digest: SampleDigest;
  /** The preview's PNG bytes, when one was asked for and the image is large enough to need one. */
  preview: Uint8Array | undefined;
  /** The version of the file that was read (of the file holding it, for an embedded image). */
  mtimeMs: number;
  size: number;
}

/** One pass over a sample image: its digest and, with `opts.preview`, a large image's preview. */
export async function readSample(file: string | ImageSource, name: string, opts: { maxBytes?: number; preview?: boolean } = {}): Promise<SampleRead> {
  const source = await openImage(typeof file === 'string' ? { file } : file, name, opts.maxBytes ?? MAX_SAMPLE_BYTES);
  try {
    const { size } = source;
    const head = new Uint8Array(16);
    const { bytesRead } = await source.read(head, 0, Math.min(16, size), 0);
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
      if (!opts.preview || !wantsPreview(w, h)) return;
      const made = (preview = new PreviewBuilder());
      rows.colorRow = (y, rgba) => made.colorRow(y, rgba);
      rows.colorPass = (y, x0, dx, rgba, count) => made.colorPass(y, x0, dx, rgba, count);
    };
    // PNG and baseline JPEG stream row by row; the rest (GIF, progressive JPEG...) is decoded whole.
    let streamed = false;
    if (format === 'png' || format === 'jpeg') {
      try {
        if (format === 'png') streamed = (await readPngRows(source, rows, { accept }), true);
        else streamed = (await readJpegRows(source, rows, { accept, limit: size })) === 'streamed';
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
      digest = digestBytes(await readAll(source), name, preview);
    }
    return { digest, preview: preview?.complete ? preview.png() : undefined, mtimeMs: source.mtimeMs, size: source.fileSize };
  } finally {
    await source.close();
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
      const rgba = new Uint8Array(preview ? width * 4 : 0).fill(255);
      preview?.start(width, height);
      for (let y = 0; y < height; y++) {
        for (let x = 0, j = y * width * 3; x < width; x++, j += 3) row[x] = lumaOf(data[j]!, data[j + 1]!, data[j + 2]!, 255);
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

/** The smallest whole factor that brings a width×height image to at most SMALL_PIXELS. */
export function scaleFor(width: number, height: number, budget = SMALL_PIXELS): number {
  let f = 1;
  while (Math.ceil(width / f) * Math.ceil(height / f) > budget) f++;
  return f;
}

/**
 * Rows in, digest out: the same profile as layout.ts's imageProfile, plus the downscaled image.
 * The per-pixel work runs in WebAssembly (digestKernel.ts), bit for bit the arithmetic imageProfile
 * and a box filter do in JavaScript; this class lays out the image and assembles the result.
 */
export class DigestBuilder implements RowConsumer {
  private w = 0;
  private h = 0;
  private f = 1;
  private kernel: ProfileKernel | undefined;
  private rows = 0;

  constructor(private readonly budget = SMALL_PIXELS) {}

  start(width: number, height: number): void {
    this.w = width;
    this.h = height;
    // Strip j covers columns [xStarts[j], xStarts[j + 1]) — the same split as layout.ts's stripOf.
    const xStarts = new Int32Array(STRIPS + 1);
    for (let j = 0; j <= STRIPS; j++) xStarts[j] = j === STRIPS ? width : firstOfStrip(j, width);
    const yStrip = new Uint8Array(height);
    for (let y = 0; y < height; y++) yStrip[y] = Math.min(STRIPS - 1, Math.floor((y * STRIPS) / height));
    this.f = scaleFor(width, height, this.budget);
    this.kernel = new ProfileKernel(width, height, STRIPS, xStarts, yStrip, this.f, Math.ceil(width / this.f), Math.ceil(height / this.f));
    this.rows = 0;
  }

  row(y: number, gray: Float32Array): void {
    this.kernel!.row(y, gray);
    this.rows++;
  }

  finish(): SampleDigest {
    if (this.rows !== this.h) throw new Error(`image ended after ${this.rows} of ${this.h} rows`);
    const { w, h } = this;
    const a = this.kernel!.result();
    this.kernel = undefined;
    const colFlat = new Uint8Array(STRIPS * w);
    for (let i = 0; i < colFlat.length; i++) colFlat[i] = a.colMax[i]! - a.colMin[i]! <= FLAT_RANGE ? 1 : 0;
    for (let x = 0; x < w; x++) a.colEdge[x] = a.colEdge[x]! / h;
    // The axis profiles' edge rows are the same sums as rowEdge/colEdge (see periodic.ts's axisProfiles).
    const rowAxis: AxisProfiles = { ...meanAndSpread(a.rowSum, a.rowSq, w), edge: a.rowEdge };
    const colAxis: AxisProfiles = { ...meanAndSpread(a.colSum, a.colSq, h), edge: a.colEdge };
    const profile: ImageProfile = { width: w, height: h, rowFlat: a.rowFlat, colFlat, rowEdge: a.rowEdge, colEdge: a.colEdge, rowAxis, colAxis };
    const small: GrayImage = { width: Math.ceil(w / this.f), height: Math.ceil(h / this.f), gray: a.small };
    return { profile, small, scale: this.f };
  }
}

/** First column of strip j under stripOf's rule (column i is in strip min(S-1, floor(i·S/len))). */
function firstOfStrip(j: number, length: number): number {
  let x = Math.ceil((j * length) / STRIPS);
  while (x > 0 && Math.floor(((x - 1) * STRIPS) / length) >= j) x--;
  while (x < length && Math.floor((x * STRIPS) / length) < j) x++;
  return Math.min(x, length);
}
