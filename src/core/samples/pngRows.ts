// A PNG read as rows of luma while its data inflates (node:zlib's streaming inflate does the
// decompression): a 7680×4096 snapshot grid passes through a few rows of memory instead of a 125 MB
// RGBA frame. Samples become 8-bit the way pngjs makes them (16-bit and 1/2/4-bit rescaled, palette
// and tRNS expanded), and luma is the formula of decoding.ts, so a small image scores exactly as it
// did through pngjs. Only Adam7-interlaced images keep a whole plane of luma, since their rows arrive
// in seven passes (pngScanlines.ts).
import * as zlib from 'node:zlib';
import type { ByteReader } from './rowConsumer';
import { ChunkReader, parseHeader, type Header } from './pngChunks';
import { RowMaker } from './pngScanlines';
import type { RowConsumer } from './rowConsumer';

export type { RowConsumer } from './rowConsumer';

export interface PngRowOptions {
  /** Throws to refuse an image by its declared size, before any pixel memory is allocated. */
  accept?: (width: number, height: number) => void;
  /** Bytes of the file read per call (default 1 MiB). */
  readSize?: number;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Inflated bytes waiting to become rows before zlib is paused. */
const MAX_QUEUED = 4 * 1024 * 1024;
// Node ≥ 20.15 has a native CRC-32; without it the checksums are not verified.
const crc32 = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/**
 * Reads the PNG in `file` and feeds its rows to `consumer`. Throws (a one-line reason, without the
 * file name) on a damaged, truncated or refused image; never reads past the IEND chunk.
 */
export async function readPngRows(file: ByteReader, consumer: RowConsumer, opts: PngRowOptions = {}): Promise<void> {
  const reader = new ChunkReader(file, opts.readSize ?? 1 << 20);
  const signature = await reader.take(8);
  if (!SIGNATURE.every((b, i) => signature[i] === b)) throw new Error('not a PNG signature');
  let header: Header | undefined;
  let palette: Uint8Array | undefined;
  let transparent: Uint8Array | undefined;
  let rows: RowMaker | undefined;
  let inflate: zlib.Inflate | undefined;
  let inflated: Promise<void> | undefined;
  let failure: Error | undefined;
  const queue: Buffer[] = [];
  let queued = 0;
  let scheduled = false;
  let drain = () => undefined as void;
  for (;;) {
    const head = await reader.take(8);
    const length = head.readUInt32BE(0);
    const type = head.toString('latin1', 4, 8);
    if (length > 0x7fffffff) throw new Error(`chunk ${JSON.stringify(type)} has an impossible length`);
    let crc = crc32 ? crc32(head.subarray(4, 8)) : 0;
    if (type === 'IDAT') {
      if (!header) throw new Error('image data before the header');
      if (!inflate) {
        rows = new RowMaker(header, palette, transparent, consumer);
        const maker = rows;
        inflate = zlib.createInflate({ chunkSize: 256 * 1024 });
        const stream = inflate;
        // Rows are made in the next turn, not in the 'data' event: zlib starts inflating the next
        // piece on libuv's pool as soon as the event returns, so inflating and unfiltering overlap.
        drain = () => {
          scheduled = false;
          while (queue.length && !failure) {
            const data = queue.shift()!;
            queued -= data.length;
            try {
              maker.push(data);
            } catch (err) {
              failure = err as Error;
              stream.destroy();
            }
          }
          queue.length = 0;
          if (stream.isPaused() && !stream.destroyed) stream.resume();
        };
        stream.on('data', (data: Buffer) => {
          if (failure) return;
          queue.push(data);
          queued += data.length;
          // Bounded: past a few MB of inflated rows waiting, zlib waits for them.
          if (queued > MAX_QUEUED) stream.pause();
          if (!scheduled) {
            scheduled = true;
            setImmediate(drain);
          }
        });
        inflated = new Promise<void>((resolve, reject) => {
          stream.on('end', resolve);
          stream.on('close', () => (failure ? reject(failure) : resolve()));
          stream.on('error', (err) => reject(failure ?? new Error(`image data is damaged (${err.message})`)));
        });
        // Keeps an early rejection from being reported as unhandled before it is awaited.
        inflated.catch(() => undefined);
      }
      for await (const piece of reader.pieces(length)) {
        if (crc32) crc = crc32(piece, crc);
        if (failure) break;
        // The piece lives in the reader's buffer: wait until zlib has taken it before it is reused.
        const stream = inflate;
        if (stream.writableEnded || stream.destroyed) continue;
        // zlib may end or fail without calling back a write: whichever comes first.
        await Promise.race([
          new Promise<void>((resolve, reject) => {
            stream.write(piece, (err) => (err ? reject(failure ?? new Error(`image data is damaged (${err.message})`)) : resolve()));
          }),
          inflated!,
        ]);
      }
    } else {
      const body = length <= 1 << 20 || isCritical(type) ? await reader.take(length) : undefined;
      if (!body) {
        // A large text or metadata chunk is streamed past, not held.
        for await (const piece of reader.pieces(length)) if (crc32) crc = crc32(piece, crc);
      } else {
        if (crc32) crc = crc32(body, crc);
        if (type === 'IHDR') {
          header = parseHeader(body);
          opts.accept?.(header.width, header.height);
        } else if (type === 'PLTE') {
          palette = body;
        } else if (type === 'tRNS') {
          transparent = body;
        }
      }
    }
    const stored = (await reader.take(4)).readUInt32BE(0);
    if (crc32 && stored !== crc >>> 0) throw new Error(`chunk ${JSON.stringify(type)} is damaged (CRC mismatch)`);
    if (failure) break;
    if (type === 'IEND') break;
  }
  if (!header) throw new Error('no image header');
  if (!inflate || !inflated || !rows) throw new Error('no image data');
  if (!inflate.writableEnded && !inflate.destroyed) inflate.end();
  await inflated;
  drain();
  if (failure) throw failure;
  rows.finish();
}

function isCritical(type: string): boolean {
  return type === 'IHDR' || type === 'PLTE' || type === 'tRNS' || type === 'IEND';
}
