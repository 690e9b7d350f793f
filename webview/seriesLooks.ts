// How each series of the panel is drawn, from what it is (src/core/seriesGroups.ts): its colour (a
// second GAN in a run takes the next colour pair), its axis (metrics and bookkeeping at the side), its
// label and group, a metric's best snapshot, and the order of the lines (by group, D and G first).
import { groupSeries, type Grouping, type SeriesPlace } from '../src/core/seriesGroups';
import { shownByDefault } from '../src/chart/firstView';
import type { RunSummary, SeriesMeta, ViewResult } from '../src/protocol';
import type { SeriesData } from './chart';
import { seriesColor } from './colors';
import { metricData } from './metricSeries';

export class SeriesLooks {
  private runs: RunSummary[] = [];
  private groupings = new Map<string, Grouping>();
  /** Each run's series shown until the user chooses (the rule the host's first view follows too). */
  private defaults = new Map<string, boolean[]>();
  private byId = new Map<string, { meta: SeriesMeta; run: number; index: number }>();

  setRuns(runs: RunSummary[]): void {
    this.runs = runs;
    this.groupings = new Map(runs.map((r) => [r.id, groupSeries(r.series)]));
    this.defaults = new Map(runs.map((r) => [r.id, shownByDefault(r, this.grouping(r.id))]));
    this.byId = new Map(runs.flatMap((r, run) => r.series.map((meta, index) => [meta.id, { meta, run, index }] as const)));
  }

  grouping(runId: string): Grouping {
    return this.groupings.get(runId) ?? { groups: [], places: [] };
  }

  placeOf(id: string): SeriesPlace | undefined {
    const at = this.byId.get(id);
    return at ? this.groupings.get(at.meta.runId)?.places[at.index] : undefined;
  }

  /** Shown until the user says otherwise: the adversarial losses (or, unplaced, the analysed pair). */
  shownByDefault(meta: SeriesMeta): boolean {
    const at = this.byId.get(meta.id);
    return (at && this.defaults.get(meta.runId)?.[at.index]) ?? meta.role !== 'other';
  }

  private prefixed(runId: string, text: string): string {
    return this.runs.length > 1 ? `${this.runs.find((r) => r.id === runId)?.name ?? runId}: ${text}` : text;
  }

  /** The view's series decoded and dressed for the chart and the data table, in group order. */
  drawn(msg: ViewResult): SeriesData[] {
    const others = new Map<string, number>();
    const out: { data: SeriesData; rank: number }[] = [];
    for (const v of msg.series) {
      const at = this.byId.get(v.id);
      if (!at) continue;
      const m = at.meta;
      const place = this.placeOf(m.id);
      const role = place?.network ?? m.role;
      const oi = role === 'other' ? (others.get(m.runId) ?? 0) : 0;
      if (role === 'other') others.set(m.runId, oi + 1);
      const groups = this.grouping(m.runId).groups;
      const groupIndex = groups.findIndex((g) => g.key === place?.group);
      out.push({
        rank: at.run * 10_000 + Math.max(0, groupIndex),
        data: {
          id: m.id,
          label: this.prefixed(m.runId, m.name),
          color: seriesColor(role, at.run + (place?.ganIndex ?? 0), oi),
          axis: place && (place.kind === 'metrics' || place.kind === 'bookkeeping') ? 'side' : 'loss',
          group: groupIndex >= 0 ? this.prefixed(m.runId, groups[groupIndex]!.label) : undefined,
          steps: new Float64Array(v.steps),
          values: new Float64Array(v.values),
          smoothed: new Float64Array(v.smoothed),
          gaps: new Float64Array(v.gaps),
          ...metricData(m),
        },
      });
    }
    return out.sort((a, b) => a.rank - b.rank).map((x) => x.data);
  }
}
