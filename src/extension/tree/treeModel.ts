// The runs tree as plain data: node kinds, their children and how each looks. Pure (no `vscode`),
// so Node tests build it from real inspections; runsView.ts turns a NodeView into a TreeItem.
import * as path from 'node:path';
import { t } from '../../core/l10n';
import { fileBaseName, parentOf } from '../../core/paths';
import type { Inspection } from '../../core/inspect';
import type { Finding, Run, Sample, Series } from '../../core/model';
import { statsOf } from '../../core/stats';
import { formatStep } from '../../core/analysis/format';
import { metricBest } from '../../core/analysis/metrics';
import { metricSummary } from '../../core/report/text';
import { escapeMarkdown } from '../markdown';
import { COMMANDS } from '../ids';
import type { InspectArgs } from '../inspectArgs';
import { errorLine, errorReason, formatNumber, kindLabel, roleLabel, severityRank, stepRange, worstFirst } from '../../core/present';
import { describeFormulation } from '../../core/formulation/describe';
import type { RunEntry } from '../runs/runEntry';
import { groupSeries } from '../../core/seriesGroups';

/** A run as the tree knows it: discovered, and inspected once the worker answered. */
export type TreeNode =
  | { kind: 'run'; runRoot: string }
  | { kind: 'group'; runRoot: string; group: 'findings' | 'series' | 'samples' | 'results' | 'errors' }
  | { kind: 'series'; runRoot: string; index: number }
  /** A group of series by what they are (src/core/seriesGroups.ts); only when a run has more than one. */
  | { kind: 'seriesGroup'; runRoot: string; key: string }
  | { kind: 'sample'; runRoot: string; index: number }
  /** An image of the run on no step (see `Result`): a test output, a batch position, a draw. */
  | { kind: 'result'; runRoot: string; index: number }
  | { kind: 'more'; runRoot: string; hidden: number }
  | { kind: 'finding'; runRoot: string; index: number }
  | { kind: 'error'; runRoot: string; index: number };

export type Health = 'error' | 'warning' | 'ok' | 'loading';

export interface NodeView {
  id: string;
  label: string;
  description?: string;
  /** Markdown, names already escaped. */
  tooltip?: string;
  /** Codicon id and optional theme colour id. */
  icon: { id: string; color?: string };
  collapsible: 'none' | 'collapsed' | 'expanded';
  /** Command to run on click; `vscode.open` gets an absolute file path. */
  command?: { id: string; title: string; args: unknown[] };
  contextValue: string;
}

/** Most sample rows shown under one run; the rest are summarised so 10,000 images stay cheap. */
export const MAX_SAMPLE_ROWS = 200;

export function runHealth(entry: RunEntry): Health {
  const ins = entry.inspection;
  if (!ins) return entry.failure ? 'error' : 'loading';
  // The losses are in but the samples are still scored: a collapse may still change the verdict.
  if (entry.scoring) return 'loading';
  const worst = Math.max(-1, ...ins.findings.map((f) => severityRank(f.severity)));
  if (worst === 2 || (ins.run.series.length === 0 && ins.run.samples.length === 0 && ins.run.errors.length > 0)) return 'error';
  return worst === 1 ? 'warning' : 'ok';
}

const HEALTH_ICON: Record<Health, NodeView['icon']> = {
  error: { id: 'error', color: 'problemsErrorIcon.foreground' },
  warning: { id: 'warning', color: 'problemsWarningIcon.foreground' },
  ok: { id: 'pass', color: 'testing.iconPassed' },
  loading: { id: 'loading~spin' },
};

const SEVERITY_ICON: Record<Finding['severity'], NodeView['icon']> = {
  error: { id: 'error', color: 'problemsErrorIcon.foreground' },
  warning: { id: 'warning', color: 'problemsWarningIcon.foreground' },
  info: { id: 'info', color: 'problemsInfoIcon.foreground' },
};

function firstOfRole(ins: Inspection, role: Series['role']): Series | undefined {
  return ins.run.series.find((s) => s.role === role);
}

function lastValue(s: Series | undefined): number | null | undefined {
  return s && s.values.length ? s.values[s.values.length - 1] : undefined;
}

