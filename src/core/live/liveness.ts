// Is a run training now, and how fast: from when its files were last written and the steps its
// reads found. Pure (times are passed in), shared by the extension's live runs and `--watch`.

/** A run is live while one of its files was written within this many minutes (the default). */
export const DEFAULT_LIVE_MINUTES = 10;

/** True when the newest write is within the window (a clock set back a little counts as now). */
export function isLive(lastWrite: number | undefined, now: number, windowMs: number): boolean {
  return lastWrite !== undefined && now - lastWrite <= windowMs;
}

/** Steps per minute over the last few minutes of reads of a run. */
export class StepRate {
  private points: { at: number; step: number }[] = [];

  /** @param spanMs how far back the rate looks. */
  constructor(private readonly spanMs = 5 * 60_000) {}

  /** The run had reached `step` when its files were last written, at `at` (ms). */
  add(step: number, at: number): void {
    const last = this.points[this.points.length - 1];
    if (!Number.isFinite(step) || !Number.isFinite(at)) return;
    if (last && (step <= last.step || at <= last.at)) {
      // A restarted run (fewer steps) starts the rate over; the same step again changes nothing.
      if (step < last.step) this.points = [{ at, step }];
      return;
    }
    this.points.push({ at, step });
    while (this.points.length > 2 && at - this.points[1]!.at >= this.spanMs) this.points.shift();
  }

  /** Steps per minute, or null before two reads with different steps. */
  perMinute(): number | null {
    if (this.points.length < 2) return null;
    const a = this.points[0]!;
    const b = this.points[this.points.length - 1]!;
    return ((b.step - a.step) * 60_000) / (b.at - a.at);
  }
}
