// Quality metrics (FID, KID, IS, precision/recall, PPL) as what they are: one best snapshot to keep,
// values a metric cannot take (a broken computation, not a training problem), and a metric that
// ended clearly and durably worse than its best.
import type { Finding, Series } from '../model';
import { t } from '../l10n';
import { formatStep, formatValue, num } from './format';

/** The range a metric's values can take; outside it the computation is broken. */
function plausible(name: string): { min: number; max: number; label: string } {
  const n = name.toLowerCase();
  if (/(^|[^a-z])fid/.test(n)) return { min: 0, max: 1e5, label: 'FID' };
  if (/(^|[^a-z])kid/.test(n)) return { min: -0.1, max: 1e3, label: 'KID' };
  if (/(^|[^a-z])ppl/.test(n)) return { min: 0, max: 1e8, label: 'PPL' };
  if (/precision|recall/.test(n)) return { min: 0, max: 1, label: /precision/.test(n) ? 'precision' : 'recall' };
  if (/eq[tr]\d+k|psnr/.test(n)) return { min: -1e3, max: 1e3, label: 'PSNR' };
  if (/ssim/.test(n)) return { min: -1, max: 1, label: 'SSIM' };
  return { min: 1, max: 1e4, label: 'IS' }; // an Inception Score lies between 1 and the number of classes
}

const valid = (v: number, range: { min: number; max: number }) => Number.isFinite(v) && v >= range.min && v <= range.max;

export interface MetricBest {
  value: number;
  step: number;
  /** False when some values are ones the metric cannot take (then `value` is the best of the valid ones, if any). */
  valid: boolean;
}

/** The best valid value of a metric series and its step; null when it has no valid value. */
export function metricBest(s: Pick<Series, 'name' | 'values' | 'steps' | 'better'>): MetricBest | null {
  const range = plausible(s.name);
  const lower = s.better !== 'higher';
  let best = -1;
  let allValid = true;
  for (let i = 0; i < s.values.length; i++) {
    const v = s.values[i]!;
    if (!valid(v, range)) {
      allValid = false;
      continue;
    }
    if (best < 0 || (lower ? v < s.values[best]! : v > s.values[best]!)) best = i;
  }
  return best < 0 ? null : { value: s.values[best]!, step: s.steps[best]!, valid: allValid };
}

// "Clearly worse": by a tenth of the best value at least, at each of the last two evaluations.
const WORSE_BY = 0.1;

export function detectMetricProblems(series: Series[]): Finding[] {
  const out: Finding[] = [];
  for (const s of series) {
    if (s.role !== 'metric' || !s.values.length) continue;
    const range = plausible(s.name);
    let bad = 0;
    let first = -1;
    let last = -1;
    for (let i = 0; i < s.values.length; i++) {
      if (valid(s.values[i]!, range)) continue;
      bad++;
      if (first < 0) first = i;
      last = i;
    }
    if (bad) {
      const example = s.values[first]!;
      out.push({
        kind: 'metric-invalid',
        severity: 'error',
        start: s.steps[first]!,
        end: s.steps[last]!,
        series: ['metric'],
        message: t(
          '{0} holds {1} of {2} values a {3} cannot take (such as {4} at step {5}): the metric computation is broken, so its curve says nothing about the training.',
          s.name,
          String(bad),
          String(s.values.length),
          range.label,
          formatValue(example),
          formatStep(s.steps[first]!),
        ),
        evidence: {
          series: s.name,
          source: s.source,
          invalidValues: bad,
          values: s.values.length,
          firstInvalidStep: num(s.steps[first]!),
          firstInvalidValue: Number.isFinite(example) ? example : String(example),
          min: range.min,
          max: range.max,
        },
        advice: t('Check how the metric is computed (feature extractor weights, dataset statistics, numeric precision) before trusting any of its values.'),
      });
      continue;
    }
    const best = metricBest(s);
    const n = s.values.length;
    if (!best || n < 3) continue;
    const bestIndex = s.steps.indexOf(best.step);
    if (bestIndex > n - 3) continue;
    const lower = s.better !== 'higher';
    const margin = WORSE_BY * Math.max(Math.abs(best.value), 1e-12);
    const worse = (v: number) => (lower ? v - best.value : best.value - v) >= margin;
    if (!worse(s.values[n - 1]!) || !worse(s.values[n - 2]!)) continue;
    const lastValue = s.values[n - 1]!;
    out.push({
      kind: 'metric-worse',
      severity: 'warning',
      start: best.step,
      end: s.steps[n - 1]!,
      series: ['metric'],
      message: t(
        '{0} got worse after its best: {1} at step {2}, {3} at the end. The snapshot to keep is the one at step {2}.',
        s.name,
        formatValue(best.value),
        formatStep(best.step),
        formatValue(lastValue),
      ),
      evidence: {
        series: s.name,
        source: s.source,
        best: num(best.value),
        bestStep: num(best.step),
        last: num(lastValue),
        lastStep: num(s.steps[n - 1]!),
        better: s.better ?? 'lower',
      },
      advice: t(
        'Keep the best snapshot; training on past it made the samples worse (often the discriminator overfitting: try more data, augmentation or an earlier stop).',
      ),
    });
  }
  return out;
}
