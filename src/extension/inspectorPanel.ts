// The inspector panel: one per run root (a second open reveals it), serialized so it comes back
// after a reload. The webview is untrusted: every message goes through `validateFromWebview`, and
// paths it names must resolve inside the run.
//
// How the extension wires it (activate.ts):
//   InspectorPanel.setLoader((runRoot) => Promise<Inspection>)   // how to get a run's inspection
//   InspectorPanel.registerSerializer(context)                    // panels return after a reload
//   InspectorPanel.createOrShow(context, runRoot, { focus: { start, end } }?)
//   InspectorPanel.refresh(runRoot, inspection)                   // live refresh of an open panel
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Inspection } from '../core/inspect';
import { runSummary, validateFromWebview, type FromWebview, type InitMessage, type ToWebview } from '../protocol';
import { Disposable } from './dispose';
import { InspectorData, resolveInsideRun } from './inspectorData';
import { readSettings } from './settings';

export type InspectionLoader = (runRoot: string) => Promise<Inspection>;

interface Focus {
  start: number;
  end: number;
}

const RUN_ID = 'run0';

export class InspectorPanel extends Disposable {
  static readonly viewType = 'ganInspector.inspector';
  private static readonly panels = new Map<string, InspectorPanel>();
  private static loader: InspectionLoader | undefined;

  private data: InspectorData | undefined;
  private inspection: Inspection | undefined;
  private ready = false;
  /** Started with the panel, so loading and smoothing overlap the webview's own start-up. */
  private loading: Promise<void> | undefined;
  private pendingFocus: Focus | undefined;

  /** Sets how a panel gets the inspection of its run (the extension's run store). */
  static setLoader(loader: InspectionLoader): void {
    InspectorPanel.loader = loader;
  }

  static createOrShow(context: vscode.ExtensionContext, runRoot: string, opts?: { focus?: Focus }): InspectorPanel {
    const key = path.resolve(runRoot);
    const existing = InspectorPanel.panels.get(key);
    if (existing) {
      existing.panel.reveal();
      if (opts?.focus) existing.focus(opts.focus);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(InspectorPanel.viewType, vscode.l10n.t('GAN: {0}', path.basename(key)), vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: InspectorPanel.resourceRoots(context, key),
    });
    return new InspectorPanel(panel, context, key, opts?.focus);
  }

