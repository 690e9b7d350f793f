// What discovery needs to know of a notebook without reading it as a run: whether its outputs hold
// training loss lines (a notebook without them is not a run, so a folder of tutorials is not a
// list of runs), and which image files its code writes (`generated_samples/epoch_{epoch}.png`),
// so samples saved beside it belong to it.
import { open } from 'node:fs/promises';
import { looksLikePrintedLog } from '../formats/printed';
import { readNotebookCells } from './cells';
import { clean } from './read';

export function isNotebookFile(name: string): boolean {
  return /\.ipynb$/i.test(name);
}

export interface NotebookFacts {
  /** Its cells' outputs print training losses. */
  isRun: boolean;
  /** The image paths its code writes, as patterns over paths relative to the notebook's folder. */
  writes: RegExp[];
}

/** Notebooks larger than this are not opened during discovery (inspecting one by hand still reads it). */
const MAX_DISCOVERY_BYTES = 256 * 1024 * 1024;

/** The facts of a notebook file; null when it cannot be read or is not a notebook. */
export async function notebookFacts(abs: string, maxBytes = MAX_DISCOVERY_BYTES): Promise<NotebookFacts | null> {
  let handle;
  try {
    handle = await open(abs, 'r');
    const { size } = await handle.stat();
    if (size > maxBytes) return null;
    const bytes = new Uint8Array(size);
    let got = 0;
    while (got < size) {
      const { bytesRead } = await handle.read(bytes, got, size - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return factsOf(bytes.subarray(0, got));
  } catch {
    return null;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** The facts of a notebook's bytes; null when they are not a notebook. */
export function factsOf(bytes: Uint8Array): NotebookFacts | null {
  let notebook;
  try {
    notebook = readNotebookCells(bytes);
  } catch {
    return null;
  }
  const isRun = notebook.cells.some((cell) => {
    const printed = cell.outputs.map((o) => (o.kind === 'stream' ? o.text : o.kind === 'display' && o.result ? (o.plain ?? '') : '')).join('\n');
    return printed.length > 0 && looksLikePrintedLog(clean(printed));
  });
  return { isRun, writes: writtenImages(notebook.sources) };
}

/**
 * Patterns for the image paths the code writes: string literals ending in an image extension with
 * a field in them (`f'samples/epoch_{epoch}.png'`, `'images/%d.png' % step`, `'out/{}.jpg'.format(i)`),
 * so a file per step. An absolute path (`/content/drive/…/images/{e}.png`) is matched by its end.
 */
export function writtenImages(sources: string[]): RegExp[] {
  const out: RegExp[] = [];
  const seen = new Set<string>();
  for (const source of sources) {
    for (const m of source.matchAll(/(['"])((?:(?!\1)[^\\\n]|\\.)*?\.(?:png|jpe?g|gif))\1/gi)) {
      const literal = m[2]!.replace(/\\\\/g, '/');
      const field = /\{[^}]*\}|%[-0-9.]*[dsifg]/g;
      if (!field.test(literal)) continue;
      let written = literal.replace(/^\.\//, '');
      let anchored = true;
      if (/^(\/|~|[a-z]:)/i.test(written)) {
        // An absolute path on the machine that trained: where its last folder is here is not known.
        written = written.split('/').slice(-2).join('/');
        anchored = false;
      }
      const pattern = written
        .split(/(\{[^}]*\}|%[-0-9.]*[dsifg])/i)
        .map((part, i) => (i % 2 ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\*]/g, '\\$&')))
        .join('');
      const source = `^${anchored ? '' : '(?:.*/)?'}${pattern}$`;
      if (seen.has(source)) continue;
      seen.add(source);
      out.push(new RegExp(source, 'i'));
    }
  }
  return out;
}
