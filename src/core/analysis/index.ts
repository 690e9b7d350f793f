// Run → findings. Picks one D and one G series, aggregates each in one pass (blocks.ts), runs every
// detector on the aggregates, and adds the mode-collapse findings from the sample diversity.
import type { DiversityPoint, Finding, Run, Series, Severity } from '../model';
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
import { resolveThresholds } from './thresholds';
import type { LossRole, LossView } from './view';

export { DEFAULT_THRESHOLDS, resolveThresholds, type Thresholds } from './thresholds';
export { effectiveLossType } from './lossType';

/** The longest series with that role (several candidates happen: d_loss_real, d_loss_fake, …). */
export function pickSeries(run: Run, role: LossRole): Series | undefined {
  let best: Series | undefined;
  for (const s of run.series) if (s.role === role && (!best || s.values.length > best.values.length)) best = s;
  return best;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function analyzeRun(run: Run, diversity: DiversityPoint[], overrides?: Record<string, number>): Finding[] {
  const th = resolveThresholds({ ...(run.config?.thresholds ?? {}), ...(overrides ?? {}) });
  const chosen = [pickSeries(run, 'discriminator'), pickSeries(run, 'generator')].filter((s): s is Series => !!s && s.values.length > 0);
  let findings: Finding[] = [];
  if (chosen.length) {
    const grid = makeGrid(chosen);
    const views: LossView[] = chosen.map((series) => {
      const blocks = computeBlocks(series, grid);
      // Kept before `run.lossType` is first read just below: inferring it needs these minimums.
      series.stats ??= blocks.stats;
      return { role: series.role as LossRole, blocks, segments: computeSegments(blocks) };
    });
    const lossType = effectiveLossType(run.lossType, views.map((v) => v.blocks.finiteMin).filter(Number.isFinite));
    for (const v of views) {
      findings.push(...detectNonFinite(v), ...detectSaturated(v, th), ...detectExploding(v, th, lossType === 'bce'), ...detectOscillation(v, th));
    }
    const d = views.find((v) => v.role === 'discriminator');
    const g = views.find((v) => v.role === 'generator');
    if (d && g) {
      const imbalance = lossType === 'bce' ? detectImbalance(d, g, th) : [];
      findings.push(...imbalance);
      // A plateau inside a span where one network wins is a stall, not an equilibrium: the
      // imbalance finding already says what it is.
      findings.push(...detectEquilibrium(d, g, lossType, th).filter((f) => overlap(f, imbalance) < 0.5 * (f.end - f.start)));
    }
    // The one place pieces of one episode become one finding, so every view (CLI, JSON, tree,
    // Problems, hover, chart bands) shows the same list. "Next to each other" is the same bridge as inside spans.
    findings = mergeEpisodes(findings, { maxGap: (th.gapSegments * (grid.hi - grid.lo)) / grid.segments, lossType, th });
  }
  findings.push(...detectModeCollapse(diversity, th));
  return findings.sort((a, b) => a.start - b.start || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/** Steps of f covered by any of the spans (spans from one detector may overlap each other only rarely). */
function overlap(f: Finding, spans: Finding[]): number {
  let covered = 0;
  for (const s of spans) covered += Math.max(0, Math.min(f.end, s.end) - Math.max(f.start, s.start));
  return covered;
}
