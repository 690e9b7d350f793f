// What the hover says about a path literal in Python: which run it names and a short Markdown
// summary. Pure (no `vscode`), so Node tests cover it; hover.ts only plugs it into the editor.
import * as path from 'node:path';
import { t } from '../../core/l10n';
import type { Inspection } from '../../core/inspect';
import type { Series } from '../../core/model';
import { formatStep } from '../../core/analysis/format';
import { metricSummary } from '../../core/report/text';
import { COMMANDS } from '../ids';
import type { PathMatch } from '../runs/runEntry';
import type { InspectArgs } from '../inspectArgs';
import { commandLink, escapeMarkdown, sparkline } from '../markdown';
import { errorLine, formatNumber, stepRange, worstFirst } from '../../core/present';
import { formulationLabel } from '../../core/formulation/describe';

/**
 * Absolute paths a literal may mean: itself if absolute, else relative to the file's folder and to
 * each workspace folder (scripts are often run from the workspace root), without duplicates.
 */
export function pathCandidates(literal: string, fileDir: string | undefined, workspaceFolders: readonly string[], home?: string): string[] {
  let lit = literal;
  if (home && (lit === '~' || lit.startsWith('~/'))) lit = home + lit.slice(1);
  if (path.isAbsolute(lit)) return [path.normalize(lit)];
  const bases = [...(fileDir ? [fileDir] : []), ...workspaceFolders];
  const out: string[] = [];
  for (const b of bases) {
    const p = path.resolve(b, lit);
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

/** Series a relative path names: the file's own series, or all series when it names the run or a folder in it. */
export function seriesForPath(inspection: Inspection, relative: string): Series[] {
  const own = inspection.run.series.filter((s) => s.source === relative);
  if (own.length) return own;
  const inFolder = inspection.run.series.filter((s) => relative === '' || s.source.startsWith(relative + '/'));
  return inFolder.length ? inFolder : relative === '' ? [] : inspection.run.series.filter((s) => s.role !== 'other');
}

/** Samples under a relative path (all samples when it is the run itself). */
export function samplesForPath(inspection: Inspection, relative: string) {
  return inspection.run.samples.filter((s) => relative === '' || s.path === relative || s.path.startsWith(relative + '/'));
}

function seriesLine(s: Series): string {
  const n = s.values.length;
  const lastValues = Array.from(s.values.subarray(Math.max(0, n - 3)))
    .map((v) => formatNumber(v))
    .join(', ');
  const lastStep = n ? s.steps[n - 1]! : 0;
  // A quality metric's news is its best snapshot, not its last value.
  const best = s.role === 'metric' ? ` ${escapeMarkdown(`— ${metricSummary(s)}`)}` : '';
  return `- **${escapeMarkdown(s.name)}** ${escapeMarkdown(t('{0} steps, last {1} (step {2})', formatStep(n), lastValues || '–', formatStep(lastStep)))}${best}  \n  ${sparkline(s.values)}`;
}

/** The hover's Markdown for a path inside a run. Names are escaped; the only link is our command. */
export function hoverMarkdown(inspection: Inspection, match: PathMatch, maxFindings = 6): string {
  const run = inspection.run;
  const lines: string[] = [];
  const where = match.relative ? `${run.name}/${match.relative}` : run.name;
  lines.push(`**${escapeMarkdown(t('GAN run {0}', run.name))}**${match.relative ? ` — ${escapeMarkdown(match.relative)}` : ''}`);
  lines.push('');
  // D, G and metrics first: in a StyleGAN run they are 3 of 20 series.
  const rank = (x: Series) => ({ discriminator: 0, generator: 1, metric: 2, other: 3 })[x.role];
  const series = [...seriesForPath(inspection, match.relative)].sort((a, b) => rank(a) - rank(b)).slice(0, 6);
  for (const s of series) lines.push(seriesLine(s));
  lines.push(`- ${escapeMarkdown(t('Loss: {0}', formulationLabel(run.formulation)))}`);
  const samples = samplesForPath(inspection, match.relative);
  if (samples.length) {
    const said =
      samples.length === 1
        ? t('1 sample, step {0}', samples[0]!.step)
        : t('{0} samples, steps {1}–{2}', samples.length, samples[0]!.step, samples[samples.length - 1]!.step);
    lines.push(`- ${escapeMarkdown(said)}`);
  }
  if (!series.length && !samples.length) lines.push(escapeMarkdown(t('No loss series or samples read at {0}.', where)));
  const findings = worstFirst(inspection.findings);
  if (findings.length) {
    lines.push('');
    for (const f of findings.slice(0, maxFindings)) {
      const icon = f.severity === 'error' ? '$(error)' : f.severity === 'warning' ? '$(warning)' : '$(info)';
      lines.push(`- ${icon} ${escapeMarkdown(`${stepRange(f.start, f.end)}: ${f.message}`)}`);
    }
    if (findings.length > maxFindings) lines.push(`- ${escapeMarkdown(t('… and {0} more findings', findings.length - maxFindings))}`);
  }
  const unreadable = run.errors.filter((e) => match.relative === '' || e.source === match.relative || e.source.startsWith(match.relative + '/'));
  // A file read with damaged records skipped is a warning (its series are above), not an error.
  for (const e of unreadable.slice(0, 3)) lines.push(`- ${e.skipped ? '$(warning)' : '$(error)'} ${escapeMarkdown(errorLine(e))}`);
  lines.push('');
  lines.push(`$(graph-line) ${commandLink(t('Inspect GAN run'), COMMANDS.inspect, [{ runRoot: run.root } satisfies InspectArgs])}`);
  return lines.join('\n');
}

/** True when a path inside the run is the run itself or holds (or is) one of its series, samples or unreadable files. */
export function namesSomethingIn(inspection: Inspection, relative: string): boolean {
  if (relative === '') return true;
  const under = (p: string) => p === relative || p.startsWith(relative + '/');
  return (
    inspection.run.series.some((s) => under(s.source)) ||
    inspection.run.samples.some((s) => under(s.path)) ||
    inspection.run.errors.some((e) => under(e.source))
  );
}
