// The polling fallback in the extension (see src/core/live/fallback.ts): the live runs' growing
// files are stat'ed every `ganInspector.live.pollSeconds`; a change no file event reported goes to
// the live refresh as if an event had come (NFS, Lustre, sshfs, some containers send none).
import { PollingFallback } from '../../core/live/fallback';
import * as vscode from 'vscode';
import { Disposable, DisposableSlot } from '../dispose';
import { affectsSettings, currentSettings } from '../workspaceSettings';
import type { RunWatcher } from '../runs/watch';
import type { LiveRuns } from './liveRuns';

export class LivePolling extends Disposable {
  private readonly slot = this._register(new DisposableSlot<PollingFallback>());
  /** Set while the poller hands a change to the watcher: that is no file event. */
  private touching = false;

  constructor(
    private readonly live: LiveRuns,
    private readonly watcher: RunWatcher,
  ) {
    super();
    this._register(
      watcher.onDidSeeChange((root) => {
        if (!this.touching) this.slot.value?.eventFor(root);
      }),
    );
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsSettings(e, ['live.pollSeconds'])) this.restart();
      }),
    );
    this.restart();
  }

  private restart(): void {
    const seconds = currentSettings().livePollSeconds;
    if (seconds <= 0) {
      this.slot.value = undefined;
      return;
    }
    const fallback = new PollingFallback({
      intervalMs: seconds * 1000,
      targets: () => this.live.model.liveFiles(),
      touch: (_root, file) => {
        this.touching = true;
        try {
          this.watcher.changed(file);
        } finally {
          this.touching = false;
        }
      },
    });
    this.slot.value = fallback;
    fallback.start();
  }
}
