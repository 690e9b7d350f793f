// Notebooks for the tests, written as Jupyter writes them: python3 builds the nbformat dict (source
// and stream text as lists of lines, images as base64 strings) and dumps it the way nbformat's
// writer does (`json.dump(nb, f, sort_keys=True, indent=1, ensure_ascii=False)` plus a newline).
// Images, the training data's wild runs folder and a notebook read as a run for the notebook tests live here too.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { discoverRuns } from '../../src/core/discover';
import type { Run } from '../../src/core/model';
import { loadRun } from '../../src/core/run';
import { writePng } from '../../scripts/png-writer';
import { noiseGrid } from './sampleGrids';

export { WILD_RUNS } from './realRuns';
export const hasPython = (() => {
  try {
    execFileSync('python3', ['-c', 'import json, base64'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export type OutputSpec =
  | { stream: 'stdout' | 'stderr'; text: string }
  /** An image output (display_data, or execute_result with `result` as its count); `lines`: base64 split into a list of lines (older writers). */
  | { png?: Uint8Array; jpeg?: Uint8Array; plain?: string; result?: number; lines?: boolean; html?: string }
  | { error: string };

export interface CellSpec {
  /** Execution count; null or absent: never shown as run (Colab saves none). */
  count?: number | null;
  source: string;
  outputs?: OutputSpec[];
  markdown?: boolean;
}

/** The run a notebook file is, as discovery finds it and loading reads it. */
export async function notebookRun(file: string): Promise<Run> {
  const [loc] = await discoverRuns(file);
  assert.ok(loc, `${path.basename(file)} is a run`);
  return loadRun(loc);
}

/** Writes `cells` as an nbformat 4 notebook (or 3, with worksheets) at `file`. */
export function writeNotebook(file: string, cells: CellSpec[], nbformat: 3 | 4 = 4): void {
  const spec = cells.map((c) => ({
    ...c,
    outputs: (c.outputs ?? []).map((o) =>
      'png' in o || 'jpeg' in o ? { ...o, png: o.png && Buffer.from(o.png).toString('base64'), jpeg: o.jpeg && Buffer.from(o.jpeg).toString('base64') } : o,
    ),
  }));
  execFileSync('python3', ['-c', WRITER, file, String(nbformat)], { input: JSON.stringify(spec) });
  if (!existsSync(file)) throw new Error(`${file} was not written`);
}

const WRITER = `
import json, sys
path, version = sys.argv[1], int(sys.argv[2])
spec = json.load(sys.stdin)
def lines(text):
    return text.splitlines(True)
def b64(data, split):
    # nbformat 4 writes one string; older writers split base64 into 76-character lines.
    return [data[i:i + 76] + '\\n' for i in range(0, len(data), 76)] if split else data + '\\n'
def output(o):
    if 'stream' in o:
        return {'output_type': 'stream', 'name': o['stream'], 'text': lines(o['text'])} if version == 4 else {'output_type': 'stream', 'stream': o['stream'], 'text': lines(o['text'])}
    if 'error' in o:
        return {'output_type': 'error', 'ename': 'Error', 'evalue': o['error'], 'traceback': []}
    data = {'text/plain': lines(o.get('plain') or '<Figure size 640x480 with 1 Axes>')}
    if o.get('html'):
        data['text/html'] = lines(o['html'])
    if o.get('png'):
        data['image/png'] = b64(o['png'], o.get('lines'))
    if o.get('jpeg'):
        data['image/jpeg'] = b64(o['jpeg'], o.get('lines'))
    if version == 3:
        out = {'output_type': 'pyout' if o.get('result') else 'display_data', 'text': data['text/plain'], 'metadata': {}}
        if 'image/png' in data: out['png'] = data['image/png']
        if 'image/jpeg' in data: out['jpeg'] = data['image/jpeg']
        if o.get('result'): out['prompt_number'] = o['result']
        return out
    if o.get('result'):
        return {'output_type': 'execute_result', 'execution_count': o['result'], 'data': data, 'metadata': {}}
    return {'output_type': 'display_data', 'data': data, 'metadata': {}}
cells = []
for c in spec:
    if c.get('markdown'):
        cells.append({'cell_type': 'markdown', 'metadata': {}, 'source': lines(c['source'])})
        continue
    cell = {'cell_type': 'code', 'metadata': {}, 'outputs': [output(o) for o in c['outputs']]}
    if version == 4:
        cell['execution_count'] = c.get('count')
        cell['source'] = lines(c['source'])
    else:
        cell['input'] = lines(c['source'])
        cell['language'] = 'python'
        cell['collapsed'] = False
        if c.get('count') is not None: cell['prompt_number'] = c['count']
    cells.append(cell)
meta = {'kernelspec': {'display_name': 'Python 3', 'language': 'python', 'name': 'python3'}}
nb = {'cells': cells, 'metadata': meta, 'nbformat': 4, 'nbformat_minor': 5} if version == 4 else {'worksheets': [{'cells': cells, 'metadata': {}}], 'metadata': meta, 'nbformat': 3, 'nbformat_minor': 0}
with open(path, 'w', encoding='utf-8') as f:
    json.dump(nb, f, sort_keys=True, indent=1, ensure_ascii=False)
    f.write('\\n')
`;

/** A 5×5 make_grid of varied RGB tiles (24 px, 2 px padding): a generator's samples. */
export function gridPng(seed: number, alike = 0): Uint8Array {
  return writePng({ ...noiseGrid(5, 5, 24, 2, seed, alike), colorType: 2, depth: 8 });
}

/**
 * A loss chart as matplotlib draws one: white, a black axes box, and two curves in matplotlib's
 * first two colours (#1f77b4, #ff7f0e), two pixels thick.
 */
export function chartPng(width = 600, height = 330): Uint8Array {
  const box = { x0: 50, y0: 20, x1: width - 20, y1: height - 40 };
  const curve = (x: number, k: number) => box.y0 + (box.y1 - box.y0) * (0.5 + 0.35 * Math.sin(x / (25 + 10 * k) + k) * Math.exp(-x / width));
  return writePng({
    width,
    height,
    colorType: 2,
    depth: 8,
    pixel: (x, y) => {
      const onBox = x >= box.x0 && x <= box.x1 && y >= box.y0 && y <= box.y1 && (x === box.x0 || x === box.x1 || y === box.y0 || y === box.y1);
      if (onBox) return [0, 0, 0];
      if (x > box.x0 && x < box.x1) {
        if (Math.abs(y - curve(x, 0)) < 1.5) return [31, 119, 180];
        if (Math.abs(y - curve(x, 1)) < 1.5) return [255, 127, 14];
      }
      return [255, 255, 255];
    },
  });
}

/** Grey digits-like blobs on white in a 4×4 grid (matplotlib's `gray_r`): as empty as a chart, but grey and tiled. */
export function greyGridPng(): Uint8Array {
  const tile = 40;
  const gap = 8;
  const side = 4 * tile + 5 * gap;
  return writePng({
    width: side,
    height: side,
    colorType: 0,
    depth: 8,
    pixel: (x, y) => {
      const cx = (x - gap) % (tile + gap);
      const cy = (y - gap) % (tile + gap);
      const r = Math.floor((y - gap) / (tile + gap));
      const c = Math.floor((x - gap) / (tile + gap));
      if (x < gap || y < gap || cx >= tile || cy >= tile || r > 3 || c > 3) return [255];
      const d = Math.hypot(cx - tile / 2, cy - tile / 2);
      const ring = Math.abs(d - (8 + ((r * 4 + c) % 5) * 2)) < 2.5;
      return [ring ? 40 : 255];
    },
  });
}
