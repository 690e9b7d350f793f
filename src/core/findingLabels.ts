// The words a user reads for a finding's kind and severity: one place, so the inspector's legend,
// the runs tree, the hover and the CLI reports all say the same (and translate the same).
import type { FindingKind, Severity } from './model';
import { t } from './l10n';

/** Short name of a finding kind ("D too strong"); the JSON keeps the fixed kind name. */
export function kindLabel(kind: FindingKind): string {
  switch (kind) {
    case 'non-finite': return t('NaN/Inf');
    case 'saturated': return t('saturated');
    case 'exploding': return t('exploding');
    case 'd-dominant': return t('D too strong');
    case 'g-dominant': return t('G too strong');
    case 'equilibrium': return t('equilibrium');
    case 'plateau': return t('plateau');
    case 'oscillation': return t('oscillation');
    case 'mode-collapse': return t('mode collapse');
    case 'metric-invalid': return t('metric broken');
    case 'metric-worse': return t('metric got worse');
  }
  return String(kind);
}

/** Worst first: error 2, warning 1, info 0 (lists of findings sort by it). */
export function severityRank(severity: Severity): number {
  return severity === 'error' ? 2 : severity === 'warning' ? 1 : 0;
}

export function severityLabel(severity: Severity): string {
  return severity === 'error' ? t('error') : severity === 'warning' ? t('warning') : t('info');
}
