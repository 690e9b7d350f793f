// The one place the extension reads its `ganInspector.*` settings from VS Code (not a run's
// gan-run.json, which core calls its config); settings.ts checks the values (without `vscode`, so
// Node tests cover it).
import * as vscode from 'vscode';
import { SETTINGS_SECTION } from './ids';
import { readSettings, type Settings } from './settings';

/** The `ganInspector.*` settings as they are now, checked. */
export function currentSettings(): Settings {
  const cfg = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return readSettings((key) => cfg.get(key));
}

/** True when a configuration change touches one of `keys` (e.g. 'scan', 'liveRefresh'). */
export function affectsSettings(e: vscode.ConfigurationChangeEvent, keys: readonly string[]): boolean {
  return keys.some((k) => e.affectsConfiguration(`${SETTINGS_SECTION}.${k}`));
}
