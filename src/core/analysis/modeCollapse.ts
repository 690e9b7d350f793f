// Mode collapse, judged from the sample grids only (losses cannot show it, as the tutorial warns).
// A run is compared with itself: its "diverse" level is the upper quartile of its per-step diversity
// (see samples/diversity.ts for the score); sample steps whose tiles are much more alike than that are the
// generator repeating itself. Leading steps of pure noise (an untrained generator) score near the
// maximum sqrt(2) and are left out of the reference, so noise never sets the bar.
//
// Copies need no reference: a step whose tiles are near-identical (score below collapseAbsolute), or
// where a large share of the tile pairs are copies of each other (collapseDuplicateShare: a partial
// collapse to a few images), is collapsed even when the run never had a diverse step (collapsed from
// its first steps). The grid saved at step 0 (or 1) is the untrained generator's, near-identical in
// every run, and is never part of a collapse.
import type { DiversityPoint, Finding } from '../model';
import { t } from '../l10n';
import type { Thresholds } from './thresholds';
import { formatStep, formatValue, num } from './format';

/** Too few scored steps say nothing about what is normal for the run. */
const MIN_POINTS = 4;
/** A grid saved at or before this step is the untrained generator's. */
const UNTRAINED_STEP = 1;

export function detectModeCollapse(diversity: DiversityPoint[], th: Thresholds): Finding[] {
  // The collapse* thresholds, documented with the others in thresholds.ts.
  const k = th;
  const all = diversity.filter((p) => Number.isFinite(p.score) && p.tiles >= 2).sort((a, b) => a.step - b.step);
  // The untrained generator's grid (saved before or right after the first step) says nothing.
  const points = all.length && all[0]!.step <= UNTRAINED_STEP ? all.slice(1) : all;
  if (points.length < MIN_POINTS) return [];

  let lead = 0;
  while (lead < Math.floor(points.length / 4) && points[lead]!.score >= k.collapseNoiseScore) lead++;
  const reference = quantile(
    points.slice(lead).map((p) => p.score),
    k.collapseReferenceQuantile,
  );
  // A run collapsed throughout has no diverse level (0 when every tile is the same image): then only
  // the copy rules below decide.
  const enter = reference > 0 ? k.collapseRatio * reference : -Infinity;
  const exit = Math.max(enter, reference > 0 ? k.collapseExitRatio * reference : -Infinity);
  const isCopies = (p: DiversityPoint) =>
    p.score < k.collapseAbsolute || (p.tiles >= k.collapseDuplicateMinTiles && (p.duplicates ?? 0) >= k.collapseDuplicateShare);

  // The generator's first blobs, all alike until it has learnt anything: an episode from the first
  // trained grid that is over within the warm-up share of the run is not a collapse. One that lasts
  // beyond it is a collapse from its first step.
  const first = all[0]!.step;
  const warmupEnd = first + k.collapseWarmupFraction * (all[all.length - 1]!.step - first);
  const warmup = (s: number, e: number) => s === 0 && e < points.length - 1 && points[e]!.step < warmupEnd;
  const episodes: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i <= points.length; i++) {
    const score = i < points.length ? points[i]!.score : Infinity;
    const copies = i < points.length && isCopies(points[i]!);
    if (start < 0 && (score < enter || copies)) start = i;
    else if (start >= 0 && !(score < exit || copies)) {
      if (i - start >= k.collapseMinSteps && !warmup(start, i - 1)) episodes.push([start, i - 1]);
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
    const tiles = quantile(
      span.map((p) => p.tiles),
      0.5,
    );
    const dups = span.map((p) => p.duplicates ?? 0);
    const duplicates = dups.reduce((a, b) => a + b, 0) / dups.length;
    // Which rule carried the episode decides what the message can claim.
    const noDiverseLevel = !(reference >= 2 * k.collapseAbsolute);
    const fewImages = mean >= k.collapseAbsolute && mean >= enter && duplicates >= k.collapseDuplicateShare;
    const rule = fewImages ? 'few images' : noDiverseLevel ? 'copies, no diverse level' : 'below diverse level';
    const images = String(Math.max(2, Math.round(1 / Math.max(duplicates, 1e-9))));
    const until = toEnd ? t('to the last sample') : t('to step {0}', formatStep(last));
    const message = fewImages
      ? t(
          'From step {0} {1}, {2}% of the tile pairs are copies of each other: the generator makes only about {3} different images, a partial mode collapse.',
          formatStep(first),
          until,
          String(Math.round(100 * duplicates)),
          images,
        )
      : noDiverseLevel
        ? t(
            'The samples are copies of one image from step {0} {1} (tile diversity {2}; 0 means identical tiles), and the run has no diverse step to compare with: the generator collapsed to one mode from the start.',
            formatStep(first),
            until,
            formatValue(mean),
          )
        : toEnd
          ? t(
              "The samples look like copies of one image from step {0} to the last sample: tile diversity {1} against {2} in the run's diverse steps, so the generator has likely collapsed to one mode.",
              formatStep(first),
              formatValue(mean),
              formatValue(reference),
            )
          : t(
              "The samples look like copies of one image from step {0} to step {1}: tile diversity {2} against {3} in the run's diverse steps, so the generator has likely collapsed to one mode.",
              formatStep(first),
              formatStep(last),
              formatValue(mean),
              formatValue(reference),
            );
    return {
      kind: 'mode-collapse',
      severity: 'warning',
      start: first,
      end: last,
      series: ['samples'],
      message,
      evidence: {
        rule,
        duplicateShare: num(duplicates),
        meanScore: num(mean),
        minScore: num(Math.min(...scores)),
        maxScore: num(Math.max(...scores)),
        reference: num(reference),
        ratio: reference > 0 ? num(mean / reference) : null,
        threshold: Number.isFinite(enter) ? num(enter) : null,
        sampleSteps: span.length,
        tiles,
        diverseBefore: s > 0 ? points[s - 1]!.step : null,
        diverseAfter: toEnd ? null : points[e + 1]!.step,
      },
      advice: t(
        'Mode collapse comes from an imbalance between generator and discriminator: tune the learning rates and other parameters as for an imbalance, or switch to a Wasserstein GAN (WGAN-GP), which is far less prone to it.',
      ),
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
