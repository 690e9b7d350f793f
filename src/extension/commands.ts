// Every command the manifest contributes is registered here and nowhere else: one line of the
// table below per id of ids.ts's COMMANDS, naming the handler its module exports. An id without its
// line (or a line without its id) does not compile; test/unit/extension/manifest.test.ts checks
// that package.json, ids.ts and this table name the same commands.
import * as vscode from 'vscode';
import { Disposable } from './dispose';
import { COMMANDS } from './ids';
import type { InspectorPanels } from './inspector/registry';
import type { LiveRuns } from './live/liveRuns';
import { showLiveRuns } from './live/statusBar';
import { RunOpener } from './openRuns';
import { openExample } from './runs/example';
import type { RunStore } from './runs/runStore';
import type { RunsView } from './tree/runsView';

/** What a command does with the arguments its caller gave (a Uri and the selection, a tree node, InspectArgs…). */
type Handler = (...args: unknown[]) => unknown;

export interface CommandTargets {
  context: vscode.ExtensionContext;
  panels: InspectorPanels;
  store: RunStore;
  tree: RunsView;
  live: LiveRuns;
  /** Scans the workspace for runs again. */
  rescan: () => Promise<void>;
}

export class Commands extends Disposable {
  constructor(to: CommandTargets) {
    super();
    const opener = new RunOpener(to.panels, to.store);
    const handlers: { [K in keyof typeof COMMANDS]: Handler } = {
      inspect: (first, all) => opener.inspect(first, all),
      compare: (first, all) => opener.compare(first, all),
      compareSelected: (node, nodes) => to.tree.compareSelected(node, nodes),
      inspectFolder: () => opener.inspectChosenFolder(),
      refresh: () => to.rescan(),
      openExample: () => openExample(to.context),
      showLiveRuns: () => showLiveRuns(to.live),
    };
    for (const name of Object.keys(handlers) as (keyof typeof COMMANDS)[]) this._register(vscode.commands.registerCommand(COMMANDS[name], handlers[name]));
  }
}
