// The last source of a formulation: the loss values themselves.
// - A cross-entropy, a squared error and a hinge cannot be negative: a D loss below 0 is a critic's
//   (WGAN); a G loss below 0 in a run whose D is not is a hinge G (−D(G(z))) or a G with other terms.
// - An untrained D sits at its chance level, so the first values tell a BCE sum (2 ln 2 ≈ 1.386) from
//   a mean (ln 2 ≈ 0.693), and a hinge D (2 or 1, with G ≈ 0) from both.
// - A BCE D and G are tied: G = −ln p for D's output p on fakes, and D's fake term −ln(1 − p) is part
//   of D. A D far below that term while G is low (D ≈ 0 with G ≈ 1, or D ≈ 0.15 with G ≈ 0.25) is
//   impossible for BCE and is LSGAN's signature, whose terms are bounded by 1.
// Cheap: the first values, the minimum (kept on the series for the analysis) and a strided sample.
import { t } from '../l10n';
import type { LossType, Series } from '../model';
import { statsOf } from '../stats';
import type { Clue } from './clue';
import { formatValue } from '../analysis/format';

const LN2 = Math.LN2;
/** How close the first values must be to a chance level (relative). */
const CHANCE_TOLERANCE = 0.1;
/** An untrained G's BCE sits near ln 2 too: a start outside this says D's start level is no chance level. */
const G_START: [number, number] = [0.45, 1.0];
/** Windows of the run compared for the BCE tie, and values looked at in each. */
const WINDOWS = 40;
const PER_WINDOW = 64;
/** Share of the windows where D is far below its BCE fake term that makes a run LSGAN. */
const LSGAN_SHARE = 0.6;

const near = (v: number, ref: number, tol = CHANCE_TOLERANCE) => Math.abs(v - ref) <= tol * Math.abs(ref);

