// What a sample's preview needs before and without scoring it: the image's size from its header (a
// few KB read, so the inspector knows at once which grids are too large to send as they are), and
// a preview made in memory for the standalone report, through digest.ts's one pass.
import { open } from 'node:fs/promises';
import * as path from 'node:path';
import { declaredSize, imageFormat, type ImageFormat } from './decoding';
import { readSample } from './digest';
import { wantsPreview } from './preview';

export interface ImageSize {
  format: ImageFormat;
  width: number;
  height: number;
}

/** Bytes read first: a PNG's or GIF's size is in its first 24, a JPEG's start of frame usually near. */
const FIRST_BYTES = 4096;
/** Bytes read when a JPEG's start of frame comes later: EXIF and ICC segments can be 64 KB each. */
const HEADER_BYTES = 256 * 1024;

/** The image's format and size from its first bytes; null when it is not an image or the header is not there. */
export async function imageSizeOf(file: string): Promise<ImageSize | null> {
  const handle = await open(file, 'r').catch(() => null);
  if (!handle) return null;
  try {
    let size: ImageSize | null = null;
    for (const want of [FIRST_BYTES, HEADER_BYTES]) {
      const head = new Uint8Array(want);
      const { bytesRead } = await handle.read(head, 0, want, 0);
      const bytes = head.subarray(0, bytesRead);
      const format = imageFormat(bytes);
      const found = format && declaredSize(bytes, format);
      if (format && found && found.width > 0 && found.height > 0) size = { format, ...found };
      if (size || format !== 'jpeg' || bytesRead < want) break;
    }
    return size;
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}

/**
 * The preview (PNG bytes, longer side at most PREVIEW_SIDE) of a sample larger than PREVIEW_ABOVE,
 * made in memory in the one streaming pass that also digests it (PNG, interlaced or not, and JPEG
 * as digest.ts reads them); null when the image is small enough to show as it is, or when no
 * preview can be made of it (damaged, over the pixel limit).
 */
export async function previewOf(file: string): Promise<Buffer | null> {
  const size = await imageSizeOf(file);
  if (!size || !wantsPreview(size.width, size.height)) return null;
  try {
    const { preview } = await readSample(file, path.basename(file), { preview: true });
    return preview ? Buffer.from(preview.buffer, preview.byteOffset, preview.byteLength) : null;
  } catch {
    return null;
  }
}
