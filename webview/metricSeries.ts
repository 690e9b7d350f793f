// What the app does differently for a quality metric series (FID, KID, IS…): the part of its chart
// data that marks the best snapshot (whether it is shown at first is the grouping's call: seriesGroups.ts).
import type { SeriesMeta } from '../src/protocol';
import type { SeriesData } from './chart';

/** The chart's metric fields for a metric series (its own axis, the best valid snapshot marked); nothing for a loss. */
export function metricData(m: SeriesMeta): Pick<SeriesData, 'metric'> {
  return m.role === 'metric' ? { metric: { best: m.best?.valid ? { step: m.best.step, value: m.best.value } : null } } : {};
}
