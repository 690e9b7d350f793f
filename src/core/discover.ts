// Finds the runs under a folder: folders holding loss files and/or sample images, folders a format
// makes a run by their structure (MLflow), and files that are runs of their own. Which files are
// loss files the format registry says (formats/registry.ts); what each folder holds the walk says
// (discoverWalk.ts), and this groups it into runs.
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { FORMATS, type FormatRegistry } from './formats';
import { sniffFile } from './discoverText';
import { joinRel, SKIP_FOLDERS, walk, type DiscoverOptions, type Folder } from './discoverWalk';
import { fileBaseName, isUnder, parentOf } from './paths';
import { isImageFile, isRunImage } from './samples/naming';
import { placeImages } from './samples/placing';

export interface RunLocation {
  /** Absolute path of the run folder. */
  root: string;
  /** Relative to the scanned root (forward slashes); the folder's own name for the root itself. */
  name: string;
  /** Loss files, relative to `root` (for a file run, relative to the folder holding it: its own name). */
  lossFiles: string[];
  /** Sample images, relative to `root`. */
  sampleFiles: string[];
  /** Set when the run is one file whose format is a run of its own (a notebook): `root` is that file. */
  file?: true;
  /** Loss files read only when `lossFiles` give no series (a W&B run's console `files/output.log`). */
  fallbackLossFiles?: string[];
  /** The id of the folder format that made the folder a run (`wandb-run`, `mlflow-run`): loading asks it the rest. */
  format?: string;
}

// How far up an image folder looks for the run it belongs to.
const ATTACH_LEVELS = 3;

// Folder names people save generator samples under (`image/`, `samples/`, `gen_img/`, `images10/`,
// `gan_fashion_images/`, `fake/`, `outputs/`, `progress/`, Chainer's `preview/`).
const SAMPLE_FOLDER = /img|image|sample|gen|fake|out|result|pic|progress|grid|epoch|step|iter|snapshot|visual|preview/i;
// File names that say they were saved per step (`epoch_5.png`, `fake_samples_003.png`), or are
// outputs of the generator (super-resolved `…_HR_factor_4.png`).
const SAMPLE_FILE = /epoch|step|iter|sample|fake|gen|factor|(^|[^a-z])(sr|hr)([^a-z]|$)/i;

/**
 * Whether an image-only folder holds generator samples rather than icons, screenshots or a dataset:
 * its name, or one of its image names, must say so.
 */
function looksLikeSamples(folder: Folder, files: string[]): boolean {
  const name = fileBaseName(folder.rel);
  return SAMPLE_FOLDER.test(name) || files.some((f) => SAMPLE_FILE.test(f));
}

/**
 * The images of a folder that belong to a run (samples, references, results; never plots); the
 * folder name is kept in view since it may carry the step.
 */
function sampleImages(folder: Folder): string[] {
  // A folder with loss files is a run's own folder: its name is never a step.
  const name = folder.lossFiles.length || folder.hasConfig ? '' : fileBaseName(folder.rel);
  return folder.images.filter((img) => isRunImage(name, img));
}

// A folder named by a number that counts stages or steps (`3/`, `scale_3/`, `epoch_5/`, `images10/`),
// not a version, a run, a seed or a dataset (`version_0/`, `run_2/`, `cifar10/` beside `cifar100/`).
const NUMBERED = /^(?:([a-z]+)[ _=-]?)?\d+$/i;
const COUNTING_WORD = /^(scale|s|depth|lod|level|stage|res|resolution|phase|epoch|epochs|ep|e|step|steps|iter|iters|iteration|it)$/i;
// A folder holding one run per child (`runs/1/`, `experiments/3/`): its numbered children are separate runs.
const RUN_COLLECTION = /^(runs?|experiments?|exps?|trials?|seeds?|versions?|lightning_logs|wandb|mlruns|checkpoints?)$/i;

/**
 * The parent of an image folder that is one of a numbered series of sibling folders (SinGAN's
 * `<scale>/fake_sample_<iter>.png`, `samples/epoch_5/grid.png`): one training wrote them all, so
 * they are one run, rooted at the parent. Null when the folder stands alone.
 */
