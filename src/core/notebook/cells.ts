// A Jupyter notebook (nbformat 4, and 3's worksheets) as the code cells whose outputs survive, in
// the order they were executed. A saved notebook keeps only the last output of each cell, so
// "execution order" is the order of those last executions: the cells' execution counts. Cells
// without a count (Colab saves none; a cleared prompt; some tools write 0) stay where they are in
// the document, right after the counted cell before them; with no counts at all, document order.
import { isSpan, parseJson, type JsonValue, type Span } from './json';
import { progressTableLines } from './progressTable';

export type ImageFormat = 'png' | 'jpeg' | 'gif';

export interface NotebookImage {
  format: ImageFormat;
  /** Where its base64 (a JSON string, or a list of strings) is in the file. */
  span: Span;
}

export type Output =
  | { kind: 'stream'; name: string; text: string }
  /**
   * display_data / execute_result: its text and its image (the first of PNG, JPEG, GIF it offers).
   * `log`: a result whose text is all it shows (a returned string), not the plain-text stand-in of a
   * rich display (a pandas table shown as HTML: data read back, never a log the training printed).
   */
  | {
      kind: 'display';
      result: boolean;
      log: boolean;
      plain: string | null;
      image: NotebookImage | null;
      /** fastai's training table (fastprogress's HTML display) as printed lines; null for any other display. */
      table: string | null;
    }
  | { kind: 'error' };

export interface Cell {
  /** Position among all the notebook's cells (0-based, as stored). */
  index: number;
  /** The execution count shown as `[n]`; null when the notebook has none for it. */
  count: number | null;
  source: string;
  outputs: Output[];
}

export interface Notebook {
  /** Code cells with outputs, in execution order. */
  cells: Cell[];
  /** Every code cell's source, in document order (functions the cells call are defined there). */
  sources: string[];
}

// Image keys whose values are left in the file: nbformat 4's MIME types and nbformat 3's short names.
const IMAGE_KEYS: Record<string, ImageFormat> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/gif': 'gif', png: 'png', jpeg: 'jpeg' };

export class NotNotebook extends Error {}

/** Parses a notebook file's bytes. Throws NotNotebook (a short reason) when it is not one. */
export function readNotebookCells(bytes: Uint8Array): Notebook {
  let root: JsonValue;
  try {
    root = parseJson(bytes, (key) => key in IMAGE_KEYS);
  } catch (e) {
    throw new NotNotebook(`not valid JSON (${(e as Error).message})`);
  }
  const obj = asObject(root);
  const worksheets = Array.isArray(obj?.worksheets) ? obj.worksheets.map(asObject) : null;
  const rawCells = Array.isArray(obj?.cells) ? obj.cells : worksheets ? worksheets.flatMap((w) => (Array.isArray(w?.cells) ? w.cells : [])) : null;
  if (!rawCells) throw new NotNotebook('no "cells" list');
  const cells: Cell[] = [];
  const sources: string[] = [];
  rawCells.forEach((raw, index) => {
    const c = asObject(raw);
    if (!c || c.cell_type !== 'code') return;
    const source = text(c.source ?? c.input);
    sources.push(source);
    const outputs = (Array.isArray(c.outputs) ? c.outputs : []).map((o) => readOutput(o, bytes)).filter((o): o is Output => o !== null);
    if (!outputs.length) return;
    let count = positive(c.execution_count ?? c.prompt_number);
    // A cleared prompt whose result kept its count (`execute_result.execution_count`).
    if (count === null)
      for (const o of Array.isArray(c.outputs) ? c.outputs : []) count = positive(asObject(o)?.execution_count ?? asObject(o)?.prompt_number) ?? count;
    cells.push({ index, count, source, outputs });
  });
  return { cells: inExecutionOrder(cells), sources };
}

/** Sorted by execution count; an uncounted cell keeps its place after the counted cell before it. */
function inExecutionOrder(cells: Cell[]): Cell[] {
  let anchor = -Infinity;
  const keyed = cells.map((cell, i) => {
    if (cell.count !== null) anchor = cell.count;
    return { cell, key: anchor, i };
  });
  return keyed.sort((a, b) => a.key - b.key || a.i - b.i).map((k) => k.cell);
}

function readOutput(raw: JsonValue, bytes: Uint8Array): Output | null {
  const o = asObject(raw);
  if (!o) return null;
  const type = o.output_type;
  if (type === 'stream')
    return { kind: 'stream', name: typeof o.name === 'string' ? o.name : typeof o.stream === 'string' ? o.stream : 'stdout', text: text(o.text) };
  if (type === 'display_data' || type === 'execute_result' || type === 'pyout' || type === 'update_display_data') {
    // nbformat 4 keeps the MIME bundle under "data"; nbformat 3 puts it on the output itself.
    const data = asObject(o.data) ?? o;
    let image: NotebookImage | null = null;
    for (const [key, format] of Object.entries(IMAGE_KEYS)) {
      const v = data[key];
      // Base64 is a string or a list of strings: anything else under an image key is no image.
      if (!image && isSpan(v) && (bytes[v.start] === 0x22 || bytes[v.start] === 0x5b)) image = { format, span: v };
    }
    const plain = data['text/plain'] ?? (data === o ? o.text : undefined);
    const html = data['text/html'];
    const result = type === 'execute_result' || type === 'pyout';
    return {
      kind: 'display',
      result,
      log: result && html === undefined && data.html === undefined,
      plain: plain === undefined ? null : text(plain),
      image,
      table: html === undefined ? null : progressTableLines(text(html)),
    };
  }
  if (type === 'error' || type === 'pyerr') return { kind: 'error' };
  return null;
}

/** nbformat's multiline strings: a string, or a list of strings to join. */
function text(v: JsonValue | undefined): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : '')).join('');
  return '';
}

function positive(v: JsonValue | undefined): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null;
}

function asObject(v: JsonValue | undefined): { [key: string]: JsonValue } | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isSpan(v) ? v : null;
}
