// Finding rows, worst first then by step; a click opens the inspector on the finding's steps.
import type { Inspection } from '../../../core/inspect';
import type { Finding } from '../../../core/model';
import { formatNumber, kindLabel, stepRange, worstFirst } from '../../../core/present';
import { escapeMarkdown } from '../../markdown';
import { ERROR_ICON, inspectCommand, inspected, indexedId, noChildren, WARNING_ICON, type NodeKind, type NodeOf, type NodeView, type TreeNode } from './node';

const SEVERITY_ICON: Record<Finding['severity'], NodeView['icon']> = {
  error: ERROR_ICON,
  warning: WARNING_ICON,
  info: { id: 'info', color: 'problemsInfoIcon.foreground' },
};

export function findingRows(runRoot: string, ins: Inspection): TreeNode[] {
  return worstFirst(ins.findings).map((f) => ({ kind: 'finding', runRoot, index: ins.findings.indexOf(f) }));
}

export const findingNode: NodeKind<NodeOf<'finding'>> = {
  id: indexedId,
  parent(node) {
    return { kind: 'group', runRoot: node.runRoot, group: 'findings' };
  },
  children: noChildren,
  view(node, runs) {
    const found = inspected(node, runs);
    const f = found?.ins.findings[node.index];
    if (!found || !f) return undefined;
    const tip = [`**${escapeMarkdown(f.message)}**`, '', escapeMarkdown(stepRange(f.start, f.end))];
    if (f.advice) tip.push('', escapeMarkdown(f.advice));
    const ev = Object.entries(f.evidence)
      .slice(0, 8)
      .map(([k, v]) => `- ${escapeMarkdown(`${k}: ${typeof v === 'number' ? formatNumber(v) : String(v)}`)}`);
    if (ev.length) tip.push('', ...ev);
    return {
      id: indexedId(node),
      label: kindLabel(f.kind),
      description: `${stepRange(f.start, f.end)} · ${f.message}`,
      tooltip: tip.join('\n'),
      icon: SEVERITY_ICON[f.severity],
      collapsible: 'none',
      command: inspectCommand({ runRoot: found.entry.root, focus: { start: f.start, end: f.end } }),
      contextValue: 'ganFinding',
    };
  },
};
