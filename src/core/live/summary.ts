// How a live run's state is said, the same in the GAN Runs tooltip, the status bar's tooltip and
// `gan-inspect --watch`: "training · step 3,000 · 612 steps/min · last record 12:00:01".
import { formatStep } from '../analysis/format';
import { t } from '../l10n';
import type { Finding } from '../model';

export interface LiveState {
  live: boolean;
  /** The run's newest step. */
  step: number;
  stepsPerMinute: number | null;
  /** When its files were last written (ms). */
  lastWrite: number | undefined;
  errors: number;
  warnings: number;
}

export function countFindings(findings: readonly Finding[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
  }
  return { errors, warnings };
}

/** 14:32:05 in the local time of the machine the runs are on (where the extension or CLI runs). */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** 612 → "612", 0.25 → "0.25", 12,345.6 → "12,346". */
export function formatRate(perMinute: number): string {
  if (perMinute >= 100) return formatStep(Math.round(perMinute));
  return String(Number(perMinute.toPrecision(2)));
}

/** "training · step 3,000 · 612 steps/min · last record 12:00:01" (or "not training · …"). */
export function liveLine(s: LiveState): string {
  const parts = [s.live ? t('training') : t('not training'), t('step {0}', formatStep(s.step))];
  if (s.live && s.stepsPerMinute !== null && s.stepsPerMinute > 0) parts.push(t('{0} steps/min', formatRate(s.stepsPerMinute)));
  if (s.lastWrite !== undefined) parts.push(t('last record {0}', formatClock(s.lastWrite)));
  return parts.join(' · ');
}

/** "ok", "1 warning", "2 errors, 1 warning". */
export function healthText(s: Pick<LiveState, 'errors' | 'warnings'>): string {
  const parts: string[] = [];
  if (s.errors) parts.push(s.errors === 1 ? t('1 error') : t('{0} errors', s.errors));
  if (s.warnings) parts.push(s.warnings === 1 ? t('1 warning') : t('{0} warnings', s.warnings));
  return parts.length ? parts.join(', ') : t('ok');
}
