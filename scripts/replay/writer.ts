// Writes a planned run into a folder up to a step, the way each writer does: np.save truncates and
// rewrites the whole `.npy` (header, then data); CSV, JSON lines, printed logs and TensorBoard
// events get their new lines or records appended; Chainer's LogReport writes its whole `log` to a
// temporary folder beside it and moves it in; a sample grid is written where the run saved it.
import { appendFile, mkdir, mkdtemp, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { ChainerLog, NpyFile, PlannedFile, ReplayPlan } from './plan';

export class ReplayWriter {
  /** Pieces of each file written so far. */
  private readonly done = new Map<string, number>();

  constructor(
    private readonly plan: ReplayPlan,
    readonly dest: string,
  ) {}

  /** Writes everything the run had written by `step`; returns the files written to. */
  async advanceTo(step: number): Promise<string[]> {
    const touched: string[] = [];
    for (const file of this.plan.files) {
      const before = this.done.get(file.rel) ?? 0;
      const upto = countUpTo(stepsOf(file), step);
      if (upto <= before) continue;
      this.done.set(file.rel, upto);
      const abs = path.join(this.dest, ...file.rel.split('/'));
      await mkdir(path.dirname(abs), { recursive: true });
      await this.write(file, abs, before, upto);
      touched.push(file.rel);
    }
    return touched;
  }

  /** True once every piece of every file is written. */
  get finished(): boolean {
    return this.plan.files.every((f) => (this.done.get(f.rel) ?? 0) >= stepsOf(f).length);
  }

  private async write(file: PlannedFile, abs: string, before: number, upto: number): Promise<void> {
    switch (file.kind) {
      case 'append':
        await appendFile(abs, file.bytes.subarray(before ? file.ends[before - 1]! : 0, file.ends[upto - 1]!));
        return;
      case 'npy':
        return writeNpy(file, abs, upto);
      case 'chainer':
        return writeChainer(file, abs, upto);
      case 'once':
        await writeFile(abs, await readFile(path.join(this.plan.source, ...file.rel.split('/'))));
        return;
    }
  }
}

function stepsOf(file: PlannedFile): number[] {
  return file.kind === 'npy' ? file.rowSteps : file.kind === 'once' ? [file.step] : file.steps;
}

/** How many of the (non-decreasing) steps are at or before `step`; a NaN step goes with the one before. */
function countUpTo(steps: number[], step: number): number {
  let n = 0;
  while (n < steps.length && !(steps[n]! > step)) n++;
  return n;
}

/** np.save: open with truncation, write the header, then the data (a reader can catch it between). */
async function writeNpy(file: NpyFile, abs: string, rows: number): Promise<void> {
  const shape = [rows, ...file.shape.slice(1)];
  const perRow = file.shape.slice(1).reduce((a, b) => a * b, 1) * file.itemSize;
  let data: Uint8Array;
  if (!file.fortranOrder || file.shape.length === 1) {
    data = file.bytes.subarray(file.dataOffset, file.dataOffset + rows * perRow);
  } else {
    // Column-major: each column's first `rows` values.
    const total = file.shape[0]!;
    const cols = perRow / file.itemSize;
    data = new Uint8Array(rows * perRow);
    for (let c = 0; c < cols; c++) {
      const from = file.dataOffset + c * total * file.itemSize;
      data.set(file.bytes.subarray(from, from + rows * file.itemSize), c * rows * file.itemSize);
    }
  }
  const handle = await open(abs, 'w');
  try {
    await handle.write(npyHeader(file.dtype, file.fortranOrder, shape));
    await handle.write(data);
  } finally {
    await handle.close();
  }
}

/** numpy's header: magic, version 1.0, the dict literal padded with spaces so the data starts at a multiple of 64. */
export function npyHeader(dtype: string, fortranOrder: boolean, shape: number[]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${dtype}', 'fortran_order': ${fortranOrder ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const pad = 64 - ((10 + dict.length + 1) % 64);
  dict = dict + ' '.repeat(pad % 64) + '\n';
  const out = new Uint8Array(10 + dict.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, dict.length & 0xff, dict.length >> 8]);
  for (let i = 0; i < dict.length; i++) out[10 + i] = dict.charCodeAt(i);
  return out;
}

/** LogReport: json.dump(indent=4) into a temporary folder inside the output folder, then a move over `log`. */
async function writeChainer(file: ChainerLog, abs: string, entries: number): Promise<void> {
  // utils.tempdir(prefix=<log name>, dir=<out>): `logXXXXXXXX/log.json` beside the log.
  const tmp = await mkdtemp(path.join(path.dirname(abs), path.basename(abs)));
  try {
    const text = `[\n    ${file.entries.slice(0, entries).join(',\n    ')}\n]`;
    await writeFile(path.join(tmp, 'log.json'), text);
    await rename(path.join(tmp, 'log.json'), abs);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
