// Where previews of large sample grids are kept (made by the worker while it scores them, see
// src/core/samples/preview.ts), and which image the inspector's webview is given for a sample.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { shownImage } from '../../core/samples/preview';

/** The extension's own cache folder for previews, outside every workspace. */
export function previewFolder(context: vscode.ExtensionContext): string {
  return path.join(context.globalStorageUri.fsPath, 'sample-previews');
}

/** The preview of a run's sample when one was made for its current version, else the sample itself. */
export function sampleImageUri(webview: vscode.Webview, previewDir: string, root: string, rel: string): string {
  const file = path.join(root, ...rel.split('/'));
  return webview.asWebviewUri(vscode.Uri.file(shownImage(previewDir, file))).toString();
}
