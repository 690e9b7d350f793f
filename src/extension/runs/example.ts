// "Open the example GAN run": the walkthrough's first step. The example ships inside the extension,
// whose folder may be read-only (and is replaced on update), so it is copied once into the
// extension's global storage and opened from there: the inspector on its result folder and its
// train.py beside it, where hovering the np.save paths shows the run (the hover resolves paths
// relative to the script, so this works outside the workspace too).
import * as vscode from 'vscode';
import { COMMANDS } from '../ids';

/** Where the example lives inside the packaged extension. */
const EXAMPLE_IN_EXTENSION = ['examples', 'mnist-run'];

/** The example's copy in global storage, copying it there first if it is not there yet. */
export async function exampleCopy(extensionUri: vscode.Uri, storage: vscode.Uri): Promise<vscode.Uri> {
  const source = vscode.Uri.joinPath(extensionUri, ...EXAMPLE_IN_EXTENSION);
  const target = vscode.Uri.joinPath(storage, 'mnist-run');
  if (await exists(target)) return target;
  await vscode.workspace.fs.createDirectory(storage);
  // Copy to a private name and rename: a copy cut short never looks like a finished one.
  const partial = vscode.Uri.joinPath(storage, `mnist-run.partial-${process.pid}-${Date.now()}`);
  try {
    await vscode.workspace.fs.copy(source, partial, { overwrite: true });
    await vscode.workspace.fs.rename(partial, target, { overwrite: false });
  } catch (e) {
    await vscode.workspace.fs.delete(partial, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    // Another window may have finished the same copy first.
    if (!(await exists(target))) throw e;
  }
  return target;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
}

/** "Open the example GAN run" (registered in commands.ts). */
export async function openExample(context: vscode.ExtensionContext): Promise<void> {
  let copy: vscode.Uri;
  try {
    // One copy per extension version, so an updated example is not hidden behind an old copy.
    copy = await exampleCopy(context.extensionUri, vscode.Uri.joinPath(context.globalStorageUri, `example-${String(context.extension.packageJSON.version)}`));
  } catch (e) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('{0}: the example run could not be copied ({1}).', context.globalStorageUri.fsPath, e instanceof Error ? e.message : String(e)),
    );
    return;
  }
  // Inspect reads local files only; global storage is local wherever this workspace extension runs.
  await vscode.commands.executeCommand(COMMANDS.inspect, vscode.Uri.file(vscode.Uri.joinPath(copy, 'result').fsPath));
  await vscode.window.showTextDocument(vscode.Uri.joinPath(copy, 'train.py'), { viewColumn: vscode.ViewColumn.Beside, preview: false, preserveFocus: true });
}
