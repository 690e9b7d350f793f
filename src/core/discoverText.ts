// The files discovery can only judge by looking inside: names a format may have, whose first bytes
// tell (a printed training log among text files, a Chainer log among JSON files).
import { open } from 'node:fs/promises';
import { FORMATS, type FileFormat, type FormatRegistry } from './formats';

/** The format of the file at `abs` by its name and first bytes (as much as its formats sniff); null when none. */
export async function formatByContent(abs: string, fileName: string, formats: FormatRegistry = FORMATS): Promise<FileFormat | null> {
  let handle;
  try {
    handle = await open(abs, 'r');
    const buffer = new Uint8Array(formats.headBytesFor(fileName));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return formats.selectFormat(fileName, buffer.subarray(0, bytesRead));
  } catch {
    return null;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
