// The "GAN Runs" tree: each run with its health, its findings, loss series and samples. The
// shape, parent and look of every node come from its kind's module (nodes/, through treeModel.ts's
// table); this file only makes TreeItems of them.
// Several runs can be selected: "Compare selected runs" (title bar or context menu; registered in
// commands.ts) opens them in one inspector through the "Compare GAN runs" command.
import * as vscode from 'vscode';
import { Disposable } from '../dispose';
import { COMMANDS, CONTEXT_KEYS, RUNS_VIEW } from '../ids';
import type { RunStore } from '../runs/runStore';
import type { NodeView, TreeNode } from './nodes/node';
import { childrenOf, parentOf, viewOf } from './treeModel';

export class RunsView extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  readonly view: vscode.TreeView<TreeNode>;

  /** @param live how a run training now looks (src/extension/live), and when that changed. */
  constructor(
    private readonly store: RunStore,
    private readonly live?: { decorate(node: TreeNode, view: NodeView): NodeView; onDidChange: vscode.Event<void> },
  ) {
    super();
    this.view = this._register(vscode.window.createTreeView(RUNS_VIEW, { treeDataProvider: this, showCollapseAll: true, canSelectMany: true }));
    // Whole-tree refresh: node ids are stable, so VS Code keeps expansion and selection in place.
    this._register(store.onDidChange(() => this._onDidChangeTreeData.fire(undefined)));
    if (live) this._register(live.onDidChange(() => this._onDidChangeTreeData.fire(undefined)));
    // The title bar's compare action shows only while two or more runs are selected.
    this._register(
      this.view.onDidChangeSelection(() => void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.canCompare, this.selectedRuns().length > 1)),
    );
  }

  /** Distinct runs of the selected rows (a finding or a series row stands for its run), in selection order. */
  private selectedRuns(nodes: readonly TreeNode[] = this.view.selection): string[] {
    return [...new Set(nodes.map((n) => n.runRoot))];
  }

  /** "Compare selected runs": from the context menu VS Code passes (clicked, selection); from the title bar nothing: the view's selection. */
  compareSelected(node?: unknown, nodes?: unknown): Thenable<unknown> {
    const given = Array.isArray(nodes) && nodes.length ? nodes : node ? [node] : [];
    const isNode = (n: unknown): n is TreeNode => !!n && typeof n === 'object' && typeof (n as TreeNode).runRoot === 'string';
    const roots = this.selectedRuns(given.length && given.every(isNode) ? given : this.view.selection);
    return vscode.commands.executeCommand(COMMANDS.compare, undefined, roots);
  }

  getChildren(node?: TreeNode): TreeNode[] {
    return childrenOf(node, this.store.runs);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return parentOf(node, this.store.runs);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const found = viewOf(node, this.store.runs);
    if (!found) return new vscode.TreeItem('');
    const v = this.live ? this.live.decorate(node, found) : found;
    const collapsible =
      v.collapsible === 'none'
        ? vscode.TreeItemCollapsibleState.None
        : v.collapsible === 'expanded'
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(v.label, collapsible);
    item.id = v.id;
    item.description = v.description;
    if (v.tooltip) {
      // Untrusted names are escaped in the node modules; no command links and no HTML here.
      const md = new vscode.MarkdownString(v.tooltip, true);
      md.isTrusted = false;
      md.supportHtml = false;
      item.tooltip = md;
    }
    item.iconPath = new vscode.ThemeIcon(v.icon.id, v.icon.color ? new vscode.ThemeColor(v.icon.color) : undefined);
    item.contextValue = v.contextValue;
    if (v.command) {
      const args = v.command.id === 'vscode.open' ? v.command.args.map((a) => (typeof a === 'string' ? vscode.Uri.file(a) : a)) : v.command.args;
      item.command = { command: v.command.id, title: v.command.title, arguments: args };
    }
    return item;
  }
}
