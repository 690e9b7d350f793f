// The findings panel and the legend of finding kinds; a click zooms the chart and moves the gallery.
import type { Finding } from '../src/core/model';
import { t } from '../src/core/l10n';
import { kindColor } from './colors';
import { el } from './dom';

export { kindLabel, severityLabel } from '../src/core/present';
import { formatNumber, kindLabel, severityLabel } from '../src/core/present';

function swatch(color: string): HTMLElement {
  const s = el('span', { className: 'swatch', 'aria-hidden': 'true' });
  s.style.background = color;
  return s;
}

export function renderLegend(container: HTMLElement, findings: Finding[], hasGaps: boolean): void {
  const kinds = [...new Set(findings.map((f) => f.kind))];
  const items = kinds.map((k) => el('li', {}, swatch(kindColor(k)), kindLabel(k)));
  if (hasGaps && !kinds.includes('non-finite')) items.push(el('li', {}, swatch(kindColor('non-finite')), t('NaN/Inf gap')));
  container.replaceChildren(...items);
  container.hidden = items.length === 0;
}

export interface FindingEntry {
  finding: Finding;
  runName: string | null;
}

/** `judged` is false when the runs held nothing to judge: then no finding says nothing, not that all is well. */
export function renderFindings(container: HTMLElement, entries: FindingEntry[], onPick: (f: Finding) => void, judged = true): void {
  if (!entries.length) {
    const text = judged
      ? t('No findings: nothing looks wrong in the losses or samples.')
      : t('No findings yet: the run holds no loss values or samples to judge.');
    container.replaceChildren(el('p', { className: 'empty', text }));
    return;
  }
  const list = el('ul', { className: 'findings', role: 'list' });
  for (const { finding: f, runName } of entries) {
    const steps =
      f.start === f.end ? t('step {0}', formatNumber(f.start, 'chart')) : t('steps {0}–{1}', formatNumber(f.start, 'chart'), formatNumber(f.end, 'chart'));
    const button = el(
      'button',
      { className: `finding severity-${f.severity}`, type: 'button', 'aria-label': t('{0}, {1}: {2}', kindLabel(f.kind), steps, f.message) },
      el(
        'span',
        { className: 'finding-head' },
        swatch(kindColor(f.kind)),
        el('strong', { text: kindLabel(f.kind) }),
        el('span', { className: 'steps', text: steps }),
        el('span', { className: 'severity', text: severityLabel(f.severity) }),
      ),
    );
    if (runName) button.append(el('span', { className: 'run-name', text: runName }));
    button.append(el('span', { className: 'message', text: f.message }));
    button.addEventListener('click', () => onPick(f));
    const item = el('li', {}, button);
    const evidence = Object.entries(f.evidence ?? {});
    if (evidence.length) {
      const dl = el('dl', { className: 'evidence' });
      for (const [k, v] of evidence) dl.append(el('dt', { text: k }), el('dd', { text: typeof v === 'number' ? formatNumber(v, 'chart') : String(v) }));
      item.append(el('details', { className: 'evidence-box' }, el('summary', { text: t('Evidence') }), dl));
    }
    if (f.advice) item.append(el('p', { className: 'advice', text: t('Try: {0}', f.advice) }));
    list.append(item);
  }
  container.replaceChildren(list);
}
