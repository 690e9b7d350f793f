// The open inspector panels: one per run, or one per set of compared runs (a second open of the
// same run or set reveals it), and the serializer that brings them back after a reload. One
// instance, made by activate.ts with how to read a run and where to log, handed to whoever opens
// panels: no static state, so a test or a second activation gets its own.
import { statSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Inspection } from '../../core/inspect';
import { Disposable } from '../dispose';
import { INSPECTOR_VIEW_TYPE } from '../ids';
import type { PanelSeries } from './data';
import { InspectorPanel, panelTitle, type Focus, type InspectionLoader } from './panel';
import { looksLikeRun, normaliseRoots, panelKey, restoredRoots } from './restore';
import { previewFolder } from './previews';
import type { SamplePreviews } from './samplePreviews';

/** How long the last closed panel's data is kept for a reopen of the same runs. */
const HOLD_MS = 5 * 60_000;
/** Where the chart's last width is kept, so a new window's first open makes its first view at it. */
const CHART_WIDTH_KEY = 'inspector.chartWidth';
/** The chart's width before any panel has told it: the webview's own fallback. */
const DEFAULT_CHART_WIDTH = 800;

export class InspectorPanels extends Disposable {
  private readonly panels = new Map<string, InspectorPanel>();
  /**
   * The data of the panel closed last (its smoothed series and block indexes, up to 80 MB a
   * 10,000,000-step series): reopening the same runs paints from it instead of smoothing again.
   * One panel's worth, for a few minutes, so a closed panel does not hold memory for long.
   */
  private held: { key: string; data: PanelSeries; timer: ReturnType<typeof setTimeout> } | undefined;
  /** Whether a panel was opened (or restored) in this window yet. */
  private opened = false;

  /**
   * @param loader how a panel gets the inspection of its run (the extension's run store).
   * @param log gets one line per panel when its first chart is painted.
   * @param previews which image the webview gets for a sample (large grids as their previews).
   */
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly loader: InspectionLoader,
    private readonly log: vscode.LogOutputChannel,
    private readonly previews: SamplePreviews,
  ) {
    super();
    this._register({ dispose: () => this.release() });
    // Only the serializer is ours to dispose: the panels themselves must outlive deactivation
    // (a window reload), or VS Code would not restore them.
    this._register(
      vscode.window.registerWebviewPanelSerializer(INSPECTOR_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
          const roots = restoredRoots(state);
          if (!roots || this.panels.has(panelKey(roots)) || !(await Promise.all(roots.map(looksLikeRun))).every(Boolean)) {
            panel.dispose();
            return;
          }
          panel.webview.options = { enableScripts: true, localResourceRoots: this.resourceRoots(roots) };
          this.adopt(panel, roots);
        },
      }),
    );
  }

  /**
   * The inspector of one run, or of several runs in one chart (each in its own colours, x aligned
   * by step). The same set of runs, in any order, reveals the panel already showing it.
   */
  show(given: readonly string[], opts?: { focus?: Focus }): InspectorPanel {
    const roots = normaliseRoots(given);
    if (!roots.length) throw new Error(vscode.l10n.t('Inspect GAN run: nothing to inspect was given.'));
    const existing = this.panels.get(panelKey(roots));
    if (existing) {
      existing.reveal(opts?.focus);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(INSPECTOR_VIEW_TYPE, panelTitle(roots.map((r) => path.basename(r))), vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: this.resourceRoots(roots),
    });
    return this.adopt(panel, roots, opts?.focus);
  }

  /** New data for every open panel showing the run (it changed on disk); the webview keeps its zoom and step. */
  refresh(runRoot: string, inspection: Inspection): void {
    const root = path.resolve(runRoot);
    for (const p of this.panels.values()) p.refresh(root, inspection);
  }

  private adopt(panel: vscode.WebviewPanel, roots: string[], focus?: Focus): InspectorPanel {
    const key = panelKey(roots);
    const held = this.held?.key === key ? this.held.data : undefined;
    if (held) this.release();
    const services = {
      extensionUri: this.context.extensionUri,
      extensionId: this.context.extension.id,
      loader: this.loader,
      log: this.log,
      previews: this.previews,
      chartWidth: this.chartWidth,
      firstInWindow: !this.opened,
    };
    this.opened = true;
    const inspector = new InspectorPanel(
      panel,
      services,
      roots,
      focus,
      (data) => {
        if (this.panels.get(key) !== inspector) return;
        this.panels.delete(key);
        if (data) this.hold(key, data);
      },
      held,
    );
    this.panels.set(key, inspector);
    return inspector;
  }

  private readonly chartWidth = {
    get: (): number => this.context.globalState.get<number>(CHART_WIDTH_KEY) ?? DEFAULT_CHART_WIDTH,
    set: (width: number): void => {
      if (width !== this.chartWidth.get()) void this.context.globalState.update(CHART_WIDTH_KEY, width);
    },
  };

  private hold(key: string, data: PanelSeries): void {
    this.release();
    const timer = setTimeout(() => this.release(), HOLD_MS);
    this.held = { key, data, timer };
  }

  private release(): void {
    if (this.held) clearTimeout(this.held.timer);
    this.held = undefined;
  }

  private resourceRoots(roots: readonly string[]): vscode.Uri[] {
    const ext = this.context.extensionUri;
    // A run that is one file (a notebook): its images saved beside it are in its folder.
    return [
      ...roots.map((r) => vscode.Uri.file(isFile(r) ? path.dirname(r) : r)),
      vscode.Uri.joinPath(ext, 'dist'),
      vscode.Uri.joinPath(ext, 'media'),
      vscode.Uri.file(previewFolder(this.context)),
    ];
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
