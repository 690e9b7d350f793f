// One inspector panel: the runs it shows, its webview's messages, its live refreshes. Panels are
// opened, found again and restored by the registry (registry.ts). The webview is untrusted: every
// message goes through `validateFromWebview`, and paths it names must resolve inside the run the
// message names.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Inspection } from '../../core/inspect';
import { DEFAULT_SMOOTHING } from '../../chart/smoothing';
import { PreviewQueue, type WantedImage } from './previewQueue';
import type { SamplePreviews } from './samplePreviews';
import { validateFromWebview, type FromWebview, type InitMessage, type InspectorOps, type ToWebview, type ViewRequest, type ViewResult } from '../../protocol';
import { oneLine, serve } from '../../core/rpc';
import { Disposable } from '../dispose';
import { nextTask } from '../nextTask';
import { PanelSeries, resolveInsideRun } from './data';
import { OpenTimings } from './openTimings';
import { currentSettings } from '../workspaceSettings';
import { saveExport } from './saveExport';
import { inspectorPage } from './webviewHtml';
import { initMessageOf } from './initMessage';
import { releasesServiceWorker } from './serviceWorkerRelease';
import { windowWebviews } from './windowWebviews';
import { runFolder } from '../../core/samples/imageSource';
import { openContainer } from './openContainer';

export type InspectionLoader = (runRoot: string) => Promise<Inspection>;

export interface Focus {
  start: number;
  end: number;
}

/** The run ids of a panel follow the order of its roots: `run0`, `run1`… */
const runId = (index: number) => `run${index}`;

export function panelTitle(names: string[]): string {
  return vscode.l10n.t('GAN: {0}', names.join(' · '));
}

/** What a panel needs from the extension (given by the registry). */
export interface PanelServices {
  extensionUri: vscode.Uri;
  /** This extension's id: its own views are not other webviews (windowWebviews.ts). */
  extensionId: string;
  loader: InspectionLoader;
  log: vscode.LogOutputChannel;
  /** Which image the webview gets for a sample: large grids only as their previews (samplePreviews.ts). */
  previews: SamplePreviews;
  /** The chart's width in pixels, as the latest view request said: the first view of the next open is made at it. */
  chartWidth: { get(): number; set(width: number): void };
  /** The window's first inspector: VS Code sets up its webview frame first, so the page can follow the panel. */
  firstInWindow: boolean;
}

export class InspectorPanel extends Disposable {
  private data: PanelSeries | undefined;
  /** The latest inspection of each root read so far. */
  private readonly inspections = new Map<string, Inspection>();
  /** Roots whose first read failed, with the one-line reason, told to the webview once it is ready. */
  private readonly failures = new Map<string, string>();
  private ready = false;
  /** An init message has been posted (VS Code holds it until the page listens): refreshes and focus may follow it. */
  private initPosted = false;
  /** The init posted as soon as the runs are read, before the page's first 'ready'. */
  private early: Promise<void> | undefined;
  /** Previews wanted by an init posted before the page was ready: they are made once it is. */
  private previewsOnReady: WantedImage[] | undefined;
  /** Started with the panel, so loading and smoothing overlap the webview's own start-up. */
  private loading: Promise<void> | undefined;
  private pendingFocus: Focus | undefined;
  /** Open → first painted chart, by stage, for one line in the log. */
  private readonly timings = new OpenTimings();
  /** The data whose series are being (or were) smoothed whole in the background. */
  private smoothing: PanelSeries | undefined;
  /** The smoothing weight of the latest view asked for. */
  private weight = DEFAULT_SMOOTHING;
  /** The previews this panel's webview waits for, made a few at a time. */
  private readonly previewQueue: PreviewQueue;
  /** Init and refresh messages are built asynchronously: only the latest one is posted. */
  private messages = 0;

  /** Shows the panel; with `focus`, zooms to that step range (now, or once the webview is ready). */
  reveal(focus?: Focus): void {
    this.panel.reveal();
    if (focus) this.focus(focus);
  }