  static registerSerializer(context: vscode.ExtensionContext): vscode.Disposable {
    const disposable = vscode.window.registerWebviewPanelSerializer(InspectorPanel.viewType, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
        const runRoot = (state as { restore?: { runRoot?: unknown } } | undefined)?.restore?.runRoot;
        if (typeof runRoot !== 'string' || !path.isAbsolute(runRoot) || InspectorPanel.panels.has(path.resolve(runRoot))) {
          panel.dispose();
          return;
        }
        panel.webview.options = { enableScripts: true, localResourceRoots: InspectorPanel.resourceRoots(context, runRoot) };
        new InspectorPanel(panel, context, path.resolve(runRoot));
      },
    });
    context.subscriptions.push(disposable);
    return disposable;
  }

  /** New data for an open panel (the run changed on disk); the webview keeps its zoom and step. */
  static refresh(runRoot: string, inspection: Inspection): void {
    const p = InspectorPanel.panels.get(path.resolve(runRoot));
    if (!p) return;
    p.setInspection(inspection);
    if (p.ready) p.post({ ...p.initMessage(), type: 'refresh' });
  }

  private static resourceRoots(context: vscode.ExtensionContext, runRoot: string): vscode.Uri[] {
    return [vscode.Uri.file(runRoot), vscode.Uri.joinPath(context.extensionUri, 'dist'), vscode.Uri.joinPath(context.extensionUri, 'media')];
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly runRoot: string,
    focus?: Focus,
  ) {
    super();
    this.pendingFocus = focus;
    InspectorPanel.panels.set(runRoot, this);
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)));
    panel.webview.html = this.html();
    this.loading = this.load();
    this.loading.catch(() => undefined); // reported when the webview is ready
  }

  private async load(): Promise<void> {
    if (this.inspection) return;
    if (!InspectorPanel.loader) throw new Error(vscode.l10n.t('The inspector is not ready yet.'));
    this.setInspection(await InspectorPanel.loader(this.runRoot));
    const settings = readSettings((k) => vscode.workspace.getConfiguration('ganInspector').get(k));
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.data?.prewarm(settings.smoothing);
  }

  override dispose(): void {
    if (InspectorPanel.panels.get(this.runRoot) === this) InspectorPanel.panels.delete(this.runRoot);
    super.dispose();
    this.panel.dispose();
  }

  private setInspection(inspection: Inspection): void {
    this.inspection = inspection;
    this.data = new InspectorData([{ runId: RUN_ID, inspection }]);
    this.panel.title = vscode.l10n.t('GAN: {0}', inspection.run.name);
  }

  private focus(focus: Focus): void {
    if (this.ready) this.post({ type: 'focus', ...focus });
    else this.pendingFocus = focus;
  }

  private post(msg: ToWebview): void {
    void this.panel.webview.postMessage(msg);
  }

  private initMessage(): InitMessage {
    const webview = this.panel.webview;
    const root = this.runRoot;
    const settings = readSettings((k) => vscode.workspace.getConfiguration('ganInspector').get(k));
    return {
      type: 'init',
      host: 'vscode',
      runs: this.inspection ? [runSummary(this.inspection, RUN_ID, (rel) => webview.asWebviewUri(vscode.Uri.file(path.join(root, ...rel.split('/')))).toString())] : [],
      settings: { smoothing: settings.smoothing },
      l10n: vscode.l10n.bundle,
      restore: { runRoot: root },
    };
  }

  /** Like vscode-pull-request-github's `_waitForReady`: nothing is posted before the app listens. */
  private async onReady(): Promise<void> {
    this.ready = true;
    if (!this.inspection) {
      // A failed first load (e.g. no loader yet) is retried once the webview asks.
      await (this.loading ?? Promise.reject()).catch(() => (this.loading = this.load()));
      await this.loading;
    }
    const init = this.initMessage();
    if (this.pendingFocus) init.focus = this.pendingFocus;
    this.pendingFocus = undefined;
    this.post(init);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const msg: FromWebview | null = validateFromWebview(raw);
    if (!msg) {
      this.post({ type: 'error', message: vscode.l10n.t('Refused a malformed message from the inspector view.') });
      return;
    }
    try {
      await this.handle(msg);
    } catch (err) {
      this.post({ type: 'error', message: `${this.runRoot}: ${err instanceof Error ? err.message : String(err)}` });
    }
  }

  private async handle(msg: FromWebview): Promise<void> {
    switch (msg.type) {
      case 'ready':
        return this.onReady();
      case 'requestView':
        if (this.data) this.post(this.data.view(msg));
        return;
      case 'selectStep':
        return;
      case 'openSample': {
        const file = msg.runId === RUN_ID ? await resolveInsideRun(this.runRoot, msg.path) : null;
        if (!file) {
          this.post({ type: 'error', message: vscode.l10n.t('{0}: refused, not a file inside the run {1}', msg.path, this.runRoot) });
          return;
        }
        await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file), { viewColumn: vscode.ViewColumn.Beside });
        return;
      }
      case 'export': {
        const target = await vscode.window.showSaveDialog({
          defaultUri: vscode.Uri.file(path.join(this.runRoot, msg.name)),
          saveLabel: vscode.l10n.t('Export'),
        });
        if (!target) return;
        const bytes = typeof msg.data === 'string' ? new TextEncoder().encode(msg.data) : new Uint8Array(msg.data);
        await vscode.workspace.fs.writeFile(target, bytes);
        this.post({ type: 'exported', name: path.basename(target.fsPath) });
        return;
      }
    }
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = randomBytes(18).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview.js'));
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data: blob:`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource} data:`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }
}
