// A W&B run folder found by its structure (see formats/wandbFiles.ts), as discovery finds an MLflow
// run: one run rooted at `wandb/run-<date>_<time>-<id>/`, whose `files/` and `logs/` are never
// runs of their own.
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { isImageFile } from './samples/naming';
import { WANDB_MARKERS, WANDB_RUN_FOLDER, wandbFileKind } from './formats/wandbFiles';
import type { FolderEntry } from './formats/format';

export interface WandbRunFiles {
  /** The history: `run-<id>.wandb`, else (wandb before 0.10) `files/wandb-history.jsonl`. */
  lossFiles: string[];
  /** `files/output.log`: the console, read only when the history gives no series. */
  fallbackLossFiles: string[];
  /** `files/media/images/**`: the images the run logged. */
  images: string[];
}

// Keys with `/` (`samples/fake`) are subfolders of media/images.
const MEDIA_DEPTH = 4;

async function listImages(abs: string, rel: string, depth: number, out: string[]): Promise<void> {
  const entries = await readdir(abs, { withFileTypes: true }).catch(() => [] as Dirent[]);
  for (const e of entries) {
    const childRel = `${rel}/${e.name}`;
    if (e.isDirectory() && depth < MEDIA_DEPTH && !e.name.startsWith('.')) await listImages(path.join(abs, e.name), childRel, depth + 1, out);
    else if (e.isFile() && isImageFile(e.name)) out.push(childRel);
  }
}

/**
 * The run's files when the folder (`abs`, listed as `entries`) is a W&B run folder, else null. It is
 * one when it holds a `.wandb` file, when it is named like one and has a `files/` folder, or when
 * its `files/` (or, in wandb before 0.9, the folder itself, named like a run) holds a file only wandb writes.
 */
export async function wandbRunFiles(abs: string, entries: readonly FolderEntry[]): Promise<WandbRunFiles | null> {
  const fileNames = entries.filter((e) => e.isFile()).map((e) => e.name);
  const hasFilesDir = entries.some((e) => e.name === 'files' && e.isDirectory());
  const logs = fileNames.filter((n) => wandbFileKind(n) === 'log');
  const named = WANDB_RUN_FOLDER.test(path.basename(abs));
  const inFiles = hasFilesDir ? await readdir(path.join(abs, 'files'), { withFileTypes: true }).catch(() => [] as Dirent[]) : [];
  const marked = (list: string[]) => list.some((n) => WANDB_MARKERS.includes(n));
  const oldLayout = !hasFilesDir && named && marked(fileNames);
  if (!logs.length && !(named && hasFilesDir) && !marked(inFiles.filter((e) => e.isFile()).map((e) => e.name)) && !oldLayout) return null;

  const filesRel = hasFilesDir ? 'files' : '';
  const filesList = hasFilesDir ? inFiles : entries;
  const has = (name: string) => filesList.some((e) => e.isFile() && e.name === name);
  const at = (name: string) => (filesRel ? `${filesRel}/${name}` : name);
  const lossFiles = logs.length ? logs : has('wandb-history.jsonl') ? [at('wandb-history.jsonl')] : [];
  const images: string[] = [];
  if (filesList.some((e) => e.isDirectory() && e.name === 'media'))
    await listImages(path.join(abs, filesRel, 'media', 'images'), at('media/images'), 1, images);
  return { lossFiles, fallbackLossFiles: has('output.log') ? [at('output.log')] : [], images };
}
