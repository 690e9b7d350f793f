// Watching training as it happens, over the same live refresh the views use: which runs are live
// (liveRuns.ts), their status bar item, their alerts, and the polling fallback for file systems
// without file events. activate.ts makes one; the GAN Runs view asks it how a live run looks.
import type * as vscode from 'vscode';
import { Disposable } from '../dispose';
import type { NodeView, TreeNode } from '../tree/nodes/node';
import type { RunStore } from '../runs/runStore';
import type { RunWatcher } from '../runs/watch';
import { LiveAlerts } from './alerts';
import { LiveRuns } from './liveRuns';
import { liveRunView } from './liveView';
import { LivePolling } from './polling';
import { LiveStatusBar } from './statusBar';

export class LiveWatching extends Disposable {
  readonly runs: LiveRuns;

  constructor(store: RunStore, watcher: RunWatcher, log: vscode.LogOutputChannel) {
    super();
    this.runs = this._register(new LiveRuns(store, log));
    this._register(new LiveStatusBar(this.runs));
    this._register(new LiveAlerts(this.runs, log));
    this._register(new LivePolling(this.runs, watcher));
  }

  /** The first scan is over (see LiveRuns.scanned). */
  scanned(): void {
    this.runs.scanned();
  }

  /** For the GAN Runs view: a run row while the run trains, and when to redraw. */
  get tree(): { decorate(node: TreeNode, view: NodeView): NodeView; onDidChange: vscode.Event<void> } {
    return {
      decorate: (node, view) => (node.kind === 'run' ? liveRunView(view, this.runs.model.info(node.runRoot)) : view),
      onDidChange: this.runs.onDidChange,
    };
  }
}
