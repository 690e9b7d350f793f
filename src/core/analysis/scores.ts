// A WGAN-GP critic that logs only its scores (PGGAN's `Loss/real_scores`, `Loss/fake_scores`) has no
// D or G loss to judge: a score is unbounded and has no reference point, so the balance, plateau
// and "stuck" rules mean nothing for it. Only what is wrong for any number is looked for: values
// that are not finite, and a blow-up by orders of magnitude.
import type { Finding, Run, Series } from '../model';
import { t } from '../l10n';
import { nameTokens } from '../roles';
import { computeBlocks, computeSegments, makeGrid } from './blocks';
import { detectExploding } from './exploding';
import { detectNonFinite } from './nonFinite';
import type { Thresholds } from './thresholds';
import { lossLabel, type LossView } from './view';

/** The critic's score series of a run that has no D loss: names with `score(s)` and `real`/`fake`. */
export function criticScores(run: Run): Series[] {
  if (run.series.some((s) => s.role === 'discriminator')) return [];
  return run.series.filter((s) => {
    const tokens = nameTokens(s.name);
    return s.values.length > 1 && tokens.some((tok) => tok === 'scores' || tok === 'score') && tokens.some((tok) => tok === 'real' || tok === 'fake');
  });
}

export function analyzeScores(run: Run, th: Thresholds): Finding[] {
  const scores = criticScores(run);
  if (!scores.length) return [];
  const grid = makeGrid(scores);
  const out: Finding[] = [];
  for (const series of scores) {
    const blocks = computeBlocks(series, grid);
    // Kept as the analysis of D and G keeps them: the series' statistics, made on this pass.
    series.stats ??= blocks.stats;
    const view: LossView = { role: 'discriminator', blocks, segments: computeSegments(blocks) };
    const label = t("The critic's {0}", series.name);
    for (const f of [...detectNonFinite(view), ...detectExploding(view, th)]) {
      // The detectors name a loss; these are scores, named as logged.
      f.message = f.message.replace(lossLabel('discriminator'), label);
      f.evidence.series = series.name;
      out.push(f);
    }
  }
  return out;
}