/** "1080 steps · D 0.6931 · G 0.6931": the longest series' length and the last D/G values. */
export function runDescription(entry: RunEntry): string {
  const ins = entry.inspection;
  if (!ins) return entry.failure ? t('unreadable') : t('reading…');
  const steps = Math.max(0, ...ins.run.series.map((s) => s.values.length));
  const parts: string[] = [];
  if (steps) parts.push(t('{0} steps', formatStep(steps)));
  const d = firstOfRole(ins, 'discriminator');
  const g = firstOfRole(ins, 'generator');
  if (d) parts.push(t('D {0}', formatNumber(lastValue(d))));
  if (g) parts.push(t('G {0}', formatNumber(lastValue(g))));
  // The run's first quality metric at its best: the snapshot to keep.
  const metric = firstOfRole(ins, 'metric');
  const best = metric && metricBest(metric);
  if (metric && best) parts.push(t('{0} best {1} at {2}', shortMetricName(metric.name), formatNumber(best.value), formatStep(best.step)));
  if (!steps && ins.run.samples.length) parts.push(t('{0} samples', ins.run.samples.length));
  if (!steps && !ins.run.samples.length && ins.run.results?.length) parts.push(t('{0} results', ins.run.results.length));
  if (entry.scoring) parts.push(t('scoring {0} samples…', ins.run.samples.length));
  return parts.join(' · ');
}

/** `Metrics/fid50k_full` → `fid50k_full`. */
function shortMetricName(name: string): string {
  return fileBaseName(name);
}

function seriesDescription(s: Series): string {
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
    lines.push(`- ${escapeMarkdown(t('{0} samples, steps {1}–{2}', sm.length, sm[0].step, sm[sm.length - 1].step))}`);
    for (const note of ins.run.notes ?? []) lines.push(`- ${escapeMarkdown(note)}`);
  }
  if (ins.run.results?.length) lines.push(`- ${escapeMarkdown(t('Results (not on the step axis): {0}', ins.run.results.length))}`);
  const count = (sev: Finding['severity']) => ins.findings.filter((f) => f.severity === sev).length;
  lines.push('', escapeMarkdown(t('{0} errors, {1} warnings, {2} notes', count('error'), count('warning'), count('info'))));
  for (const f of sortedFindings(ins).filter((f) => f.severity !== 'info').slice(0, 5)) {
    lines.push(`- ${escapeMarkdown(`${stepRange(f.start, f.end)}: ${f.message}`)}`);
  }
  const unread = ins.run.errors.filter((e) => !e.skipped).length;
  if (unread) lines.push('', escapeMarkdown(t('{0} files could not be read', unread)));
  const skipped = ins.run.errors.filter((e) => e.skipped);
  if (skipped.length) lines.push('', ...skipped.map((e) => `- ${escapeMarkdown(e.message)}`));
  return lines.join('\n');
}

/** Findings worst first, then by step; the tree and the hover show them in this order. */
export function sortedFindings(ins: Inspection): Finding[] {
  return worstFirst(ins.findings);
}

/** The parent of a series row (its group when the run's series are grouped) or of a series group. */
export function seriesParentOf(node: TreeNode & { kind: 'series' | 'seriesGroup' }, runs: ReadonlyMap<string, RunEntry>): TreeNode {
  const seriesGroup: TreeNode = { kind: 'group', runRoot: node.runRoot, group: 'series' };
  if (node.kind === 'seriesGroup') return seriesGroup;
  const ins = runs.get(node.runRoot)?.inspection;
  const grouping = ins ? groupSeries(ins.run.series) : undefined;
  if (!grouping || grouping.groups.length < 2) return seriesGroup;
  return { kind: 'seriesGroup', runRoot: node.runRoot, key: grouping.places[node.index]?.group ?? '' };
}

