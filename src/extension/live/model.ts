// What the extension knows of the runs training now: for each run, the looks its reads gave (see
// src/core/live), when its files were last written, its rate, and the episodes of its findings.
// Pure (no `vscode`): liveRuns.ts feeds it the run store's inspections, Node tests feed it theirs.
import type { Inspection } from '../../core/inspect';
import { EpisodeTracker, type Confirmed } from '../../core/live/episodes';
import { isLive, StepRate } from '../../core/live/liveness';
import { lookAt } from '../../core/live/look';
import { growingFiles, newestWrite } from '../../core/live/runFiles';
import { countFindings, type LiveState } from '../../core/live/summary';

export interface LiveInfo {
  root: string;
  name: string;
  state: LiveState;
}

interface RunLive {
  name: string;
  tracker: EpisodeTracker;
  rate: StepRate;
  files: string[];
  lastWrite: number | undefined;
  step: number;
  errors: number;
  warnings: number;
  live: boolean;
  /** Looks of the run wait for each other (each stats its files first). */
  queue: Promise<unknown>;
}

export interface LookResult {
  /** Findings that became news with this look (only for a live run). */
  news: Confirmed[];
  /** The run's live state or health changed (the tree and the status bar show it). */
  changed: boolean;
}

export class LiveRunsModel {
  private readonly runs = new Map<string, RunLive>();

  constructor(
    private readonly windowMs: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * A new inspection of a run is shown. `known`: its findings were there before anyone watched (a
   * run's first look when the workspace opened): they are never news.
   */
  look(root: string, name: string, ins: Inspection, known: boolean): Promise<LookResult> {
    let run = this.runs.get(root);
    const first = !run;
    if (!run) this.runs.set(root, (run = { name, tracker: new EpisodeTracker(), rate: new StepRate(), files: [], lastWrite: undefined, step: 0, errors: 0, warnings: 0, live: false, queue: Promise.resolve() }));
    const r = run;
    const result = r.queue.then(async (): Promise<LookResult> => {
      r.name = name;
      r.files = growingFiles(ins);
      r.lastWrite = await newestWrite(r.files);
      const look = lookAt(ins);
      if (r.lastWrite !== undefined) r.rate.add(look.latest, r.lastWrite);
      const before = `${r.live}|${r.errors}|${r.warnings}|${r.step}`;
      r.step = look.latest;
      Object.assign(r, countFindings(ins.findings));
      r.live = isLive(r.lastWrite, this.now(), this.windowMs());
      const confirmed = r.tracker.look(look, first && known);
      // Confirmed while the run is not training (a rescan with new thresholds): known, never told.
      return { news: r.live ? confirmed : [], changed: before !== `${r.live}|${r.errors}|${r.warnings}|${r.step}` };
    });
    r.queue = result.catch(() => undefined);
    return result;
  }

  /** The run is gone (deleted, no longer scanned). */
  forget(root: string): boolean {
    return this.runs.delete(root);
  }

  info(root: string): LiveInfo | undefined {
    const r = this.runs.get(root);
    if (!r) return undefined;
    return { root, name: r.name, state: { live: r.live, step: r.step, stepsPerMinute: r.rate.perMinute(), lastWrite: r.lastWrite, errors: r.errors, warnings: r.warnings } };
  }

  /** The runs training now, by name. */
  live(): LiveInfo[] {
    return [...this.runs.keys()].map((root) => this.info(root)!).filter((i) => i.state.live).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The growing files of the runs training now (for the polling fallback). */
  liveFiles(): { key: string; files: string[] }[] {
    return [...this.runs].filter(([, r]) => r.live).map(([key, r]) => ({ key, files: r.files }));
  }

  /** Runs stop being live when their files have not been written for the window; true when one did. */
  expire(): boolean {
    let changed = false;
    for (const r of this.runs.values()) {
      const live = isLive(r.lastWrite, this.now(), this.windowMs());
      if (live !== r.live) {
        r.live = live;
        changed = true;
      }
    }
    return changed;
  }
}
