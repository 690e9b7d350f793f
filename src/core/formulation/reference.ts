// The reference values of a formulation: where D and G sit when D cannot tell real from fake (its
// chance level, the Nash equilibrium of the tutorial), D's floor, the values frameworks clamp a loss
// at, and a scale that carries the balance rules' BCE numbers to any formulation with a chance level.
//
// The balance thresholds (thresholds.ts) are stated once, in BCE nats per term: "D ≤ 0.25" means D
// right about real and fake images with probability e^-0.25 ≈ 0.78 on average. `BalanceScale` maps a
// loss level of this run to that scale by what it says about D's outputs:
// - BCE: the D loss per term (a summed D loss is halved); G as is.
// - LSGAN: a term s·(p − target)² is D's error |1 − p| = √(t / s): −ln(1 − √(t/s)) is the BCE of the same p.
// - hinge: D's term relu(1 ∓ D(x)) is 1 at chance and 0 once every image is past the margin, scaled by
//   ln 2 so chance meets chance; G = −D(G(z)) is a logit, so its BCE is softplus(G).
// WGAN and unknown losses have no chance level: no scale, and no rule that needs one.
import type { Formulation } from '../model';

const LN2 = Math.LN2;
/** Where a D's or G's probability is taken as 0 (an LSGAN term at or past its largest value). */
const P_MIN = 1e-9;

export interface BalanceScale {
  /** A D level → its per-term BCE equivalent, as [low, high]: equal when the D composition is known, a sum's and a mean's reading when not. */
  d(v: number): [number, number];
  /** A G level → its BCE equivalent. */
  g(v: number): number;
  /** The D level that a per-term BCE value means (for an unknown composition: the mean's reading). */
  dFrom(x: number): number;
  /** The G level that a BCE value means. */
  gFrom(x: number): number;
}

export interface Reference {
  /** D's value when it cannot tell real from fake; null when there is no chance level, or the composition is unknown. */
  dChance: number | null;
  /** Every D value that may be its chance level (BCE of unknown composition: ln 2 and 2 ln 2). */
  dChances: number[];
  /** G's value when D cannot tell its fakes from real images; null when it has none. */
  gChance: number | null;
  /** D's lowest value, D right about every image (0 for BCE, LSGAN and hinge); null when unbounded. */
  dFloor: number | null;
  /** Whether D stuck on its floor is saturation: G's gradient goes through D's sigmoid (BCE, LSGAN) and
   * vanishes with it. A hinge D on 0 has met its margins; G's −D(G(z)) keeps its gradient, so that is D winning. */
  floorSaturates: boolean;
  /** Values a framework clamps the D / G loss at (PyTorch's BCE clamps log(0) at −100 per term). */
  dClamps: number[];
  gClamps: number[];
  /** Whether the losses are bounded in practice (BCE, LSGAN): a slow rise is an imbalance, not an explosion. */
  bounded: boolean;
  /** What `explodingMinSizeBce` (3 nats per BCE term) is in this formulation's units, as a factor: an exploded D / G loss reaches that size, a bounded loss's ordinary range stays below it. 0: any size can be a blow-up. */
  explodingSize: { d: number; g: number };
  /** The map to the balance rules' BCE scale; null without a chance level. */
  scale: BalanceScale | null;
}

/** How many terms the D loss adds up: [fewest, most] (1 averaged, 2 summed, both when unknown). */
function termCounts(f: Formulation): [number, number] {
  return f.dTerms === 'sum' ? [2, 2] : f.dTerms === 'mean' ? [1, 1] : [1, 2];
}

const lsganToBce = (t: number, s: number) => -Math.log(Math.max(P_MIN, 1 - Math.sqrt(Math.max(0, t) / s)));
const bceToLsgan = (x: number, s: number) => s * (1 - Math.exp(-x)) ** 2;
const softplus = (v: number) => (v > 30 ? v : Math.log1p(Math.exp(v)));
const softplusInverse = (x: number) => (x > 30 ? x : Math.log(Math.expm1(Math.max(x, 1e-12))));

