// A run at a glance: what its row in the GAN Runs view says — how long it ran, the last D and G,
// its first quality metric at its best, how many samples and results. Made in one cheap pass as
// soon as a run is read, so a scan can show every row's numbers before it judges any run.
import type { Run, Series } from './model';
import { metricBest } from './analysis/metrics';

export interface RunGlance {
  /** Values in the longest series. */
  steps: number;
  /** The last value of the run's first D and G series (NaN and ±Inf as they are; null: the series is empty). */
  d?: number | null;
  g?: number | null;
  /** The run's first quality metric at its best. */
  metric?: { name: string; value: number; step: number };
  samples: number;
  results: number;
}

function firstOfRole(run: Run, role: Series['role']): Series | undefined {
  return run.series.find((s) => s.role === role);
}

function lastValue(s: Series | undefined): number | undefined {
  return s && s.values.length ? s.values[s.values.length - 1] : undefined;
}

export function glanceOf(run: Run): RunGlance {
  const glance: RunGlance = {
    steps: Math.max(0, ...run.series.map((s) => s.values.length)),
    samples: run.samples.length,
    results: run.results?.length ?? 0,
  };
  const d = firstOfRole(run, 'discriminator');
  const g = firstOfRole(run, 'generator');
  if (d) glance.d = lastValue(d) ?? null;
  if (g) glance.g = lastValue(g) ?? null;
  const metric = firstOfRole(run, 'metric');
  const best = metric && metricBest(metric);
  if (metric && best) glance.metric = { name: metric.name, value: best.value, step: best.step };
  return glance;
}
