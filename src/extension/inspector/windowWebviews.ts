// What the service-worker decision (serviceWorkerRelease.ts) needs to know about this window: where
// VS Code runs, what its tabs hold, and which running extensions offer webview views.
import * as vscode from 'vscode';
import { INSPECTOR_VIEW_TYPE } from '../ids';
import { contributesWebviewView, type WindowWebviews } from './serviceWorkerRelease';

export function windowWebviews(ownId: string): WindowWebviews {
  // Desktop VS Code gives each webview its own origin: nothing there shares the registration.
  if (vscode.env.uiKind !== vscode.UIKind.Web) return { web: false, tabs: [], webviewViewExtensions: [] };
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => kindOf(t.input)));
  const webviewViewExtensions = vscode.extensions.all.filter((e) => e.id !== ownId && e.isActive && contributesWebviewView(e.packageJSON)).map((e) => e.id);
  return { web: true, tabs, webviewViewExtensions };
}

function kindOf(input: unknown): WindowWebviews['tabs'][number] {
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputTextDiff || input instanceof vscode.TabInputTerminal) return 'text';
  // The tab's view type is the panel's, prefixed by VS Code ('mainThreadWebview-…').
  if (input instanceof vscode.TabInputWebview && input.viewType.endsWith(INSPECTOR_VIEW_TYPE)) return 'inspector';
  return 'other';
}
