// The chart's first view, worked out by the host and sent inside the init message, so a small run
// paints without the request and reply that would follow the page's start (in code-server about
// 120 ms, two trips over the remote connection). Shared by the host, which makes it, and the
// webview, which uses it only when it is the view it would have asked for.
import { groupSeries, type Grouping } from '../core/seriesGroups';
import { MAX_SERIES_PER_REQUEST, type FirstView, type RunSummary, type ViewRequest, type ViewResult } from '../protocol';

/** The steps every series and sample of the runs cover: what the chart opens on and "reset zoom" shows (never empty). */
export function fullRangeOf(runs: readonly RunSummary[]): { start: number; end: number } {
  let start = Infinity;
  let end = -Infinity;
  const see = (s: number | null) => {
    if (s === null || !Number.isFinite(s)) return;
    if (s < start) start = s;
    if (s > end) end = s;
  };
  for (const r of runs) {
    for (const m of r.series) {
      see(m.firstStep);
      see(m.lastStep);
    }
    for (const s of r.samples) see(s.step);
  }
  if (start > end) return { start: 0, end: 1 };
  return { start, end: end === start ? start + 1 : end };
}

/** The series the chart shows until the user chooses: each run's adversarial losses (or, unplaced, its analysed pair). */
export function shownByDefault(run: RunSummary, grouping: Grouping = groupSeries(run.series)): boolean[] {
  const places = grouping.places;
  return run.series.map((m, i) => places[i]?.shownByDefault ?? m.role !== 'other');
}

/** The first view's request as a newly opened chart makes it, at `width` pixels. */
export function firstViewRequest(runs: readonly RunSummary[], width: number, smoothing: number): ViewRequest {
  const seriesIds = runs.flatMap((r) => {
    const shown = shownByDefault(r);
    return r.series.filter((_, i) => shown[i]).map((m) => m.id);
  });
  const { start, end } = fullRangeOf(runs);
  return { seriesIds: seriesIds.slice(0, MAX_SERIES_PER_REQUEST), start, end, width, smoothing };
}

/**
 * The pushed view as the answer to `req`, or null when it is not that answer: another range,
 * smoothing or series, or far fewer points than the chart has pixels. A view of up to twice the
 * pixels is drawn as it is (nothing is lost); one with fewer is drawn, and `exact` says to ask for
 * the view at the chart's width after it.
 */
export function servedBy(pushed: FirstView, req: ViewRequest): { view: ViewResult; exact: boolean } | null {
  const p = pushed.request;
  if (p.start !== req.start || p.end !== req.end || p.smoothing !== req.smoothing) return null;
  if (p.width < req.width / 2 || p.width > req.width * 2) return null;
  const ids = new Set(p.seriesIds);
  if (!req.seriesIds.every((id) => ids.has(id))) return null;
  const wanted = new Set(req.seriesIds);
  const view = { ...pushed.result, series: pushed.result.series.filter((s) => wanted.has(s.id)) };
  return { view, exact: p.width >= req.width };
}
