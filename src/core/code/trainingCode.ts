// The training code beside a run: the Python files (and notebooks' code cells) of the project that
// holds the run folder. Read to learn what the logs do not say: how the losses are defined, what
// the columns of a header-less loss file are. Bounded, read-only, never executed.
import { readdir, readFile, stat } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import { isInside } from '../paths';

/** One source file of the project, as text. */
export interface CodeFile {
  /** Absolute path. */
  path: string;
  /** Relative to the project root, forward slashes. */
  rel: string;
  /** The file's text; for a notebook, its code cells joined by blank lines. */
  text: string;
}

/** The project a run belongs to and its code. */
export interface TrainingCode {
  /** The folder taken as the project's root (see `projectRootOf`). */
  root: string;
  files: CodeFile[];
}

export interface TrainingCodeOptions {
  /** Never look above this folder (the scanned workspace folder). */
  boundary?: string;
  /** Kept by a caller that inspects many runs: one project's code is read once. */
  cache?: Map<string, Promise<TrainingCode | null>>;
}

// How far up from a run folder its project may start: `saved_models/wgan/checkpoints/Epoch_2460`.
const UP_LEVELS = 5;
// How far down from the project root code is looked for: `src/gan/models/networks.py`.
const DOWN_LEVELS = 4;
const MAX_FILES = 300;
const MAX_FILE_BYTES = 512 * 1024;
const MAX_NOTEBOOK_BYTES = 8 * 1024 ** 2;
const MAX_TOTAL_CHARS = 6 * 1024 ** 2;
// Never the project's code: environments, dependencies, caches, run outputs.
const SKIP = /^(node_modules|venv|\.venv|env|site-packages|dist-packages|__pycache__|wandb|mlruns|lightning_logs|\.ipynb_checkpoints|build|dist)$/;
const CODE = /\.(py|ipynb)$/i;

async function entriesOf(dir: string) {
  return readdir(dir, { withFileTypes: true }).catch(() => []);
}

/** True when the folder holds code itself or in a folder right under it (`source/train.py`). */
async function holdsCode(dir: string): Promise<boolean> {
  const entries = await entriesOf(dir);
  if (entries.some((e) => e.isFile() && CODE.test(e.name))) return true;
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith('.') || SKIP.test(e.name)) continue;
    if ((await entriesOf(path.join(dir, e.name))).some((c) => c.isFile() && CODE.test(c.name))) return true;
  }
  return false;
}

/**
 * The project root of a run folder: the nearest folder up to 5 levels above (the run folder
 * included) that is a git checkout; else the nearest that holds code, itself or one folder down;
 * null when none does. Never above `boundary`.
 */
export async function projectRootOf(runRoot: string, boundary?: string): Promise<string | null> {
  const start = path.resolve(runRoot);
  const chain: string[] = [];
  // Folders that hold many unrelated projects are never one project: the code beside a run in
  // /tmp/run or ~/run is not the code in every other folder there.
  const shared = new Set([path.resolve(tmpdir()), path.resolve(homedir()), path.parse(start).root]);
  for (let dir = start, i = 0; i <= UP_LEVELS; i++) {
    if (boundary && !isInside(path.resolve(boundary), dir)) break;
    if (shared.has(dir)) break;
    chain.push(dir);
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  for (const dir of chain) if (await stat(path.join(dir, '.git')).catch(() => null)) return dir;
  for (const dir of chain) if (await holdsCode(dir)) return dir;
  return null;
}

/** A notebook's code cells as one text; '' when it is not a notebook. */
export function notebookCode(json: string): string {
  try {
    const nb = JSON.parse(json) as { cells?: { cell_type?: string; source?: string | string[] }[] };
    return (nb.cells ?? [])
      .filter((c) => c.cell_type === 'code')
      .map((c) => (Array.isArray(c.source) ? c.source.join('') : (c.source ?? '')))
      .join('\n\n');
  } catch {
    return '';
  }
}

async function readCode(root: string): Promise<CodeFile[]> {
  const out: CodeFile[] = [];
  let total = 0;
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = (await entriesOf(dir)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (out.length >= MAX_FILES || total >= MAX_TOTAL_CHARS) return;
      if (e.name.startsWith('.')) continue;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (depth < DOWN_LEVELS && !SKIP.test(e.name)) await walk(abs, depth + 1);
        continue;
      }
      if (!e.isFile() || !CODE.test(e.name)) continue;
      const notebook = /\.ipynb$/i.test(e.name);
      const info = await stat(abs).catch(() => null);
      if (!info || info.size > (notebook ? MAX_NOTEBOOK_BYTES : MAX_FILE_BYTES)) continue;
      const raw = await readFile(abs, 'utf8').catch(() => null);
      if (raw === null) continue;
      const text = notebook ? notebookCode(raw) : raw;
      if (!text) continue;
      total += text.length;
      out.push({ path: abs, rel: path.relative(root, abs).split(path.sep).join('/'), text });
    }
  };
  await walk(root, 0);
  return out;
}

/** The run's project and its Python code (see `projectRootOf`), or null when no code is near. */
export function trainingCodeOf(runRoot: string, opts: TrainingCodeOptions = {}): Promise<TrainingCode | null> {
  const load = async (): Promise<TrainingCode | null> => {
    const root = await projectRootOf(runRoot, opts.boundary);
    if (root === null) return null;
    const cached = opts.cache?.get(`files:${root}`);
    if (cached) return cached;
    const files = readCode(root).then((list) => (list.length ? { root, files: list } : null));
    opts.cache?.set(`files:${root}`, files);
    return files;
  };
  return load();
}

/**
 * The files that name `fileName` (a loss file's base name without folders, e.g. `loss.log`, or
 * its stem, `d_losses`): where the run's files were written, the code to read first.
 */
export function filesNaming(code: TrainingCode, fileName: string): CodeFile[] {
  const base = fileName.split('/').pop() ?? fileName;
  const stem = base.replace(/\.[^.]+$/, '');
  const named = (text: string) =>
    text.includes(base) || (stem.length >= 4 && new RegExp(`['"/]${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"._{]`).test(text));
  return code.files.filter((f) => named(f.text));
}
