// The whole pipeline for the CLI and the extension: paths → runs → samples' diversity → findings.
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { analyzeRun } from './analysis';
import { discoverRuns, fileRunLocation, type RunLocation } from './discover';
import { sampleDiversity, type DiversityOptions } from './samples/diversity';
import { t } from './l10n';
import type { DiversityPoint, Finding, Inspection, Run } from './model';
import { FORMATS } from './formats';
import { formatByContent } from './discoverText';
import { loadFileAsRun, loadRun, type LoadOptions } from './run';
import { newFormulationCache } from './formulation';

export type { Inspection };

export interface InspectOptions extends LoadOptions {
  onProgress?: (foldersSeen: number) => void;
  /** Called before each run found in a folder is read (reading can take longer than the search). */
  onRunStart?: (run: RunLocation, index: number, total: number) => void;
  maxDepth?: number;
  signal?: AbortSignal;
  /** Worker threads for sample images (a DecodePool); without one they are decoded on this thread. */
  samplePool?: DiversityOptions['pool'];
}

const firstLine = (s: string) => s.split(/\r?\n/)[0]!.trim();

/**
 * How a run's samples are scored: a long-lived caller's cache (so a live refresh decodes only new
 * images), the worker threads that decode them, and a call per image decoded.
 */
export type SampleScoring = Pick<DiversityOptions, 'cache' | 'pool' | 'onDecode'>;

/**
 * Diversity and findings for a loaded run; a failure there is reported on the run, not thrown.
 * A long-lived caller (the extension's worker) passes one cache so a live refresh decodes only new images.
 */
export async function inspectLoadedRun(run: Run, scoring: SampleScoring = {}): Promise<Inspection> {
  const diversity = await scoreDiversity(run, scoring);
  return { run, findings: analyze(run, diversity), diversity };
}

/** The run's sample diversity; unreadable images go to run.errors, "no grid found" to run.notes. */
async function scoreDiversity(run: Run, scoring: SampleScoring): Promise<DiversityPoint[]> {
  let diversity: DiversityPoint[] = [];
  if (!run.samples.length) return diversity;
  // Image sizes in which no grid of tiles was found: without tiles there is no diversity to score.
  const noGrid: string[] = [];
  try {
    diversity = await sampleDiversity(run, {
      ...(run.config.grid ? { grid: run.config.grid } : {}),
      ...scoring,
      onLayout: (layout, width, height) => {
        if (layout.source === 'single') noGrid.push(`${width}×${height}`);
      },
      onError: (source, message) => run.errors.push({ source, message: message.startsWith(source) ? firstLine(message) : `${source}: ${firstLine(message)}` }),
    });
  } catch (err) {
    run.errors.push({ source: run.samples[0]!.path, message: t('samples: {0}', firstLine((err as Error)?.message ?? String(err))) });
  }
  const note = noGridNote(noGrid);
  if (!diversity.length && noGrid.length && !run.notes?.includes(note)) run.notes = [...(run.notes ?? []), note];
  return diversity;
}

/** analyzeRun, with a failure reported on the run (once) instead of thrown. */
function analyze(run: Run, diversity: DiversityPoint[]): Finding[] {
  try {
    return analyzeRun(run, diversity, run.config.thresholds);
  } catch (err) {
    const message = t('analysis failed: {0}', firstLine((err as Error)?.message ?? String(err)));
    if (!run.errors.some((e) => e.message === message)) run.errors.push({ source: '.', message });
    return [];
  }
}

/** Said wherever the diversity would be shown, so an empty diversity track is never silent. */
export function noGridNote(sizes: string[]): string {
  return t('No grid of tiles was found in the sample images ({0} px), so their diversity is not scored and mode collapse cannot be detected. If each image is a grid, give its layout in gan-run.json, e.g. "grid": {"rows": 5, "cols": 5}.', sizes.join(', '));
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

/** What scoring a run's samples adds to an inspection made from its losses alone. */
export interface SampleScores {
  diversity: DiversityPoint[];
  /** All the run's findings, analysed again with the diversity (imbalance severity depends on it). */
  findings: Finding[];
  /** Errors met while scoring (unreadable images), to append to the run's. */
  errors: Run['errors'];
  /** The run's notes after scoring (e.g. no grid found in the samples). */
  notes: string[];
}

/**
 * The losses half of inspectLoadedRun: findings without the samples, so a run's curves can be
 * shown before its (possibly hundreds of large) sample grids are decoded by `scoreSamples`.
 */
export function inspectLosses(run: Run): Inspection {
  return { run, findings: analyze(run, []), diversity: [] };
}

/**
 * The samples half: diversity, and the run's findings analysed with it — the same list
 * inspectLoadedRun gives. The run must still hold its series (the samples' verdict changes the
 * imbalance findings' severity and drops collapses after a dead generator).
 */
export async function scoreSamples(run: Run, scoring: SampleScoring = {}): Promise<SampleScores> {
  const errorsBefore = run.errors.length;
  const diversity = await scoreDiversity(run, scoring);
  const findings = analyze(run, diversity);
  return { diversity, findings, errors: run.errors.slice(errorsBefore), notes: [...(run.notes ?? [])] };
}
