// The inspector's header (what was read, how the losses are defined, what could not be read) and
// the empty state of the chart: a run that holds no value yet (a crashed run, a run just started)
// says so in words, never with an empty 0–1 chart and "nothing looks wrong".
import { errorLine, formatNumber } from '../src/core/present';
import { t } from '../src/core/l10n';
import type { RunSummary, SeriesMeta } from '../src/protocol';
import { el } from './dom';

export interface HeaderParts {
  summary: HTMLElement;
  formulation: HTMLElement;
  errors: HTMLElement;
}

/** The header, empty until fillHeader: the title, a summary line, each run's formulation, what could not be read. */
export function buildHeader(title: string): { header: HTMLElement; parts: HeaderParts } {
  const parts = {
    summary: el('p', { className: 'summary' }),
    formulation: el('ul', { className: 'formulation note', 'aria-label': t('How the losses are defined') }),
    errors: el('ul', { className: 'read-errors' }),
  };
  return { header: el('header', {}, el('h1', { text: title }), parts.summary, parts.formulation, parts.errors), parts };
}

export function fillHeader(parts: HeaderParts, runs: RunSummary[], meta: SeriesMeta[], range: { start: number; end: number }): void {
  const points = meta.reduce((n, m) => n + m.length, 0);
  parts.summary.textContent = points
    ? t(
        '{0} series, {1} points, steps {2}–{3}',
        meta.length,
        formatNumber(points, 'chart'),
        formatNumber(range.start, 'chart'),
        formatNumber(range.end, 'chart'),
      )
    : t('No loss or metric values read yet');
  // Each run's loss formulation and the reference its findings were judged against.
  parts.formulation.replaceChildren(
    ...runs.map((r) => el('li', { text: runs.length > 1 ? `${r.name}: ${t('Loss: {0}', r.formulation)}` : t('Loss: {0}', r.formulation) })),
  );
  parts.errors.replaceChildren(...runs.flatMap((r) => r.errors.map((e) => el('li', { text: errorLine(e) }))));
}

/** True when the runs hold something to judge: a loss or metric value, or a sample image. */
export function hasData(runs: RunSummary[]): boolean {
  return runs.some((r) => r.series.some((s) => s.length > 0) || r.samples.length > 0);
}

/** Shows the chart, or in its place why there is none (its hint hidden with it). */
export function showChartOrEmpty(chart: { box: HTMLElement; hint: HTMLElement; empty: HTMLElement }, meta: SeriesMeta[]): void {
  const nothing = !meta.some((m) => m.length > 0);
  chart.box.hidden = nothing;
  chart.hint.hidden = nothing;
  chart.empty.hidden = !nothing;
  chart.empty.textContent = nothing ? t('Nothing to plot: no loss or metric values were read from this run. What could not be read is listed above.') : '';
}
