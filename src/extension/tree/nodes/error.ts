// Rows of the files a run could not read (an error), or read with damaged records skipped (a
// warning: its series are there). The reason is told once, as everywhere (src/core/present.ts).
import type { Inspection } from '../../../core/inspect';
import { errorLine, errorReason } from '../../../core/present';
import { escapeMarkdown } from '../../markdown';
import { ERROR_ICON, inspected, indexedId, noChildren, WARNING_ICON, type NodeKind, type NodeOf, type TreeNode } from './node';

export function errorRows(runRoot: string, ins: Inspection): TreeNode[] {
  return ins.run.errors.map((_, index) => ({ kind: 'error', runRoot, index }));
}

export const errorNode: NodeKind<NodeOf<'error'>> = {
  id: indexedId,
  parent(node) {
    return { kind: 'group', runRoot: node.runRoot, group: 'errors' };
  },
  children: noChildren,
  view(node, runs) {
    const e = inspected(node, runs)?.ins.run.errors[node.index];
    if (!e) return undefined;
    return {
      id: indexedId(node),
      label: e.source,
      description: errorReason(e),
      tooltip: escapeMarkdown(errorLine(e)),
      icon: e.skipped ? WARNING_ICON : ERROR_ICON,
      collapsible: 'none',
      contextValue: 'ganError',
    };
  },
};
