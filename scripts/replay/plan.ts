// What a replay writes and when: a real run's files cut into the pieces its training script wrote
// them in, each piece with the step it reaches on the run's step axis. Appended files (CSV, JSON
// lines, printed logs, TensorBoard events, W&B's .wandb…) are cut at the ends of their records as
// the format registry's incremental reader finds them (line ends for a format read whole), `.npy`
// arrays by rows, a Chainer `log` by its entries, and every sample grid or reference image is one
// piece at its step.
import { appendFile, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { discoverRuns } from '../../src/core/discover';
import { loadRun } from '../../src/core/run';
import { AppendCache } from '../../src/core/formats/appendCache';
import { FORMATS, type FileFormat } from '../../src/core/formats';
import { readLayout } from '../../src/core/formats/npyHeader';
import { readNpySeries } from '../../src/core/formats/npy';
import { isImageFile } from '../../src/core/samples/naming';

/** A file appended to: `ends[i]` bytes written once the run reaches `steps[i]`. */
export interface AppendedFile {
  kind: 'append';
  rel: string;
  bytes: Uint8Array;
  ends: number[];
  steps: number[];
}

/** A `.npy` that np.save rewrites whole: the first `k` rows once the run reaches `rowSteps[k-1]`. */
export interface NpyFile {
  kind: 'npy';
  rel: string;
  bytes: Uint8Array;
  dtype: string;
  shape: number[];
  fortranOrder: boolean;
  dataOffset: number;
  itemSize: number;
  rowSteps: number[];
}

/** Chainer's LogReport `log`: the whole JSON array rewritten (to a temporary file, then renamed) at each report. */
export interface ChainerLog {
  kind: 'chainer';
  rel: string;
  entries: string[];
  steps: number[];
}

/** A file written once: a sample grid or reference at its step, anything else (configs) at the start. */
export interface OnceFile {
  kind: 'once';
  rel: string;
  step: number;
}

export type PlannedFile = AppendedFile | NpyFile | ChainerLog | OnceFile;

export interface ReplayPlan {
  source: string;
  /** The last step of the run (its step axis, as the inspector reads it). */
  lastStep: number;
  files: PlannedFile[];
}

/** Pieces of an appended file probed per file at most: a longer file is cut into this many runs of lines. */
const MAX_PIECES = 1000;

/** Plans the replay of the one run in `source` (a run folder). */
export async function planReplay(source: string): Promise<ReplayPlan> {
  const root = path.resolve(source);
  const locations = await discoverRuns(root, { maxDepth: 6 });
  const loc = locations.find((l) => l.root === root) ?? (locations.length === 1 ? locations[0] : undefined);
  if (!loc) throw new Error(`${source}: ${locations.length ? `holds ${locations.length} runs; give one of them` : 'no GAN run found'}`);
  const base = path.relative(root, loc.root).split(path.sep).join('/');
  const relOf = (r: string) => (base ? `${base}/${r}` : r);
  const run = await loadRun(loc);
  const lastStep = Math.max(0, ...run.series.map((s) => (s.steps.length ? s.steps[s.steps.length - 1]! : 0)), ...run.samples.map((s) => s.step));
  // A file's own steps are put on the run's axis (StyleGAN's events count images, the run kimg).
  const scaleOf = (rel: string, rawLast: number): number => {
    const mine = run.series.filter((s) => s.source === rel && s.steps.length);
    const runLast = Math.max(0, ...mine.map((s) => s.steps[s.steps.length - 1]!));
    return mine.length && rawLast > 0 && runLast > 0 && Math.abs(Math.log10(runLast / rawLast)) > 1 ? runLast / rawLast : 1;
  };
  const files: PlannedFile[] = [];
  const planned = new Set<string>();
  // A W&B run's console (`files/output.log`) is appended as training prints, like any log.
  for (const rel of [...loc.lossFiles, ...(loc.fallbackLossFiles ?? [])]) {
    const abs = path.join(loc.root, rel);
    const bytes = new Uint8Array(await readFile(abs));
    // How the writer writes is the writer's (np.save and LogReport rewrite whole); which format a file holds, the registry's.
    const format = FORMATS.formatFor(rel, bytes.subarray(0, FORMATS.sniffWindow));
    const file =
      format?.id === 'npy'
        ? planNpy(relOf(rel), bytes)
        : format?.id === 'chainer'
          ? planChainer(relOf(rel), bytes)
          : await planAppended(relOf(rel), rel, bytes, format);
    if (!file) continue;
    const steps = file.kind === 'npy' ? file.rowSteps : file.kind === 'chainer' ? file.steps : file.kind === 'append' ? file.steps : [];
    const scale = scaleOf(rel, Math.max(0, ...steps.filter(Number.isFinite)));
    if (scale !== 1) for (let i = 0; i < steps.length; i++) steps[i] = steps[i]! * scale;
    files.push(file);
    planned.add(relOf(rel));
  }
  const once = (rel: string, step: number) => {
    if (planned.has(rel)) return;
    files.push({ kind: 'once', rel, step });
    planned.add(rel);
  };
  for (const s of run.samples) once(relOf(s.path), s.step);
  for (const r of run.references ?? []) once(relOf(r.path), r.step ?? 0);
  // Everything else: configs at the start; other images (a loss plot saved at the end) at the end.
  for (const rel of await listFiles(root)) once(rel, isImageFile(rel) ? lastStep : 0);
  return { source: root, lastStep, files };
}

async function listFiles(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const d of await readdir(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) out.push(...(await listFiles(root, r)));
    else if (d.isFile()) out.push(r);
  }
  return out;
}