function seriesParent(folder: Folder, imageFolders: ReadonlyMap<string, Folder>): string | null {
  const parent = parentOf(folder.rel);
  if (parent === null) return null;
  const own = folder.rel.slice(parent === '' ? 0 : parent.length + 1);
  const m = NUMBERED.exec(own);
  if (!m || (m[1] && !COUNTING_WORD.test(m[1]) && !SAMPLE_FOLDER.test(m[1]))) return null;
  const parentName = fileBaseName(parent);
  if (RUN_COLLECTION.test(parentName)) return null;
  const template = own.replace(/\d+/g, '#');
  let siblings = 0;
  for (const other of imageFolders.values()) {
    if (other === folder || parentOf(other.rel) !== parent) continue;
    if (other.rel.slice(parent === '' ? 0 : parent.length + 1).replace(/\d+/g, '#') === template) siblings++;
  }
  return siblings > 0 ? parent : null;
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
  const ownedImages = claimRunFileImages(folders);
  const lossFolders = folders.filter((f) => f.hasConfig || f.lossFiles.length || f.whole);
  const lossByRel = new Map(lossFolders.map((f) => [f.rel, f]));
  const runRootOf = new Map(lossFolders.map((f) => [f.rel, f.rel]));
  const imagesOf = new Map<string, string[]>(); // run folder → sample paths relative to the scan root
  const addImages = (owner: string, folder: Folder, files: string[]) => {
    const list = imagesOf.get(owner) ?? [];
    for (const f of files) list.push(joinRel(folder.rel, f));
    imagesOf.set(owner, list);
  };

  const imageFolders = new Map<string, Folder>();
  const filesOf = new Map<Folder, string[]>();
  for (const folder of folders) {
    // A run its format lists whole (W&B's logged images) owns its images, whatever their names.
    const files = folder.whole ? folder.images : sampleImages(folder);
    if (!files.length) continue;
    if (lossByRel.has(folder.rel)) {
      addImages(folder.rel, folder, files);
      continue;
    }
    if (!looksLikeSamples(folder, files)) continue;
    imageFolders.set(folder.rel, folder);
    filesOf.set(folder, files);
  }
  for (const folder of imageFolders.values()) {
    const files = filesOf.get(folder)!;
    let owner: string | null = null;
    let up = parentOf(folder.rel);
    for (let i = 0; i < ATTACH_LEVELS && up !== null && owner === null; i++, up = parentOf(up)) {
      if (lossByRel.has(up)) owner = up;
    }
    if (owner === null) {
      up = folder.rel;
      for (let i = 0; i <= ATTACH_LEVELS && up !== null; i++, up = parentOf(up)) {
        const ancestor = up;
        // A run its format lists whole keeps its own root: its images are the ones it lists.
        const inside = lossFolders.filter((f) => !f.whole && isUnder(f.rel, ancestor));
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
      // A numbered series of sibling folders (stages, steps) with no losses near is one run at their parent.
      owner = seriesParent(folder, imageFolders) ?? folder.rel;
      runRootOf.set(owner, owner);
    }
    addImages(owner, folder, files);
  }
  adoptChildRuns(runRootOf, lossByRel, imagesOf);

  const runs: RunLocation[] = [];
  for (const [key, runRel] of runRootOf) {
    const lossFolder = lossByRel.get(key);
    const rebase = (p: string) => path.posix.relative(runRel, p);
    const lossFiles = (lossFolder?.lossFiles ?? []).map((f) => rebase(joinRel(key, f)));
    const sampleFiles = (imagesOf.get(key) ?? []).map(rebase);
    const abs = runRel === '' ? root : path.join(root, ...runRel.split('/'));
    const fallback = lossFolder?.fallbackLossFiles ? { fallbackLossFiles: lossFolder.fallbackLossFiles.map((f) => rebase(joinRel(key, f))) } : {};
    const format = lossFolder?.format ? { format: lossFolder.format } : {};
    runs.push({
      root: abs,
      name: runRel === '' ? path.basename(root) : runRel,
      lossFiles: sortNatural(lossFiles),
      sampleFiles: sortNatural(sampleFiles),
      ...fallback,
      ...format,
    });
  }
  // A file that is a run of its own is one wherever it lies, beside a folder's run or not.
  for (const folder of folders) {
    for (const { name } of folder.runFiles) {
      const rel = joinRel(folder.rel, name);
      runs.push({ root: path.join(root, ...rel.split('/')), name: rel, lossFiles: [name], sampleFiles: sortNatural(ownedImages.get(rel) ?? []), file: true });
    }
  }
  return runs.sort((a, b) => natural.compare(a.name, b.name));
}

/**
 * The images that files which are runs of their own own (a notebook's, from the paths its code
 * writes), in their folder or below, up to ATTACH_LEVELS down, relative to that folder: taken out
 * of the folders' images so they form no run of their own. An image two such files own goes to the nearer.
 */
function claimRunFileImages(folders: Folder[]): Map<string, string[]> {
  const byRel = new Map(folders.map((f) => [f.rel, f]));
  const claimed = new Map<string, string[]>(); // the file (scan-relative) → its images, relative to its folder
  if (!folders.some((f) => f.runFiles.some((r) => r.owns))) return claimed;
  for (const folder of folders) {
    folder.images = folder.images.filter((img) => {
      let up: string | null = folder.rel;
      for (let i = 0; i <= ATTACH_LEVELS && up !== null; i++, up = parentOf(up)) {
        const rel = path.posix.relative(up, joinRel(folder.rel, img));
        const owner = byRel.get(up)?.runFiles.find((r) => r.owns?.(rel));
        if (!owner) continue;
        const key = joinRel(up, owner.name);
        claimed.set(key, [...(claimed.get(key) ?? []), rel]);
        return false;
      }
      return true;
    });
  }
  return claimed;
}

/**
 * A file that is a run of its own (a notebook) as a run location, read as given even when discovery would
 * pass it over (its read says why), with the images beside it that are its own; null for other names.
 */
export const fileRunLocation = async (absFile: string, formats: FormatRegistry = FORMATS) => (await locateRunFile(path.resolve(absFile), formats))?.loc ?? null;

/** fileRunLocation, and whether the file's content says it is a run. */
async function locateRunFile(abs: string, formats: FormatRegistry): Promise<{ loc: RunLocation; isRun: boolean } | null> {
  const name = path.basename(abs);
  const format = formats.runFormat(name);
  if (!format) return null;
  const sniffed = await sniffFile(abs, name, formats);
  const isRun = sniffed?.format === format;
  const owns = (isRun && sniffed.owns) || null;
  const images: string[] = []; // as claimRunFileImages finds them, in this one folder
  const walkImages = async (dir: string, rel: string, depth: number): Promise<void> => {
    for (const e of (await readdir(dir, { withFileTypes: true }).catch(() => [])).slice(0, 10_000)) {
      const childRel = joinRel(rel, e.name);
      if (e.isDirectory() && depth < ATTACH_LEVELS && !e.name.startsWith('.') && !SKIP_FOLDERS.has(e.name))
        await walkImages(path.join(dir, e.name), childRel, depth + 1);
      else if (e.isFile() && isImageFile(e.name) && owns!(childRel)) images.push(childRel);
    }
  };
  if (owns) await walkImages(path.dirname(abs), '', 0);
  return { loc: { root: abs, name, lossFiles: [name], sampleFiles: sortNatural(images), file: true }, isRun };
}

/**
 * An image-only run of results alone (images on no step) whose folder holds exactly one other
 * image-only run right below it takes that run in: SinGAN's super-resolved outputs beside its scale
 * tree are that training's results. A folder with samples of its own stays a run of its own.
 */
function adoptChildRuns(runRootOf: Map<string, string>, lossByRel: ReadonlyMap<string, Folder>, imagesOf: Map<string, string[]>): void {
  const imageOnly = [...runRootOf.keys()].filter((key) => !lossByRel.has(key) && runRootOf.get(key) === key);
  for (const parent of imageOnly) {
    if (!runRootOf.has(parent)) continue;
    const own = (imagesOf.get(parent) ?? []).map((p) => path.posix.relative(parent, p));
    if (own.some((p) => p.includes('/')) || placeImages(own).samples.length) continue;
    const inside = [...runRootOf.entries()].filter(([key, rel]) => key !== parent && isUnder(rel, parent));
    if (inside.length !== 1) continue;
    const [childKey, childRel] = inside[0]!;
    if (lossByRel.has(childKey) || parentOf(childRel) !== parent) continue;
    imagesOf.set(parent, [...(imagesOf.get(parent) ?? []), ...(imagesOf.get(childKey) ?? [])]);
    imagesOf.delete(childKey);
    runRootOf.delete(childKey);
  }
}

const natural = new Intl.Collator('en', { numeric: true });
const sortNatural = (list: string[]) => list.sort((a, b) => natural.compare(a, b));

/**
 * Every run under `root` (a folder), sorted by name. Missing or unreadable `root` gives []. A file
 * that is a run of its own given as `root` (a notebook) is that run when its content says so (a re-read of it).
 */
export async function discoverRuns(root: string, opts: DiscoverOptions = {}): Promise<RunLocation[]> {
  const abs = path.resolve(root);
  const formats = opts.formats ?? FORMATS;
  if (formats.runFormat(path.basename(abs)) && (await stat(abs).catch(() => null))?.isFile()) {
    const located = await locateRunFile(abs, formats);
    return located?.isRun ? [located.loc] : [];
  }
  const folders = await walk(abs, opts);
  return groupRuns(abs, folders);
}
