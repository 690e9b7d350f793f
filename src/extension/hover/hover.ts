// Hover on a path literal in Python (files and notebook cells): the run it names, its numbers, a
// sparkline, the findings and a link to the inspector.
import { stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../dispose';
import { COMMANDS } from '../ids';
import { hoverMarkdown, namesSomethingIn, pathCandidates } from './hoverText';
import type { PathMatch } from '../runs/runEntry';
import { literalPath, pythonStringAt } from './pythonStrings';
import type { RunStore } from '../runs/runStore';

/** Sources longer than this are not scanned for literals (a generated file, not a training script). */
export const MAX_SOURCE_CHARS = 2_000_000;

export const PYTHON: vscode.DocumentSelector = [{ language: 'python' }];

/** Folder of a Python file or of the notebook holding a cell (a cell URI's path is the notebook's). */
export function documentDir(doc: vscode.TextDocument): string | undefined {
  return doc.uri.scheme === 'file' || doc.uri.scheme === 'vscode-notebook-cell' ? path.dirname(doc.uri.fsPath) : undefined;
}

export function workspaceDirs(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

export class RunHover extends Disposable implements vscode.HoverProvider {
  constructor(private readonly store: RunStore) {
    super();
    this._register(vscode.languages.registerHoverProvider(PYTHON, this));
  }

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const text = doc.getText();
    if (text.length > MAX_SOURCE_CHARS) return undefined;
    const lit = pythonStringAt(text, doc.offsetAt(pos));
    const literal = lit && literalPath(lit);
    if (!lit || !literal) return undefined;
    for (const candidate of pathCandidates(literal, documentDir(doc), workspaceDirs(), os.homedir())) {
      if (token.isCancellationRequested) return undefined;
      const found = await this.resolve(candidate);
      if (!found || token.isCancellationRequested) continue;
      const md = new vscode.MarkdownString(hoverMarkdown(found.inspection, found.match), true);
      // Only our own command may run from this hover; every name in it is escaped.
      md.isTrusted = { enabledCommands: [COMMANDS.inspect] };
      md.supportHtml = false;
      return new vscode.Hover(md, new vscode.Range(doc.positionAt(lit.start), doc.positionAt(lit.end)));
    }
    return undefined;
  }

  private async resolve(candidate: string) {
    let match: PathMatch | undefined = this.store.runFor(candidate);
    const exists = await stat(candidate).then(
      () => true,
      () => false,
    );
    if (!match && exists) {
      await this.store.addPath(candidate).catch(() => []);
      match = this.store.runFor(candidate);
    }
    if (!match) return undefined;
    const inspection = await this.store.inspection(match.runRoot).catch(() => undefined);
    // A path inside a run that names none of its files (a model checkpoint, say) gets no hover.
    if (!inspection || !namesSomethingIn(inspection, match.relative)) return undefined;
    return { match, inspection };
  }
}
