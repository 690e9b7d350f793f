// The per-step diversity of the sample grids, a small chart under the loss chart with the same x range.
import { Chart, LineController, LineElement, LinearScale, PointElement } from 'chart.js';
import type { DiversityPoint } from '../src/core/model';
import type { RunSummary } from '../src/protocol';
import { t } from '../src/core/l10n';
import { RIGHT_ROOM, Y_AXIS_WIDTH, fixAxisWidth, fixStepAxisPadding } from './axes';
import { themeColor } from './colors';

Chart.register(LineController, LineElement, PointElement, LinearScale);

export class DiversityChart {
  readonly chart: Chart<'line', { x: number; y: number }[]>;

  constructor(readonly canvas: HTMLCanvasElement) {
    const fg = themeColor('--vscode-foreground', '#333');
    const grid = themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
    this.chart = new Chart(canvas, {
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
  }

  setPoints(points: DiversityPoint[]): void {
    this.chart.data.datasets[0]!.data = points.filter((p) => Number.isFinite(p.score)).map((p) => ({ x: p.step, y: p.score }));
    this.chart.update('none');
  }

  /** Room at the right for the loss chart's side axis (metrics, bookkeeping), so the steps still line up. */
  setRightGutter(on: boolean): void {
    const right = (on ? Y_AXIS_WIDTH : 0) + RIGHT_ROOM;
    const layout = (this.chart.options.layout ??= {});
    if ((layout.padding as { right?: number } | undefined)?.right === right) return;
    layout.padding = { right };
    this.chart.update('none');
  }

  /** Keeps x aligned with the loss chart; the left padding is matched by CSS (same y-axis width). */
  setRange(start: number, end: number): void {
    const x = this.chart.options.scales!.x!;
    x.min = start;
    x.max = end;
    this.chart.update('none');
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
