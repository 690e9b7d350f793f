// Paths → runs → inspections, for the CLI and the extension: what a path holds (a folder of runs, a
// file read alone), each run read and put through the one pipeline (src/core/pipeline.ts).
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { discoverRuns, fileRunLocation, type RunLocation } from './discover';
import type { DiversityOptions } from './samples/diversity';
import { inspectLoadedRun } from './pipeline';
import { t } from './l10n';
import type { Inspection, Run } from './model';
import { FORMATS } from './formats';
import { formatByContent } from './discoverText';
import { loadFileAsRun, loadRun, type LoadOptions } from './run';
import { newFormulationCache } from './formulation';

export type { Inspection };
export { inspectLoadedRun, inspectLosses, noGridNote, scoreSamples, withScores, type SampleScores, type SampleScoring } from './pipeline';

export interface InspectOptions extends LoadOptions {
  onProgress?: (foldersSeen: number) => void;
  /** Called before each run found in a folder is read (reading can take longer than the search). */
  onRunStart?: (run: RunLocation, index: number, total: number) => void;
  maxDepth?: number;
  signal?: AbortSignal;
  /** Worker threads for sample images (a DecodePool); without one they are decoded on this thread. */
  samplePool?: DiversityOptions['pool'];
}

export async function inspectRun(loc: RunLocation, opts: LoadOptions & Pick<InspectOptions, 'samplePool'> = {}): Promise<Inspection> {
  return inspectLoadedRun(await loadRun(loc, opts), opts.samplePool ? { pool: opts.samplePool } : {});
}

// A run of results alone (a test batch's outputs) is shown too: it has images to look at.
const readable = (run: Run) => run.series.length > 0 || run.samples.length > 0 || (run.results?.length ?? 0) > 0;

/**
 * Inspects each PATH: a folder is searched for runs, a file is inspected alone. `problems` has one
 * line per PATH that yielded nothing readable; runs that were found are returned either way.
 */
export async function inspectPaths(paths: string[], options: InspectOptions = {}): Promise<{ inspections: Inspection[]; problems: string[] }> {
  // One read of each project's training code for all the runs in it.
  const opts: InspectOptions = { ...options, formulationCache: options.formulationCache ?? newFormulationCache() };
  const inspections: Inspection[] = [];
  const problems: string[] = [];
  for (const p of paths) {
    const info = await stat(p).catch((err: NodeJS.ErrnoException) => err);
    if (info instanceof Error) {
      problems.push(info.code === 'ENOENT' ? t('{0}: no such file or folder', p) : t('{0}: cannot open ({1})', p, info.code ?? info.message));
      continue;
    }
    const fileRun = info.isFile() ? await fileRunLocation(p) : null;
    if (fileRun) {
      // A file that is a run of its own (a notebook): read even when discovery would pass it over (it says why).
      const run = await loadRun(fileRun, opts);
      if (!readable(run)) problems.push(run.errors[0]?.message ?? t('{0}: nothing readable', p));
      else inspections.push(await inspectLoadedRun(run, opts.samplePool ? { pool: opts.samplePool } : {}));
      continue;
    }
    if (info.isFile()) {
      // Its name says its format, or its first bytes do (a text file named like a log that holds loss lines).
      const name = path.basename(p);
      if (!FORMATS.selectFormat(name) && !(await formatByContent(p, name))) {
        problems.push(FORMATS.notALossFile(p));
        continue;
      }
      const run = await loadFileAsRun(p, opts);
      if (!readable(run)) {
        problems.push(run.errors[0]?.message ?? t('{0}: nothing readable', p));
        continue;
      }
      inspections.push(await inspectLoadedRun(run, opts.samplePool ? { pool: opts.samplePool } : {}));
      continue;
    }
    const locations = await discoverRuns(p, { maxDepth: opts.maxDepth, onProgress: opts.onProgress, signal: opts.signal });
    if (!locations.length) {
      problems.push(t('{0}: no GAN run found (no loss files or sample images)', p));
      continue;
    }
    const found: Inspection[] = [];
    for (const [i, loc] of locations.entries()) {
      opts.onRunStart?.(loc, i, locations.length);
      found.push(await inspectRun(loc, opts));
    }
    inspections.push(...found);
    if (!found.some((i) => readable(i.run))) {
      const first = found.flatMap((i) => i.run.errors)[0];
      problems.push(first ? t('{0}: nothing readable ({1})', p, first.message) : t('{0}: nothing readable', p));
    }
  }
  return { inspections, problems };
}
