// Swings: D ahead, then G, then D again, each for a stretch. Taken one by one they are imbalances;
// together they are the networks overpowering each other in turn, an oscillation whose period is
// too long for the autocorrelation to see in the run so far (a live run, a long cycle). Told as one
// oscillation, so a user watching a run is not told "D too strong" and "G too strong" by turns.
import type { Finding } from '../model';
import { t } from '../l10n';
import { formatStep } from './format';

// D, G, D (or G, D, G): two changes of side make a swing rather than a change of course.
const MIN_EPISODES = 3;

/** One oscillation for imbalance episodes that alternate sides at least MIN_EPISODES times in a row; null otherwise. */
export function swingsOf(imbalance: readonly Finding[]): Finding | null {
  const episodes = imbalance.filter((f) => f.kind === 'd-dominant' || f.kind === 'g-dominant').sort((a, b) => a.start - b.start);
  let best: Finding[] = [];
  let run: Finding[] = [];
  for (const f of episodes) {
    if (run.length && run[run.length - 1]!.kind === f.kind) run = [];
    run.push(f);
    if (run.length > best.length) best = [...run];
  }
  if (best.length < MIN_EPISODES) return null;
  const start = best[0]!.start;
  const end = best[best.length - 1]!.end;
  const dAhead = best.filter((f) => f.kind === 'd-dominant').length;
  return {
    kind: 'oscillation',
    severity: best.some((f) => f.severity === 'warning') ? 'warning' : 'info',
    start,
    end,
    series: ['discriminator', 'generator'],
    message: t(
      'The networks overpowered each other in turn from step {0} to step {1}: D ahead {2} times and G ahead {3} times.',
      formatStep(start),
      formatStep(end),
      String(dAhead),
      String(best.length - dAhead),
    ),
    evidence: { rule: 'alternating imbalance', episodes: best.length, dAhead, gAhead: best.length - dAhead, minEpisodes: MIN_EPISODES },
    advice: t(
      'The networks keep overpowering each other in turn: lower or rebalance the learning rates; check the samples for mode collapse; a WGAN loss trains more steadily.',
    ),
  };
}
