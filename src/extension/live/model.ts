// What the extension knows of the runs training now: for each run, the looks its reads gave (see
// src/core/live), when its files were last written, its rate, and the episodes of its findings.
// A run is live once it was seen growing (its files written again after the first look) and while
// that was within the window: a folder of old runs just copied or cloned has fresh file times but
// is not training. Pure (no `vscode`): liveRuns.ts feeds it inspections, Node tests theirs.
import type { Inspection } from '../../core/inspect';
import { EpisodeTracker, type Confirmed } from '../../core/live/episodes';
import { isLive, StepRate } from '../../core/live/liveness';
import { lookAt } from '../../core/live/look';
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
  /** When its files were last written at the first look. */
  firstWrite: number | undefined;
  /** Its files were written again after the first look. */
  grew: boolean;
  /** News of a run not seen growing yet but written within the window: told if it grows. */
  pending: Confirmed[];
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
    if (!run)
      this.runs.set(
        root,
        (run = {
          name,
          tracker: new EpisodeTracker(),
          rate: new StepRate(),
          files: [],
          lastWrite: undefined,
          firstWrite: undefined,
          grew: false,
          pending: [],
          step: 0,
          errors: 0,
          warnings: 0,
          live: false,
          queue: Promise.resolve(),
        }),
      );
    const r = run;
    const result = r.queue.then(async (): Promise<LookResult> => {
      // Asks the format registry which files are loss files: loaded with the first look, not at activation.
      const { growingFiles, newestWrite } = await import('../../core/live/runFiles');
      r.name = name;
      r.files = growingFiles(ins);
      r.lastWrite = await newestWrite(r.files);
      if (first) r.firstWrite = r.lastWrite;
      else if (r.lastWrite !== undefined && (r.firstWrite === undefined || r.lastWrite > r.firstWrite)) r.grew = true;
      const look = lookAt(ins);
      if (r.lastWrite !== undefined) r.rate.add(look.latest, r.lastWrite);
      const before = `${r.live}|${r.errors}|${r.warnings}|${r.step}`;
      r.step = look.latest;
      Object.assign(r, countFindings(ins.findings));
      r.live = this.isLive(r);
      const confirmed = r.tracker.look(look, first && known);
      // Confirmed while the run is not training (a rescan with new thresholds): known, never told.
      // A run found after start-up with fresh files may be training: its news waits for it to grow.
      let news: Confirmed[] = [];
      if (r.live) news = [...r.pending.splice(0), ...confirmed];
      else if (isLive(r.lastWrite, this.now(), this.windowMs())) r.pending.push(...confirmed);
      else r.pending = [];
      return { news, changed: before !== `${r.live}|${r.errors}|${r.warnings}|${r.step}` };
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
    return {
      root,
      name: r.name,
      state: { live: r.live, step: r.step, stepsPerMinute: r.rate.perMinute(), lastWrite: r.lastWrite, errors: r.errors, warnings: r.warnings },
    };
  }

  /** The runs training now, by name. */
  live(): LiveInfo[] {
    return [...this.runs.keys()]
      .map((root) => this.info(root)!)
      .filter((i) => i.state.live)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * The growing files of the runs training now, and of those written within the window that may be
   * (not seen growing yet): the polling fallback looks at them, so growth is seen without events.
   */
  liveFiles(): { key: string; files: string[] }[] {
    return [...this.runs].filter(([, r]) => isLive(r.lastWrite, this.now(), this.windowMs())).map(([key, r]) => ({ key, files: r.files }));
  }

  /** Runs stop being live when their files have not been written for the window; true when one did. */
  expire(): boolean {
    let changed = false;
    for (const r of this.runs.values()) {
      const live = this.isLive(r);
      if (live !== r.live) {
        r.live = live;
        changed = true;
      }
    }
    return changed;
  }

  private isLive(r: RunLive): boolean {
    return r.grew && isLive(r.lastWrite, this.now(), this.windowMs());
  }
}
