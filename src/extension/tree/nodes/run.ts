// A run row: the roots of the tree, one per discovered run, with its health, its description and
// a tooltip that sums it up; under it the groups that have something in them.
import type { Health } from '../describe';
import { runDescription, runHealth, runTooltip } from '../describe';
import { groupRows } from './group';
import { ERROR_ICON, inspected, WARNING_ICON, type NodeKind, type NodeOf, type NodeView, type Runs, type TreeNode } from './node';

const HEALTH_ICON: Record<Health, NodeView['icon']> = {
  error: ERROR_ICON,
  warning: WARNING_ICON,
  ok: { id: 'pass', color: 'testing.iconPassed' },
  loading: { id: 'loading~spin' },
};

/**
 * Every discovered run at once: one still being read shows a spinner and "reading…" until its
 * row can carry its health (an image-only run can take seconds longer than the others).
 */
export function runRows(runs: Runs): TreeNode[] {
  return [...runs.values()].sort((a, b) => a.name.localeCompare(b.name)).map((r) => ({ kind: 'run', runRoot: r.root }));
}

export const runNode: NodeKind<NodeOf<'run'>> = {
  id(node) {
    return `run:${node.runRoot}`;
  },
  parent() {
    return undefined;
  },
  children(node, runs) {
    const found = inspected(node, runs);
    return found ? groupRows(node.runRoot, found.ins) : [];
  },
  view(node, runs) {
    const entry = runs.get(node.runRoot);
    if (!entry) return undefined;
    return {
      id: runNode.id(node),
      label: entry.name,
      description: runDescription(entry),
      tooltip: runTooltip(entry),
      icon: HEALTH_ICON[runHealth(entry)],
      collapsible: entry.inspection ? 'collapsed' : 'none',
      contextValue: 'ganRun',
    };
  },
};
