// Where previews of large sample grids are kept (made by the worker while it scores them, or on
// request for the inspector, see src/core/samples/preview.ts and samplePreviews.ts).
import * as path from 'node:path';
import type * as vscode from 'vscode';

/** The extension's own cache folder for previews, outside every workspace. */
export function previewFolder(context: vscode.ExtensionContext): string {
  return path.join(context.globalStorageUri.fsPath, 'sample-previews');
}
