// Which runs a panel shows, as a key, and as the state the webview keeps so the panel serializer
// can reopen it after a reload. The state comes back from the webview, so it is checked like a
// message and the folders it names must still look like runs. No `vscode`: tested under Node.
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { isImageFile } from '../../core/samples/naming';
import type { RestoreState } from '../../protocol';

/** More runs than anyone compares in one chart: a restored state naming more is not ours. */
const MAX_RESTORED_RUNS = 32;

/** One panel per distinct set of runs, whatever order they were picked in. */
export function panelKey(roots: readonly string[]): string {
  return [...roots].sort().join('\0');
}

/** Absolute, resolved, without duplicates, in the order given. */
export function normaliseRoots(roots: readonly string[]): string[] {
  const out: string[] = [];
  for (const r of roots) {
    const abs = path.resolve(r);
    if (!out.includes(abs)) out.push(abs);
  }
  return out;
}

/** The roots a restored panel's state names, or null when the state is not one of ours. */
export function restoredRoots(state: unknown): string[] | null {
  const restore = (state as { restore?: Partial<Record<keyof RestoreState, unknown>> } | undefined)?.restore;
  if (!restore || typeof restore !== 'object') return null;
  const many = restore.runRoots;
  const roots = Array.isArray(many) && many.length ? many : [restore.runRoot];
  // The state is written by the webview, so it is checked like a message: a few absolute paths.
  if (roots.length > MAX_RESTORED_RUNS || !roots.every((r): r is string => typeof r === 'string' && path.isAbsolute(r))) return null;
  return normaliseRoots(roots);
}

/**
 * A restored root becomes a resource root of the webview, so it must still be what we saved: a run
 * as the format registry knows one — a folder that holds loss files or sample images (directly or
 * one level down), a folder a format makes a run by its structure, or a file that is a run of its
 * own — not any path a state names.
 */
export async function looksLikeRun(root: string): Promise<boolean> {
  // The registry (and every reader with it) is loaded when a panel is restored, not at activation.
  const { FORMATS } = await import('../../core/formats');
  const { formatByContent } = await import('../../core/discoverText');
  const info = await stat(root).catch(() => null);
  if (info?.isFile()) return (FORMATS.selectFormat(path.basename(root)) ?? (await formatByContent(root, path.basename(root))))?.isRun === true;
  const entries = await readdir(root, { withFileTypes: true }).catch(() => null);
  if (!entries) return false;
  const byName = (name: string) => FORMATS.selectFormat(name) !== null || isImageFile(name);
  if (entries.some((e) => e.isFile() && byName(e.name))) return true;
  if (await FORMATS.folderRunOf(root, entries)) return true;
  // A run whose losses only their content tells (`train.log`, `nohup.out`).
  for (const e of entries.filter((x) => x.isFile() && FORMATS.needsContent(x.name)).slice(0, 8))
    if (await formatByContent(path.join(root, e.name), e.name)) return true;
  for (const dir of entries.filter((e) => e.isDirectory()).slice(0, 50)) {
    const inner = await readdir(path.join(root, dir.name)).catch(() => [] as string[]);
    if (inner.some(byName)) return true;
  }
  return false;
}

/** The state a panel showing `roots` gives its webview to keep. */
export function restoreStateOf(roots: readonly string[]): RestoreState {
  return roots.length > 1 ? { runRoot: roots[0]!, runRoots: [...roots] } : { runRoot: roots[0]! };
}