function planNpy(rel: string, bytes: Uint8Array): NpyFile | null {
  try {
    const layout = readLayout(bytes, rel, Number.MAX_SAFE_INTEGER);
    const steps = readNpySeries(bytes, rel)[0]?.steps;
    if (!steps) return null;
    return {
      kind: 'npy',
      rel,
      bytes,
      dtype: layout.array.dtype,
      shape: layout.array.shape,
      fortranOrder: layout.array.fortranOrder,
      dataOffset: layout.dataOffset,
      itemSize: layout.dtype.size,
      rowSteps: [...steps],
    };
  } catch {
    return null;
  }
}

/** The entries of a Chainer log as written (NaN stays NaN), each with its `iteration` (else `epoch`, else its index). */
function planChainer(rel: string, bytes: Uint8Array): ChainerLog | null {
  const text = new TextDecoder().decode(bytes);
  const entries: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' && depth++ === 0) start = i;
    else if (c === '}' && --depth === 0 && start >= 0) entries.push(text.slice(start, i + 1));
  }
  if (!entries.length) return null;
  const steps = entries.map((e, i) => Number(/"iteration"\s*:\s*(\d+)/.exec(e)?.[1] ?? /"epoch"\s*:\s*(\d+)/.exec(e)?.[1] ?? i));
  return { kind: 'chainer', rel, entries, steps };
}

/** Bytes offered to an incremental reader beyond the last cut, at first: doubled while no record completes (a large image summary). */
const PROBE_BYTES = 64;

/**
 * Piece ends of an appended file: the ends of its records, as its format's incremental reader
 * consumes them (text lines, TensorBoard's or W&B's framed records), offered the bytes up to each
 * line end or a few bytes further; line ends for a format read whole.
 */
function pieceEnds(rel: string, bytes: Uint8Array, format: FileFormat | null): number[] {
  const lineEnds: number[] = [];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) lineEnds.push(i + 1);
  const reader = format?.incremental?.(rel) ?? null;
  let ends = lineEnds;
  if (reader && !reader.wholeOnly) {
    ends = [];
    let consumed = 0;
    let cut = 0;
    let line = 0;
    let probe = PROBE_BYTES;
    while (cut < bytes.length) {
      while (line < lineEnds.length && lineEnds[line]! <= cut) line++;
      cut = Math.min(bytes.length, cut + probe, lineEnds[line] ?? Infinity);
      // As live refresh does: the bytes from where the last read stopped, again until a record is complete.
      const used = reader.push(bytes.subarray(consumed, cut), consumed);
      if (used > 0) {
        consumed += used;
        ends.push(consumed);
        probe = PROBE_BYTES;
      } else probe *= 2;
    }
  }
  if (ends[ends.length - 1] !== bytes.length) ends.push(bytes.length);
  return ends;
}

/**
 * Each piece's step: the last step the file's reader gives once the piece is written. The pieces
 * are written to a scratch file one after another and read by the append cache (each read parses
 * only the new piece), so a header or a printed line between records gets the step before it.
 */
async function planAppended(rel: string, ownRel: string, bytes: Uint8Array, format: FileFormat | null): Promise<AppendedFile | null> {
  let ends = pieceEnds(ownRel, bytes, format);
  if (ends.length > MAX_PIECES) {
    const every = Math.ceil(ends.length / MAX_PIECES);
    ends = ends.filter((_, i) => i % every === every - 1 || i === ends.length - 1);
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'replay-plan-'));
  const scratch = path.join(dir, ...ownRel.split('/'));
  await mkdir(path.dirname(scratch), { recursive: true });
  await writeFile(scratch, new Uint8Array(0));
  const cache = new AppendCache();
  const steps: number[] = [];
  let last = -Infinity;
  try {
    let from = 0;
    for (const end of ends) {
      await appendFile(scratch, bytes.subarray(from, end));
      from = end;
      const info = await stat(scratch);
      try {
        const series = await cache.read(scratch, ownRel, { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino });
        for (const s of series) if (s.steps.length) last = Math.max(last, s.steps[s.steps.length - 1]!);
      } catch {
        // Nothing readable yet (a header alone): the piece goes out with the first record.
      }
      steps.push(Number.isFinite(last) ? last : 0);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { kind: 'append', rel, bytes, ends, steps };
}
