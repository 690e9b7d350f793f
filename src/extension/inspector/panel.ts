// The inspector panel: one per run, or one per set of compared runs (a second open of the same
// run or set reveals it), serialized so it comes back after a reload. The webview is untrusted:
// every message goes through `validateFromWebview`, and paths it names must resolve inside the run
// the message names.
//
// How the extension wires it (activate.ts):
//   InspectorPanel.setLoader((runRoot) => Promise<Inspection>)   // how to get a run's inspection
//   InspectorPanel.setLog(log)                                    // where "first chart painted" goes
//   InspectorPanel.registerSerializer(context)                    // panels return after a reload
//   InspectorPanel.createOrShow(context, runRoot, { focus: { start, end } }?)
//   InspectorPanel.createOrShowCompare(context, [rootA, rootB, …]) // several runs in one panel
//   InspectorPanel.refresh(runRoot, inspection)                   // live refresh of every panel showing the run
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Inspection } from '../../core/inspect';
import { lossFileKind } from '../../core/formats';
import { isImageFile } from '../../core/samples/naming';
import { previewFolder, sampleImageUri } from './previews';
import { validateFromWebview, type FromWebview, type InitMessage, type ToWebview } from '../../protocol';
import { runSummary } from '../../chart/runSummary';
import { Disposable } from '../dispose';
import { InspectorData, resolveInsideRun } from './data';
import { OpenTimings } from './openTimings';
import { readSettings } from '../settings';
import { inspectorPage } from './webviewHtml';

export type InspectionLoader = (runRoot: string) => Promise<Inspection>;

interface Focus {
  start: number;
  end: number;
}

/**
 * What the webview keeps in its state for the serializer: `runRoot` (the first run; all a
 * single-run panel needs, and what older states hold) plus `runRoots` for a comparison.
 */
interface RestoreState {
  runRoot: string;
  runRoots?: string[];
}

/** More runs than anyone compares in one chart: a restored state naming more is not ours. */
const MAX_RESTORED_RUNS = 32;

/** The run ids of a panel follow the order of its roots: `run0`, `run1`… */
const runId = (index: number) => `run${index}`;

/** One panel per distinct set of runs, whatever order they were picked in. */
function panelKey(roots: readonly string[]): string {
  return [...roots].sort().join('\0');
}

/** Absolute, resolved, without duplicates, in the order given. */
function normaliseRoots(roots: readonly string[]): string[] {
  const out: string[] = [];
  for (const r of roots) {
    const abs = path.resolve(r);
    if (!out.includes(abs)) out.push(abs);
  }
  return out;
}

/** The roots a restored panel's state names, or null when the state is not one of ours. */
function restoredRoots(state: unknown): string[] | null {
  const restore = (state as { restore?: Partial<Record<keyof RestoreState, unknown>> } | undefined)?.restore;
  if (!restore || typeof restore !== 'object') return null;
  const many = restore.runRoots;
  const roots = Array.isArray(many) && many.length ? many : [restore.runRoot];
  // The state is written by the webview, so it is checked like a message: a few absolute paths.
  if (roots.length > MAX_RESTORED_RUNS || !roots.every((r): r is string => typeof r === 'string' && path.isAbsolute(r))) return null;
  return normaliseRoots(roots);
}

/**
 * A restored root becomes a resource root of the webview, so it must still be what we saved: a
 * folder that holds loss files or sample images (directly or one level down), not any path a state names.
 */
async function looksLikeRun(root: string): Promise<boolean> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => null);
  if (!entries) return false;
  if (entries.some((e) => e.isFile() && (lossFileKind(e.name) !== null || isImageFile(e.name)))) return true;
  for (const dir of entries.filter((e) => e.isDirectory()).slice(0, 50)) {
    const inner = await readdir(path.join(root, dir.name)).catch(() => [] as string[]);
    if (inner.some((n) => isImageFile(n) || lossFileKind(n) !== null)) return true;
  }
  return false;
}

export class InspectorPanel extends Disposable {
  static readonly viewType = 'ganInspector.inspector';
  private static readonly panels = new Map<string, InspectorPanel>();
  private static loader: InspectionLoader | undefined;
  private static log: vscode.LogOutputChannel | undefined;

  private data: InspectorData | undefined;
  /** The latest inspection of each root read so far. */
  private readonly inspections = new Map<string, Inspection>();
  /** Roots whose first read failed, with the one-line reason, told to the webview once it is ready. */
  private readonly failures = new Map<string, string>();
  private ready = false;
  /** Started with the panel, so loading and smoothing overlap the webview's own start-up. */
  private loading: Promise<void> | undefined;
  private pendingFocus: Focus | undefined;
  private readonly key: string;
  /** Open → first painted chart, by stage, for one line in the log. */
  private readonly timings = new OpenTimings();
  /** The data whose series are being (or were) smoothed whole in the background. */
  private smoothing: InspectorData | undefined;
  /** The smoothing weight of the latest view asked for. */
  private weight = 0.6;

  /** Sets the extension's log, which gets one line per panel when its first chart is painted. */
  static setLog(log: vscode.LogOutputChannel): void {
    InspectorPanel.log = log;
  }

