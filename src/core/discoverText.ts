// The files discovery can only judge by looking inside: names a format may have, whose first bytes
// tell (a printed training log among text files, a Chainer log among JSON files, a notebook that
// printed losses).
import { open } from 'node:fs/promises';
import { FORMATS, type FileFormat, type FormatRegistry, type RunSniff } from './formats';

/** The format of the file at `abs` by its name and first bytes (as much as its formats sniff); null when none. */
export async function formatByContent(abs: string, fileName: string, formats: FormatRegistry = FORMATS): Promise<FileFormat | null> {
  return (await sniffFile(abs, fileName, formats))?.format ?? null;
}

/**
 * The format of the file at `abs`, the first bytes that told it and, for a run file, the images
 * beside it that are its own (RunSniff); null when no format knows them (or the file cannot be read).
 */
export async function sniffFile(
  abs: string,
  fileName: string,
  formats: FormatRegistry = FORMATS,
): Promise<{ format: FileFormat; head: Uint8Array; owns: RunSniff['owns'] } | null> {
  let handle;
  try {
    handle = await open(abs, 'r');
    // No more than the file holds: a notebook's sniff looks at up to 256 MiB.
    const { size } = await handle.stat();
    const buffer = new Uint8Array(Math.min(size, formats.headBytesFor(fileName)));
    let got = 0;
    while (got < buffer.length) {
      const { bytesRead } = await handle.read(buffer, got, buffer.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    const head = buffer.subarray(0, got);
    const sniffed = formats.sniffed(fileName, head);
    return sniffed ? { ...sniffed, head } : null;
  } catch {
    return null;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
