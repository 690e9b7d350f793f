// One look at a live run: what a read of its files says for watching it (the newest step, how many
// records, which findings are still going on at the newest data). Pure, from an inspection.
import type { Inspection } from '../inspect';
import type { Finding, Series } from '../model';

export interface Look {
  /** The first step of the longest loss series (0 for most runs; a resumed run starts later). */
  first: number;
  /** The newest step of the run's losses (or of its samples when it has no losses). */
  latest: number;
  /** Records so far: values of the longest loss series, or scored sample steps without losses. */
  records: number;
  findings: Finding[];
}

/** Steps from the end of a loss still "now": a finding's last block ends up to a block short of the newest value. */
const CURRENT_SHARE = 0.02;

export function lookAt(ins: Inspection): Look {
  const losses = ins.run.series.filter((s) => s.role !== 'metric' && s.steps.length);
  const lastOf = (s: Series) => s.steps[s.steps.length - 1]!;
  const latestSample = ins.diversity.length ? ins.diversity[ins.diversity.length - 1]!.step : ins.run.samples[ins.run.samples.length - 1]?.step;
  const series = losses.length ? losses : ins.run.series.filter((s) => s.steps.length);
  const latest = series.length ? Math.max(...series.map(lastOf)) : (latestSample ?? 0);
  const longest = series.reduce<Series | undefined>((a, s) => (!a || s.steps.length > a.steps.length ? s : a), undefined);
  const records = longest ? longest.steps.length : ins.diversity.length || ins.run.samples.length;
  const first = longest ? longest.steps[0]! : (ins.diversity[0]?.step ?? ins.run.samples[0]?.step ?? 0);
  return { first, latest, records, findings: ins.findings };
}

/**
 * True when the finding reaches the newest data of its kind: a collapse that lasts to the last
 * sample, a metric worse at its last evaluation, a loss problem that ends at (or within a block of)
 * the newest step. A finding about the past (the generator's first blobs, a D that won for a while
 * and stopped) is not news while watching.
 */
export function isCurrent(f: Finding, look: Look): boolean {
  if (f.kind === 'mode-collapse') return f.evidence.diverseAfter === null;
  if (f.kind === 'metric-worse' || f.kind === 'metric-invalid') return typeof f.evidence.lastStep !== 'number' || f.end >= f.evidence.lastStep;
  return look.latest - f.end <= Math.max(2 * stepsPerRecord(look), CURRENT_SHARE * (look.latest - look.first));
}

/** The run's mean step between records (0 before it has two). */
export function stepsPerRecord(look: Look): number {
  return look.records > 1 ? (look.latest - look.first) / (look.records - 1) : 0;
}

/**
 * Which finding a later look's finding may continue: the same kind and severity, on the same series
 * (and GAN, and metric). A warning that becomes an error is news of its own.
 */
export function episodeKey(f: Finding): string {
  const metric = typeof f.evidence.series === 'string' ? f.evidence.series : '';
  const pair = typeof f.evidence.pair === 'string' ? f.evidence.pair : '';
  return [f.kind, f.severity, f.series.join('+'), pair, metric].join('|');
}