  /** Sets how a panel gets the inspection of its run (the extension's run store). */
  static setLoader(loader: InspectionLoader): void {
    InspectorPanel.loader = loader;
  }

  /** The inspector of one run; a second call for the same run reveals its panel. */
  static createOrShow(context: vscode.ExtensionContext, runRoot: string, opts?: { focus?: Focus }): InspectorPanel {
    return InspectorPanel.open(context, [runRoot], opts);
  }

  /**
   * One inspector showing several runs, each in its own colours, x aligned by step. The same set
   * of runs (in any order) reveals the panel already showing it; one run is a plain inspector.
   */
  static createOrShowCompare(context: vscode.ExtensionContext, roots: readonly string[], opts?: { focus?: Focus }): InspectorPanel {
    return InspectorPanel.open(context, roots, opts);
  }

  private static open(context: vscode.ExtensionContext, given: readonly string[], opts?: { focus?: Focus }): InspectorPanel {
    const roots = normaliseRoots(given);
    if (!roots.length) throw new Error(vscode.l10n.t('Inspect GAN run: nothing to inspect was given.'));
    const existing = InspectorPanel.panels.get(panelKey(roots));
    if (existing) {
      existing.panel.reveal();
      if (opts?.focus) existing.focus(opts.focus);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(InspectorPanel.viewType, InspectorPanel.title(roots.map((r) => path.basename(r))), vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: InspectorPanel.resourceRoots(context, roots),
    });
    return new InspectorPanel(panel, context, roots, opts?.focus);
  }

