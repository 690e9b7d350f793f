// Follows the run store: each new inspection of a run is a look at it (the same refresh the views
// use, nothing read twice), which says whether it is training and which findings became news.
// The tree, the status bar and the alerts listen; a timer lets runs stop being live.
import * as vscode from 'vscode';
import type { Confirmed } from '../../core/live/episodes';
import type { Inspection } from '../../core/inspect';
import { Disposable, toDisposable } from '../dispose';
import { currentSettings, affectsSettings } from '../workspaceSettings';
import type { RunStore } from '../runs/runStore';
import { LiveRunsModel } from './model';

/** How often runs are checked for having stopped (a minute's precision is plenty for "live"). */
const EXPIRE_MS = 15_000;

export interface RunNews {
  root: string;
  name: string;
  news: Confirmed[];
}

export class LiveRuns extends Disposable {
  private windowMs = currentSettings().liveMinutes * 60_000;
  readonly model = new LiveRunsModel(() => this.windowMs);
  private readonly shown = new Map<string, Inspection>();
  private scanDone = false;
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  /** Runs started or stopped training, or a live run's step or health changed. */
  readonly onDidChange = this._onDidChange.event;
  private readonly _onNews = this._register(new vscode.EventEmitter<RunNews>());
  /** A live run has findings that became news. */
  readonly onNews = this._onNews.event;

  constructor(
    private readonly store: RunStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register(store.onDidChange((roots) => roots.forEach((root) => this.changed(root))));
    const timer = setInterval(() => {
      if (this.model.expire()) this._onDidChange.fire();
    }, EXPIRE_MS);
    this._register(toDisposable(() => clearInterval(timer)));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!affectsSettings(e, ['live.minutes'])) return;
        this.windowMs = currentSettings().liveMinutes * 60_000;
        if (this.model.expire()) this._onDidChange.fire();
      }),
    );
  }

  /**
   * The first scan is over: a run found from now on (training that started while the window is
   * open) has news in its first look; runs found by the first scan had theirs before anyone watched.
   */
  scanned(): void {
    this.scanDone = true;
  }

  private changed(root: string): void {
    const entry = this.store.runs.get(root);
    if (!entry) {
      this.shown.delete(root);
      if (this.model.forget(root)) this._onDidChange.fire();
      return;
    }
    const ins = entry.inspection;
    // Losses alone while the samples are scored: the verdict may still change; wait for the whole.
    if (!ins || entry.scoring || this.shown.get(root) === ins) return;
    const known = !this.scanDone && !this.shown.has(root);
    this.shown.set(root, ins);
    this.model.look(root, entry.name, ins, known).then(
      ({ news, changed }) => {
        if (this.isDisposed) return;
        if (changed) this._onDidChange.fire();
        if (news.length) this._onNews.fire({ root, name: entry.name, news });
      },
      (e: unknown) => this.log.warn(`${root}: ${e instanceof Error ? e.message : String(e)}`),
    );
  }
}
