// One episode, one finding: a detector can cut one long episode into pieces (an equilibrium whose
// level wobbles a little between ticks is three plateaus to a window fit), which the user reads as
// three problems and sees as three bands. This pass, run once on a run's findings (analyzeRun), joins
// pieces of the same kind that are next to each other and at the same level.
import type { Finding, LossType } from '../model';
import { equilibriumFinding, type Fit } from './equilibrium';
import type { Thresholds } from './thresholds';

export interface MergeContext {
  /** Largest gap, in steps, between two pieces still "next to each other". */
  maxGap: number;
  lossType: LossType;
  th: Thresholds;
}

/** Per kind: the evidence levels that must agree, and how to word the joined episode. */
interface MergeRule {
  levels: string[];
  join(pieces: Finding[], ctx: MergeContext): Finding;
}

const numberAt = (f: Finding, key: string): number => {
  const v = f.evidence[key];
  return typeof v === 'number' ? v : Number.NaN;
};

/** A length-weighted mean of one evidence number over the pieces (a point piece weighs 1 step). */
function weighted(pieces: Finding[], key: string): number {
  let sum = 0;
  let weight = 0;
  for (const p of pieces) {
    const w = Math.max(p.end - p.start, 1);
    sum += numberAt(p, key) * w;
    weight += w;
  }
  return sum / weight;
}

function joinedFit(pieces: Finding[], who: 'd' | 'g'): Fit {
  const level = `${who}Level`;
  return {
    center: weighted(pieces, level),
    noise: weighted(pieces, `${who}Noise`),
    tolerance: Math.max(...pieces.map((p) => numberAt(p, `${who}Tolerance`))),
    // What is left of a trend across the joined plateau: how far the last piece's level sits from the first's.
    trend: numberAt(pieces[pieces.length - 1]!, level) - numberAt(pieces[0]!, level),
  };
}

const RULES: Readonly<Partial<Record<Finding['kind'], MergeRule>>> = {
  equilibrium: {
    levels: ['dLevel', 'gLevel'],
    join(pieces, ctx) {
      const last = pieces[pieces.length - 1]!;
      const merged = equilibriumFinding(pieces[0]!.start, last.end, last.evidence.untilEnd === true, joinedFit(pieces, 'd'), joinedFit(pieces, 'g'), ctx.lossType, ctx.th);
      merged.evidence.mergedEpisodes = pieces.length;
      merged.evidence.mergeLevelTolerance = ctx.th.mergeLevelTolerance;
      return merged;
    },
  },
};

function sameLevel(a: Finding, b: Finding, keys: string[], tolerance: number): boolean {
  return keys.every((key) => {
    const x = numberAt(a, key);
    const y = numberAt(b, key);
    return Number.isFinite(x) && Number.isFinite(y) && Math.abs(x - y) <= tolerance * Math.max(Math.abs(x), Math.abs(y));
  });
}

function mergeable(a: Finding, b: Finding, rule: MergeRule, ctx: MergeContext): boolean {
  return (
    a.kind === b.kind &&
    a.severity === b.severity &&
    a.series.join('\u0000') === b.series.join('\u0000') &&
    b.start - a.end <= ctx.maxGap &&
    sameLevel(a, b, rule.levels, ctx.th.mergeLevelTolerance)
  );
}

/**
 * Findings with adjacent same-kind, same-level pieces joined (kinds with a rule above; the others
 * come back as they are). Order: by start step. Each piece is compared with the one before it, so a
 * slow drift over many pieces still breaks the chain where two neighbours differ.
 */
export function mergeEpisodes(findings: Finding[], ctx: MergeContext): Finding[] {
  const out: Finding[] = [];
  const byKind = new Map<Finding['kind'], Finding[]>();
  for (const f of findings) {
    if (!RULES[f.kind]) out.push(f);
    else byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f]);
  }
  for (const [kind, list] of byKind) {
    const rule = RULES[kind]!;
    list.sort((a, b) => a.start - b.start);
    let chain: Finding[] = [];
    const flush = () => {
      if (chain.length) out.push(chain.length === 1 ? chain[0]! : rule.join(chain, ctx));
      chain = [];
    };
    for (const f of list) {
      const prev = chain[chain.length - 1];
      if (prev && !mergeable(prev, f, rule, ctx)) flush();
      chain.push(f);
    }
    flush();
  }
  return out.sort((a, b) => a.start - b.start);
}
