// The terminal summary: one block per run, plain text, readable without colour.
import type { Inspection } from '../inspect';
import { t } from '../l10n';
import { fileBaseName } from '../paths';
import { formatNumber, kindLabel, roleLabel, severityLabel, stepRange } from '../present';
import { describeFormulation } from '../formulation/describe';
import { formatStep } from '../analysis/format';
import { metricBest } from '../analysis/metrics';
import type { Finding, Result, Role, Sample, Series, Severity, Stage } from '../model';

/** A quality metric's best value and where: "best 28.8 at step 2,400 (lower is better)". */
export function metricSummary(s: Series): string {
  const best = metricBest(s);
  const direction = s.better === 'higher' ? t('higher is better') : t('lower is better');
  if (!best) return t('no valid value: the computation is broken');
  const where = t('best {0} at {1} ({2})', formatNumber(best.value, 'terminal'), t('step {0}', formatStep(best.step)), direction);
  return best.valid ? where : t('{0}; some values are impossible', where);
}

/** Pads to a width in terminal columns: CJK and other wide characters take two. */
export function padColumns(text: string, width: number): string {
  let cols = 0;
  for (const ch of text) cols += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return text + ' '.repeat(Math.max(0, width - cols));
}

const SEVERITY_MARK: Record<Severity, string> = { error: '✖', warning: '▲', info: 'ℹ' };
const ROLE_MARK: Record<Role, string> = { discriminator: 'D', generator: 'G', metric: 'M', other: '·' };

export function seriesLabel(s: Series): string {
  const where = s.column === null ? s.source : t('{0}, column {1}', s.source, s.column);
  return s.name === s.source || s.name === s.source.replace(/\.[^./]+$/, '') ? where : `${s.name} (${where})`;
}

/** The raw last value: a NaN there is the news, so it is shown as NaN. */
export function lastValue(s: Series): number | null {
  const n = s.values.length;
  return n ? s.values[n - 1]! : null;
}

export function samplesSummary(samples: Sample[]): string {
  if (!samples.length) return t('no sample images');
  if (samples.length === 1) return t('1 image ({0})', stepRange(samples[0]!.step, samples[0]!.step));
  const steps = new Set(samples.map((x) => x.step));
  const first = samples[0]!.step;
  const last = samples[samples.length - 1]!.step;
  return t('{0} images at {1} steps ({2})', samples.length, steps.size, stepRange(first, last));
}

/** The run's results (images on no step): how many, and the first names. */
export function resultsSummary(results: Result[]): string {
  const names = results.slice(0, 2).map((r) => fileBaseName(r.path));
  if (results.length === 1) return t('1 image ({0})', names[0]!);
  return t('{0} images ({1})', results.length, results.length > 2 ? `${names.join(', ')}, …` : names.join(', '));
}

/** "scale 0 from step 0, scale 1 from step 2,000, …": where each stage of a training with stages begins. */
export function stagesSummary(stages: readonly Stage[]): string {
  return stages.map((x) => t('{0} from step {1}', x.label, formatStep(x.start))).join(', ');
}

export function findingLine(f: Finding): string {
  return `${stepRange(f.start, f.end)}: ${f.message}`;
}

const ordered = (series: Series[]) => {
  const rank: Record<Role, number> = { discriminator: 0, generator: 1, metric: 2, other: 3 };
  return [...series].sort((a, b) => rank[a.role] - rank[b.role]);
};

/** How the samples were scored: steps, tiles a step (the most common count) and the tile diversity at the first and last scored step. */
export function diversitySummary(points: Inspection['diversity']): string | undefined {
  const scored = points.filter((p) => Number.isFinite(p.score));
  if (!scored.length) return undefined;
  const counts = new Map<number, number>();
  for (const p of scored) counts.set(p.tiles, (counts.get(p.tiles) ?? 0) + 1);
  const tiles = [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]![0];
  const first = scored[0]!;
  const last = scored[scored.length - 1]!;
  // A point is a step's tiles: one grid, or several single images saved at that step (pix2pix, CycleGAN).
  if (scored.length === 1) return t('1 step scored, {0} tiles; tile diversity {1} at step {2}', tiles, first.score.toFixed(3), formatStep(first.step));
  return t(
    '{0} steps scored, {1} tiles each; tile diversity {2} at step {3}, {4} at step {5}',
    scored.length,
    tiles,
    first.score.toFixed(3),
    formatStep(first.step),
    last.score.toFixed(3),
    formatStep(last.step),
  );
}

function runBlock({ run, findings, diversity }: Inspection): string {
  const lines: string[] = [];
  lines.push(t('Run {0}', run.name));
  lines.push(`  ${run.folder !== undefined ? t('Notebook: {0}', run.root) : t('Folder: {0}', run.root)}`);
  lines.push(`  ${t('Loss: {0}', describeFormulation(run.formulation))}`);
  if (run.stepUnit) lines.push(`  ${t('Step unit: {0}', run.stepUnit)}`);
  if (run.stages?.length) lines.push(`  ${t('Stages: {0}', stagesSummary(run.stages))}`);
  lines.push(`  ${t('Series:')}`);
  if (!run.series.length) lines.push(`    ${t('none')}`);
  for (const s of ordered(run.series)) {
    const steps = s.steps.length ? stepRange(s.steps[0]!, s.steps[s.steps.length - 1]!) : '';
    lines.push(
      `    ${ROLE_MARK[s.role]} ${padColumns(roleLabel(s.role), 13)} ${seriesLabel(s)}: ${s.values.length === 1 ? t('1 value, {0}, last {1}', steps, formatNumber(lastValue(s), 'terminal')) : t('{0} values, {1}, last {2}', formatStep(s.values.length), steps, formatNumber(lastValue(s), 'terminal'))}`,
    );
  }
  const metrics = run.series.filter((s) => s.role === 'metric');
  if (metrics.length) {
    lines.push(`  ${t('Metrics:')}`);
    for (const s of metrics) lines.push(`    M ${s.name}: ${metricSummary(s)}`);
  }
  lines.push(`  ${t('Samples: {0}', samplesSummary(run.samples))}`);
  const scored = diversitySummary(diversity);
  if (scored) lines.push(`    ${scored}`);
  for (const note of run.notes ?? []) lines.push(`    ℹ ${note}`);
  // Images on no step (test outputs, a batch by position, draws at the end): shown, never scored.
  if (run.results?.length) lines.push(`  ${t('Results (not on the step axis): {0}', resultsSummary(run.results))}`);
  lines.push(`  ${t('Findings:')}`);
  if (!findings.length) lines.push(`    ${t('none')}`);
  for (const f of findings) {
    lines.push(`    ${SEVERITY_MARK[f.severity]} ${padColumns(severityLabel(f.severity), 7)} ${kindLabel(f.kind)} [${f.kind}]  ${findingLine(f)}`);
    // What to do is the point of a warning; an info finding's advice stays in the richer views.
    if (f.advice && f.severity !== 'info') lines.push(`      → ${t('Try: {0}', f.advice)}`);
  }
  if (run.errors.length) {
    lines.push(`  ${t('Errors:')}`);
    // ⚠: the file was read and only damaged records were skipped; ✖: it could not be read.
    for (const e of run.errors) lines.push(`    ${e.skipped ? '⚠' : '✖'} ${e.message}`);
  }
  return lines.join('\n');
}

export function renderTextReport(inspections: Inspection[]): string {
  if (!inspections.length) return `${t('No runs found.')}\n`;
  return `${inspections.map(runBlock).join('\n\n')}\n`;
}
