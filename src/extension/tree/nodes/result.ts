// Result rows: the run's images on no step (test outputs, batch positions, draws); a click opens
// the image.
import * as path from 'node:path';
import { t } from '../../../core/l10n';
import type { Inspection } from '../../../core/inspect';
import { fileBaseName, parentOf } from '../../../core/paths';
import { escapeMarkdown } from '../../markdown';
import { inspected, indexedId, noChildren, type NodeKind, type NodeOf, type TreeNode } from './node';
import { MAX_SAMPLE_ROWS } from './sample';

export function resultRows(runRoot: string, ins: Inspection): TreeNode[] {
  return (ins.run.results ?? []).slice(0, MAX_SAMPLE_ROWS).map((_, index) => ({ kind: 'result', runRoot, index }));
}

export const resultNode: NodeKind<NodeOf<'result'>> = {
  id: indexedId,
  parent(node) {
    return { kind: 'group', runRoot: node.runRoot, group: 'results' };
  },
  children: noChildren,
  view(node, runs) {
    const found = inspected(node, runs);
    const r = found?.ins.run.results?.[node.index];
    if (!found || !r) return undefined;
    return {
      id: indexedId(node),
      label: fileBaseName(r.path),
      description: parentOf(r.path) || undefined,
      tooltip: escapeMarkdown(r.path),
      icon: { id: 'file-media' },
      collapsible: 'none',
      command: { id: 'vscode.open', title: t('Open image'), args: [path.resolve(found.entry.root, r.path)] },
      contextValue: 'ganResult',
    };
  },
};
