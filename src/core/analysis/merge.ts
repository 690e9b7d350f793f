// One episode, one finding: a detector can cut one long episode into pieces (an equilibrium whose
// level wobbles a little between ticks is three plateaus to a window fit), which the user reads as
// three problems and sees as three bands. This pass, run once on a run's findings (analyzeRun), joins
// pieces of the same kind that are next to each other and at the same level. "The same level" is
// measured on each formulation's own scale: a share of the level, of the chance level (a loss near
// 0, as LSGAN's and WGAN's are, has no useful share), or of the loss's noise, whichever is largest.
import type { Finding, Formulation } from '../model';
import { flatFinding, type Fit } from './equilibrium';
import type { Thresholds } from './thresholds';
import { referenceOf } from '../formulation/reference';

export interface MergeContext {
  /** Largest gap, in steps, between two pieces still "next to each other". */
  maxGap: number;
  formulation: Formulation;
  th: Thresholds;
}

/** Per kind: the evidence levels that must agree (with their noise and chance level), and how to word the joined episode. */
interface MergeRule {
  levels: { level: string; noise?: string; role?: 'd' | 'g' }[];
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

function joinFlat(pieces: Finding[], ctx: MergeContext): Finding {
  const last = pieces[pieces.length - 1]!;
  const merged = flatFinding(
    pieces[0]!.start,
    last.end,
    last.evidence.untilEnd === true,
    joinedFit(pieces, 'd'),
    joinedFit(pieces, 'g'),
    ctx.formulation,
    ctx.th,
  );
  merged.evidence.mergedEpisodes = pieces.length;
  merged.evidence.mergeLevelTolerance = ctx.th.mergeLevelTolerance;
  return merged;
}

const FLAT_LEVELS: MergeRule['levels'] = [
  { level: 'dLevel', noise: 'dNoise', role: 'd' },
  { level: 'gLevel', noise: 'gNoise', role: 'g' },
];

const RULES: Readonly<Partial<Record<Finding['kind'], MergeRule>>> = {
  equilibrium: { levels: FLAT_LEVELS, join: joinFlat },
  plateau: { levels: FLAT_LEVELS, join: joinFlat },
};

function sameLevel(a: Finding, b: Finding, rule: MergeRule, ctx: MergeContext): boolean {
  const ref = referenceOf(ctx.formulation);
  return rule.levels.every(({ level, noise, role }) => {
    const x = numberAt(a, level);
    const y = numberAt(b, level);
    if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
    const chance = role === 'd' ? (ref.dChance ?? ref.dChances[0] ?? 0) : role === 'g' ? (ref.gChance ?? 0) : 0;
    const sigma = noise ? Math.max(numberAt(a, noise), numberAt(b, noise)) : 0;
    const tolerance = Math.max(
      ctx.th.mergeLevelTolerance * Math.max(Math.abs(x), Math.abs(y), Math.abs(chance)),
      Number.isFinite(sigma) ? ctx.th.mergeNoiseFactor * sigma : 0,
    );
    return Math.abs(x - y) <= tolerance;
  });
}

function mergeable(a: Finding, b: Finding, rule: MergeRule, ctx: MergeContext): boolean {
  return (
    a.kind === b.kind &&
    a.severity === b.severity &&
    a.series.join('\u0000') === b.series.join('\u0000') &&
    b.start - a.end <= ctx.maxGap &&
    sameLevel(a, b, rule, ctx)
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
