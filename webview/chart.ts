// The loss chart: raw lines faint behind their EMA, findings as shaded step ranges, NaN/Inf
// stretches as gaps with a marker, zoom/pan on x that asks the host for finer data.
import { formatNumber } from '../src/core/present';
import { Chart, LineController, LineElement, LinearScale, LogarithmicScale, PointElement, Tooltip, type ChartDataset, type ChartEvent } from 'chart.js';
import annotationPlugin, { type AnnotationOptions } from 'chartjs-plugin-annotation';
import zoomPlugin from 'chartjs-plugin-zoom';
import type { Finding } from '../src/core/model';
import type { RunSummary } from '../src/protocol';
import { t } from '../src/core/l10n';
import { themeColor, withAlpha } from './colors';
import { afterNextFrame } from './dom';
import { stageAnnotations } from './stageMarks';
import { findingBands, gapBoxes } from './findingMarks';
import { RIGHT_ROOM, compactTick, fixAxisWidth, fixStepAxisPadding } from './axes';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, zoomPlugin, annotationPlugin);

export type YScale = 'raw' | 'log1p' | 'log';

/** One series as drawn: the decimated view decoded from the host's ArrayBuffers. */
export interface SeriesData {
  id: string;
  label: string;
  color: string;
  steps: Float64Array;
  values: Float64Array;
  smoothed: Float64Array;
  gaps: Float64Array;
  /** 'side': a metric or bookkeeping series, on its own axis at the right so it cannot flatten the losses. */
  axis?: 'loss' | 'side';
  /** The series' group (src/core/seriesGroups.ts), for the data table. */
  group?: string;
  /** A quality metric (FID, IS…): on the side axis, its points shown, its best snapshot marked. */
  metric?: { best: { step: number; value: number } | null };
}

export interface ChartCallbacks {
  /** The visible x range changed by zoom/pan/reset (already debounced by the caller if needed). */
  onRange(start: number, end: number): void;
  onStepClick(step: number): void;
  /** Hovered step, or null when the pointer leaves the chart. */
  onStepHover(step: number | null): void;
}

type Point = { x: number; y: number | null };

/** Linear-interpolated percentile of a sorted array. */
function percentile(sorted: number[], p: number): number {
  const i = (sorted.length - 1) * p;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (i - lo);
}

