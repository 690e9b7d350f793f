// Findings in the Problems panel: each warning/error of a run shows on the lines of the workspace's
// Python files (and open notebooks) that save or load that run's files, with a quick fix that
// opens the inspector on the finding's steps.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable, toDisposable } from '../dispose';
import { documentDir, MAX_SOURCE_CHARS, PYTHON, workspaceDirs } from '../hover/hover';
import { COMMANDS, DIAGNOSTICS } from '../ids';
import type { InspectArgs } from '../inspectArgs';
import { lineColumn, problemsInSource } from './problemsModel';
import type { RunStore } from '../runs/runStore';

export const PROBLEM_SOURCE = 'GAN Run Inspector';
/** Python files of the workspace looked at; a training project has a handful. */
const MAX_PY_FILES = 500;
const PY_EXCLUDE = '{**/node_modules/**,**/.git/**,**/.venv/**,**/venv/**,**/site-packages/**,**/__pycache__/**}';

interface Placed {
  range: vscode.Range;
  message: string;
  args: InspectArgs;
}

export class RunProblems extends Disposable implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection(DIAGNOSTICS));
  private readonly placed = new Map<string, Placed[]>();
  private timer: NodeJS.Timeout | undefined;
  private readonly docTimers = new Map<string, NodeJS.Timeout>();
  /** Texts of the workspace's Python files, read once and dropped when the file changes on disk. */
  private readonly texts = new Map<string, string>();
  private fileList: vscode.Uri[] | undefined;

  constructor(private readonly store: RunStore) {
    super();
    this._register(vscode.languages.registerCodeActionsProvider(PYTHON, this, { providedCodeActionKinds: RunProblems.kinds }));
    this._register(store.onDidChange(() => this.scheduleAll()));
    this._register(vscode.workspace.onDidOpenTextDocument((d) => this.scheduleDoc(d)));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => this.scheduleDoc(e.document)));
    this._register(vscode.workspace.onDidSaveTextDocument((d) => this.scheduleDoc(d)));
    const py = this._register(vscode.workspace.createFileSystemWatcher('**/*.py'));
    this._register(py.onDidChange((uri) => this.texts.delete(uri.toString())));
    this._register(py.onDidCreate(() => (this.fileList = undefined)));
    this._register(
      py.onDidDelete((uri) => {
        this.fileList = undefined;
        this.texts.delete(uri.toString());
        this.clear(uri);
      }),
    );
    this._register(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.fileList = undefined;
        this.texts.clear();
      }),
    );
    this._register(
      toDisposable(() => {
        if (this.timer) clearTimeout(this.timer);
        for (const t of this.docTimers.values()) clearTimeout(t);
      }),
    );
  }

  /** Recomputes every Python file's problems soon (runs changed). */
  scheduleAll(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.updateAll(), 300);
  }

  async updateAll(): Promise<void> {
    const done = new Set<string>();
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.languageId !== 'python') continue;
      this.updateText(doc.uri, doc.getText(), documentDir(doc), (o) => doc.positionAt(o));
      done.add(doc.uri.toString());
    }
    const inspections = this.store.inspections();
    if (inspections.size === 0) {
      for (const [key] of this.placed) if (!done.has(key)) this.clear(vscode.Uri.parse(key));
      return;
    }
    this.fileList ??= await vscode.workspace.findFiles('**/*.py', PY_EXCLUDE, MAX_PY_FILES);
    for (const uri of this.fileList) {
      if (this.isDisposed || done.has(uri.toString())) continue;
      const text = await this.textOf(uri);
      if (text === undefined) continue;
      this.updateText(uri, text, path.dirname(uri.fsPath), (o) => {
        const p = lineColumn(text, o);
        return new vscode.Position(p.line, p.character);
      });
    }
  }

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const placed = this.placed.get(doc.uri.toString()) ?? [];
    const ours = context.diagnostics.filter((d) => d.source === PROBLEM_SOURCE);
    const actions: vscode.CodeAction[] = [];
    const seen = new Set<string>();
    for (const p of placed) {
      const forDiagnostic = ours.find((d) => d.range.isEqual(p.range) && d.message === p.message);
      if (!forDiagnostic && !p.range.intersection(range)) continue;
      const key = JSON.stringify(p.args);
      if (seen.has(key)) continue;
      seen.add(key);
      const action = new vscode.CodeAction(vscode.l10n.t('Inspect GAN run'), vscode.CodeActionKind.QuickFix);
      action.command = { command: COMMANDS.inspect, title: vscode.l10n.t('Inspect GAN run'), arguments: [p.args] };
      if (forDiagnostic) action.diagnostics = [forDiagnostic];
      actions.push(action);
    }
    return actions;
  }

  private async textOf(uri: vscode.Uri): Promise<string | undefined> {
    const key = uri.toString();
    const cached = this.texts.get(key);
    if (cached !== undefined) return cached;
    const bytes = await vscode.workspace.fs.readFile(uri).then(
      (b) => b,
      () => undefined,
    );
    if (!bytes || bytes.byteLength > MAX_SOURCE_CHARS) return undefined;
    const text = new TextDecoder().decode(bytes);
    this.texts.set(key, text);
    return text;
  }

  private scheduleDoc(doc: vscode.TextDocument): void {
    if (doc.languageId !== 'python') return;
    const key = doc.uri.toString();
    const old = this.docTimers.get(key);
    if (old) clearTimeout(old);
    this.docTimers.set(
      key,
      setTimeout(() => {
        this.docTimers.delete(key);
        if (!doc.isClosed) this.updateText(doc.uri, doc.getText(), documentDir(doc), (o) => doc.positionAt(o));
      }, 300),
    );
  }

  private updateText(uri: vscode.Uri, text: string, fileDir: string | undefined, at: (offset: number) => vscode.Position): void {
    if (this.isDisposed) return;
    if (text.length > MAX_SOURCE_CHARS) return this.clear(uri);
    const problems = problemsInSource(text, fileDir, workspaceDirs(), this.store.inspections());
    const placed: Placed[] = [];
    const diagnostics = problems.map((p) => {
      const range = new vscode.Range(at(p.start), at(p.end));
      const severity = p.finding.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
      const d = new vscode.Diagnostic(range, p.message, severity);
      d.source = PROBLEM_SOURCE;
      d.code = p.finding.kind;
      placed.push({ range, message: p.message, args: { runRoot: p.runRoot, focus: { start: p.finding.start, end: p.finding.end } } });
      return d;
    });
    this.collection.set(uri, diagnostics);
    if (placed.length) this.placed.set(uri.toString(), placed);
    else this.placed.delete(uri.toString());
  }

  private clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
    this.placed.delete(uri.toString());
  }
}