/** Children of a node; runs are the roots (sorted by name). */
export function childrenOf(node: TreeNode | undefined, runs: ReadonlyMap<string, RunEntry>): TreeNode[] {
  if (!node) {
    // Every discovered run at once: one still being read shows a spinner and "reading…" until its
    // row can carry its health (an image-only run can take seconds longer than the others).
    return [...runs.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((r) => ({ kind: 'run', runRoot: r.root }));
  }
  const ins = runs.get(node.runRoot)?.inspection;
  if (!ins) return [];
  const runRoot = node.runRoot;
  if (node.kind === 'run') {
    const groups: TreeNode[] = [];
    if (ins.findings.length) groups.push({ kind: 'group', runRoot, group: 'findings' });
    if (ins.run.series.length) groups.push({ kind: 'group', runRoot, group: 'series' });
    if (ins.run.samples.length) groups.push({ kind: 'group', runRoot, group: 'samples' });
    if (ins.run.results?.length) groups.push({ kind: 'group', runRoot, group: 'results' });
    if (ins.run.errors.length) groups.push({ kind: 'group', runRoot, group: 'errors' });
    return groups;
  }
  if (node.kind === 'seriesGroup') {
    const group = groupSeries(ins.run.series).groups.find((g) => g.key === node.key);
    return (group?.members ?? []).map((index) => ({ kind: 'series', runRoot, index }));
  }
  if (node.kind !== 'group') return [];
  switch (node.group) {
    case 'findings': {
      const order = sortedFindings(ins);
      return order.map((f) => ({ kind: 'finding', runRoot, index: ins.findings.indexOf(f) }));
    }
    case 'series': {
      const { groups } = groupSeries(ins.run.series);
      if (groups.length > 1) return groups.map((g) => ({ kind: 'seriesGroup', runRoot, key: g.key }));
      return ins.run.series.map((_, index) => ({ kind: 'series', runRoot, index }));
    }
    case 'samples': {
      const n = ins.run.samples.length;
      if (n <= MAX_SAMPLE_ROWS) return ins.run.samples.map((_, index) => ({ kind: 'sample', runRoot, index }));
      // Evenly spaced rows, always including the first and the last sample.
      const picks = new Set<number>();
      for (let k = 0; k < MAX_SAMPLE_ROWS; k++) picks.add(Math.round((k * (n - 1)) / (MAX_SAMPLE_ROWS - 1)));
      const rows: TreeNode[] = [...picks].map((index) => ({ kind: 'sample', runRoot, index }));
      rows.push({ kind: 'more', runRoot, hidden: n - picks.size });
      return rows;
    }
    case 'results':
      return (ins.run.results ?? []).slice(0, MAX_SAMPLE_ROWS).map((_, index) => ({ kind: 'result', runRoot, index }));
    case 'errors':
      return ins.run.errors.map((_, index) => ({ kind: 'error', runRoot, index }));
  }
}

export function nodeId(node: TreeNode): string {
  switch (node.kind) {
    case 'run': return `run:${node.runRoot}`;
    case 'group': return `${node.group}:${node.runRoot}`;
    case 'more': return `more:${node.runRoot}`;
    case 'seriesGroup': return `seriesGroup:${node.key}:${node.runRoot}`;
    default: return `${node.kind}:${node.index}:${node.runRoot}`;
  }
}

function inspectCommand(args: InspectArgs): NodeView['command'] {
  return { id: COMMANDS.inspect, title: t('Inspect GAN run'), args: [args] };
}

/** How a node looks. Labels and descriptions are plain text (VS Code shows them verbatim). */
export function viewOf(node: TreeNode, runs: ReadonlyMap<string, RunEntry>): NodeView | undefined {
  const entry = runs.get(node.runRoot);
  if (!entry) return undefined;
  const id = nodeId(node);
  const ins = entry.inspection;
  if (node.kind === 'run') {
    const health = runHealth(entry);
    return {
      id,
      label: entry.name,
      description: runDescription(entry),
      tooltip: runTooltip(entry),
      icon: HEALTH_ICON[health],
      collapsible: ins ? 'collapsed' : 'none',
      contextValue: 'ganRun',
    };
  }
  if (!ins) return undefined;
  switch (node.kind) {
    case 'group': {
      const n = { findings: ins.findings.length, series: ins.run.series.length, samples: ins.run.samples.length, results: ins.run.results?.length ?? 0, errors: ins.run.errors.length }[node.group];
      const label = { findings: t('Findings'), series: t('Loss series'), samples: t('Samples'), results: t('Results (not on the step axis)'), errors: t('Unreadable files') }[node.group];
      let description = String(n);
      if (node.group === 'samples' && n) description = t('{0} · steps {1}–{2}', n, ins.run.samples[0].step, ins.run.samples[n - 1].step);
      const icon = { findings: { id: 'checklist' }, series: { id: 'graph-line' }, samples: { id: 'file-media' }, results: { id: 'files' }, errors: { id: 'warning', color: 'problemsWarningIcon.foreground' } }[node.group];
      return { id, label, description, icon, collapsible: node.group === 'findings' ? 'expanded' : 'collapsed', contextValue: `ganGroup.${node.group}` };
    }
    case 'series': {
      const s = ins.run.series[node.index];
      if (!s) return undefined;
      const role = roleLabel(s.role);
      return {
        id,
        label: s.name,
        description: seriesDescription(s),
        tooltip: [`**${escapeMarkdown(s.name)}** (${escapeMarkdown(role)})`, '', escapeMarkdown(s.column === null ? s.source : `${s.source} [${s.column}]`), '', escapeMarkdown(seriesDescription(s))].join('\n'),
        icon: { id: 'graph-line' },
        collapsible: 'none',
        command: inspectCommand({ runRoot: entry.root }),
        contextValue: 'ganSeries',
      };
    }
    case 'seriesGroup': {
      const group = groupSeries(ins.run.series).groups.find((g) => g.key === node.key);
      if (!group) return undefined;
      return {
        id,
        label: group.label,
        description: String(group.members.length),
        icon: { id: group.kind === 'adversarial' ? 'graph-line' : group.kind === 'bookkeeping' ? 'dashboard' : group.kind === 'metrics' ? 'pulse' : 'symbol-numeric' },
        // The D and G losses open; penalties, metrics and bookkeeping stay folded, as in the inspector.
        collapsible: group.kind === 'adversarial' ? 'expanded' : 'collapsed',
        contextValue: 'ganSeriesGroup',
      };
    }
    case 'sample': {
      const s = ins.run.samples[node.index];
      if (!s) return undefined;
      return {
        id,
        label: t('step {0}', s.step),
        description: s.path,
        tooltip: escapeMarkdown(s.path),
        icon: { id: 'file-media' },
        collapsible: 'none',
        command: openSampleCommand(ins.run, s),
        contextValue: 'ganSample',
      };
    }
    case 'result': {
      const r = ins.run.results?.[node.index];
      if (!r) return undefined;
      return {
        id,
        label: fileBaseName(r.path),
        description: parentOf(r.path) || undefined,
        tooltip: escapeMarkdown(r.path),
        icon: { id: 'file-media' },
        collapsible: 'none',
        command: { id: 'vscode.open', title: t('Open image'), args: [path.resolve(entry.root, r.path)] },
        contextValue: 'ganResult',
      };
    }
    case 'more':
      return { id, label: t('… {0} more samples', node.hidden), icon: { id: 'ellipsis' }, collapsible: 'none', command: inspectCommand({ runRoot: entry.root }), contextValue: 'ganMore' };
    case 'finding': {
      const f = ins.findings[node.index];
      if (!f) return undefined;
      const tip = [`**${escapeMarkdown(f.message)}**`, '', escapeMarkdown(stepRange(f.start, f.end))];
      if (f.advice) tip.push('', escapeMarkdown(f.advice));
      const ev = Object.entries(f.evidence).slice(0, 8).map(([k, v]) => `- ${escapeMarkdown(`${k}: ${typeof v === 'number' ? formatNumber(v) : String(v)}`)}`);
      if (ev.length) tip.push('', ...ev);
      return {
        id,
        label: kindLabel(f.kind),
        description: `${stepRange(f.start, f.end)} · ${f.message}`,
        tooltip: tip.join('\n'),
        icon: SEVERITY_ICON[f.severity],
        collapsible: 'none',
        command: inspectCommand({ runRoot: entry.root, focus: { start: f.start, end: f.end } }),
        contextValue: 'ganFinding',
      };
    }
    case 'error': {
      const e = ins.run.errors[node.index];
      if (!e) return undefined;
      // A file read with damaged records skipped is a warning: its series are there.
      const icon = e.skipped ? { id: 'warning', color: 'problemsWarningIcon.foreground' } : { id: 'error', color: 'problemsErrorIcon.foreground' };
      return { id, label: e.source, description: errorReason(e), tooltip: escapeMarkdown(errorLine(e)), icon, collapsible: 'none', contextValue: 'ganError' };
    }
  }
}

/**
 * A sample row opens its image; an embedded one opens the file holding it (a notebook in its
 * editor; an event file, which means nothing in an editor, is shown in the Explorer).
 */
function openSampleCommand(run: Run, s: Sample): { id: string; title: string; args: unknown[] } {
  const folder = run.folder ?? run.root;
  if (!s.embedded) return { id: 'vscode.open', title: t('Open sample'), args: [path.resolve(folder, s.path)] };
  const container = path.resolve(folder, s.embedded.file);
  // Only a notebook's outputs are in cells.
  return s.embedded.cell !== undefined ? { id: 'vscode.open', title: t('Open sample'), args: [container] } : { id: 'revealInExplorer', title: t('Open sample'), args: [container] };
}
