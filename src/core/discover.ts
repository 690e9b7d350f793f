// Finds the runs under a folder: folders holding loss files and/or sample images.
// Bounded in depth and folder count, skips environments and VCS folders, follows symlinks once.
import { readdir, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { isPrintedLogCandidate, lossFileKind } from './formats';
import { isPrintedLogFile, mlflowMetricFiles } from './discoverText';
import { fileBaseName, isUnder, parentOf } from './paths';
import { isImageFile, isReferenceImage, sampleStep } from './samples/naming';

export interface RunLocation {
  /** Absolute path of the run folder. */
  root: string;
  /** Relative to the scanned root (forward slashes); the folder's own name for the root itself. */
  name: string;
  /** Loss files, relative to `root`. */
  lossFiles: string[];
  /** Sample images, relative to `root`. */
  sampleFiles: string[];
}

export interface DiscoverOptions {
  maxDepth?: number;
  /** Folder names, or folder paths relative to the scanned root, to leave out. */
  exclude?: string[];
  maxFolders?: number;
  signal?: AbortSignal;
  onProgress?: (foldersSeen: number) => void;
}

export const RUN_CONFIG_FILE = 'gan-run.json';

// Never runs: dependencies, environments, caches, version control.
const SKIP_FOLDERS: ReadonlySet<string> = new Set(['node_modules', 'venv', '__pycache__', 'site-packages', 'dist-packages', 'bower_components']);
// A folder with one of these files is a Python environment, whatever its name.
const ENV_MARKERS: ReadonlySet<string> = new Set(['pyvenv.cfg', 'conda-meta']);
const CONCURRENCY = 16;
// Text files opened per folder to see whether they are printed training logs: a dataset folder of
// 10,000 caption .txt files is not searched through.
const MAX_TEXT_CHECKS = 32;
// How far up an image folder looks for the run it belongs to.
const ATTACH_LEVELS = 3;

interface Folder {
  /** Relative to the scanned root, '' for the root itself. */
  rel: string;
  lossFiles: string[];
  images: string[];
  hasConfig: boolean;
}

const joinRel = (a: string, b: string) => (a === '' ? b : `${a}/${b}`);

async function walk(root: string, opts: DiscoverOptions): Promise<Folder[]> {
  const maxDepth = opts.maxDepth ?? 6;
  const maxFolders = opts.maxFolders ?? 20000;
  const exclude = new Set((opts.exclude ?? []).map((e) => e.replace(/\\/g, '/').replace(/\/+$/, '')));
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
    const folder: Folder = { rel, lossFiles: [], images: [], hasConfig: false };
    const children: Pending[] = [];
    // An MLflow run (`mlruns/<experiment>/<run>/meta.yaml` + `metrics/<key>`): its metrics are its loss files.
    const mlflow = entries.some((e) => e.name === 'meta.yaml' && e.isFile()) && entries.some((e) => e.name === 'metrics' && e.isDirectory());
    if (mlflow) folder.lossFiles.push(...(await mlflowMetricFiles(path.join(abs, 'metrics'))));
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
        if (mlflow && e.name === 'metrics') continue;
        children.push({ abs: childAbs, rel: childRel, viaLink });
      } else if (isFile) {
        if (e.name === RUN_CONFIG_FILE) folder.hasConfig = true;
        else if (lossFileKind(e.name) !== null) folder.lossFiles.push(e.name);
        else if (isPrintedLogCandidate(e.name) && textChecks++ < MAX_TEXT_CHECKS && (await isPrintedLogFile(childAbs))) folder.lossFiles.push(e.name);
        else if (isImageFile(e.name)) folder.images.push(e.name);
      }
    }
    if (folder.hasConfig || folder.lossFiles.length || folder.images.length) found.push(folder);
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

// Folder names people save generator samples under (`image/`, `samples/`, `gen_img/`, `images10/`,
// `gan_fashion_images/`, `fake/`, `outputs/`, `progress/`, Chainer's `preview/`).
const SAMPLE_FOLDER = /img|image|sample|gen|fake|out|result|pic|progress|grid|epoch|step|iter|snapshot|visual|preview/i;
// File names that say they were saved per step (`epoch_5.png`, `fake_samples_003.png`).
const SAMPLE_FILE = /epoch|step|iter|sample|fake|gen/i;

/**
 * Whether an image-only folder holds generator samples rather than icons, screenshots or a dataset:
 * its name, or one of its image names, must say so.
 */
