// The chart as a table, for screen readers and for reading exact numbers.
import { t } from '../src/core/l10n';
import type { SeriesData } from './chart';
import { formatNumber } from '../src/core/present';
import { el } from './dom';

const MAX_ROWS = 2000;

export function renderDataTable(container: HTMLElement, series: SeriesData[], start: number, end: number, stepUnit: string): void {
  const table = el('table', { className: 'data-table' });
  table.append(el('caption', { text: t('Loss values shown in the chart, steps {0}–{1}', formatNumber(start, 'chart'), formatNumber(end, 'chart')) }));
  table.append(el('thead', {}, el('tr', {}, ...[t('series'), stepUnit, t('raw'), t('smoothed')].map((h) => el('th', { scope: 'col', text: h })))));
  let body = el('tbody');
  const bodies = [body];
  let rows = 0;
  let total = 0;
  // Rows follow the series' groups (D and G losses, loss terms, metrics…), each under its group's name.
  const order = [...new Set(series.map((s) => s.group ?? ''))];
  const sorted = [...series].sort((a, b) => order.indexOf(a.group ?? '') - order.indexOf(b.group ?? ''));
  let group: string | undefined;
  for (const s of sorted) {
    if (s.group && s.group !== group && rows < MAX_ROWS) {
      if (body.childElementCount) bodies.push((body = el('tbody')));
      body.append(el('tr', { className: 'group-row' }, el('th', { scope: 'rowgroup', colspan: 4, text: s.group })));
    }
    group = s.group;
    for (let i = 0; i < s.steps.length; i++) {
      if (s.steps[i]! < start || s.steps[i]! > end) continue;
      total++;
      if (rows >= MAX_ROWS) continue;
      rows++;
      body.append(
        el(
          'tr',
          {},
          el('th', { scope: 'row', text: s.label }),
          el('td', { text: formatNumber(s.steps[i]!, 'chart') }),
          el('td', { text: formatNumber(s.values[i]!, 'chart') }),
          el('td', { text: formatNumber(s.smoothed[i]!, 'chart') }),
        ),
      );
    }
  }
  table.append(...bodies);
  const note = total > rows ? [el('p', { className: 'note', text: t('Showing the first {0} of {1} rows; zoom in for the rest.', rows, total) })] : [];
  container.replaceChildren(table, ...note);
}
