// The runs tree as plain data: one module per kind of row (nodes/), and this table that asks them.
// Pure (no `vscode`), so Node tests build the tree from real inspections; runsView.ts turns a
// NodeView into a TreeItem.
import { errorNode } from './nodes/error';
import { findingNode } from './nodes/finding';
import { groupNode } from './nodes/group';
import type { NodeKind, NodeOf, NodeView, Runs, TreeNode } from './nodes/node';
import { resultNode } from './nodes/result';
import { runNode, runRows } from './nodes/run';
import { moreNode, sampleNode } from './nodes/sample';
import { seriesGroupNode, seriesNode } from './nodes/series';

/** Every kind of row and its module: a kind added to TreeNode without one does not compile. */
const NODE_KINDS: { [K in TreeNode['kind']]: NodeKind<NodeOf<K>> } = {
  run: runNode,
  group: groupNode,
  series: seriesNode,
  seriesGroup: seriesGroupNode,
  sample: sampleNode,
  more: moreNode,
  result: resultNode,
  finding: findingNode,
  error: errorNode,
};

/** The module of a node's kind. (NodeKind's methods take any node of the union: method parameters are bivariant.) */
function kindOf(node: TreeNode): NodeKind<TreeNode> {
  return NODE_KINDS[node.kind];
}

/** Children of a node; runs are the roots (sorted by name). */
export function childrenOf(node: TreeNode | undefined, runs: Runs): TreeNode[] {
  return node ? kindOf(node).children(node, runs) : runRows(runs);
}

/** The row a node sits under (VS Code's reveal walks up); undefined for a run. */
export function parentOf(node: TreeNode, runs: Runs): TreeNode | undefined {
  return kindOf(node).parent(node, runs);
}

export function nodeId(node: TreeNode): string {
  return kindOf(node).id(node);
}

/** How a node looks. Labels and descriptions are plain text (VS Code shows them verbatim). */
export function viewOf(node: TreeNode, runs: Runs): NodeView | undefined {
  return kindOf(node).view(node, runs);
}
