// Loss series rows, and the groups of series by what they are (src/core/seriesGroups.ts) when a run
// has more than one: D and G losses open, penalties, metrics and bookkeeping folded, as in the
// inspector. A click opens the run's inspector.
import type { Inspection } from '../../../core/inspect';
import { roleLabel } from '../../../core/present';
import { groupSeries, type SeriesKind } from '../../../core/seriesGroups';
import { escapeMarkdown } from '../../markdown';
import { seriesDescription } from '../describe';
import { inspectCommand, inspected, indexedId, noChildren, type NodeKind, type NodeOf, type Runs, type TreeNode } from './node';

/** The rows under "Loss series": its groups, or the series themselves when there is one group. */
export function seriesRows(runRoot: string, ins: Inspection): TreeNode[] {
  const { groups } = groupSeries(ins.run.series);
  if (groups.length > 1) return groups.map((g) => ({ kind: 'seriesGroup', runRoot, key: g.key }));
  return ins.run.series.map((_, index) => ({ kind: 'series', runRoot, index }));
}

/** The parent of a series row (its group when the run's series are grouped) or of a series group. */
export function seriesParentOf(node: NodeOf<'series' | 'seriesGroup'>, runs: Runs): TreeNode {
  const seriesGroup: TreeNode = { kind: 'group', runRoot: node.runRoot, group: 'series' };
  if (node.kind === 'seriesGroup') return seriesGroup;
  const ins = runs.get(node.runRoot)?.inspection;
  const grouping = ins ? groupSeries(ins.run.series) : undefined;
  if (!grouping || grouping.groups.length < 2) return seriesGroup;
  return { kind: 'seriesGroup', runRoot: node.runRoot, key: grouping.places[node.index]?.group ?? '' };
}

export const seriesNode: NodeKind<NodeOf<'series'>> = {
  id: indexedId,
  parent: seriesParentOf,
  children: noChildren,
  view(node, runs) {
    const found = inspected(node, runs);
    const s = found?.ins.run.series[node.index];
    if (!found || !s) return undefined;
    const role = roleLabel(s.role);
    return {
      id: indexedId(node),
      label: s.name,
      description: seriesDescription(s),
      tooltip: [
        `**${escapeMarkdown(s.name)}** (${escapeMarkdown(role)})`,
        '',
        escapeMarkdown(s.column === null ? s.source : `${s.source} [${s.column}]`),
        '',
        escapeMarkdown(seriesDescription(s)),
      ].join('\n'),
      icon: { id: 'graph-line' },
      collapsible: 'none',
      command: inspectCommand({ runRoot: found.entry.root }),
      contextValue: 'ganSeries',
    };
  },
};

const GROUP_ICON: Record<SeriesKind, string> = {
  adversarial: 'graph-line',
  losses: 'symbol-numeric',
  metrics: 'pulse',
  bookkeeping: 'dashboard',
  other: 'symbol-numeric',
};

export const seriesGroupNode: NodeKind<NodeOf<'seriesGroup'>> = {
  id(node) {
    return `seriesGroup:${node.key}:${node.runRoot}`;
  },
  parent: seriesParentOf,
  children(node, runs) {
    const ins = inspected(node, runs)?.ins;
    const group = ins && groupSeries(ins.run.series).groups.find((g) => g.key === node.key);
    return (group?.members ?? []).map((index) => ({ kind: 'series', runRoot: node.runRoot, index }));
  },
  view(node, runs) {
    const ins = inspected(node, runs)?.ins;
    const group = ins && groupSeries(ins.run.series).groups.find((g) => g.key === node.key);
    if (!group) return undefined;
    return {
      id: seriesGroupNode.id(node),
      label: group.label,
      description: String(group.members.length),
      icon: { id: GROUP_ICON[group.kind] },
      // The D and G losses open; penalties, metrics and bookkeeping stay folded, as in the inspector.
      collapsible: group.kind === 'adversarial' ? 'expanded' : 'collapsed',
      contextValue: 'ganSeriesGroup',
    };
  },
};
