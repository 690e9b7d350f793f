// The same summary as Markdown (for issues, PRs and notebooks). File and series names are untrusted:
// every one is escaped so it cannot turn into markup, links or HTML.
import type { Inspection } from '../inspect';
import { t } from '../l10n';
import type { Role, Series } from '../model';
import { diversitySummary, findingLine, lastValue, metricSummary, resultsSummary, samplesSummary, stagesSummary } from './text';
import { formatNumber, kindLabel, roleLabel, severityLabel, stepRange } from '../present';
import { describeFormulation } from '../formulation/describe';

/** Text safe inside Markdown (also inside a table cell): HTML and Markdown punctuation are escaped. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, '\\$&');
}

const SEVERITY_ICON = { error: '🛑', warning: '⚠️', info: 'ℹ️' } as const;

function seriesRow(s: Series): string {
  const cells = [
    roleLabel(s.role),
    escapeMarkdown(s.name),
    escapeMarkdown(s.source),
    s.column === null ? '' : String(s.column),
    String(s.values.length),
    s.steps.length ? escapeMarkdown(stepRange(s.steps[0]!, s.steps[s.steps.length - 1]!)) : '',
    escapeMarkdown(formatNumber(lastValue(s), 'terminal')),
  ];
  return `| ${cells.join(' | ')} |`;
}

function runSection({ run, findings, diversity }: Inspection): string {
  const rank: Record<Role, number> = { discriminator: 0, generator: 1, metric: 2, other: 3 };
  const out: string[] = [];
  out.push(`## ${escapeMarkdown(t('Run {0}', run.name))}`, '');
  out.push(`- ${escapeMarkdown(run.folder !== undefined ? t('Notebook: {0}', run.root) : t('Folder: {0}', run.root))}`);
  out.push(`- ${escapeMarkdown(t('Loss: {0}', describeFormulation(run.formulation)))}`);
  if (run.stepUnit) out.push(`- ${escapeMarkdown(t('Step unit: {0}', run.stepUnit))}`);
  if (run.stages?.length) out.push(`- ${escapeMarkdown(t('Stages: {0}', stagesSummary(run.stages)))}`);
  for (const s of run.series.filter((x) => x.role === 'metric')) out.push(`- ${escapeMarkdown(`${s.name}: ${metricSummary(s)}`)}`);
  out.push(`- ${escapeMarkdown(t('Samples: {0}', samplesSummary(run.samples)))}`);
  const scored = diversitySummary(diversity);
  if (scored) out.push(`  - ${escapeMarkdown(scored)}`);
  for (const note of run.notes ?? []) out.push(`  - ${escapeMarkdown(note)}`);
  if (run.results?.length) out.push(`- ${escapeMarkdown(t('Results (not on the step axis): {0}', resultsSummary(run.results)))}`);
  out.push('');
  out.push(`### ${escapeMarkdown(t('Series'))}`, '');
  if (run.series.length) {
    const head = [t('Role'), t('Name'), t('File'), t('Column'), t('Length'), t('Steps'), t('Last value')].map(escapeMarkdown);
    out.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
    for (const s of [...run.series].sort((a, b) => rank[a.role] - rank[b.role])) out.push(seriesRow(s));
  } else out.push(escapeMarkdown(t('none')));
  out.push('', `### ${escapeMarkdown(t('Findings'))}`, '');
  if (!findings.length) out.push(escapeMarkdown(t('none')));
  for (const f of findings)
    out.push(
      `- ${SEVERITY_ICON[f.severity]} **${escapeMarkdown(severityLabel(f.severity))}** ${escapeMarkdown(kindLabel(f.kind))} \`${f.kind}\`: ${escapeMarkdown(findingLine(f))}`,
    );
  if (run.errors.length) {
    out.push('', `### ${escapeMarkdown(t('Errors'))}`, '');
    for (const e of run.errors) out.push(`- ${escapeMarkdown(e.message)}`);
  }
  return out.join('\n');
}

export function renderMarkdownReport(inspections: Inspection[]): string {
  const title = `# ${escapeMarkdown(t('GAN run inspection'))}`;
  if (!inspections.length) return `${title}\n\n${escapeMarkdown(t('No runs found.'))}\n`;
  return `${title}\n\n${inspections.map(runSection).join('\n\n')}\n`;
}
