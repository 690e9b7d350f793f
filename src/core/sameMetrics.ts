// One run, one copy of each metric: StyleGAN2-ADA writes every statistic both to `stats.jsonl` and
// to its TensorBoard events (and the FID both to `metric-*.jsonl` and the events); PGGAN prints its
// tick lines to log.txt (and nohup.out) and logs the same values to its events. Plotting every copy
// doubles each line and lets the roles pick either; one copy is kept: the JSON lines first (they hold
// the exact kimg; the events round it down), then the longest text log, then the events.
import type { Series } from './model';

const isEvents = (source: string) => /(^|\/)events\.out\.tfevents\./.test(source);
// The names these codebases give their statistics; other names are left alone (two files of a run
// may well log a `d_loss` each).
const STYLEGAN_NAME = /^(Loss|Progress|Timing|Resources|Metrics|Train[DG])\//;

function rank(s: Series): number {
  if (/\.jsonl$/i.test(s.source)) return 0;
  return isEvents(s.source) ? 2 : 1;
}

/** The series with one copy of each StyleGAN-style name that several files of the run hold. */
export function withoutDuplicateMetrics(series: Series[]): Series[] {
  const best = new Map<string, Series>();
  for (const s of series) {
    if (!STYLEGAN_NAME.test(s.name)) continue;
    const kept = best.get(s.name);
    if (!kept || rank(s) < rank(kept) || (rank(s) === rank(kept) && s.values.length > kept.values.length)) best.set(s.name, s);
  }
  if (!best.size) return series;
  return series.filter((s) => !STYLEGAN_NAME.test(s.name) || best.get(s.name) === s);
}
