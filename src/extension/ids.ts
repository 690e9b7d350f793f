// Every id the extension shares with package.json: commands, the view, the webview panel type,
// context keys and the settings section. One place, so code and manifest cannot drift apart
// (test/unit/extension/manifest.test.ts checks both ways). No `vscode` import: pure modules use it.

/** The `ganInspector.*` settings section. */
export const SETTINGS_SECTION = 'ganInspector';

export const COMMANDS = {
  inspect: 'ganInspector.inspect',
  compare: 'ganInspector.compare',
  compareSelected: 'ganInspector.compareSelected',
  inspectFolder: 'ganInspector.inspectFolder',
  refresh: 'ganInspector.refresh',
  openExample: 'ganInspector.openExample',
  showLiveRuns: 'ganInspector.showLiveRuns',
} as const;

/** The status bar item of the runs training now. */
export const LIVE_STATUS_ITEM = 'ganInspector.liveRuns';

/** The "GAN Runs" tree view. */
export const RUNS_VIEW = 'ganInspector.runs';

/** The inspector webview panel (and its serializer). */
export const INSPECTOR_VIEW_TYPE = 'ganInspector.inspector';

/** Context keys the manifest's `when` clauses read. */
export const CONTEXT_KEYS = {
  /** The first scan has finished: the welcome view may say "No GAN run found". */
  scanned: 'ganInspector.scanned',
  /** Two or more runs are selected in the tree. */
  canCompare: 'ganInspector.canCompare',
} as const;

/** The Problems panel's collection of our diagnostics. */
export const DIAGNOSTICS = 'ganInspector';
