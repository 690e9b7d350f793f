// Live refresh: watches the runs' files while training writes them. A change re-reads its run
// (debounced, retried while a file is half-written; see liveRefresh.ts); a loss file or image
// outside every known run triggers a rescan so new runs appear. Off with `ganInspector.liveRefresh`.
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable, DisposableSlot, toDisposable, type IDisposable } from '../dispose';
import { RunRefresher } from './liveRefresh';
import { affectsSettings, currentSettings } from '../workspaceSettings';
import type { RunStore } from './runStore';

/**
 * The files a run is made of, as the format registry names them, sample images and the run config.
 * The registry (and every reader with it) is loaded after activation, not during it.
 */
async function runFilesGlob(): Promise<string> {
  const [{ runFileNames, SAMPLE_IMAGE_NAMES }, { RUN_CONFIG_FILE }] = await Promise.all([
    import('../../core/formats/manifest'),
    import('../../core/discoverWalk'),
  ]);
  return `**/{${[...runFileNames(), ...SAMPLE_IMAGE_NAMES, RUN_CONFIG_FILE].join(',')}}`;
}
const RESCAN_DELAY_MS = 2000;

/**
 * A deletion may end a run when its folder is gone or a file right in it went (a loss file). A
 * sample image or a writer's temporary file deeper down does not: the run's refresh finds its files
 * again. (Chainer's LogReport deletes a temporary folder at every report; a rescan reads every run.)
 */
async function endsRun(root: string, file: string): Promise<boolean> {
  if (path.dirname(file) === root) return true;
  return stat(root).then(
    () => false,
    () => true,
  );
}

export class RunWatcher extends Disposable {
  private readonly refresher: RunRefresher;
  private live = currentSettings().liveRefresh;
  private rescanTimer: NodeJS.Timeout | undefined;
  /** Watchers of runs outside the workspace folders (the workspace-wide watcher misses them). */
  private readonly outside = new Map<string, DisposableSlot<IDisposable>>();
  private readonly _onDidSeeChange = this._register(new vscode.EventEmitter<string>());
  /** A file of a known run changed (the run root): live watching's polling need not report it again. */
  readonly onDidSeeChange = this._onDidSeeChange.event;
  /** What the watchers watch, once the registry has said it. */
  private glob: string | undefined;

  constructor(
    private readonly store: RunStore,
    private readonly rescan: () => void,
    log: vscode.LogOutputChannel,
  ) {
    super();
    this.refresher = this._register(
      new RunRefresher({
        read: (root) => store.read(root),
        current: (root) => store.runs.get(root)?.inspection,
        publish: (root, inspection) => store.publish(root, inspection),
        failed: (root, message) => log.warn(`${root}: ${message}`),
      }),
    );
    void runFilesGlob().then((glob) => {
      if (this.isDisposed) return;
      this.glob = glob;
      this.watch(glob);
      this.watchOutsideRuns();
    });
    this._register(store.onDidChange(() => this.watchOutsideRuns()));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsSettings(e, ['liveRefresh'])) this.live = currentSettings().liveRefresh;
      }),
    );
    this._register(
      toDisposable(() => {
        if (this.rescanTimer) clearTimeout(this.rescanTimer);
        for (const slot of this.outside.values()) slot.dispose();
      }),
    );
  }

  /** A file changed on disk: re-read its run, or look for new runs if it belongs to none. */
  changed(file: string, deleted = false): void {
    if (!this.live || this.isDisposed) return;
    const match = this.store.runFor(file);
    if (match) {
      this.refresher.touched(match.runRoot);
      this._onDidSeeChange.fire(match.runRoot);
    }
    // A file outside every run may start a new run; a deletion may end one (or its whole folder).
    if (!match) this.scheduleRescan();
    else if (deleted) void endsRun(match.runRoot, file).then((ends) => ends && !this.isDisposed && this.scheduleRescan());
  }

  private scheduleRescan(): void {
    // Not pushed back by later events: training that writes every second would delay it forever.
    if (this.rescanTimer) return;
    this.rescanTimer = setTimeout(() => {
      this.rescanTimer = undefined;
      this.rescan();
    }, RESCAN_DELAY_MS);
  }

  private watch(pattern: vscode.GlobPattern): IDisposable {
    const w = this._register(vscode.workspace.createFileSystemWatcher(pattern));
    const on = (deleted: boolean) => (uri: vscode.Uri) => uri.scheme === 'file' && this.changed(uri.fsPath, deleted);
    this._register(w.onDidCreate(on(false)));
    this._register(w.onDidChange(on(false)));
    this._register(w.onDidDelete(on(true)));
    return w;
  }

  private watchOutsideRuns(): void {
    const glob = this.glob;
    if (glob === undefined) return;
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const isInside = (p: string) => folders.some((f) => p === f || p.startsWith(f + path.sep));
    const wanted = new Set([...this.store.runs.keys()].filter((r) => !isInside(r)));
    for (const [root, slot] of this.outside) {
      if (!wanted.has(root)) {
        slot.dispose();
        this.outside.delete(root);
      }
    }
    for (const root of wanted) {
      if (this.outside.has(root)) continue;
      const slot = new DisposableSlot<IDisposable>();
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(root), glob));
      // The watcher's listeners end with it, so the slot owns all of it.
      w.onDidCreate((uri) => this.changed(uri.fsPath));
      w.onDidChange((uri) => this.changed(uri.fsPath));
      w.onDidDelete((uri) => this.changed(uri.fsPath, true));
      slot.value = w;
      this.outside.set(root, slot);
    }
  }
}
