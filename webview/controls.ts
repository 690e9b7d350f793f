// The toolbar: y-axis mode, EMA smoothing, ignore outliers, zoom reset, the data
// table and the exports. It edits the shared UI state and tells the app what changed.
import { t } from '../src/core/l10n';
import type { YScale } from './chart';
import { el, icon, labelCheckbox } from './dom';

export interface ControlState {
  yScale: YScale;
  smoothing: number;
  ignoreOutliers: boolean;
  table: boolean;
}

export interface ControlActions {
  changed(what: 'yScale' | 'smoothing' | 'ignoreOutliers'): void;
  /** Returns whether the table is now shown. */
  toggleTable(): boolean;
  resetZoom(): void;
  exportPng(): Promise<void>;
  exportCsv(): void;
  exportMarkdown(): void;
  exportGif(): Promise<void>;
  failed(message: string): void;
}

export function buildControls(state: ControlState, actions: ControlActions): HTMLElement {
  const yScale = el('vscode-single-select', { id: 'y-scale', 'aria-label': t('Y axis') }) as HTMLElement & { value: string };
  for (const [value, label] of [
    ['raw', t('raw')],
    ['log1p', t('log1p')],
    ['log', t('log scale')],
  ] as const) {
    yScale.append(el('vscode-option', { value, text: label }));
  }
  yScale.value = state.yScale;
  yScale.addEventListener('change', () => {
    state.yScale = (['raw', 'log1p', 'log'].includes(yScale.value) ? yScale.value : 'raw') as YScale;
    actions.changed('yScale');
  });

  const smoothing = el('input', { type: 'range', id: 'smoothing', min: 0, max: 0.99, step: 0.01, value: state.smoothing, 'aria-label': t('Smoothing') });
  const smoothingValue = el('output', { for: 'smoothing', text: state.smoothing.toFixed(2) });
  smoothing.addEventListener('input', () => {
    state.smoothing = Number(smoothing.value);
    smoothingValue.textContent = state.smoothing.toFixed(2);
    actions.changed('smoothing');
  });

  const outliers = el('vscode-checkbox', { id: 'ignore-outliers' }) as HTMLElement & { checked: boolean; label: string };
  labelCheckbox(outliers, t('Ignore outliers'));
  outliers.checked = state.ignoreOutliers;
  outliers.addEventListener('change', () => {
    state.ignoreOutliers = outliers.checked;
    actions.changed('ignoreOutliers');
  });

  const button = (id: string, codicon: string, label: string, run: () => void | Promise<void>) => {
    const b = el('button', { type: 'button', className: 'button', id, 'aria-label': label, title: label }, icon(codicon), label);
    b.addEventListener('click', () => {
      Promise.resolve()
        .then(run)
        .catch((err: unknown) => actions.failed(err instanceof Error ? err.message : String(err)));
    });
    return b;
  };
  const tableButton = button('toggle-table', 'table', t('Data table'), () => {
    tableButton.setAttribute('aria-expanded', String(actions.toggleTable()));
  });
  tableButton.setAttribute('aria-expanded', String(state.table));

  return el(
    'div',
    { className: 'toolbar', role: 'toolbar', 'aria-label': t('Chart controls') },
    el('label', { className: 'control' }, el('span', { text: t('Y axis') }), yScale),
    el('label', { className: 'control' }, el('span', { text: t('Smoothing') }), smoothing, smoothingValue),
    outliers,
    button('reset-zoom', 'zoom-out', t('Reset zoom'), actions.resetZoom),
    tableButton,
    button('export-png', 'device-camera', t('PNG'), actions.exportPng),
    button('export-csv', 'export', t('CSV'), actions.exportCsv),
    button('export-md', 'markdown', t('Findings'), actions.exportMarkdown),
    button('export-gif', 'file-media', t('GIF'), actions.exportGif),
  );
}