function median(a: number[]): number {
  if (!a.length) return NaN;
  const v = [...a].sort((x, y) => x - y);
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/** The median of the first three finite values: where the run started. */
export function startLevel(s: Series): number {
  const first: number[] = [];
  for (let i = 0; i < s.values.length && first.length < 3; i++) if (Number.isFinite(s.values[i]!)) first.push(s.values[i]!);
  return median(first);
}

/** First index with step ≥ x (steps increase). */
function lowerBound(steps: Float64Array, x: number): number {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The median of up to PER_WINDOW evenly spaced finite values with steps in [a, b). */
function windowLevel(s: Series, a: number, b: number): number {
  const i = lowerBound(s.steps, a);
  const j = lowerBound(s.steps, b);
  if (j <= i) return NaN;
  const stride = Math.max(1, Math.floor((j - i) / PER_WINDOW));
  const picked: number[] = [];
  for (let k = i; k < j; k += stride) if (Number.isFinite(s.values[k]!)) picked.push(s.values[k]!);
  return median(picked);
}

/** The weakest lower bound a loss family's tie puts on D (per term, as a mean) for a G level. */
type Tie = (g: number) => number;

/** BCE: G = −ln p for D's output p on fakes, D's fake term is −ln(1 − p); halved for a mean D. */
const BCE_TIE: Tie = (g) => -Math.log(Math.max(1e-12, 1 - Math.exp(-g))) / 2;

/** LSGAN: G = s(1 − p)², D's fake term s·p²: the weakest of MSELoss averaged and the paper's 0.5·MSE summed. */
const LSGAN_TIE: Tie = (g) => {
  const p1 = Math.max(0, 1 - Math.sqrt(g));
  const pHalf = Math.max(0, 1 - Math.sqrt(2 * g));
  return Math.min((p1 * p1) / 2, 0.5 * pHalf * pHalf);
};

/**
 * The share of the run's windows in which D sits far below the fake term a family's
 * tie asks of it for the G of that window (under `slack` times it), among windows where the bound matters (≥ `least`).
 */
function mismatchShare(d: Series, g: Series, tie: Tie, least: number, slack: number): { share: number; windows: number } {
  const lo = Math.max(d.steps[0] ?? 0, g.steps[0] ?? 0);
  const hi = Math.min(d.steps[d.steps.length - 1] ?? 0, g.steps[g.steps.length - 1] ?? 0);
  if (!(hi > lo)) return { share: 0, windows: 0 };
  let judged = 0;
  let off = 0;
  for (let w = 0; w < WINDOWS; w++) {
    const a = lo + ((hi - lo) * w) / WINDOWS;
    const b = w === WINDOWS - 1 ? hi + 1e-9 * Math.max(1, Math.abs(hi)) : lo + ((hi - lo) * (w + 1)) / WINDOWS;
    const dv = windowLevel(d, a, b);
    const gv = windowLevel(g, a, b);
    if (!Number.isFinite(dv) || !Number.isFinite(gv) || gv <= 0) continue;
    const bound = tie(gv);
    if (bound < least) continue;
    judged++;
    // A share of the weakest reading: measured at other moments in a training step, D and G still agree that closely.
    if (dv < slack * bound) off++;
  }
  return { share: judged ? off / judged : 0, windows: judged };
}

/** The share of windows where D is far below what a cross-entropy G allows (BCE impossible there). */
export function bceMismatchShare(d: Series, g: Series): { share: number; windows: number } {
  // Only where G is low enough that its tie to D says something (G ≤ ~1.35).
  return mismatchShare(d, g, BCE_TIE, 0.15, 0.5);
}

const allowed = (candidates: LossType[] | undefined, type: LossType) => !candidates || candidates.includes(type);

/** What the D and G values say, or null when they say nothing (no D loss). `candidates` are the families still open. */
export function valuesClue(d: Series | undefined, g: Series | undefined, candidates?: LossType[]): Clue | null {
  if (!d || d.values.length === 0) return null;
  const dMin = statsOf(d).min;
  const gMin = g && g.values.length ? statsOf(g).min : null;
  if (dMin === null) return null;
  // Where the run started: its first value when that sits at a chance level (an untrained D; the
  // next ones may already be far from it), else the median of its first three.
  const first = (s: Series) => s.values.find((v) => Number.isFinite(v)) ?? NaN;
  const chance = [LN2, 2 * LN2, 1, 2, 0.25, 0.5, 0.125];
  const d0 = chance.some((c) => near(first(d), c)) ? first(d) : startLevel(d);
  const g0 = g ? (d0 === first(d) ? first(g) : startLevel(g)) : NaN;
  if (dMin < 0) {
    if (!allowed(candidates, 'wgan')) return null;
    return { lossType: 'wgan', from: t('values: the D loss goes negative (min {0}), a critic (WGAN)', formatValue(dMin)) };
  }
  // A D loss alone (no G to tie it to) that a cross-entropy could be says too little.
  if (!g || gMin === null) return null;
  if (gMin < 0) {
    if (allowed(candidates, 'hinge') && Math.abs(g0) <= 0.2 && (near(d0, 2) || near(d0, 1))) {
      return {
        lossType: 'hinge',
        dTerms: near(d0, 2) ? 'sum' : 'mean',
        from: t('values: G goes negative and starts at {0} with D at {1}, hinge chance levels', formatValue(g0), formatValue(d0)),
      };
    }
    // G = −D(G(z)) starts near 0 and crosses it: hinge, even when D left its chance level at once.
    if (allowed(candidates, 'hinge') && Math.abs(g0) <= 0.2 && !near(d0, LN2) && !near(d0, 2 * LN2)) {
      return {
        lossType: 'hinge',
        from: t('values: G starts at {0} and goes negative (min {1}) while D never does: a hinge G, −D(G(z))', formatValue(g0), formatValue(gMin)),
      };
    }
    for (const [k, terms] of [
      [1, 'mean'],
      [2, 'sum'],
    ] as const) {
      // G holds other terms here, so only D's start can say.
      if (allowed(candidates, 'bce') && near(d0, k * LN2)) {
        return {
          lossType: 'bce',
          dTerms: terms,
          gOtherTerms: true,
          from: t(
            'values: D starts at {0} ≈ {1}, G goes negative (min {2}): its loss holds other terms',
            formatValue(d0),
            k === 1 ? 'ln 2' : '2 ln 2',
            formatValue(gMin),
          ),
        };
      }
    }
    return candidates?.length === 1
      ? null
      : { lossType: 'unknown', from: t('values: G goes negative (min {0}) and D starts at no chance level ({1})', formatValue(gMin), formatValue(d0)) };
  }
  if (allowed(candidates, 'hinge') && !allowed(candidates, 'bce') && Math.abs(g0) <= 0.2 && (near(d0, 2) || near(d0, 1))) {
    return {
      lossType: 'hinge',
      dTerms: near(d0, 2) ? 'sum' : 'mean',
      from: t('values: G starts at {0} with D at {1}, hinge chance levels', formatValue(g0), formatValue(d0)),
    };
  }
  if (allowed(candidates, 'lsgan')) {
    const { share, windows } = bceMismatchShare(d, g);
    if (windows >= 5 && share >= LSGAN_SHARE) {
      // A squared error ties D to G too: D far below both ties is neither (BEGAN's autoencoder losses).
      const ls = mismatchShare(d, g, LSGAN_TIE, 0.05, 0.75);
      if (ls.windows >= 5 && ls.share >= LSGAN_SHARE)
        return {
          lossType: 'unknown',
          from: t(
            'values: D and G fit neither a cross-entropy nor a squared error (D far below what G allows in {0} of the run)',
            `${Math.round(ls.share * 100)}%`,
          ),
        };
      return lsganClue(d0, g0, share);
    }
    if (!allowed(candidates, 'bce') && candidates?.length === 1) return lsganClue(d0, g0, share);
  }
  if (!allowed(candidates, 'bce')) return null;
  const gAtChance = g0 >= G_START[0] && g0 <= G_START[1];
  if (!gAtChance)
    return {
      lossType: 'bce',
      from: t(
        'values: no value is negative and D and G agree with a cross-entropy; they start at D {0}, G {1}, not at chance',
        formatValue(d0),
        formatValue(g0),
      ),
    };
  if (near(d0, LN2))
    return { lossType: 'bce', dTerms: 'mean', from: t('values: D starts at {0} ≈ ln 2, the chance level of a mean of its terms', formatValue(d0)) };
  if (near(d0, 2 * LN2))
    return { lossType: 'bce', dTerms: 'sum', from: t('values: D starts at {0} ≈ 2 ln 2, the chance level of its two terms summed', formatValue(d0)) };
  return { lossType: 'bce', from: t('values: no value is negative and D and G agree with a cross-entropy; D starts at {0}, no chance level', formatValue(d0)) };
}

/** LSGAN from the values: the D/G pair at the start names the terms' factor when it sits at a chance pair. */
function lsganClue(d0: number, g0: number, share: number): Clue {
  // Where an untrained D starts: at 0.5 with a sigmoid (its chance output), at 0 without one (targets 0 and 1).
  const pairs = [
    { d: 0.25, g: 0.25, dTerms: 'mean' as const, scale: { d: 1, g: 1 } }, // MSELoss, averaged (junyanz), sigmoid
    { d: 0.25, g: 0.125, dTerms: 'sum' as const, scale: { d: 0.5, g: 0.5 } }, // 0.5·MSE terms summed (the paper), sigmoid
    { d: 0.5, g: 1, dTerms: 'mean' as const, scale: { d: 1, g: 1 } }, // MSELoss averaged, raw output
    { d: 0.5, g: 0.5, dTerms: 'sum' as const, scale: { d: 0.5, g: 0.5 } }, // 0.5·MSE summed, raw output
  ];
  const hit = pairs.find((p) => near(d0, p.d, 0.2) && near(g0, p.g, 0.2));
  const why = t('values: D sits far below what a cross-entropy G allows in {0} of the run (D ≈ 0 with G ≈ 1 is LSGAN)', `${Math.round(share * 100)}%`);
  return hit
    ? { lossType: 'lsgan', dTerms: hit.dTerms, lsganScale: hit.scale, from: `${why}; ${t('D starts at {0}, G at {1}', formatValue(d0), formatValue(g0))}` }
    : { lossType: 'lsgan', from: why };
}
