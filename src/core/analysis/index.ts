// Run → findings. Picks one D and one G series, aggregates each in one pass (blocks.ts), runs every
// detector on the aggregates, and adds the mode-collapse findings from the sample diversity.
import type { DiversityPoint, Finding, Run, Series } from '../model';
import { computeBlocks, computeSegments, makeGrid } from './blocks';
import { detectEquilibrium } from './equilibrium';
import { detectExploding } from './exploding';
import { detectImbalance } from './imbalance';
import { effectiveLossType } from './lossType';
import { detectModeCollapse } from './modeCollapse';
import { detectNonFinite } from './nonFinite';
import { detectOscillation } from './oscillation';
import { detectSaturated } from './saturated';
import { mergeEpisodes } from './merge';
import { samplesDuring } from './sampleEvidence';
import { resolveThresholds, type Thresholds } from './thresholds';
import { analyzeScores } from './scores';
import { detectMetricProblems } from './metrics';
export { metricBest, type MetricBest } from './metrics';
import { t } from '../l10n';
import { inStepOrder } from '../present';
import type { LossRole, LossView } from './view';

export { DEFAULT_THRESHOLDS, resolveThresholds, type Thresholds } from './thresholds';
export { effectiveLossType } from './lossType';

/** The longest series with that role (several candidates happen: d_loss_real, d_loss_fake, …). */
export function pickSeries(run: Run, role: LossRole): Series | undefined {
  let best: Series | undefined;
  for (const s of run.series) if (s.role === role && (!best || s.values.length > best.values.length)) best = s;
  return best;
}


export function analyzeRun(run: Run, diversity: DiversityPoint[], overrides?: Record<string, number>): Finding[] {
  const th = resolveThresholds({ ...(run.config?.thresholds ?? {}), ...(overrides ?? {}) });
  const findings: Finding[] = [];
  // The samples' verdict comes first: imbalance severity depends on what the samples show.
  const collapses = detectModeCollapse(diversity, th);
  const evidence = (start: number, end: number) => samplesDuring(diversity, collapses, start, end);
  // Two GANs trained together (CycleGAN's A and B) are diagnosed pair by pair.
  const pairs = [...new Set(run.series.filter((s) => s.role === 'discriminator' || s.role === 'generator').map((s) => s.pair))];
  for (const pair of pairs.length ? pairs : [undefined]) {
    const of = (role: LossRole) => pickSeries(pair === undefined ? run : { ...run, series: run.series.filter((s) => s.pair === pair) }, role);
    const chosen = [of('discriminator'), of('generator')].filter((s): s is Series => !!s && s.values.length > 0);
    const found = analyzePair(run, chosen, th, evidence);
    if (pair !== undefined) {
      for (const f of found) {
        f.message = t('GAN {0}: {1}', pair, f.message);
        f.evidence.pair = pair;
      }
    }
    findings.push(...found);
  }
  findings.push(...analyzeScores(run, th));
  findings.push(...detectMetricProblems(run.series));
  // After a loss became NaN for good the generator is dead: its blank grids are not a collapse.
  const deadFrom = Math.min(...findings.filter((f) => f.kind === 'non-finite' && f.evidence.untilEnd === true).map((f) => f.start));
  findings.push(...collapses.filter((f) => f.start < deadFrom));
  return inStepOrder(findings);
}

/** One GAN's D and G: per-loss checks, imbalance (with the samples' evidence), equilibrium, and its episodes joined. */
function analyzePair(run: Run, chosen: Series[], th: Thresholds, evidence: Parameters<typeof detectImbalance>[3]): Finding[] {
  const findings: Finding[] = [];
  if (!chosen.length) return findings;
  const grid = makeGrid(chosen);
  const views: LossView[] = chosen.map((series) => {
    const blocks = computeBlocks(series, grid);
    // Kept before `run.lossType` is first read just below: inferring it needs these minimums.
    series.stats ??= blocks.stats;
    return { role: series.role as LossRole, blocks, segments: computeSegments(blocks) };
  });
  const lossType = effectiveLossType(run.lossType, views.map((v) => v.blocks.finiteMin).filter(Number.isFinite));
  for (const v of views) {
    const saturated = detectSaturated(v, th);
    // A loss pinned at a clamp (BCE's 100) got there by a jump, but the clamp is the news: the
    // saturated finding says it, an "explosion" onto the clamp would not be true.
    const exploding = detectExploding(v, th, lossType === 'bce').filter((f) => overlap(f, saturated) < 0.5 * (f.end - f.start));
    findings.push(...detectNonFinite(v), ...saturated, ...exploding, ...detectOscillation(v, th));
  }
  const d = views.find((v) => v.role === 'discriminator');
  const g = views.find((v) => v.role === 'generator');
  if (d && g) {
    const imbalance = lossType === 'bce' ? detectImbalance(d, g, th, evidence) : [];
    findings.push(...imbalance);
    // A plateau inside a span where one network wins is a stall, not an equilibrium: the
    // imbalance finding already says what it is.
    findings.push(...detectEquilibrium(d, g, lossType, th).filter((f) => overlap(f, imbalance) < 0.5 * (f.end - f.start)));
  }
  // The one place pieces of one episode become one finding, so every view (CLI, JSON, tree,
  // Problems, hover, chart bands) shows the same list. "Next to each other" is the same bridge as inside spans.
  return mergeEpisodes(findings, { maxGap: (th.gapSegments * (grid.hi - grid.lo)) / grid.segments, lossType, th });
}

/** Steps of f covered by any of the spans (spans from one detector may overlap each other only rarely). */
function overlap(f: Finding, spans: Finding[]): number {
  let covered = 0;
  for (const s of spans) covered += Math.max(0, Math.min(f.end, s.end) - Math.max(f.start, s.start));
  return covered;
}