  /** New data for the run at `root` if this panel shows it. */
  refresh(root: string, inspection: Inspection): void {
    if (!this.roots.includes(root)) return;
    this.failures.delete(root);
    this.setInspection(root, inspection);
    if (this.initPosted) void this.postData('refresh');
  }

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly services: PanelServices,
    /** The runs shown, in the order of their ids and colours. */
    private readonly roots: string[],
    focus: Focus | undefined,
    /** Hands this panel's data (smoothings, block indexes) to the registry when it closes. */
    private readonly onDisposed: (data: PanelSeries | undefined) => void,
    /** The data of a closed panel of the same runs: a reopen takes over its smoothings. */
    private held?: PanelSeries,
  ) {
    super();
    this.pendingFocus = focus;
    this.previewQueue = new PreviewQueue(
      services.previews,
      (image, file) => this.post({ type: 'sampleImage', runId: image.runId, path: image.path, uri: this.imageUri(file) }),
      (made, first, all) =>
        services.log.info(`${this.panel.title}: ${made} sample previews made, the first in ${Math.round(first)} ms, all in ${Math.round(all)} ms`),
    );
    this._register({ dispose: () => this.previewQueue.dispose() });
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)));
    // VS Code sends what a task asks of it in one batch, at the task's end. A window's first panel
    // goes alone: VS Code then spends ~150 ms setting up its first webview frame, and the page (the
    // app's 400 KB script inlined) travels meanwhile instead of before. Reading the runs and building
    // the init (a first view takes ~25 ms on a first open) always wait for the next task.
    const page = () => {
      if (!this.isDisposed) panel.webview.html = this.html();
    };
    if (services.firstInWindow) this.loading = nextTask().then(page).then(nextTask);
    else {
      page();
      this.loading = nextTask();
    }
    this.loading = this.loading.then(() => this.load());
    this.loading.catch(() => undefined); // reported when the webview is ready
    // The init, with a small run's first view, goes as soon as the runs are read, not when the page
    // says it is ready: VS Code holds it until the page listens, and the page paints without asking.
    this.early = this.loading.then(() => {
      const focus = this.pendingFocus;
      this.pendingFocus = undefined;
      return this.postData('init', focus);
    });
    this.early.catch(() => undefined);
  }

  /** Reads every run not read yet; fails only when none could be read (a comparison shows what it has). */
  private async load(): Promise<void> {
    const { loader } = this.services;
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
  private smoothInBackground(data: PanelSeries, weight: number): void {
    if (this.smoothing === data) return;
    this.smoothing = data;
    void this.timings.timeAsync('smoothing', async () => data.prewarmInSlices(weight));
  }

  override dispose(): void {
    this.onDisposed(this.data);
    super.dispose();
    this.panel.dispose();
  }

  private setInspection(root: string, inspection: Inspection): void {
    this.inspections.set(root, inspection);
    // The previous data hands over its smoothings: a live run that only appended is not smoothed
    // again, and a reopened run (the same series) paints from what its last panel worked out.
    this.data = new PanelSeries(
      this.shown().map(({ id, inspection: ins }) => ({ runId: id, inspection: ins })),
      this.data ?? this.held,
    );
    this.held = undefined;
    this.panel.title = panelTitle(this.roots.map((r) => this.inspections.get(r)?.run.name ?? path.basename(r)));
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
    if (this.initPosted) this.post({ type: 'focus', ...focus });
    else this.pendingFocus = focus;
  }

  private post(msg: ToWebview): void {
    void this.panel.webview.postMessage(msg);
  }

  private imageUri(file: string): string {
    return this.panel.webview.asWebviewUri(vscode.Uri.file(file)).toString();
  }

  /**
   * Posts the data (init or refresh) once it is built, unless a newer one was started meanwhile;
   * then asks for the previews the webview is waiting for.
   */
  private async postData(type: 'init' | 'refresh', focus?: Focus): Promise<void> {
    const mine = ++this.messages;
    const { message, wanted } = await this.initMessage();
    if (mine !== this.messages) return;
    if (focus) message.focus = focus;
    // A zoom on open asks for its own view; a refresh keeps the page's zoom and asks for it.
    else if (type === 'init' && this.data) {
      const data = this.data;
      const request = data.firstViewRequest(message.runs, this.services.chartWidth.get(), message.settings.smoothing);
      if (request) message.view = { request, result: this.timings.time('first view', () => data.view(request)) };
    }
    this.post(type === 'init' ? message : { ...message, type: 'refresh' });
    this.initPosted = true;
    // Previews are made once the page is up: before, they would compete with its start.
    if (this.ready) this.previewQueue.want(wanted);
    else this.previewsOnReady = wanted;
  }

  private initMessage(): Promise<{ message: InitMessage; wanted: WantedImage[] }> {
    return initMessageOf(this.shown(), this.services.previews, (file) => this.imageUri(file), this.roots);
  }

  /**
   * The page listens. Its first 'ready' finds the init posted as soon as the runs were read (VS Code
   * held it for the page); a page loaded again (the panel hidden and shown) gets a new init.
   */
  private async onReady(): Promise<void> {
    this.ready = true;
    this.timings.webviewReady();
    const early = this.early;
    this.early = undefined;
    if (early && (await early.then(() => this.initPosted).catch(() => false))) {
      // The page has (or will have, in order) the init posted before it was ready.
      const wanted = this.previewsOnReady;
      this.previewsOnReady = undefined;
      if (wanted) this.previewQueue.want(wanted);
      if (this.pendingFocus) this.focus(this.pendingFocus);
      this.pendingFocus = undefined;
      if (this.failures.size) this.post({ type: 'error', message: [...this.failures.values()].join('\n') });
      return;
    }
    if (!this.inspections.size) {
      // A failed first load (e.g. no loader yet) is retried once the webview asks.
      await (this.loading ?? Promise.reject()).catch(() => (this.loading = this.load()));
      await this.loading;
    }
    const focus = this.pendingFocus;
    this.pendingFocus = undefined;
    await this.postData('init', focus);
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
    if (line) this.services.log.info(line);
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
      this.post({ type: 'error', message: this.told(err) });
    }
  }

  /** An error in one line naming the run, unless the reason already names it (a failed read does). */
  private told(err: unknown): string {
    const text = oneLine(err);
    return this.roots.some((r) => text.includes(r)) ? text : `${this.roots.join(', ')}: ${text}`;
  }

  /** The webview's requests, each answered once (a failure as its one line, naming the run). */
  private readonly answer = serve<InspectorOps>(
    {
      view: async (req) => {
        try {
          return await this.view(req);
        } catch (err) {
          throw new Error(this.told(err));
        }
      },
    },
    (reply) => this.post(reply),
  );

  private async view(req: ViewRequest): Promise<ViewResult> {
    this.services.chartWidth.set(req.width);
    const data = this.data;
    // No run could be read: nothing to draw.
    if (!data) return { start: req.start, end: req.end, smoothing: req.smoothing, series: [] };
    const answer = () => (this.timings.has('first view') ? data.view(req) : this.timings.time('first view', () => data.view(req)));
    this.weight = req.smoothing;
    // The first view (the whole run) is smoothed on the way; the whole smoothing waits for its paint.
    if (data.answersNow(req)) return answer();
    this.smoothInBackground(data, req.smoothing);
    // The smoothing this view needs is in the making (prewarmInSlices).
    await data.settled(req);
    return answer();
  }

  private async handle(msg: FromWebview): Promise<void> {
    switch (msg.type) {
      case 'ready':
        return this.onReady();
      case 'request':
      case 'cancel':
        return this.answer(msg);
      case 'painted':
        if (this.data) this.smoothInBackground(this.data, this.weight);
        return this.onPainted(msg.points);
      case 'openSample': {
        // The path must be inside the run the message names, not merely inside one of the panel's runs.
        const root = this.rootOf(msg.runId);
        const run = root ? this.inspections.get(root)?.run : undefined;
        const image = run && [...run.samples, ...(run.references ?? []), ...(run.results ?? [])].find((x) => x.path === msg.path);
        // An embedded image opens the file holding it (a notebook at its cell).
        if (run && image?.embedded) return openContainer(runFolder(run), image.embedded);
        // A run that is one file (a notebook) opens only its own images from its folder.
        const file = run && (run.folder === undefined || image) ? await resolveInsideRun(runFolder(run), msg.path) : null;
        if (!file) {
          this.post({ type: 'error', message: vscode.l10n.t('{0}: refused, not a file inside the run {1}', msg.path, root ?? msg.runId) });
          return;
        }
        await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file), { viewColumn: vscode.ViewColumn.Beside });
        return;
      }
      case 'showingSample':
        // Only reorders this panel's own waiting list: an unknown run or path changes nothing.
        this.previewQueue.prefer(msg.runId, msg.path);
        return;
      case 'export': {
        const saved = await saveExport(this.roots[0]!, msg);
        if (saved) this.post({ type: 'exported', name: saved });
        return;
      }
      default:
        // A FromWebview message without its case here does not compile.
        return msg satisfies never;
    }
  }

  private html(): string {
    const webview = this.panel.webview;
    return inspectorPage({
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      lang: vscode.env.language,
      scriptFile: vscode.Uri.joinPath(this.services.extensionUri, 'dist', 'webview.js').fsPath,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.services.extensionUri, 'dist', 'webview.js')).toString(),
      releaseServiceWorker: releasesServiceWorker(currentSettings().releaseServiceWorker, () => windowWebviews(this.services.extensionId)),
    });
  }
}
