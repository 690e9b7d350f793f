// The inspector's data service, without `vscode` so it is tested under plain Node and shared by the
// panel: decimated views for the webview's `view` requests (cached), and
// the check that a path the webview names is inside the run.
import { realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { isInside } from '../../core/paths';
import type { ViewSeries } from '../../chart/decimate';
import type { Inspection } from '../../core/inspect';
import { ViewCache } from '../../chart/viewCache';
import { seriesId, type RunSummary, type ViewRequest, type ViewResult } from '../../protocol';
import { firstViewRequest } from '../../chart/firstView';

/** Largest message the host posts: big messages stall the webview's renderer. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * Most values a first view is made of before the page asks for it. A larger run's first view waits
 * for the page's request: on 2 cores, smoothing millions of values beside the webview's start-up
 * slowed that start by as much as the smoothing took.
 */
export const FIRST_VIEW_MAX_VALUES = 1_000_000;

/** Full-resolution series of the runs in one panel, served as decimated views. */
export class PanelSeries {
  private readonly series = new Map<string, ViewSeries>();
  private readonly cache = new ViewCache();

  /**
   * @param previous the data this replaces (the same panel before a live refresh): series that only
   *   grew are smoothed from where it stopped, not from the start.
   */
  constructor(
    readonly inspections: { runId: string; inspection: Inspection }[],
    previous?: PanelSeries,
  ) {
    for (const { runId, inspection } of inspections) {
      inspection.run.series.forEach((s, i) => {
        const id = seriesId(runId, i);
        this.series.set(id, { id, steps: s.steps, values: s.values });
      });
    }
    if (previous) this.cache.carryOver(previous.cache, [...this.series.values()], sameBytes);
  }

  /** The answer to a validated `view` request; unknown ids are left out (the data may have changed). */
  view(req: ViewRequest): ViewResult {
    const series = this.cache.views(this.wanted(req), req.start, req.end, req.width, req.smoothing, MAX_MESSAGE_BYTES - 4096);
    return { start: req.start, end: req.end, smoothing: req.smoothing, series };
  }

  /** The request a newly opened chart of `runs` makes at `width` pixels, unless the run is too large to answer it unasked. */
  firstViewRequest(runs: readonly RunSummary[], width: number, smoothing: number): ViewRequest | undefined {
    const request = firstViewRequest(runs, width, smoothing);
    const values = this.wanted(request).reduce((n, s) => n + s.values.length, 0);
    return request.seriesIds.length && values <= FIRST_VIEW_MAX_VALUES ? request : undefined;
  }

  /** True when `view(req)` needs no whole-series smoothing that is not made yet (see ViewCache.answersNow). */
  answersNow(req: ViewRequest): boolean {
    return this.cache.answersNow(this.wanted(req), req.start, req.smoothing);
  }

  private wanted(req: ViewRequest): ViewSeries[] {
    return req.seriesIds.map((id) => this.series.get(id)).filter((s): s is ViewSeries => s !== undefined);
  }

  /** Smooths every series with the default weight now, so the first view costs only decimation. */
  prewarm(weight: number): void {
    this.cache.prewarm([...this.series.values()], weight);
  }

  /** `prewarm` in slices, leaving the thread free between them (the extension host's way). */
  prewarmInSlices(weight: number): Promise<void> {
    return this.cache.prewarmInSlices([...this.series.values()], weight);
  }

  /** Resolves when `view(req)` no longer has to wait for a smoothing made in slices. */
  settled(req: ViewRequest): Promise<void> {
    return this.cache.settled(this.wanted(req), req.smoothing);
  }
}

/** `a` equals the start of `b`, byte for byte: a memcmp, 4× faster than comparing in JavaScript. */
function sameBytes(a: Float64Array, b: Float64Array): boolean {
  if (a === b) return true;
  if (b.length < a.length) return false;
  const bytes = (x: Float64Array) => Buffer.from(x.buffer, x.byteOffset, a.length * 8);
  return bytes(a).equals(bytes(b));
}

/**
 * The absolute path of `relative` if it is inside `root` after resolving symlinks, else null.
 * `relative` has already passed `isSafeRelativePath`; this also catches links pointing outside.
 */
export async function resolveInsideRun(root: string, relative: string): Promise<string | null> {
  const candidate = path.resolve(root, ...relative.split('/'));
  if (!isInside(path.resolve(root), candidate)) return null;
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(candidate)]);
    return isInside(realRoot, realFile) ? realFile : null;
  } catch {
    return null;
  }
}
