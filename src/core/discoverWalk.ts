// Discovery's bounded walk of a folder tree, kept apart from the grouping into runs (discover.ts): what each folder holds.
import { readdir, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { FORMATS, type FormatRegistry } from './formats';
import { sniffFile } from './discoverText';
import { isImageFile } from './samples/naming';

export interface DiscoverOptions {
  maxDepth?: number;
  /** Folder names, or folder paths relative to the scanned root, to leave out. */
  exclude?: string[];
  maxFolders?: number;
  signal?: AbortSignal;
  onProgress?: (foldersSeen: number) => void;
  /** The formats looked for; every registered one when not given. */
  formats?: FormatRegistry;
}

export const RUN_CONFIG_FILE = 'gan-run.json';

// Never runs: dependencies, environments, caches, version control.
export const SKIP_FOLDERS: ReadonlySet<string> = new Set(['node_modules', 'venv', '__pycache__', 'site-packages', 'dist-packages', 'bower_components']);
// A folder with one of these files is a Python environment, whatever its name.
const ENV_MARKERS: ReadonlySet<string> = new Set(['pyvenv.cfg', 'conda-meta']);
const CONCURRENCY = 16;
// Text files opened per folder to see whether they are printed training logs: a dataset folder of
// 10,000 caption .txt files is not searched through.
const MAX_TEXT_CHECKS = 32;
/** What one folder holds, as the walk saw it. */
export interface Folder {
  /** Relative to the scanned root, '' for the root itself. */
  rel: string;
  lossFiles: string[];
  /** Files that are runs of their own (their format's `isRun`), with which images beside them are theirs. */
  runFiles: RunFile[];
  images: string[];
  hasConfig: boolean;
  fallbackLossFiles?: string[];
  /** The folder format that made it a run. */
  format?: string;
  /** Its folder format lists the whole run (`ownFolders: 'all'`): its images are all its own, and it keeps its root. */
  whole?: boolean;
}

/** A file that is a run; `owns`: whether an image, by its path from the file's folder, is its own (RunSniff). */
type RunFile = { name: string; owns: ((rel: string) => boolean) | null };

export const joinRel = (a: string, b: string) => (a === '' ? b : `${a}/${b}`);

/** Every folder under `root` that holds loss files, run files, images or a `gan-run.json`. */
export async function walk(root: string, opts: DiscoverOptions): Promise<Folder[]> {
  const maxDepth = opts.maxDepth ?? 6;
  const maxFolders = opts.maxFolders ?? 20000;
  const exclude = new Set((opts.exclude ?? []).map((e) => e.replace(/\\/g, '/').replace(/\/+$/, '')));
  const formats = opts.formats ?? FORMATS;
  const seen = new Set<string>();
  const found: Folder[] = [];
  let visited = 0;

  type Pending = { abs: string; rel: string; viaLink: boolean };
  const visit = async (abs: string, rel: string): Promise<Pending[]> => {
    const real = await realpath(abs).catch(() => null);
    if (real === null || seen.has(real)) return [];
    seen.add(real);
    visited++;
    opts.onProgress?.(visited);
    const entries = await readdir(abs, { withFileTypes: true }).catch(() => null);
    if (entries === null) return []; // unreadable: skipped, the rest of the tree still counts
    if (entries.some((e) => ENV_MARKERS.has(e.name))) return [];
    const folder: Folder = { rel, lossFiles: [], runFiles: [], images: [], hasConfig: false };
    const children: Pending[] = [];
    // A run by its structure: its folder format lists its files (an MLflow run's `metrics/<key>`; a W&B
    // run's history, console and logged images, nothing else of it searched).
    const structure = await formats.folderRunOf(abs, entries);
    if (structure?.format.ownFolders === 'all') {
      const { run, format } = structure;
      found.push({
        ...folder,
        lossFiles: run.lossFiles,
        fallbackLossFiles: run.fallbackLossFiles ?? [],
        images: run.images ?? [],
        hasConfig: entries.some((e) => e.name === RUN_CONFIG_FILE),
        format: format.id,
        whole: true,
      });
      return children;
    }
    const ownFolders = new Set(structure?.format.ownFolders ?? []);
    if (structure) {
      folder.lossFiles.push(...structure.run.lossFiles);
      folder.format = structure.format.id;
    }
    const listed = new Set(folder.lossFiles);
    const depth = rel === '' ? 0 : rel.split('/').length;
    let textChecks = 0;
    for (const e of entries) {
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      const childAbs = path.join(abs, e.name);
      const viaLink = e.isSymbolicLink();
      if (viaLink) {
        const target = await stat(childAbs).catch(() => null); // dangling links are skipped
        isDir = target?.isDirectory() ?? false;
        isFile = target?.isFile() ?? false;
      }
      const childRel = joinRel(rel, e.name);
      if (isDir) {
        if (depth >= maxDepth || e.name.startsWith('.') || SKIP_FOLDERS.has(e.name)) continue;
        if (exclude.has(e.name) || exclude.has(childRel)) continue;
        if (ownFolders.has(e.name)) continue;
        children.push({ abs: childAbs, rel: childRel, viaLink });
      } else if (isFile) {
        if (e.name === RUN_CONFIG_FILE) {
          folder.hasConfig = true;
          continue;
        }
        // By name on sight; a name only content can tell (`train.log`, `history.json`) is opened.
        const said = formats.byName(e.name);
        const sniffed = said === 'content' && textChecks++ < MAX_TEXT_CHECKS ? await sniffFile(childAbs, e.name, formats) : null;
        const format = said !== 'content' ? said : (sniffed?.format ?? null);
        if (format?.isRun) folder.runFiles.push({ name: e.name, owns: sniffed?.owns ?? null });
        else if (format && !listed.has(e.name)) folder.lossFiles.push(e.name);
        else if (!format && isImageFile(e.name)) folder.images.push(e.name);
      }
    }
    if (folder.hasConfig || folder.lossFiles.length || folder.runFiles.length || folder.images.length) found.push(folder);
    return children;
  };

  // Breadth first, a bounded number of folders at a time. Folders reached through a symlink wait
  // until the real tree is done, so a folder is named by its real path, not by a link to it.
  let level: Pending[] = [{ abs: root, rel: '', viaLink: false }];
  let deferred: Pending[] = [];
  while (visited < maxFolders) {
    if (!level.length) {
      if (!deferred.length) break;
      [level, deferred] = [deferred, []];
    }
    const next: Pending[] = [];
    for (let i = 0; i < level.length && visited < maxFolders; i += CONCURRENCY) {
      opts.signal?.throwIfAborted();
      const batch = level.slice(i, Math.min(i + CONCURRENCY, i + maxFolders - visited));
      for (const children of await Promise.all(batch.map((f) => visit(f.abs, f.rel)))) {
        for (const c of children) (c.viaLink ? deferred : next).push(c);
      }
    }
    level = next;
  }
  return found;
}
