// The commands: "Inspect GAN run" from every place it is offered (Explorer, editor title, tree,
// hover links, quick fixes, palette), "Inspect a folder…" for the welcome view, and Refresh.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from './dispose';
import { asInspectArgs, INSPECT_COMMAND, type InspectArgs } from './hoverText';
import { InspectorPanel } from './inspectorPanel';
import type { RunStore } from './runStore';
import { runDescription, type TreeNode } from './treeModel';

function isTreeNode(value: unknown): value is TreeNode {
  return !!value && typeof value === 'object' && typeof (value as TreeNode).kind === 'string' && typeof (value as TreeNode).runRoot === 'string';
}

export class Commands extends Disposable {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly store: RunStore,
    private readonly rescan: () => Promise<void>,
  ) {
    super();
    this._register(vscode.commands.registerCommand(INSPECT_COMMAND, (first?: unknown, all?: unknown) => this.inspect(first, all)));
    this._register(vscode.commands.registerCommand('ganInspector.inspectFolder', () => this.inspectChosenFolder()));
    this._register(vscode.commands.registerCommand('ganInspector.refresh', () => this.rescan()));
  }

  /** Explorer passes (clicked, selection); the editor title a Uri; tree rows a node; links an InspectArgs. */
  async inspect(first?: unknown, all?: unknown): Promise<void> {
    const uris = Array.isArray(all) && all.every((u) => u instanceof vscode.Uri) && all.length ? (all as vscode.Uri[]) : first instanceof vscode.Uri ? [first] : [];
    if (uris.length) return this.inspectPaths(uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath));
    const args = asInspectArgs(first) ?? (Array.isArray(first) ? asInspectArgs(first[0]) : undefined);
    if (args) return this.open(args);
    if (isTreeNode(first)) return this.open({ runRoot: first.runRoot });
    if (first === undefined) return this.pickRun();
    void vscode.window.showWarningMessage(vscode.l10n.t('Inspect GAN run: nothing to inspect was given.'));
  }

  private open(args: InspectArgs): void {
    InspectorPanel.createOrShow(this.context, args.runRoot, args.focus ? { focus: args.focus } : undefined);
  }

  private async inspectPaths(paths: string[]): Promise<void> {
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
    // A folder of many runs: let the user choose rather than open a dozen panels.
    const chosen = roots.length > 3 ? await this.pick(roots, true) : roots;
    for (const runRoot of chosen) this.open({ runRoot });
  }

  private async pickRun(): Promise<void> {
    if (this.store.runs.size === 0) await this.store.ready;
    const roots = [...this.store.runs.keys()].sort((a, b) => this.store.lastModified(b) - this.store.lastModified(a));
    const [runRoot] = await this.pick(roots, false, true);
    if (runRoot === CHOOSE_FOLDER) return this.inspectChosenFolder();
    if (runRoot) this.open({ runRoot });
  }

  private async pick(roots: string[], many: boolean, offerFolder = false): Promise<string[]> {
    type Item = vscode.QuickPickItem & { root: string };
    const items: Item[] = roots.map((root) => {
      const entry = this.store.runs.get(root);
      return { label: entry?.name ?? path.basename(root), description: entry ? runDescription(entry) : '', detail: root, root };
    });
    if (offerFolder) items.push({ label: `$(folder-opened) ${vscode.l10n.t('Choose a folder…')}`, root: CHOOSE_FOLDER, alwaysShow: true });
    const placeHolder = roots.length ? vscode.l10n.t('GAN run to inspect (most recent first)') : vscode.l10n.t('No GAN run found in the workspace');
    if (many) {
      const picked = await vscode.window.showQuickPick(items, { canPickMany: true, placeHolder, matchOnDetail: true });
      return picked?.map((p) => p.root) ?? [];
    }
    const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDetail: true });
    return picked ? [picked.root] : [];
  }

  private async inspectChosenFolder(): Promise<void> {
    const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: true, canSelectMany: false, openLabel: vscode.l10n.t('Inspect GAN run') });
    if (chosen?.length) await this.inspectPaths(chosen.filter((u) => u.scheme === 'file').map((u) => u.fsPath));
  }
}

const CHOOSE_FOLDER = '\0choose-folder';
