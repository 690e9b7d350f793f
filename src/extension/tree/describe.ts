// How a run and a series read in words: the run row's health, one-line description and tooltip
// (also the quick pick's description) and a series row's summary. Pure.
import { t } from '../../core/l10n';
import { fileBaseName } from '../../core/paths';
import type { Finding, Series } from '../../core/model';
import { statsOf } from '../../core/stats';
import { formatStep } from '../../core/analysis/format';
import { glanceOf } from '../../core/glance';
import { metricSummary } from '../../core/report/text';
import { escapeMarkdown } from '../markdown';
import { formatNumber, severityRank, stepRange, worstFirst } from '../../core/present';
import { describeFormulation } from '../../core/formulation/describe';
import type { RunEntry } from '../runs/runEntry';

export type Health = 'error' | 'warning' | 'ok' | 'loading';

export function runHealth(entry: RunEntry): Health {
  const ins = entry.inspection;
  if (!ins) return entry.failure ? 'error' : 'loading';
  // The losses are in but the samples are still scored: a collapse may still change the verdict.
  if (entry.scoring) return 'loading';
  const worst = Math.max(-1, ...ins.findings.map((f) => severityRank(f.severity)));
  if (worst === 2 || (ins.run.series.length === 0 && ins.run.samples.length === 0 && ins.run.errors.length > 0)) return 'error';
  return worst === 1 ? 'warning' : 'ok';
}

/** "1080 steps · D 0.6931 · G 0.6931": the longest series' length and the last D/G values. */
export function runDescription(entry: RunEntry): string {
  const ins = entry.inspection;
  // Read but not judged yet (a scan shows every row's numbers first): the numbers, then "checking…".
  const glance = ins ? glanceOf(ins.run) : entry.failure ? undefined : entry.glance;
  if (!glance) return entry.failure ? t('unreadable') : t('reading…');
  const { steps, samples, results } = glance;
  const parts: string[] = [];
  if (steps) parts.push(steps === 1 ? t('1 step') : t('{0} steps', formatStep(steps)));
  if (glance.d !== undefined) parts.push(t('D {0}', formatNumber(glance.d)));
  if (glance.g !== undefined) parts.push(t('G {0}', formatNumber(glance.g)));
  // The run's first quality metric at its best: the snapshot to keep.
  const metric = glance.metric;
  if (metric) parts.push(t('{0} best {1} at {2}', shortMetricName(metric.name), formatNumber(metric.value), formatStep(metric.step)));
  if (!steps && samples) parts.push(samples === 1 ? t('1 sample') : t('{0} samples', formatStep(samples)));
  if (!steps && !samples && results) parts.push(results === 1 ? t('1 result') : t('{0} results', formatStep(results)));
  if (!ins) parts.push(t('checking…'));
  else if (entry.scoring) parts.push(samples === 1 ? t('scoring 1 sample…') : t('scoring {0} samples…', formatStep(samples)));
  return parts.join(' · ');
}

/** `Metrics/fid50k_full` → `fid50k_full`. */
function shortMetricName(name: string): string {
  return fileBaseName(name);
}

export function seriesDescription(s: Series): string {
  const st = statsOf(s);
  const parts = s.role === 'metric' ? [metricSummary(s)] : [];
  parts.push(t('{0} values', s.values.length), t('last {0}', formatNumber(st.last)), t('min {0}', formatNumber(st.min)), t('max {0}', formatNumber(st.max)));
  if (st.nonFinite) parts.push(t('{0} non-finite', st.nonFinite));
  return parts.join(' · ');
}

export function runTooltip(entry: RunEntry): string {
  const lines = [`**${escapeMarkdown(entry.name)}**`, '', escapeMarkdown(entry.root), ''];
  const ins = entry.inspection;
  if (entry.failure) lines.push(escapeMarkdown(entry.failure));
  if (!ins) return lines.join('\n');
  lines.push(escapeMarkdown(t('Loss: {0}', describeFormulation(ins.run.formulation))), '');
  for (const s of ins.run.series.slice(0, 8)) lines.push(`- ${escapeMarkdown(`${s.name} (${s.source}): ${seriesDescription(s)}`)}`);
  if (ins.run.samples.length) {
    const sm = ins.run.samples;
    const said = sm.length === 1 ? t('1 sample, step {0}', sm[0]!.step) : t('{0} samples, steps {1}–{2}', sm.length, sm[0]!.step, sm[sm.length - 1]!.step);
    lines.push(`- ${escapeMarkdown(said)}`);
    for (const note of ins.run.notes ?? []) lines.push(`- ${escapeMarkdown(note)}`);
  }
  if (ins.run.results?.length) lines.push(`- ${escapeMarkdown(t('Results (not on the step axis): {0}', ins.run.results.length))}`);
  const count = (sev: Finding['severity']) => ins.findings.filter((f) => f.severity === sev).length;
  lines.push('', escapeMarkdown(t('{0} errors, {1} warnings, {2} notes', count('error'), count('warning'), count('info'))));
  for (const f of worstFirst(ins.findings)
    .filter((f) => f.severity !== 'info')
    .slice(0, 5)) {
    lines.push(`- ${escapeMarkdown(`${stepRange(f.start, f.end)}: ${f.message}`)}`);
  }
  const unread = ins.run.errors.filter((e) => !e.skipped).length;
  if (unread) lines.push('', escapeMarkdown(t('{0} files could not be read', unread)));
  const skipped = ins.run.errors.filter((e) => e.skipped);
  if (skipped.length) lines.push('', ...skipped.map((e) => `- ${escapeMarkdown(e.message)}`));
  return lines.join('\n');
}
