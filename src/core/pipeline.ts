// One inspection pipeline, one owner: a loaded run → the findings of its losses → the diversity of
// its samples → every finding. The CLI runs both stages at once; the extension's worker sends the
// losses stage first (curves on screen before hundreds of grids are decoded) and the scores after,
// and its client joins them with `withScores`: nobody else splits or merges an inspection. A run is
// never changed once loaded: what scoring finds (unreadable images, "no grid found") goes into a new
// run object. Thresholds are resolved once per stage, from the settings under the run's gan-run.json.
import { analyzeRun } from './analysis';
import { resolveThresholds, type Thresholds } from './analysis/thresholds';
import { sampleDiversity, type DiversityOptions } from './samples/diversity';
import { t } from './l10n';
import type { DiversityPoint, Finding, Inspection, ReadError, Run } from './model';

/** What the user's settings add to every run (the extension's `ganInspector.thresholds`); a run's own gan-run.json wins. */
export interface InspectSettings {
  thresholds?: Record<string, number>;
}

/**
 * How a run's samples are scored: a long-lived caller's cache (so a live refresh decodes only new
 * images), the worker threads that decode them, and a call per image decoded.
 */
export type SampleScoring = Pick<DiversityOptions, 'cache' | 'pool' | 'onDecode'>;

/** What scoring a run's samples adds to the losses stage. */
export interface SampleScores {
  diversity: DiversityPoint[];
  /** All the run's findings, analysed again with the diversity (imbalance severity depends on it). */
  findings: Finding[];
  /** Errors met while scoring (unreadable images, an analysis that failed), after the run's own. */
  errors: ReadError[];
  /** The run's notes after scoring (e.g. no grid found in the samples). */
  notes: string[];
}

const firstLine = (s: string) => s.split(/\r?\n/)[0]!.trim();

/** The thresholds a run is judged by: defaults, under the settings, under its own gan-run.json. */
export function thresholdsFor(run: Run, settings: InspectSettings = {}): Thresholds {
  return resolveThresholds({ ...(settings.thresholds ?? {}), ...(run.config.thresholds ?? {}) });
}

/** Both stages at once: the inspection of a loaded run (failures are told on the run, never thrown). */
export async function inspectLoadedRun(run: Run, scoring: SampleScoring = {}, settings: InspectSettings = {}): Promise<Inspection> {
  const losses = inspectLosses(run, settings);
  return withScores(losses, await scoreSamples(losses, scoring, settings));
}

/** The losses stage: findings without the samples, so a run's curves can be shown before its grids are decoded. */
export function inspectLosses(run: Run, settings: InspectSettings = {}): Inspection {
  const analysed = analyze(run, [], thresholdsFor(run, settings));
  return { run: analysed.errors.length ? { ...run, errors: [...run.errors, ...analysed.errors] } : run, findings: analysed.findings, diversity: [] };
}

/**
 * The samples stage: the diversity, and the run's findings analysed with it (the samples' verdict
 * changes the imbalance findings' severity and drops collapses after a dead generator). A run with
 * no samples keeps the losses stage's findings.
 */
export async function scoreSamples(losses: Inspection, scoring: SampleScoring = {}, settings: InspectSettings = {}): Promise<SampleScores> {
  const { run } = losses;
  const notes = [...(run.notes ?? [])];
  if (!run.samples.length) return { diversity: [], findings: losses.findings, errors: [], notes };
  const scored = await scoreDiversity(run, scoring);
  if (scored.note && !notes.includes(scored.note)) notes.push(scored.note);
  const analysed = analyze(run, scored.diversity, thresholdsFor(run, settings));
  // `analyze` leaves out a failure the losses stage already told on the run.
  return { diversity: scored.diversity, findings: analysed.findings, errors: [...scored.errors, ...analysed.errors], notes };
}

/** The one place the two stages become one inspection: a new run object, the losses stage's unchanged. */
export function withScores(losses: Inspection, scores: SampleScores): Inspection {
  const { run } = losses;
  const notes = scores.notes.length || run.notes ? { notes: scores.notes } : {};
  return { run: { ...run, errors: [...run.errors, ...scores.errors], ...notes }, findings: scores.findings, diversity: scores.diversity };
}

/** The run's sample diversity; unreadable images and "no grid found" are returned, never written on the run. */
async function scoreDiversity(run: Run, scoring: SampleScoring): Promise<{ diversity: DiversityPoint[]; errors: ReadError[]; note: string | null }> {
  let diversity: DiversityPoint[] = [];
  const errors: ReadError[] = [];
  // Image sizes in which no grid of tiles was found: without tiles there is no diversity to score.
  const noGrid: { width: number; height: number }[] = [];
  try {
    diversity = await sampleDiversity(run, {
      ...(run.config.grid ? { grid: run.config.grid } : {}),
      ...scoring,
      onLayout: (layout, width, height) => {
        if (layout.source === 'single') noGrid.push({ width, height });
      },
      onError: (source, message) => errors.push({ source, message: message.startsWith(source) ? firstLine(message) : `${source}: ${firstLine(message)}` }),
    });
  } catch (err) {
    errors.push({ source: run.samples[0]!.path, message: t('samples: {0}', firstLine((err as Error)?.message ?? String(err))) });
  }
  // Smallest first, whatever order the decodes finished in: the same run always reads the same.
  const sizes = noGrid.sort((a, b) => a.width * a.height - b.width * b.height || a.width - b.width).map((s) => `${s.width}×${s.height}`);
  return { diversity, errors, note: !diversity.length && sizes.length ? noGridNote(sizes) : null };
}

/** analyzeRun, with a failure returned as an error line instead of thrown. */
function analyze(run: Run, diversity: DiversityPoint[], th: Thresholds): { findings: Finding[]; errors: ReadError[] } {
  try {
    return { findings: analyzeRun(run, diversity, th), errors: [] };
  } catch (err) {
    const message = t('analysis failed: {0}', firstLine((err as Error)?.message ?? String(err)));
    return { findings: [], errors: run.errors.some((e) => e.message === message) ? [] : [{ source: '.', message }] };
  }
}

/** Said wherever the diversity would be shown, so an empty diversity track is never silent. */
export function noGridNote(sizes: string[]): string {
  return t(
    'No grid of tiles was found in the sample images ({0} px), so their diversity is not scored and mode collapse cannot be detected. If each image is a grid, give its layout in gan-run.json, e.g. "grid": {"rows": 5, "cols": 5}.',
    sizes.join(', '),
  );
}
