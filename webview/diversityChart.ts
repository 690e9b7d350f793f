// The per-step diversity of the sample grids, a small chart under the loss chart with the same x range.
import { Chart, LineController, LineElement, LinearScale, PointElement } from 'chart.js';
import type { DiversityPoint } from '../src/core/model';
import type { RunSummary } from '../src/protocol';
import { t } from '../src/core/l10n';
import { RIGHT_ROOM, Y_AXIS_WIDTH, fixAxisWidth, fixStepAxisPadding } from './axes';
import { themeColor } from './colors';

Chart.register(LineController, LineElement, PointElement, LinearScale);

/**
 * Made when a run first has diversity points: most runs have no sample grids, and making a Chart.js
 * chart (an empty draw, its layout) cost 12–30 ms of an open that would show nothing of it.
 */
export class DiversityChart {
  private made: Chart<'line', { x: number; y: number }[]> | undefined;
  private range: { start: number; end: number } | undefined;
  private rightGutter = false;

  constructor(readonly canvas: HTMLCanvasElement) {}

  /** The Chart.js chart, once there were points to draw (the tests read its scales). */
  get chart(): Chart<'line', { x: number; y: number }[]> | undefined {
    return this.made;
  }

  private make(): Chart<'line', { x: number; y: number }[]> {
    const canvas = this.canvas;
    const fg = themeColor('--vscode-foreground', '#333');
    const grid = themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
    const chart: Chart<'line', { x: number; y: number }[]> = new Chart(canvas, {
      type: 'line',
      data: { datasets: [{ label: t('sample diversity'), data: [], borderColor: '#c239b3', borderWidth: 1.5, pointRadius: 2 }] },
      options: {
        animation: false,
        parsing: false,
        maintainAspectRatio: false,
        layout: { padding: { right: RIGHT_ROOM } },
        scales: {
          x: { type: 'linear', ticks: { color: fg, includeBounds: false }, grid: { color: grid }, afterFit: fixStepAxisPadding },
          y: {
            type: 'linear',
            title: { display: true, text: t('diversity'), color: fg },
            ticks: { color: fg, maxTicksLimit: 3 },
            grid: { color: grid },
            afterFit: fixAxisWidth,
          },
        },
        plugins: { legend: { display: false }, tooltip: { enabled: true } },
      },
    });
    return chart;
  }

  setPoints(points: DiversityPoint[]): void {
    const data = points.filter((p) => Number.isFinite(p.score)).map((p) => ({ x: p.step, y: p.score }));
    if (!this.made && !data.length) return;
    this.made ??= this.make();
    this.made.data.datasets[0]!.data = data;
    this.apply();
  }

  /** Room at the right for the loss chart's side axis (metrics, bookkeeping), so the steps still line up. */
  setRightGutter(on: boolean): void {
    if (on === this.rightGutter) return;
    this.rightGutter = on;
    this.apply();
  }

  /** Keeps x aligned with the loss chart; the left padding is matched by CSS (same y-axis width). */
  setRange(start: number, end: number): void {
    this.range = { start, end };
    this.apply();
  }

  /** The range and right room asked for, drawn (once the chart is made). */
  private apply(): void {
    const chart = this.made;
    if (!chart) return;
    chart.options.layout = { padding: { right: (this.rightGutter ? Y_AXIS_WIDTH : 0) + RIGHT_ROOM } };
    const x = chart.options.scales!.x!;
    x.min = this.range?.start;
    x.max = this.range?.end;
    chart.update('none');
  }
}

/**
 * The run's diversity track, or in its place a note saying why there is none (e.g. no grid found in
 * the samples, with the gan-run.json fix): never an empty track with no word.
 */
export function showDiversityTrack(box: HTMLElement, note: HTMLElement, chart: DiversityChart, run: RunSummary | undefined): void {
  const diversity = run?.diversity ?? [];
  box.hidden = diversity.length === 0;
  const notes = diversity.length === 0 && run?.samples.length ? (run.notes ?? []) : [];
  note.textContent = notes.join(' ');
  note.hidden = notes.length === 0;
  chart.setPoints(diversity);
}
