// The files to look at to see whether a run grew: its loss files, the folders its sample images
// are saved into (a new grid changes the folder) and its own folder (a new loss file). Bounded, so
// a run of 10,000 sample images costs a few stats, not 10,000. Which files are loss files, and
// which runs are one file of their own (a notebook), the format registry says.
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { Inspection } from '../inspect';
import { FORMATS, type FormatRegistry } from '../formats/registry';
import { fileBaseName } from '../paths';

/** Loss files looked at per run at most (a run logs to a handful; StyleGAN's metrics add a few). */
export const MAX_LOSS_FILES = 32;
/** Sample folders looked at per run at most: the newest samples' folders. */
export const MAX_SAMPLE_FOLDERS = 4;

/**
 * Absolute paths: the run folder (or the file that is the run), its sample folders, its loss files
 * (each once). A source is a loss file when some format may read its name (an error's source may
 * be an image or gan-run.json, which are not).
 */
export function growingFiles(ins: Inspection, formats: FormatRegistry = FORMATS): string[] {
  const root = ins.run.root;
  // A run that is one file (its format's `isRun`) names its files from the folder holding it.
  const isFileRun = formats.claims(fileBaseName(root)).some((c) => c.format.isRun);
  const folder = isFileRun ? path.dirname(root) : root;
  const out = new Set<string>([root]);
  const samples = ins.run.samples;
  // The newest samples only: a grid lands where the last ones did.
  for (let i = samples.length - 1; i >= Math.max(0, samples.length - 200) && out.size < 1 + MAX_SAMPLE_FOLDERS; i--)
    out.add(path.dirname(path.resolve(folder, samples[i]!.path)));
  const sources = [...ins.run.series.map((s) => s.source), ...ins.run.errors.map((e) => e.source)].filter(
    (s) => s && s !== '.' && formats.claims(fileBaseName(s)).length > 0,
  );
  for (const source of new Set(sources)) {
    if (out.size >= 1 + MAX_SAMPLE_FOLDERS + MAX_LOSS_FILES) break;
    out.add(path.resolve(folder, source));
  }
  return [...out];
}

/** When any of the files was last written (ms), or undefined when none can be stat'ed. */
export async function newestWrite(files: string[]): Promise<number | undefined> {
  const times = await Promise.all(
    files.map((f) =>
      stat(f).then(
        (s) => s.mtimeMs,
        () => undefined,
      ),
    ),
  );
  const known = times.filter((t): t is number => t !== undefined);
  return known.length ? Math.max(...known) : undefined;
}
