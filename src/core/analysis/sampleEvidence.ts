// What the sample grids say about a span of the run, for the loss rules whose severity depends on
// whether training is really hurt (an imbalance with stable, diverse samples is a note, not a warning).
import type { DiversityPoint, Finding } from '../model';

export interface SampleEvidence {
  /** 'none': fewer than two scored grids in the span; 'collapsing': a mode collapse overlaps it or its grids lost diversity. */
  state: 'none' | 'diverse' | 'collapsing';
  /** Scored grids in the span. */
  points: number;
  /** Median tile diversity in the span (NaN without points). */
  score: number;
}

/** Grids saved at or before this step are the untrained generator's and say nothing. */
const UNTRAINED_STEP = 1;
/** A span whose median diversity is below this share of the run's typical level lost diversity. */
const LOST_SHARE = 0.6;

export function samplesDuring(diversity: DiversityPoint[], collapses: Finding[], start: number, end: number): SampleEvidence {
  const scored = diversity.filter((p) => Number.isFinite(p.score) && p.tiles >= 2 && p.step > UNTRAINED_STEP);
  const inSpan = scored.filter((p) => p.step >= start && p.step <= end);
  if (inSpan.length < 2) return { state: 'none', points: inSpan.length, score: NaN };
  const score = median(inSpan.map((p) => p.score));
  const typical = median(scored.map((p) => p.score));
  const collapsed = collapses.some((f) => f.kind === 'mode-collapse' && f.start <= end && f.end >= start);
  return { state: collapsed || score < LOST_SHARE * typical ? 'collapsing' : 'diverse', points: inSpan.length, score };
}

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}
