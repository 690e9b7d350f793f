// What the run store knows of one run, and which known run a path belongs to. Pure (no `vscode`):
// the tree, the hover and the Problems read these, and Node tests cover them.
import type { RunGlance } from '../../core/glance';
import type { Inspection } from '../../core/inspect';
import { relativeInside } from '../../core/paths';

export interface RunEntry {
  root: string;
  name: string;
  inspection?: Inspection;
  /** Read but not judged yet: the row's numbers, shown before the findings are known (a scan). */
  glance?: RunGlance;
  /** Set when inspecting failed as a whole (one line). */
  failure?: string;
  /** The losses are shown; the sample grids are still being scored (health and diversity follow). */
  scoring?: boolean;
}

export interface PathMatch {
  runRoot: string;
  /** The path relative to the run root, forward slashes; '' when it is the run folder itself. */
  relative: string;
}

/**
 * Records a new inspection on the entry (the views read it when the store fires); `scoring`: it
 * holds only the losses, the sample grids are still being scored (the tree shows the losses with a
 * spinner until the health is known).
 */
export function setInspection(entry: RunEntry, inspection: Inspection, scoring = false): void {
  entry.inspection = inspection;
  entry.glance = undefined;
  entry.failure = undefined;
  entry.scoring = scoring && inspection.run.samples.length > 0;
}

/** Records a run read but not judged yet; a run already judged keeps showing that until the new judgement. */
export function setGlance(entry: RunEntry, glance: RunGlance): void {
  if (!entry.inspection) entry.glance = glance;
}

/** Records that reading or scoring failed as a whole: the losses already shown stay, the reason goes in the tooltip. */
export function setFailure(entry: RunEntry, message: string): void {
  entry.failure = message;
  entry.scoring = false;
}

/** The run a path belongs to: the deepest known run root equal to or containing the path. */
export function matchRun(candidate: string, runRoots: Iterable<string>): PathMatch | undefined {
  let best: PathMatch | undefined;
  for (const root of runRoots) {
    const rel = relativeInside(root, candidate);
    if (rel === null) continue;
    if (!best || root.length > best.runRoot.length) best = { runRoot: root, relative: rel };
  }
  return best;
}
