// How long an inspector panel took from open to its first painted chart, stage by stage, told in
// one line of the log so a user (or the bench) can see where the time of a slow open went.
// No `vscode` import: tested under plain Node.
import { performance } from 'node:perf_hooks';
import { formatStep } from '../../core/analysis/format';

/** The host's own stages of an open; reading and smoothing overlap the webview's start-up. */
export type OpenStage = 'read' | 'smoothing' | 'first view';

export interface PaintedRun {
  /** The run names shown in the panel (several for a comparison). */
  runs: string[];
  series: number;
  /** Loss values in all series (the full run, not the decimated view). */
  points: number;
  /** Points on the chart's lines in its first view. */
  drawn: number;
}

const ms = (v: number) => `${formatStep(Math.round(v))} ms`;

export class OpenTimings {
  readonly openedAt: number;
  private readonly stages = new Map<OpenStage, number>();
  private readyAt: number | undefined;
  private told = false;

  constructor(private readonly clock: () => number = () => performance.now()) {
    this.openedAt = clock();
  }

  has(stage: OpenStage): boolean {
    return this.stages.has(stage);
  }

  /** Runs `fn` and keeps its duration as `stage` (a retried stage keeps its latest). */
  time<T>(stage: OpenStage, fn: () => T): T {
    const t0 = this.clock();
    try {
      return fn();
    } finally {
      this.stages.set(stage, this.clock() - t0);
    }
  }

  async timeAsync<T>(stage: OpenStage, fn: () => Promise<T>): Promise<T> {
    const t0 = this.clock();
    try {
      return await fn();
    } finally {
      this.stages.set(stage, this.clock() - t0);
    }
  }

  /** The webview's app said it is listening (its script loaded and ran). */
  webviewReady(): void {
    this.readyAt ??= this.clock();
  }

  /**
   * The log line for the first painted chart, e.g. "Inspector mnist-run: first chart painted
   * 812 ms after open (…)"; undefined once told (a refresh or a reloaded webview paints again).
   */
  painted(what: PaintedRun): string | undefined {
    if (this.told) return undefined;
    this.told = true;
    const total = this.clock() - this.openedAt;
    const parts: string[] = [];
    const stage = (name: OpenStage) => {
      const v = this.stages.get(name);
      if (v !== undefined) parts.push(`${name} ${ms(v)}`);
    };
    stage('read');
    stage('smoothing');
    if (this.readyAt !== undefined) parts.push(`webview ready after ${ms(this.readyAt - this.openedAt)}`);
    stage('first view');
    const sizes = `${what.series} series, ${formatStep(what.points)} points, ${formatStep(what.drawn)} drawn`;
    return `Inspector ${what.runs.join(' · ')}: first chart painted ${ms(total)} after open (${parts.join(', ')}; ${sizes})`;
  }
}
