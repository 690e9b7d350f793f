// The words and numbers a user reads, in one place: the runs tree, the hover, the Problems panel,
// the inspector and the CLI reports all spell a number, a step range, a role, a finding's kind and
// severity, the order of findings and a file's error the same way (and translate the same).
import type { Finding, FindingKind, ReadError, Role, Severity } from './model';
import { t } from './l10n';
import { formatStep } from './analysis/format';
import { fileBaseName } from './paths';

/**
 * How a number is spelled where it is read:
 * - `label` (tree, hover, Problems): 4 significant digits, an exponent below 1e-3 and from 1e5, `–` for none, `±∞`;
 * - `terminal` (text, Markdown and HTML reports): plain ASCII, whole numbers as written, an exponent from 1e6, `Inf`;
 * - `chart` (axes, tooltips, the data table): whole numbers grouped as steps (14,550), 4 significant digits kept.
 */
export type NumberStyle = 'label' | 'terminal' | 'chart';

export function formatNumber(v: number | null | undefined, style: NumberStyle = 'label'): string {
  if (v === null || v === undefined) return style === 'terminal' ? '—' : '–';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return style === 'label' ? (v > 0 ? '+∞' : '−∞') : style === 'terminal' ? (v > 0 ? 'Inf' : '-Inf') : String(v);
  const a = Math.abs(v);
  switch (style) {
    case 'label':
      if (v === 0) return '0';
      return a >= 1e5 || a < 1e-3 ? v.toExponential(2) : String(Number(v.toPrecision(4)));
    case 'terminal':
      if (Number.isInteger(v) && a < 1e9) return String(v);
      return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(2) : String(Number(v.toPrecision(4)));
    case 'chart':
      if (Number.isInteger(v)) return formatStep(v);
      return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : v.toPrecision(4);
  }
}

/** "step 120" or "steps 120–450". */
export function stepRange(start: number, end: number): string {
  return start === end ? t('step {0}', formatStep(start)) : t('steps {0}–{1}', formatStep(start), formatStep(end));
}

export function roleLabel(role: Role): string {
  return role === 'discriminator' ? t('discriminator') : role === 'generator' ? t('generator') : role === 'metric' ? t('metric') : t('other');
}

/** Short name of a finding kind ("D too strong"); the JSON keeps the fixed kind name. */
export function kindLabel(kind: FindingKind): string {
  switch (kind) {
    case 'non-finite':
      return t('NaN/Inf');
    case 'saturated':
      return t('saturated');
    case 'exploding':
      return t('exploding');
    case 'd-dominant':
      return t('D too strong');
    case 'g-dominant':
      return t('G too strong');
    case 'equilibrium':
      return t('equilibrium');
    case 'plateau':
      return t('plateau');
    case 'oscillation':
      return t('oscillation');
    case 'mode-collapse':
      return t('mode collapse');
    case 'metric-invalid':
      return t('metric broken');
    case 'metric-worse':
      return t('metric got worse');
  }
  return String(kind);
}

export function severityLabel(severity: Severity): string {
  return severity === 'error' ? t('error') : severity === 'warning' ? t('warning') : t('info');
}

/** Worst first: error 2, warning 1, info 0. The one severity order; every sort of findings uses it. */
export function severityRank(severity: Severity): number {
  return severity === 'error' ? 2 : severity === 'warning' ? 1 : 0;
}

/** Findings as lists show them (tree, hover): worst first, then by where they start. */
export function worstFirst(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.start - b.start);
}

/** Findings in step order (the reports, the chart), the worse first where two start together. */
export function inStepOrder(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => a.start - b.start || severityRank(b.severity) - severityRank(a.severity));
}

/** An error's reason alone, for views that show the file's name beside it: never `d_loss.npy: d_loss.npy: …`. */
export function errorReason(e: ReadError): string {
  for (const prefix of [`${e.source}: `, `${fileBaseName(e.source)}: `]) if (e.message.startsWith(prefix)) return e.message.slice(prefix.length);
  return e.message;
}

/** An error as one line naming its file: `d_loss.npy: file not found`. */
export function errorLine(e: ReadError): string {
  return `${e.source}: ${errorReason(e)}`;
}