function looksLikeSamples(folder: Folder, files: string[]): boolean {
  const name = fileBaseName(folder.rel);
  return SAMPLE_FOLDER.test(name) || files.some((f) => SAMPLE_FILE.test(f));
}

/** Sample images of a folder; the folder name is kept in view since it may carry the step. */
function sampleImages(folder: Folder): string[] {
  const name = fileBaseName(folder.rel);
  return folder.images.filter((img) => sampleStep(`${name || '.'}/${img}`) !== null || isReferenceImage(img));
}

/**
 * Groups what the walk found into runs. A folder with loss files (or a `gan-run.json`) is a run.
 * A folder with only sample images belongs to the nearest such folder up to 3 levels above it
 * (`result/image/400.png` → `result`, `images10/pic0.png` → its parent). If there is none, but the
 * nearest of the folder itself and its ancestors (up to 3 levels) whose subtree holds any loss folder holds exactly one, the run is
 * rooted at that ancestor so it takes both (`results/*.npy` + `src/gan_fashion_images/*.png` → the
 * project folder). Otherwise the image folder is a run of samples only. Image-only folders whose
 * names say nothing about samples (`media/icon-1.png`, `screenshots/2.png`) are left out.
 */
function groupRuns(root: string, folders: Folder[]): RunLocation[] {
  const lossFolders = folders.filter((f) => f.hasConfig || f.lossFiles.length);
  const lossByRel = new Map(lossFolders.map((f) => [f.rel, f]));
  const runRootOf = new Map(lossFolders.map((f) => [f.rel, f.rel]));
  const imagesOf = new Map<string, string[]>(); // run folder → sample paths relative to the scan root
  const addImages = (owner: string, folder: Folder, files: string[]) => {
    const list = imagesOf.get(owner) ?? [];
    for (const f of files) list.push(joinRel(folder.rel, f));
    imagesOf.set(owner, list);
  };

  for (const folder of folders) {
    const files = sampleImages(folder);
    if (!files.length) continue;
    if (lossByRel.has(folder.rel)) {
      addImages(folder.rel, folder, files);
      continue;
    }
    if (!looksLikeSamples(folder, files)) continue;
    let owner: string | null = null;
    let up = parentOf(folder.rel);
    for (let i = 0; i < ATTACH_LEVELS && up !== null && owner === null; i++, up = parentOf(up)) {
      if (lossByRel.has(up)) owner = up;
    }
    if (owner === null) {
      up = folder.rel;
      for (let i = 0; i <= ATTACH_LEVELS && up !== null; i++, up = parentOf(up)) {
        const ancestor = up;
        const inside = lossFolders.filter((f) => isUnder(f.rel, ancestor));
        if (inside.length === 0) continue;
        if (inside.length === 1) {
          const only = inside[0]!.rel;
          owner = only;
          const current = runRootOf.get(only)!;
          if (ancestor.length < current.length) runRootOf.set(only, ancestor);
        }
        break;
      }
    }
    if (owner === null) {
      owner = folder.rel;
      runRootOf.set(owner, owner);
    }
    addImages(owner, folder, files);
  }

  const runs: RunLocation[] = [];
  for (const [key, runRel] of runRootOf) {
    const lossFolder = lossByRel.get(key);
    const rebase = (p: string) => path.posix.relative(runRel, p);
    const lossFiles = (lossFolder?.lossFiles ?? []).map((f) => rebase(joinRel(key, f)));
    const sampleFiles = (imagesOf.get(key) ?? []).map(rebase);
    const abs = runRel === '' ? root : path.join(root, ...runRel.split('/'));
    runs.push({ root: abs, name: runRel === '' ? path.basename(root) : runRel, lossFiles: sortNatural(lossFiles), sampleFiles: sortNatural(sampleFiles) });
  }
  return runs.sort((a, b) => natural.compare(a.name, b.name));
}

const natural = new Intl.Collator('en', { numeric: true });
const sortNatural = (list: string[]) => list.sort((a, b) => natural.compare(a, b));

/** Every run under `root` (a folder), sorted by name. Missing or unreadable `root` gives []. */
export async function discoverRuns(root: string, opts: DiscoverOptions = {}): Promise<RunLocation[]> {
  const abs = path.resolve(root);
  const folders = await walk(abs, opts);
  return groupRuns(abs, folders);
}
