// Sample rows: one per sample image by step (evenly spaced, at most MAX_SAMPLE_ROWS, so 10,000
// images stay cheap), then one "… n more samples" row that opens the inspector's gallery.
import * as path from 'node:path';
import { t } from '../../../core/l10n';
import type { Inspection } from '../../../core/inspect';
import type { Run, Sample } from '../../../core/model';
import { escapeMarkdown } from '../../markdown';
import { inspectCommand, inspected, indexedId, noChildren, type NodeKind, type NodeOf, type NodeView, type TreeNode } from './node';

/** Most sample rows shown under one run; the rest are summarised so 10,000 images stay cheap. */
export const MAX_SAMPLE_ROWS = 200;

export function sampleRows(runRoot: string, ins: Inspection): TreeNode[] {
  const n = ins.run.samples.length;
  if (n <= MAX_SAMPLE_ROWS) return ins.run.samples.map((_, index) => ({ kind: 'sample', runRoot, index }));
  // Evenly spaced rows, always including the first and the last sample.
  const picks = new Set<number>();
  for (let k = 0; k < MAX_SAMPLE_ROWS; k++) picks.add(Math.round((k * (n - 1)) / (MAX_SAMPLE_ROWS - 1)));
  const rows: TreeNode[] = [...picks].map((index) => ({ kind: 'sample', runRoot, index }));
  rows.push({ kind: 'more', runRoot, hidden: n - picks.size });
  return rows;
}

const samplesGroup = (node: { runRoot: string }): TreeNode => ({ kind: 'group', runRoot: node.runRoot, group: 'samples' });

export const sampleNode: NodeKind<NodeOf<'sample'>> = {
  id: indexedId,
  parent: samplesGroup,
  children: noChildren,
  view(node, runs) {
    const ins = inspected(node, runs)?.ins;
    const s = ins?.run.samples[node.index];
    if (!ins || !s) return undefined;
    return {
      id: indexedId(node),
      label: t('step {0}', s.step),
      description: s.path,
      tooltip: escapeMarkdown(s.path),
      icon: { id: 'file-media' },
      collapsible: 'none',
      command: openSampleCommand(ins.run, s),
      contextValue: 'ganSample',
    };
  },
};

export const moreNode: NodeKind<NodeOf<'more'>> = {
  id(node) {
    return `more:${node.runRoot}`;
  },
  parent: samplesGroup,
  children: noChildren,
  view(node, runs) {
    const found = inspected(node, runs);
    if (!found) return undefined;
    return {
      id: moreNode.id(node),
      label: t('… {0} more samples', node.hidden),
      icon: { id: 'ellipsis' },
      collapsible: 'none',
      command: inspectCommand({ runRoot: found.entry.root }),
      contextValue: 'ganMore',
    };
  },
};

/**
 * A sample row opens its image; an embedded one opens the file holding it (a notebook in its
 * editor; an event file, which means nothing in an editor, is shown in the Explorer).
 */
function openSampleCommand(run: Run, s: Sample): NodeView['command'] {
  const folder = run.folder ?? run.root;
  if (!s.embedded) return { id: 'vscode.open', title: t('Open sample'), args: [path.resolve(folder, s.path)] };
  const container = path.resolve(folder, s.embedded.file);
  // Only a notebook's outputs are in cells.
  return s.embedded.cell !== undefined
    ? { id: 'vscode.open', title: t('Open sample'), args: [container] }
    : { id: 'revealInExplorer', title: t('Open sample'), args: [container] };
}
