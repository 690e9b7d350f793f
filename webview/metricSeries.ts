// What the app does differently for a quality metric series (FID, KID, IS…): its default
// visibility and the part of its chart data that marks the best snapshot.
import type { SeriesMeta } from '../src/protocol';
import type { SeriesData } from './chart';

/** Shown unless the user hid it: D, G and valid metrics; a metric whose values are impossible is not drawn as a curve unless asked for (its finding says why). */
export function shownByDefault(m: SeriesMeta): boolean {
  return m.role !== 'other' && !(m.role === 'metric' && m.best !== undefined && !m.best?.valid);
}

/** The chart's metric fields for a metric series (its own axis, the best valid snapshot marked); nothing for a loss. */
export function metricData(m: SeriesMeta): Pick<SeriesData, 'metric'> {
  return m.role === 'metric' ? { metric: { best: m.best?.valid ? { step: m.best.step, value: m.best.value } : null } } : {};
}
