// What "Inspect GAN run", "Compare GAN runs" and "Inspect a folder…" do, from every place they are
// offered (Explorer, editor title, tree, hover links, quick fixes, palette): turn what VS Code
// passes into runs, asking the user to pick when it is not clear, and open them in an inspector.
// commands.ts registers these handlers.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { asInspectArgs, type InspectArgs } from './inspectArgs';
import type { InspectorPanels } from './inspector/registry';
import type { RunStore } from './runs/runStore';
import { runDescription } from './tree/describe';
import type { TreeNode } from './tree/nodes/node';

function isTreeNode(value: unknown): value is TreeNode {
  return !!value && typeof value === 'object' && typeof (value as TreeNode).kind === 'string' && typeof (value as TreeNode).runRoot === 'string';
}

export class RunOpener {
  constructor(
    private readonly panels: InspectorPanels,
    private readonly store: RunStore,
  ) {}

  /**
   * Explorer passes (clicked, selection); the editor title a Uri; tree rows a node (and the
   * selection, in a multi-select); links an InspectArgs. Several folders or runs selected open one
   * comparison.
   */
  async inspect(first?: unknown, all?: unknown): Promise<void> {
    const uris =
      Array.isArray(all) && all.every((u) => u instanceof vscode.Uri) && all.length ? (all as vscode.Uri[]) : first instanceof vscode.Uri ? [first] : [];
    if (uris.length > 1) return this.compare(first, all);
    if (uris.length) return this.inspectPaths(uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath));
    const args = asInspectArgs(first) ?? (Array.isArray(first) ? asInspectArgs(first[0]) : undefined);
    if (args) return this.open(args);
    if (isTreeNode(first)) {
      const selected = selectedTreeRuns(first, all);
      if (selected.length > 1) return this.openCompare(selected);
      return this.open({ runRoot: first.runRoot });
    }
    if (first === undefined) return this.pickRun();
    void vscode.window.showWarningMessage(vscode.l10n.t('Inspect GAN run: nothing to inspect was given.'));
  }

  /**
   * "Compare GAN runs": Explorer folders (clicked, selection), tree nodes (clicked, selection), or
   * run roots as strings; from the palette (no arguments) a pick of two or more runs. Fewer than
   * two runs given: the pick opens with those already ticked.
   */
  async compare(first?: unknown, all?: unknown): Promise<void> {
    const given = Array.isArray(all) && all.length ? all : first === undefined ? [] : [first];
    const roots: string[] = [];
    const add = (r: string) => {
      if (!roots.includes(r)) roots.push(r);
    };
    const paths: string[] = [];
    for (const item of given) {
      if (item instanceof vscode.Uri) {
        if (item.scheme === 'file') paths.push(item.fsPath);
      } else if (isTreeNode(item)) add(item.runRoot);
      else if (typeof item === 'string' && path.isAbsolute(item))
        add(path.resolve(item)); // run roots, as the tree passes them
      else if (asInspectArgs(item)) add(asInspectArgs(item)!.runRoot);
    }
    for (const r of await this.runsIn(paths)) add(r);
    if (roots.length >= 2 && roots.length <= MAX_COMPARED) return this.openCompare(roots);
    if (this.store.runs.size === 0) await this.store.ready;
    const candidates = roots.length > MAX_COMPARED ? roots : this.recentRuns();
    const picked = await this.pick(candidates, true, false, roots.length <= MAX_COMPARED ? roots : [], true);
    if (!picked.length) return;
    if (picked.length < 2) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Compare GAN runs: pick at least two runs.'));
      return;
    }
    this.openCompare(picked);
  }

  private openCompare(roots: string[]): void {
    this.panels.show(roots);
  }

  private open(args: InspectArgs): void {
    this.panels.show([args.runRoot], args.focus ? { focus: args.focus } : undefined);
  }

  private async inspectPaths(paths: string[]): Promise<void> {
    const roots = await this.runsIn(paths);
    // A folder of many runs: let the user choose rather than open a dozen panels.
    const chosen = roots.length > 3 ? await this.pick(roots, true) : roots;
    for (const runRoot of chosen) this.open({ runRoot });
  }

  /** The runs in (or holding) each path, discovered if new; a path without a run is told, one line. */
  private async runsIn(paths: string[]): Promise<string[]> {
    const roots: string[] = [];
    for (const p of paths) {
      let found: string[] = [];
      try {
        found = await this.store.addPath(p);
      } catch (e) {
        void vscode.window.showErrorMessage(vscode.l10n.t('{0}: {1}', p, e instanceof Error ? e.message : String(e)));
        continue;
      }
      if (!found.length) void vscode.window.showWarningMessage(vscode.l10n.t('{0}: no GAN run found (no loss files or sample images).', p));
      for (const r of found) if (!roots.includes(r)) roots.push(r);
    }
    return roots;
  }

  /** Known runs, most recently written first. */
  private recentRuns(): string[] {
    return [...this.store.runs.keys()].sort((a, b) => this.store.lastModified(b) - this.store.lastModified(a));
  }

  private async pickRun(): Promise<void> {
    if (this.store.runs.size === 0) await this.store.ready;
    const [runRoot] = await this.pick(this.recentRuns(), false, true);
    if (runRoot === CHOOSE_FOLDER) return this.inspectChosenFolder();
    if (runRoot) this.open({ runRoot });
  }

  private async pick(roots: string[], many: boolean, offerFolder = false, ticked: string[] = [], comparing = false): Promise<string[]> {
    type Item = vscode.QuickPickItem & { root: string };
    const items: Item[] = roots.map((root) => {
      const entry = this.store.runs.get(root);
      return { label: entry?.name ?? path.basename(root), description: entry ? runDescription(entry) : '', detail: root, root, picked: ticked.includes(root) };
    });
    if (offerFolder) items.push({ label: `$(folder-opened) ${vscode.l10n.t('Choose a folder…')}`, root: CHOOSE_FOLDER, alwaysShow: true });
    const placeHolder = !roots.length
      ? vscode.l10n.t('No GAN run found in the workspace')
      : comparing
        ? vscode.l10n.t('GAN runs to compare: tick two or more (most recent first)')
        : vscode.l10n.t('GAN run to inspect (most recent first)');
    if (many) {
      const picked = await vscode.window.showQuickPick(items, { canPickMany: true, placeHolder, matchOnDetail: true });
      return picked?.map((p) => p.root) ?? [];
    }
    const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDetail: true });
    return picked ? [picked.root] : [];
  }

  /** "Inspect a folder…" (the welcome view's link): a folder or file chosen in a dialog. */
  async inspectChosenFolder(): Promise<void> {
    const chosen = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: true,
      canSelectMany: false,
      openLabel: vscode.l10n.t('Inspect GAN run'),
    });
    if (chosen?.length) await this.inspectPaths(chosen.filter((u) => u.scheme === 'file').map((u) => u.fsPath));
  }
}

const CHOOSE_FOLDER = '\0choose-folder';
/** More runs than this in one chart are unreadable (and their colours repeat): the user picks. */
const MAX_COMPARED = 6;

/** The distinct runs of a tree multi-selection that includes the clicked node (VS Code passes both). */
function selectedTreeRuns(clicked: TreeNode, all: unknown): string[] {
  const nodes =
    Array.isArray(all) && all.every(isTreeNode) && all.some((n) => n === clicked || n.runRoot === clicked.runRoot) ? (all as TreeNode[]) : [clicked];
  return [...new Set(nodes.map((n) => n.runRoot))];
}
