// Run → findings. For each GAN of the run (one D and one G; CycleGAN's A and B; a second generator
// against the shared D), aggregates each loss in one pass (blocks.ts) and runs every detector on the
// aggregates, judging balance and equilibrium against the reference of the run's formulation
// (decided when the run was read); then adds the mode-collapse findings from the sample diversity.
import type { DiversityPoint, Finding, Formulation, Run, Series } from '../model';
import { computeBlocks, computeSegments, makeGrid } from './blocks';
import { detectAtReference, detectFlat } from './equilibrium';
import { detectExploding } from './exploding';
import { detectImbalance } from './imbalance';
import { referenceOf } from '../formulation/reference';
import { withProgress } from './plateau';
import { detectModeCollapse } from './modeCollapse';
import { detectNonFinite } from './nonFinite';
import { detectOscillation } from './oscillation';
import { swingsOf } from './swings';
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

/** The longest series with that role (several candidates happen: d_loss_real, d_loss_fake, …). */
export function pickSeries(run: Run, role: LossRole): Series | undefined {
  let best: Series | undefined;
  for (const s of run.series) if (s.role === role && (!best || s.values.length > best.values.length)) best = s;
  return best;
}

/** The run's findings; `th`: thresholds resolved once by the caller (src/core/pipeline.ts), else the run's own. */
export function analyzeRun(run: Run, diversity: DiversityPoint[], th: Thresholds = resolveThresholds(run.config?.thresholds)): Finding[] {
  const findings: Finding[] = [];
  // The samples' verdict comes first: imbalance severity depends on what the samples show.
  const collapses = detectModeCollapse(diversity, th);
  const evidence = (start: number, end: number) => samplesDuring(diversity, collapses, start, end);
  // Every GAN of the run is diagnosed: pairs by their `pair` (CycleGAN's A and B, COSCI-GAN's 0, 1,
  // 2); a pair with no D of its own (a second generator, `G_2_GAN`) plays against the run's unpaired D.
  const losses = run.series.filter((s) => s.role === 'discriminator' || s.role === 'generator');
  const pairs = [...new Set(losses.map((s) => s.pair))];
  const metrics = run.series.filter((s) => s.role === 'metric');
  const unpaired = losses.filter((s) => s.pair === undefined);
  for (const pair of pairs.length ? pairs : [undefined]) {
    const mine = losses.filter((s) => s.pair === pair);
    // A GAN without a D (or G) of its own plays against the run's unpaired one; that loss's own
    // findings are told once, with the unpaired GAN.
    const borrow = (role: LossRole) => pair !== undefined && !mine.some((s) => s.role === role);
    const of = (role: LossRole) => pickSeries({ ...run, series: borrow(role) ? unpaired : mine }, role);
    const d = of('discriminator');
    const g = of('generator');
    const chosen = [d, g].filter((s): s is Series => !!s && s.values.length > 0);
    const span = spanOf(chosen);
    const found = analyzePair(run.formulation, chosen, th, { evidence, collapses, sharedD: borrow('discriminator') })
      .filter((f) => !(['discriminator', 'generator'] as const).some((role) => borrow(role) && f.series.length === 1 && f.series[0] === role))
      .map((f) => withProgress(f, diversity, metrics, span.lo, span.hi, th));
    // Which losses a finding is about, by name: with several GANs, which generator D beat.
    for (const f of found) {
      if (d && f.series.includes('discriminator')) f.evidence.discriminator = d.name;
      if (g && f.series.includes('generator')) f.evidence.generator = g.name;
    }
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

function spanOf(series: Series[]): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    if (!s.steps.length) continue;
    lo = Math.min(lo, s.steps[0]!);
    hi = Math.max(hi, s.steps[s.steps.length - 1]!);
  }
  return { lo, hi };
}

