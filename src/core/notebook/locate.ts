// What discovery needs to know of a notebook without reading it as a run (notebook.format.ts's
// sniff, both answers from one look): whether its outputs hold training loss lines (a notebook without them is
// not a run, so a folder of tutorials is not a list of runs), and which image files its code
// writes (`generated_samples/epoch_{epoch}.png`), so samples saved beside it belong to it.
import { looksLikePrintedLog } from '../formats/printedSniff';
import { readNotebookCells } from './cells';
import { clean } from './read';

export interface NotebookFacts {
  /** Its cells' outputs print training losses. */
  isRun: boolean;
  /** The image paths its code writes, as patterns over paths relative to the notebook's folder. */
  writes: RegExp[];
}

/** The facts of a notebook's bytes; null when they are not a notebook (or not all of one). */
export function notebookFacts(bytes: Uint8Array): NotebookFacts | null {
  let notebook;
  try {
    notebook = readNotebookCells(bytes);
  } catch {
    return null;
  }
  const isRun = notebook.cells.some((cell) => {
    const printed = cell.outputs
      .map((o) => (o.kind === 'stream' ? o.text : o.kind === 'display' ? (o.table ?? (o.log ? (o.plain ?? '') : '')) : ''))
      .join('\n');
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