export class LossChart {
  readonly chart: Chart<'line', Point[]>;
  private series: SeriesData[] = [];
  /** The series in dataset order (loss-axis ones, then side-axis ones). */
  private drawn: SeriesData[] = [];
  private findings: Finding[] = [];
  private stages: RunSummary['stages'] = [];
  private selected: number | null = null;
  private yScale: YScale = 'raw';
  private ignoreOutliers = false;
  private fullRange: { start: number; end: number } = { start: 0, end: 1 };
  private rendered: ((points: number) => void)[] = [];
  /** Draws made (for the tests: an open draws its data once). */
  draws = 0;
  /** Each drawn series' value → y mapping (a side series may be scaled to 0–1), for the best-snapshot marks. */
  private readonly sideMaps = new Map<string, (v: number) => number | null>();

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly callbacks: ChartCallbacks,
    stepUnit: string,
  ) {
    const fg = themeColor('--vscode-foreground', '#333');
    const grid = themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
    const rangeChanged = ({ chart }: { chart: Chart }) => this.callbacks.onRange(chart.scales.x!.min, chart.scales.x!.max);
    this.chart = new Chart<'line', Point[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      // Chart.js calls afterRender once a draw is complete, however it was started (animated or not).
      plugins: [{ id: 'ganRendered', afterRender: (chart) => this.notifyRendered(chart) }],
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        maintainAspectRatio: false,
        layout: { padding: { right: RIGHT_ROOM } },
        spanGaps: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        elements: { point: { radius: 0, hoverRadius: 3 }, line: { borderWidth: 1.5 } },
        scales: {
          x: {
            type: 'linear',
            title: { display: true, text: stepUnit, color: fg },
            ticks: { color: fg, includeBounds: false },
            grid: { color: grid },
            afterFit: fixStepAxisPadding,
          },
          y: {
            type: 'linear',
            title: { display: true, text: t('loss'), color: fg },
            ticks: { color: fg, callback: compactTick },
            grid: { color: grid },
            afterFit: fixAxisWidth,
          },
          // FID in the hundreds, seconds per kimg beside losses near 1: metrics and bookkeeping get their own axis.
          y2: {
            type: 'linear',
            position: 'right',
            display: false,
            title: { display: true, text: '', color: fg },
            ticks: { color: fg, callback: compactTick },
            grid: { drawOnChartArea: false },
            afterFit: fixAxisWidth,
          },
        },
        onClick: (event: ChartEvent) => {
          const step = this.stepAt(event);
          if (step !== null) this.callbacks.onStepClick(step);
        },
        onHover: (event: ChartEvent) => this.callbacks.onStepHover(this.stepAt(event)),
        plugins: {
          legend: { display: false },
          tooltip: {
            filter: (item) => item.datasetIndex % 2 === 1,
            callbacks: {
              title: (items) => (items[0] ? t('step {0}', formatNumber(items[0].parsed.x ?? Number.NaN, 'chart')) : ''),
              label: (item) => {
                const s = this.drawn[(item.datasetIndex - 1) / 2];
                if (!s) return '';
                const i = item.dataIndex;
                return t('{0}: raw {1}, smoothed {2}', s.label, formatNumber(s.values[i]!, 'chart'), formatNumber(s.smoothed[i]!, 'chart'));
              },
            },
          },
          zoom: {
            limits: { x: { min: 'original', max: 'original' } },
            pan: { enabled: true, mode: 'x', modifierKey: 'shift', onPanComplete: rangeChanged },
            zoom: {
              mode: 'x',
              wheel: { enabled: true },
              drag: { enabled: true, backgroundColor: withAlpha(themeColor('--vscode-focusBorder', '#0078d4'), 0.15) },
              onZoomComplete: rangeChanged,
            },
          },
          annotation: { annotations: {} },
        },
      },
    });
    canvas.addEventListener('mouseleave', () => this.callbacks.onStepHover(null));
  }

  /**
   * Calls `listener` once, after the frame showing the chart's next drawing is painted, with the
   * points on its lines (a task queued from requestAnimationFrame runs after that frame). Marks
   * the moment as 'gan-inspector-painted', which the bench times an open to.
   */
  oncePainted(listener: (points: number) => void): void {
    this.rendered.push((points) =>
      afterNextFrame(() => {
        performance.mark('gan-inspector-painted');
        listener(points);
      }),
    );
  }

  private notifyRendered(chart: Chart): void {
    this.draws++;
    if (!this.rendered.length) return;
    const points = chart.data.datasets.reduce((n, d) => n + d.data.length, 0);
    const listeners = this.rendered;
    this.rendered = [];
    for (const listener of listeners) listener(points);
  }

  private stepAt(event: ChartEvent): number | null {
    if (event.x === null || event.y === null) return null;
    const area = this.chart.chartArea;
    if (event.x < area.left || event.x > area.right) return null;
    return this.chart.scales.x!.getValueForPixel(event.x) ?? null;
  }

  setFullRange(start: number, end: number): void {
    this.fullRange = { start, end };
  }

  setOptions(yScale: YScale, ignoreOutliers: boolean): void {
    this.yScale = yScale;
    this.ignoreOutliers = ignoreOutliers;
    this.redraw();
  }

  setSeries(series: SeriesData[]): void {
    this.series = series;
    this.redraw();
  }

  setFindings(findings: Finding[], stages: RunSummary['stages'] = []): void {
    this.findings = findings;
    this.stages = stages;
    this.chart.options.plugins!.annotation!.annotations = this.annotations();
    this.update();
  }

  setSelectedStep(step: number | null): void {
    this.selected = step;
    this.chart.options.plugins!.annotation!.annotations = this.annotations();
    this.update();
  }

  /**
   * Runs `fn` with the chart's updates held, then updates once: an open sets the range, the data,
   * the findings and the chosen step, and each update redraws every point (16,000 on a first view).
   */
  batch(fn: () => void): void {
    this.holding++;
    try {
      fn();
    } finally {
      if (--this.holding === 0 && this.held) {
        this.held = false;
        this.chart.update('none');
      }
    }
  }

  private holding = 0;
  private held = false;

  private update(): void {
    if (this.holding) this.held = true;
    else this.chart.update('none');
  }

  range(): { start: number; end: number } {
    // Inside a batch the scales are not updated yet: the range set is the one asked for.
    const o = this.chart.options.scales!.x!;
    if (this.held && typeof o.min === 'number' && typeof o.max === 'number') return { start: o.min, end: o.max };
    const x = this.chart.scales.x;
    return x && Number.isFinite(x.min) && this.series.length ? { start: x.min, end: x.max } : this.fullRange;
  }

  /** Shows a step range without reporting it (the caller is already fetching its data). */
  showRange(start: number, end: number): void {
    const xs = this.chart.options.scales!.x!;
    xs.min = start;
    xs.max = end;
    this.update();
  }

  zoomTo(start: number, end: number): void {
    const xs = this.chart.options.scales!.x!;
    xs.min = start;
    xs.max = end;
    this.update();
    this.callbacks.onRange(start, end);
  }

  reset(): void {
    this.chart.resetZoom('none');
    const xs = this.chart.options.scales!.x!;
    xs.min = this.fullRange.start;
    xs.max = this.fullRange.end;
    this.update();
    this.callbacks.onRange(this.fullRange.start, this.fullRange.end);
  }

  private transform(v: number): number | null {
    if (!Number.isFinite(v)) return null;
    if (this.yScale === 'log1p') return v > -1 ? Math.log1p(v) : null;
    if (this.yScale === 'log') return v > 0 ? v : null;
    return v;
  }

  private redraw(): void {
    const datasets: ChartDataset<'line', Point[]>[] = [];
    const loss = this.series.filter((s) => s.axis !== 'side');
    const side = this.series.filter((s) => s.axis === 'side');
    this.drawn = [...loss, ...side];
    // One side series keeps its own units; several are each scaled to their own range, and the axis says so.
    const normalise = side.length > 1;
    this.sideMaps.clear();
    for (const s of this.drawn) {
      const onSide = s.axis === 'side';
      const map = onSide ? (normalise ? rangeScaler(s) : (v: number) => (Number.isFinite(v) ? v : null)) : (v: number) => this.transform(v);
      const raw: Point[] = new Array(s.steps.length);
      const smooth: Point[] = new Array(s.steps.length);
      for (let i = 0; i < s.steps.length; i++) {
        raw[i] = { x: s.steps[i]!, y: map(s.values[i]!) };
        smooth[i] = { x: s.steps[i]!, y: map(s.smoothed[i]!) };
      }
      const yAxisID = onSide ? 'y2' : 'y';
      // Chart.js draws lower `order` last: every smoothed line on top of every faint raw line.
      // A metric is evaluated a few times: its points are shown, and it is not smoothed between them.
      const points = s.metric ? { data: raw, pointRadius: 2.5 } : { data: smooth };
      datasets.push({ label: s.label, data: raw, borderColor: withAlpha(s.color, 0.28), borderWidth: 1, pointHoverRadius: 0, order: 1, yAxisID });
      // Side series dashed, so a curve is never read against the wrong axis.
      datasets.push({ label: s.label, borderColor: s.color, borderWidth: 1.75, order: 0, yAxisID, ...points, ...(onSide ? { borderDash: [6, 3] } : {}) });
      this.sideMaps.set(s.id, map);
    }
    this.chart.data.datasets = datasets;
    const options = this.chart.options;
    const y2 = options.scales!.y2! as { display: boolean; min?: number; max?: number; title: { text: string } };
    y2.display = side.length > 0;
    y2.title.text = normalise ? t('other series, each scaled to its range (0–1), dashed') : side[0] ? t('{0} (dashed)', side[0].label) : '';
    y2.min = normalise ? 0 : undefined;
    y2.max = normalise ? 1 : undefined;
    options.scales!.y!.type = this.yScale === 'log' ? 'logarithmic' : 'linear';
    (options.scales!.y! as { title: { text: string } }).title.text =
      this.yScale === 'log1p' ? t('log1p(loss)') : this.yScale === 'log' ? t('loss (log scale)') : t('loss');
    const y = options.scales!.y!;
    const bounds = this.ignoreOutliers ? this.outlierBounds() : null;
    y.min = bounds?.min;
    y.max = bounds?.max;
    options.plugins!.annotation!.annotations = this.annotations();
    this.update();
  }

  /** TensorBoard's "ignore outliers": the y-range of the 5th to 95th percentile of visible values. */
  private outlierBounds(): { min: number; max: number } | null {
    const { start, end } = this.range();
    const ys: number[] = [];
    for (const s of this.series) {
      if (s.axis === 'side') continue;
      for (let i = 0; i < s.steps.length; i++) {
        const y = this.transform(s.values[i]!);
        if (y !== null && s.steps[i]! >= start && s.steps[i]! <= end) ys.push(y);
      }
    }
    if (ys.length < 2) return null;
    ys.sort((a, b) => a - b);
    const lo = percentile(ys, 0.05);
    const hi = percentile(ys, 0.95);
    const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 1;
    return { min: this.yScale === 'log' ? lo : lo - pad, max: hi + pad };
  }

  private annotations(): Record<string, AnnotationOptions> {
    const out: Record<string, AnnotationOptions> = {
      ...stageAnnotations(this.stages),
      ...findingBands(this.findings, this.fullRange),
      ...gapBoxes(this.series),
    };
    for (const s of this.drawn) {
      const best = s.metric?.best;
      const y = best ? this.sideMaps.get(s.id)?.(best.value) : null;
      if (!best || y === null || y === undefined) continue;
      // The best snapshot, on the side axis as its curve is (scaled with it when several share it): a click on it moves the gallery there.
      out[`best-${s.id}`] = {
        type: 'point',
        xValue: best.step,
        yValue: y,
        yScaleID: s.axis === 'side' ? 'y2' : 'y',
        radius: 6,
        borderColor: s.color,
        borderWidth: 2,
        backgroundColor: withAlpha(s.color, 0.35),
        drawTime: 'afterDatasetsDraw',
        click: () => {
          this.callbacks.onStepClick(best.step);
          return true;
        },
      };
    }
    if (this.selected !== null) {
      out.selected = {
        type: 'line',
        xMin: this.selected,
        xMax: this.selected,
        borderColor: themeColor('--vscode-focusBorder', '#0078d4'),
        borderWidth: 1.5,
        borderDash: [2, 2],
      };
    }
    return out;
  }

  destroy(): void {
    this.chart.destroy();
  }
}

/** Maps a series' finite values onto 0–1 (its smallest to its largest raw value in the view). */
function rangeScaler(s: SeriesData): (v: number) => number | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of s.values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  return (v) => (!Number.isFinite(v) ? null : span > 0 ? (v - lo) / span : 0.5);
}