/** The scale from a per-term map: [low, high] over the possible term counts. */
function termScale(
  f: Formulation,
  perTerm: (t: number) => number,
  fromTerm: (x: number) => number,
  g: (v: number) => number,
  gFrom: (x: number) => number,
): BalanceScale {
  const [kLow, kHigh] = termCounts(f);
  return {
    d: (v) => [perTerm(v / kHigh), perTerm(v / kLow)],
    g,
    dFrom: (x) => fromTerm(x) * kLow,
    gFrom,
  };
}

export function referenceOf(f: Formulation): Reference {
  const [kLow, kHigh] = termCounts(f);
  const counts = kLow === kHigh ? [kLow] : [kLow, kHigh];
  const known = kLow === kHigh;
  const none: Reference = {
    dChance: null,
    dChances: [],
    gChance: null,
    dFloor: null,
    floorSaturates: false,
    dClamps: [],
    gClamps: [],
    bounded: false,
    explodingSize: { d: 0, g: 0 },
    scale: null,
  };
  const gNull = f.gOtherTerms === true;
  switch (f.lossType) {
    case 'bce': {
      const dChances = counts.map((k) => k * LN2);
      return {
        dChance: known ? dChances[0]! : null,
        dChances,
        gChance: gNull ? null : LN2,
        dFloor: 0,
        floorSaturates: true,
        // One term clamped at 100 (D sure and wrong about one kind of image), or both.
        dClamps: [...new Set(counts.flatMap((k) => [100 / k, 200 / k]))].sort((a, b) => a - b),
        gClamps: [100],
        bounded: true,
        explodingSize: { d: kHigh, g: 1 },
        scale: termScale(
          f,
          (t) => t,
          (x) => x,
          (v) => v,
          (x) => x,
        ),
      };
    }
    case 'lsgan': {
      const s = f.lsganScale ?? { d: 1, g: 1 };
      // Of unknown composition: the two forms in use (MSELoss averaged, the paper's 0.5·MSE summed) both sit at 0.25.
      const dChances = f.dTerms === null ? [0.25] : counts.map((k) => k * 0.25 * s.d);
      return {
        dChance: dChances.length === 1 ? dChances[0]! : null,
        dChances,
        gChance: gNull ? null : 0.25 * s.g,
        dFloor: 0,
        floorSaturates: true,
        dClamps: [],
        gClamps: [],
        bounded: true,
        // A D with a sigmoid keeps each term below s: 3 nats is 0.9·s, past that is a blow-up.
        explodingSize: { d: (0.9 * s.d * kHigh) / 3, g: (0.9 * s.g) / 3 },
        scale:
          f.dTerms === null
            ? termScale(
                { ...f, dTerms: 'mean' },
                (t) => lsganToBce(t, 1),
                (x) => bceToLsgan(x, 1),
                (v) => lsganToBce(v, s.g),
                (x) => bceToLsgan(x, s.g),
              )
            : termScale(
                f,
                (t) => lsganToBce(t, s.d),
                (x) => bceToLsgan(x, s.d),
                (v) => lsganToBce(v, s.g),
                (x) => bceToLsgan(x, s.g),
              ),
      };
    }
    case 'hinge': {
      const dChances = counts.map((k) => k);
      return {
        dChance: known ? dChances[0]! : null,
        dChances,
        gChance: gNull ? null : 0,
        dFloor: 0,
        floorSaturates: false,
        dClamps: [],
        gClamps: [],
        bounded: false,
        explodingSize: { d: 0, g: 0 },
        scale: termScale(
          f,
          (t) => t * LN2,
          (x) => x / LN2,
          softplus,
          softplusInverse,
        ),
      };
    }
    default:
      return none;
  }
}

/** Whether a D and a G level sit at the reference: within `tolerance` (relative) of chance on the BCE scale. */
export function atReference(ref: Reference, d: number, g: number, tolerance: number): boolean {
  if (!ref.scale || !ref.dChances.length) return false;
  const near = (x: number) => Math.abs(x - LN2) <= tolerance * LN2;
  const [low, high] = ref.scale.d(d);
  const dNear = near(low) || near(high);
  // A G loss holding other terms has no chance level: D alone says whether it is at chance.
  return dNear && (ref.gChance === null || near(ref.scale.g(g)));
}
