// Where a sample image's bytes are: a file of its own, or a range of another file (a notebook's
// base64 output, a TensorBoard event's encoded image). The one owner of that question: scoring,
// previews, the inspector and the HTML report all read images through here, so an embedded image
// is decoded by the same decoders, in the same way, as the same picture saved as a file.
import { open, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { t } from '../l10n';
import type { ImageInFile, Run } from '../model';
import { imageFormat } from './imageFormat';
import type { ByteReader } from './rowConsumer';

/** Plain data (it crosses to worker threads): a file, or a range of a file. */
export interface ImageSource {
  /** Absolute path of the image file, or of the file holding the image. */
  file: string;
  embedded?: Pick<ImageInFile, 'offset' | 'length' | 'encoding' | 'format'>;
}

/** What the row decoders read from: a FileHandle, or bytes held in memory, or a window of a file. */
export interface ByteSource extends ByteReader {
  /** Bytes of the image. */
  readonly size: number;
  close(): Promise<void>;
}

/** The folder a run's relative paths start from (a notebook run's root is the notebook itself). */
export function runFolder(run: Pick<Run, 'root' | 'folder'>): string {
  return run.folder ?? run.root;
}

/** Where the bytes of a sample or reference of a run (its folder given) are. */
export function imageSourceOf(folder: string, image: { path: string; embedded?: ImageInFile }): ImageSource {
  const e = image.embedded;
  if (!e) return { file: path.join(folder, ...image.path.split('/')) };
  return { file: path.join(folder, ...e.file.split('/')), embedded: { offset: e.offset, length: e.length, encoding: e.encoding, format: e.format } };
}

/** One key per image (a cache's, a queue's): the file, or the file and the range. */
export function sourceKey(src: ImageSource): string {
  return src.embedded ? `${src.file}#${src.embedded.offset}+${src.embedded.length}` : src.file;
}

/** A short file name for an image from its source (the saved file's, or the container's with the range). */
export function sourceName(src: ImageSource): string {
  return path.basename(sourceKey(src));
}

/**
 * Opens the image's bytes. A file is read where it is; a raw embedded image is a window of its
 * container (never copied whole); a base64 one is decoded into memory (notebook outputs are small).
 * Throws one line naming `name` when the container no longer holds an image there (it was rewritten).
 */
export async function openImage(src: ImageSource, name: string, maxBytes: number): Promise<ByteSource & { mtimeMs: number; fileSize: number }> {
  const handle = await open(src.file, 'r');
  try {
    const st = await handle.stat();
    const e = src.embedded;
    if (!e) {
      if (st.size > maxBytes) throw tooLarge(name, st.size, maxBytes);
      return { size: st.size, mtimeMs: st.mtimeMs, fileSize: st.size, read: (b, o, l, p) => handle.read(b, o, l, p), close: () => handle.close() };
    }
    if (e.offset + e.length > st.size) throw changed(name, src.file);
    if (e.encoding === 'raw') {
      if (e.length > maxBytes) throw tooLarge(name, e.length, maxBytes);
      const head = new Uint8Array(Math.min(16, e.length));
      await handle.read(head, 0, head.length, e.offset);
      if (imageFormat(head) !== e.format) throw changed(name, src.file);
      const window: ByteSource = {
        size: e.length,
        read: (b, o, l, p) => (p >= e.length ? Promise.resolve({ bytesRead: 0 }) : handle.read(b, o, Math.min(l, e.length - p), e.offset + p)),
        close: () => handle.close(),
      };
      return { ...window, mtimeMs: st.mtimeMs, fileSize: st.size };
    }
    // Base64 is a third longer than the image: past the limit the image is too.
    if (e.length * 0.75 > maxBytes) throw tooLarge(name, Math.round(e.length * 0.75), maxBytes);
    const bytes = await decodeBase64Range(handle, e.offset, e.length, name, src.file);
    await handle.close();
    if (imageFormat(bytes) !== e.format) throw changed(name, src.file);
    return { ...memorySource(bytes), mtimeMs: st.mtimeMs, fileSize: st.size };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err;
  }
}

/** The image's bytes, whole (the HTML report embeds them; the inspector extracts them to a file). */
export async function readImageBytes(src: ImageSource, name: string, maxBytes = 512 * 1024 * 1024): Promise<Uint8Array> {
  const source = await openImage(src, name, maxBytes);
  try {
    return await readAll(source);
  } finally {
    await source.close();
  }
}

/** Every byte of a source. */
export async function readAll(source: ByteSource): Promise<Uint8Array> {
  const bytes = new Uint8Array(source.size);
  let got = 0;
  while (got < bytes.length) {
    const { bytesRead } = await source.read(bytes, got, bytes.length - got, got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === bytes.length ? bytes : bytes.subarray(0, got);
}

/** Bytes in memory as a ByteSource. */
export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (buffer, offset, length, position) => {
      const n = Math.max(0, Math.min(length, bytes.length - position));
      if (n > 0) buffer.set(bytes.subarray(position, position + n), offset);
      return Promise.resolve({ bytesRead: n });
    },
    close: () => Promise.resolve(),
  };
}

async function decodeBase64Range(handle: FileHandle, offset: number, length: number, name: string, file: string): Promise<Uint8Array> {
  const raw = new Uint8Array(length);
  const { bytesRead } = await handle.read(raw, 0, length, offset);
  const bytes = decodeBase64Json(raw.subarray(0, bytesRead));
  if (!bytes) throw changed(name, file);
  return bytes;
}

/**
 * The bytes of a JSON string of base64, or of a JSON list of such strings (nbformat splits long
 * data into lines); null when `json` is neither.
 */
export function decodeBase64Json(json: Uint8Array): Uint8Array | null {
  let value: unknown;
  try {
    // Base64 and JSON's escapes are ASCII: latin1 maps the bytes one to one, without a UTF-8 pass.
    value = JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('latin1'));
  } catch {
    return null;
  }
  const text = typeof value === 'string' ? value : Array.isArray(value) && value.every((v) => typeof v === 'string') ? value.join('') : null;
  if (text === null) return null;
  const bytes = Buffer.from(text, 'base64');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function changed(name: string, file: string): Error {
  return new Error(t('{0}: {1} changed since it was read (the image is no longer where it was)', name, path.basename(file)));
}

function tooLarge(name: string, size: number, maxBytes: number): Error {
  return new Error(t('{0}: file is {1} MB, over the {2} MB limit', name, (size / 2 ** 20).toFixed(0), (maxBytes / 2 ** 20).toFixed(0)));
}
