// Mode collapse, judged from the sample grids only (losses cannot show it, as the tutorial warns).
// A run is compared with itself: its "diverse" level is the upper quartile of its per-step diversity
// (see images.ts for the score); sample steps whose tiles are much more alike than that are the
// generator repeating itself. Leading steps of pure noise (an untrained generator) score near the
// maximum sqrt(2) and are left out of the reference, so noise never sets the bar.
import type { DiversityPoint, Finding } from '../model';
import { t } from '../l10n';
import type { Thresholds } from './thresholds';
import { formatStep, formatValue, num } from './format';

/** Too few scored steps say nothing about what is normal for the run. */
const MIN_POINTS = 4;

export function detectModeCollapse(diversity: DiversityPoint[], th: Thresholds): Finding[] {
  // The collapse* thresholds, documented with the others in thresholds.ts.
  const k = th;
  const points = diversity.filter((p) => Number.isFinite(p.score) && p.tiles >= 2).sort((a, b) => a.step - b.step);
  if (points.length < MIN_POINTS) return [];

  let lead = 0;
  while (lead < Math.floor(points.length / 4) && points[lead]!.score >= k.collapseNoiseScore) lead++;
  const reference = quantile(points.slice(lead).map((p) => p.score), k.collapseReferenceQuantile);
  if (!(reference > 0)) return [];
  const enter = k.collapseRatio * reference;
  const exit = Math.max(enter, k.collapseExitRatio * reference);

  const episodes: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i <= points.length; i++) {
    const score = i < points.length ? points[i]!.score : Infinity;
    const copies = score < k.collapseAbsolute;
    if (start < 0 && (score < enter || copies)) start = i;
    else if (start >= 0 && !(score < exit || copies)) {
      if (i - start >= k.collapseMinSteps) episodes.push([start, i - 1]);
      start = -1;
    }
  }

  return episodes.map(([s, e]) => {
    const span = points.slice(s, e + 1);
    const scores = span.map((p) => p.score);
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    const first = span[0]!.step;
    const last = span[span.length - 1]!.step;
    const toEnd = e === points.length - 1;
    const tiles = quantile(span.map((p) => p.tiles), 0.5);
    return {
      kind: 'mode-collapse',
      severity: 'warning',
      start: first,
      end: last,
      series: ['samples'],
      message: toEnd
        ? t('The samples look like copies of one image from step {0} to the last sample: tile diversity {1} against {2} in the run\'s diverse steps, so the generator has likely collapsed to one mode.', formatStep(first), formatValue(mean), formatValue(reference))
        : t('The samples look like copies of one image from step {0} to step {1}: tile diversity {2} against {3} in the run\'s diverse steps, so the generator has likely collapsed to one mode.', formatStep(first), formatStep(last), formatValue(mean), formatValue(reference)),
      evidence: {
        meanScore: num(mean),
        minScore: num(Math.min(...scores)),
        maxScore: num(Math.max(...scores)),
        reference: num(reference),
        ratio: num(mean / reference),
        threshold: num(enter),
        sampleSteps: span.length,
        tiles,
        diverseBefore: s > 0 ? points[s - 1]!.step : null,
        diverseAfter: toEnd ? null : points[e + 1]!.step,
      },
      advice: t('Mode collapse comes from an imbalance between generator and discriminator: tune the learning rates and other parameters as for an imbalance, or switch to a Wasserstein GAN (WGAN-GP), which is far less prone to it.'),
    } satisfies Finding;
  });
}

/** Linear-interpolated quantile of unsorted values. */
function quantile(values: number[], q: number): number {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const at = Math.min(1, Math.max(0, q)) * (v.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(v.length - 1, lo + 1);
  return v[lo]! + (v[hi]! - v[lo]!) * (at - lo);
}
