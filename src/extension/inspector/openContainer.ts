// Opening an image that lives inside another file: the file holding it, where the image is. A
// notebook opens in the notebook editor with the image's cell selected and in view (a text editor
// when no notebook editor is installed); a TensorBoard event file is shown in the Explorer, since
// its bytes mean nothing in an editor.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageInFile } from '../../core/model';

export async function openContainer(folder: string, embedded: ImageInFile): Promise<void> {
  const uri = vscode.Uri.file(path.join(folder, ...embedded.file.split('/')));
  // Only a notebook's outputs are in cells.
  if (embedded.cell === undefined) {
    await vscode.commands.executeCommand('revealInExplorer', uri);
    return;
  }
  try {
    const document = await vscode.workspace.openNotebookDocument(uri);
    const cell = Math.min(embedded.cell ?? 0, Math.max(0, document.cellCount - 1));
    const range = new vscode.NotebookRange(cell, cell + 1);
    const editor = await vscode.window.showNotebookDocument(document, { viewColumn: vscode.ViewColumn.Beside, selections: [range] });
    editor.revealRange(range, vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
  } catch {
    await vscode.commands.executeCommand('vscode.open', uri, { viewColumn: vscode.ViewColumn.Beside });
  }
}