  static registerSerializer(context: vscode.ExtensionContext): vscode.Disposable {
    const disposable = vscode.window.registerWebviewPanelSerializer(InspectorPanel.viewType, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
        const roots = restoredRoots(state);
        if (!roots || InspectorPanel.panels.has(panelKey(roots)) || !(await Promise.all(roots.map(looksLikeRun))).every(Boolean)) {
          panel.dispose();
          return;
        }
        panel.webview.options = { enableScripts: true, localResourceRoots: InspectorPanel.resourceRoots(context, roots) };
        new InspectorPanel(panel, context, roots);
      },
    });
    context.subscriptions.push(disposable);
    return disposable;
  }

  /** New data for every open panel showing the run (it changed on disk); the webview keeps its zoom and step. */
  static refresh(runRoot: string, inspection: Inspection): void {
    const root = path.resolve(runRoot);
    for (const p of InspectorPanel.panels.values()) {
      if (!p.roots.includes(root)) continue;
      p.failures.delete(root);
      p.setInspection(root, inspection);
      if (p.ready) p.post({ ...p.initMessage(), type: 'refresh' });
    }
  }

  private static resourceRoots(context: vscode.ExtensionContext, roots: readonly string[]): vscode.Uri[] {
    return [...roots.map((r) => vscode.Uri.file(r)), vscode.Uri.joinPath(context.extensionUri, 'dist'), vscode.Uri.joinPath(context.extensionUri, 'media'), vscode.Uri.file(previewFolder(context))];
  }

  private static title(names: string[]): string {
    return vscode.l10n.t('GAN: {0}', names.join(' · '));
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    /** The runs shown, in the order of their ids and colours. */
    private readonly roots: string[],
    focus?: Focus,
  ) {
    super();
    this.key = panelKey(roots);
    this.pendingFocus = focus;
    InspectorPanel.panels.set(this.key, this);
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)));
    panel.webview.html = this.html();
    this.loading = this.load();
    this.loading.catch(() => undefined); // reported when the webview is ready
  }

  /** Reads every run not read yet; fails only when none could be read (a comparison shows what it has). */
  private async load(): Promise<void> {
    const loader = InspectorPanel.loader;
    if (!loader) throw new Error(vscode.l10n.t('The inspector is not ready yet.'));
    const missing = this.roots.filter((r) => !this.inspections.has(r));
    const results = await this.timings.timeAsync('read', () => Promise.allSettled(missing.map((r) => loader(r))));
    results.forEach((res, i) => {
      const root = missing[i]!;
      if (res.status === 'fulfilled') {
        this.failures.delete(root);
        this.setInspection(root, res.value);
      } else this.failures.set(root, `${root}: ${res.reason instanceof Error ? res.reason.message : String(res.reason)}`);
    });
    if (!this.inspections.size) throw new Error([...this.failures.values()].join('; ') || vscode.l10n.t('The inspector is not ready yet.'));
  }

  /**
   * Smooths every series whole (in slices), for the zooms to come, once the first view is painted
   * (or a view needs it): that one is smoothed on the way (a range from the first step), and on a
   * 2-core machine smoothing 20,000,000 values beside the webview's start-up or first paint slowed
   * them by as much as the smoothing took. Once per data (a live refresh carries smoothings over).
   */
  private smoothInBackground(data: InspectorData, weight: number): void {
    if (this.smoothing === data) return;
    this.smoothing = data;
    void this.timings.timeAsync('smoothing', async () => data.prewarmInSlices(weight));
  }

  override dispose(): void {
    if (InspectorPanel.panels.get(this.key) === this) InspectorPanel.panels.delete(this.key);
    super.dispose();
    this.panel.dispose();
  }

  private setInspection(root: string, inspection: Inspection): void {
    this.inspections.set(root, inspection);
    // The previous data hands over its smoothings: a live run that only appended is not smoothed again.
    this.data = new InspectorData(
      this.shown().map(({ id, inspection: ins }) => ({ runId: id, inspection: ins })),
      this.data,
    );
    this.panel.title = InspectorPanel.title(this.roots.map((r) => this.inspections.get(r)?.run.name ?? path.basename(r)));
  }

  /** The runs read so far, with their ids (stable: the index of the root, read or not). */
  private shown(): { id: string; root: string; inspection: Inspection }[] {
    return this.roots.flatMap((root, i) => {
      const inspection = this.inspections.get(root);
      return inspection ? [{ id: runId(i), root, inspection }] : [];
    });
  }

  /** The root of a run id the webview names, if it is one of this panel's runs. */
  private rootOf(id: string): string | undefined {
    return this.shown().find((s) => s.id === id)?.root;
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
    const settings = readSettings((k) => vscode.workspace.getConfiguration('ganInspector').get(k));
    const restore: RestoreState = this.roots.length > 1 ? { runRoot: this.roots[0]!, runRoots: [...this.roots] } : { runRoot: this.roots[0]! };
    return {
      type: 'init',
      host: 'vscode',
      runs: this.shown().map(({ id, root, inspection }) =>
        // Large grids are shown by their previews; a double-click opens the original.
        runSummary(inspection, id, (rel) => sampleImageUri(webview, this.context, root, rel)),
      ),
      settings: { smoothing: settings.smoothing },
      l10n: vscode.l10n.bundle,
      // Opaque to the webview, which hands it back in its state (`runRoots` rides along).
      restore,
    };
  }

  /** Like vscode-pull-request-github's `_waitForReady`: nothing is posted before the app listens. */
  private async onReady(): Promise<void> {
    this.ready = true;
    this.timings.webviewReady();
    if (!this.inspections.size) {
      // A failed first load (e.g. no loader yet) is retried once the webview asks.
      await (this.loading ?? Promise.reject()).catch(() => (this.loading = this.load()));
      await this.loading;
    }
    const init = this.initMessage();
    if (this.pendingFocus) init.focus = this.pendingFocus;
    this.pendingFocus = undefined;
    this.post(init);
    // A comparison opens with the runs that could be read; the others are named, one line each.
    if (this.failures.size) this.post({ type: 'error', message: [...this.failures.values()].join('\n') });
  }

  /** The first chart is on screen: one line in the log with how long the open took (once per panel). */
  private onPainted(drawn: number): void {
    const series = this.shown().flatMap(({ inspection }) => inspection.run.series);
    const line = this.timings.painted({
      runs: this.shown().map(({ inspection }) => inspection.run.name),
      series: series.length,
      points: series.reduce((n, s) => n + s.values.length, 0),
      drawn,
    });
    if (line) InspectorPanel.log?.info(line);
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
      const text = err instanceof Error ? err.message : String(err);
      // One line naming the run, unless the reason already names it (a failed read does).
      const named = this.roots.some((r) => text.includes(r));
      this.post({ type: 'error', message: named ? text : `${this.roots.join(', ')}: ${text}` });
    }
  }

  private async handle(msg: FromWebview): Promise<void> {
    switch (msg.type) {
      case 'ready':
        return this.onReady();
      case 'requestView': {
        const data = this.data;
        if (!data) return;
        const answer = () => this.post(this.timings.has('first view') ? data.view(msg) : this.timings.time('first view', () => data.view(msg)));
        this.weight = msg.smoothing;
        // The first view (the whole run) is smoothed on the way; the whole smoothing waits for its paint.
        if (data.answersNow(msg)) return answer();
        this.smoothInBackground(data, msg.smoothing);
        // The smoothing this view needs is in the making (prewarmInSlices).
        await data.settled(msg);
        answer();
        return;
      }
      case 'painted':
        if (this.data) this.smoothInBackground(this.data, this.weight);
        return this.onPainted(msg.points);
      case 'selectStep':
        return;
      case 'openSample': {
        // The path must be inside the run the message names, not merely inside one of the panel's runs.
        const root = this.rootOf(msg.runId);
        const file = root ? await resolveInsideRun(root, msg.path) : null;
        if (!file) {
          this.post({ type: 'error', message: vscode.l10n.t('{0}: refused, not a file inside the run {1}', msg.path, root ?? msg.runId) });
          return;
        }
        await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file), { viewColumn: vscode.ViewColumn.Beside });
        return;
      }
      case 'export': {
        const target = await vscode.window.showSaveDialog({
          defaultUri: vscode.Uri.file(path.join(this.roots[0]!, msg.name)),
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
    return inspectorPage({
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      lang: vscode.env.language,
      scriptFile: vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview.js').fsPath,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview.js')).toString(),
    });
  }
}