/** One GAN's D and G: per-loss checks, imbalance (with the samples' evidence), flat stretches, and its episodes joined. */
interface PairContext {
  /** What the samples show over a span (imbalance severity depends on it). */
  evidence: Parameters<typeof detectImbalance>[3];
  /** The run's mode-collapse episodes: a collapsed generator is never at the Nash equilibrium. */
  collapses: Finding[];
  /** The D also plays against other generators. */
  sharedD: boolean;
}

function analyzePair(formulation: Formulation, chosen: Series[], th: Thresholds, ctx: PairContext): Finding[] {
  const { evidence, collapses, sharedD } = ctx;
  const findings: Finding[] = [];
  if (!chosen.length) return findings;
  const ref = referenceOf(formulation);
  const grid = makeGrid(chosen);
  const views: LossView[] = chosen.map((series) => {
    const blocks = computeBlocks(series, grid);
    series.stats ??= blocks.stats;
    return { role: series.role as LossRole, blocks, segments: computeSegments(blocks) };
  });
  for (const v of views) {
    const d = v.role === 'discriminator';
    const saturated = detectSaturated(v, th, {
      clamps: d ? ref.dClamps : ref.gClamps,
      floor: d ? ref.dFloor : null,
      floorSaturates: ref.floorSaturates,
    });
    // A loss pinned at a clamp (BCE's 100) got there by a jump, but the clamp is the news: the
    // saturated finding says it, an "explosion" onto the clamp would not be true.
    const size = d ? ref.explodingSize.d : ref.explodingSize.g;
    const exploding = detectExploding(v, th, { bounded: ref.bounded, minSize: size * th.explodingMinSizeBce }).filter(
      (f) => overlap(f, saturated) < 0.5 * (f.end - f.start),
    );
    findings.push(...detectNonFinite(v), ...saturated, ...exploding, ...detectOscillation(v, th));
  }
  const d = views.find((v) => v.role === 'discriminator');
  const g = views.find((v) => v.role === 'generator');
  if (d && g) {
    // Balance needs both chance levels: a G loss holding other terms (−γ·central D) has none.
    let imbalance = ref.scale && ref.gChance !== null ? detectImbalance(d, g, th, evidence, formulation, { sharedD }) : [];
    // Sides taken in turn are one oscillation (told once, or already told by the autocorrelation).
    const swings = swingsOf(imbalance);
    if (swings) {
      const told = findings.some((f) => f.kind === 'oscillation' && Math.min(f.end, swings.end) > Math.max(f.start, swings.start));
      const episodes = imbalance.filter((f) => f.start >= swings.start && f.end <= swings.end);
      imbalance = imbalance.filter((f) => !episodes.includes(f));
      if (!told) findings.push(swings);
    }
    findings.push(...imbalance);
    // A flat stretch inside a span where one network wins is a stall, not an equilibrium or a
    // plateau: the imbalance finding already says what it is.
    // At the reference is the equilibrium whether or not the flat-stretch test holds; a flat stretch
    // mostly inside one adds nothing.
    const atReference = detectAtReference(d, g, formulation, th, collapses).filter((f) => overlap(f, imbalance) < 0.5 * (f.end - f.start));
    const flat = detectFlat(d, g, formulation, th).filter(
      (f) => overlap(f, imbalance) < 0.5 * (f.end - f.start) && overlap(f, atReference) < 0.5 * (f.end - f.start),
    );
    findings.push(...atReference, ...flat);
  }
  // The one place pieces of one episode become one finding, so every view (CLI, JSON, tree,
  // Problems, hover, chart bands) shows the same list. "Next to each other" is the same bridge as inside spans.
  return mergeEpisodes(findings, { maxGap: (th.gapSegments * (grid.hi - grid.lo)) / grid.segments, formulation, th });
}

/** Steps of f covered by any of the spans (spans from one detector may overlap each other only rarely). */
function overlap(f: Finding, spans: Finding[]): number {
  let covered = 0;
  for (const s of spans) covered += Math.max(0, Math.min(f.end, s.end) - Math.max(f.start, s.start));
  return covered;
}
