// The folders under a run: Findings, Loss series, Samples, Results and Unreadable files, each shown
// only when it holds something. Each lists the rows its kind's module makes.
import { t } from '../../../core/l10n';
import type { Inspection } from '../../../core/inspect';
import { errorRows } from './error';
import { findingRows } from './finding';
import { WARNING_ICON, inspected, type GroupName, type NodeKind, type NodeOf, type NodeView, type TreeNode } from './node';
import { resultRows } from './result';
import { sampleRows } from './sample';
import { seriesRows } from './series';

interface Group {
  label(): string;
  icon: NodeView['icon'];
  /** How many items the group holds; 0 hides it. */
  count(ins: Inspection): number;
  rows(runRoot: string, ins: Inspection): TreeNode[];
}

/** In the order they are shown. */
const GROUPS: { [G in GroupName]: Group } = {
  findings: { label: () => t('Findings'), icon: { id: 'checklist' }, count: (ins) => ins.findings.length, rows: findingRows },
  series: { label: () => t('Loss series'), icon: { id: 'graph-line' }, count: (ins) => ins.run.series.length, rows: seriesRows },
  samples: { label: () => t('Samples'), icon: { id: 'file-media' }, count: (ins) => ins.run.samples.length, rows: sampleRows },
  results: { label: () => t('Results (not on the step axis)'), icon: { id: 'files' }, count: (ins) => ins.run.results?.length ?? 0, rows: resultRows },
  errors: { label: () => t('Unreadable files'), icon: WARNING_ICON, count: (ins) => ins.run.errors.length, rows: errorRows },
};

/** The groups of a run that hold something. */
export function groupRows(runRoot: string, ins: Inspection): TreeNode[] {
  return (Object.keys(GROUPS) as GroupName[]).filter((group) => GROUPS[group].count(ins) > 0).map((group) => ({ kind: 'group', runRoot, group }));
}

export const groupNode: NodeKind<NodeOf<'group'>> = {
  id(node) {
    return `${node.group}:${node.runRoot}`;
  },
  parent(node) {
    return { kind: 'run', runRoot: node.runRoot };
  },
  children(node, runs) {
    const found = inspected(node, runs);
    return found ? GROUPS[node.group].rows(node.runRoot, found.ins) : [];
  },
  view(node, runs) {
    const found = inspected(node, runs);
    if (!found) return undefined;
    const { ins } = found;
    const group = GROUPS[node.group];
    const n = group.count(ins);
    const description = node.group === 'samples' && n ? t('{0} · steps {1}–{2}', n, ins.run.samples[0]!.step, ins.run.samples[n - 1]!.step) : String(n);
    return {
      id: groupNode.id(node),
      label: group.label(),
      description,
      icon: group.icon,
      collapsible: node.group === 'findings' ? 'expanded' : 'collapsed',
      contextValue: `ganGroup.${node.group}`,
    };
  },
};
