// Entry point: wires the rooms together and nothing else. Every part is a Disposable owned by the
// extension context, so deactivation releases watchers, providers, the worker and panels.
// First, so it times the evaluation of everything below.
import { activationLine, activationTime, markCodeEvaluated, startActivation } from './activationTime';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Inspection } from '../core/inspect';
import { useBundle } from '../core/l10n';
import { WorkerClient } from './worker/client';
import { previewFolder } from './inspector/previews';
import { SamplePreviews } from './inspector/samplePreviews';
import { Commands } from './commands';
import { RunHover } from './hover/hover';
import { InspectorPanels } from './inspector/registry';
import { affectsSettings } from './workspaceSettings';
import { CONTEXT_KEYS } from './ids';
import { RunProblems } from './problems/problems';
import { RunStore } from './runs/runStore';
import { RunsView } from './tree/runsView';
import { RunWatcher } from './runs/watch';
import { LiveWatching } from './live/liveWatching';

// Every import above has been evaluated by now.
markCodeEvaluated();

export function activate(context: vscode.ExtensionContext): void {
  const called = startActivation();
  useBundle(vscode.l10n.bundle);
  const log = vscode.window.createOutputChannel('GAN Run Inspector', { log: true });
  const client = new WorkerClient(path.join(context.extensionPath, 'dist', 'worker.js'), [], vscode.l10n.bundle, previewFolder(context));
  const store = new RunStore(client, log);
  // The welcome view says "Looking for GAN runs…" until the first scan has read every run, and
  // "No GAN run found" only after it.
  const scan = async () => {
    try {
      await store.scan();
    } finally {
      live.scanned();
      await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.scanned, true);
    }
  };
  const watcher = new RunWatcher(store, () => void scan(), log);
  const live = new LiveWatching(store, watcher, log);
  const panels = new InspectorPanels(
    context,
    async (root) => {
      if (!store.runs.has(root)) await store.addPath(root);
      return store.inspection(root);
    },
    log,
    new SamplePreviews(previewFolder(context), (file) => client.preview(file)),
  );
  const sent = new Map<string, Inspection>();
  const tree = new RunsView(store, live.tree);
  context.subscriptions.push(
    log,
    client,
    store,
    tree,
    new RunHover(store),
    new RunProblems(store),
    watcher,
    live,
    panels,
    new Commands({ context, panels, store, tree, live: live.runs, rescan: scan }),
    store.onDidChange((roots) => {
      for (const root of roots) {
        const inspection = store.runs.get(root)?.inspection;
        // Open inspectors update in place, once per new inspection.
        if (inspection && sent.get(root) !== inspection) {
          sent.set(root, inspection);
          panels.refresh(root, inspection);
        }
      }
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void scan()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // A scan reads every run again, so new reading settings apply everywhere.
      if (affectsSettings(e, RESCAN_SETTINGS)) void scan();
    }),
  );
  void scan();
  log.info(activationLine(activationTime(called)));
}

const RESCAN_SETTINGS = ['scan', 'lossType', 'thresholds', 'maxFileSizeMB'];

export function deactivate(): void {}
