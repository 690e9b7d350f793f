// The arguments of "Inspect GAN run" (COMMANDS.inspect): which run, and maybe a step range to zoom to.
// They come from menus, tree rows, hover links and quick fixes, so they are checked, never trusted.
import * as path from 'node:path';

/** Arguments our command links and code actions pass to `ganInspector.inspect`. */
export interface InspectArgs {
  runRoot: string;
  focus?: { start: number; end: number };
}

/** Command arguments come from menus, tree rows and command links: checked, never trusted. */
export function asInspectArgs(value: unknown): InspectArgs | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.runRoot !== 'string' || !path.isAbsolute(v.runRoot)) return undefined;
  const f = v.focus as Record<string, unknown> | undefined;
  const focus =
    f && typeof f === 'object' && typeof f.start === 'number' && typeof f.end === 'number' && Number.isFinite(f.start) && Number.isFinite(f.end)
      ? { start: Math.min(f.start, f.end), end: Math.max(f.start, f.end) }
      : undefined;
  return { runRoot: v.runRoot, ...(focus ? { focus } : {}) };
}
