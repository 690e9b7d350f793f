// Where an export from the inspector (PNG, CSV, Markdown, GIF) is written: the user picks the file,
// the run's folder is offered first. The name and bytes come from the webview, already validated.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExportMessage } from '../../protocol';

/** Asks where to save, writes the bytes; the saved file's name, or undefined when cancelled. */
export async function saveExport(folder: string, msg: ExportMessage): Promise<string | undefined> {
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(path.join(folder, msg.name)),
    saveLabel: vscode.l10n.t('Export'),
  });
  if (!target) return undefined;
  const bytes = typeof msg.data === 'string' ? new TextEncoder().encode(msg.data) : new Uint8Array(msg.data);
  await vscode.workspace.fs.writeFile(target, bytes);
  return path.basename(target.fsPath);
}
