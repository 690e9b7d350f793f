// Every number the detectors decide with, in one place, so docs/findings.md, `gan-run.json`
// (`"thresholds": {...}`) and the settings can name and override them.
// Spans are fractions of the run's step range so one rule fits 100 epochs and 10,000,000 iterations.
// The balance numbers (d-dominant, g-dominant) are BCE nats per term: every formulation with a chance
// level is carried to that scale by src/core/formulation/reference.ts, so they hold for a summed or
// averaged BCE, LSGAN and hinge alike.

export const DEFAULT_THRESHOLDS = {
  /** Saturated: shortest constant span, as a fraction of the run. 5% rules out a few repeated log lines. */
  saturatedMinFraction: 0.05,
  /** Saturated: and at least this many identical values in a row, so a 40-epoch run needs a real streak. */
  saturatedMinValues: 20,

  /** Exploding: the loss's typical size (robust level, spikes ignored) grew this many times over its earlier size: one order of magnitude. */
  explodingRatio: 10,
  /** Exploding: the grown size must hold for this fraction of the run (≈ several segments), so one spike never counts. */
  explodingMinFraction: 0.02,
  /** Exploding (BCE only): the grown size must reach at least this; a BCE loss going from 0.04 to 0.6 is D losing its grip, not an explosion (e^-3 ≈ 5% probability). */
  explodingMinSizeBce: 3,
  /** Exploding: a typical size no GAN loss trains at (with penalty weights of 10 a critic stays in the hundreds); reached from a start 10× smaller, it is a divergence wherever it happens. */
  explodingAbsurdSize: 1e6,
  /** Exploding: a block whose largest value is this many times the loss's typical size is a spike (two orders of magnitude). */
  spikeRatio: 100,
  /** Exploding: this many separate spikes make "values jumping by orders of magnitude" a pattern rather than one accident. */
  spikeMinCount: 5,

  /** d-dominant: D loss per term at or below this is "near 0" (BCE per term; D is right about almost every real and fake image). */
  dDominantDMax: 0.25,
  /** d-dominant: G loss at or above this is "high": -ln D(G(z)) ≥ 2 means D gives fakes ≤ 13.5% chance of being real. */
  dDominantGMin: 2,
  /** d-dominant: or G climbing by at least this much (loss units) across a span where D stays near 0. */
  dDominantGRise: 1,
  /** d-dominant is a warning (training hurt) whatever the samples show when D sits at or below this: D right about ~95%+ of real and fake images. */
  dDominantDExtreme: 0.05,
  /** ... or when G sits at or above this: D gives fakes < 1% chance of being real. */
  dDominantGExtreme: 5,
  /** d-dominant: G "climbing without bound" when it also still rises by this much over the last third of the span (loss units). */
  dDominantGLateRise: 0.3,
  /** g-dominant is a warning whatever the samples show when G sits at or below this: D rates fakes as real with D(G(z)) ≥ 0.82. */
  gDominantGExtreme: 0.2,
  /** g-dominant: D loss per term at or above its chance level ln 2 (D no better than a coin). */
  gDominantDMin: 0.693,
  /** g-dominant: D loss per term at or above this (D's right answer gets p ≤ 0.43 on average, worse than a coin) is a weakened D whatever G shows. */
  gDominantDHigh: 0.85,
  /** g-dominant: G loss at or below this means D rates fakes above chance (D(G(z)) ≥ 0.58, below ln 2 by a noise margin): D is fooled. Calibrated on the corpus's d-too-weak run (G ≈ 0.52, D ≈ 0.73); healthy BCE runs sit at G ≥ 1. */
  gDominantGMax: 0.55,
  /** Imbalance: shortest sustained span, as a fraction of the run; shorter dips are training noise. */
  imbalanceMinFraction: 0.05,

  /** Equilibrium: a level change counts as a trend when it exceeds this many noise standard deviations of the loss. */
  equilibriumNoiseFactor: 1,
  /** Equilibrium: ... or this fraction of the loss level, whichever is larger (very clean curves still drift a little). */
  equilibriumRelTolerance: 0.03,
  /** Equilibrium: shortest plateau, as a fraction of the run. */
  equilibriumMinFraction: 0.15,
  /** Equilibrium: share of the plateau's segments that must sit within the tolerance (noise makes a few stray). */
  equilibriumInsideFraction: 0.85,
  /** Equilibrium: this many consecutive segments outside the tolerance are a real move (a break), not noise. */
  equilibriumBreakSegments: 3,
  /** Reference: a flat stretch whose D and G sit within this relative distance of their chance levels (on the BCE scale, ln 2 per term) is at the reference, an equilibrium; elsewhere it is a plateau. */
  referenceTolerance: 0.15,

  /** Oscillation: autocorrelation of the detrended block means at the swing period must reach this. */
  oscillationMinAcf: 0.3,
  /** Oscillation: swing size (RMS of detrended block means) relative to the loss's typical size, to count as large. */
  oscillationMinAmplitude: 0.1,
  /** Oscillation: swings this large relative to the loss's size are a warning rather than info. */
  oscillationWarnAmplitude: 0.5,

  /** Mode collapse (samples, see modeCollapse.ts): a sample step is collapsed when its tile diversity falls below this fraction of the run's diverse level (tile correlation ≈ 0.85+). */
  collapseRatio: 0.5,
  /** Mode collapse: the episode lasts until diversity climbs back above this fraction (hysteresis, so noise does not split it). */
  collapseExitRatio: 0.6,
  /** Mode collapse: below this absolute score the tiles are copies (correlation ≥ 0.95) even when the whole run is collapsed. */
  collapseAbsolute: 0.3,
  /** Mode collapse: a step where this share of the tile pairs are copies of each other is collapsed without any reference (a generator making only k images has about 1/k; a varied grid has none). */
  collapseDuplicateShare: 0.15,
  /** Mode collapse: the copied-pairs rule needs at least this many tiles per step (66+ pairs): over fewer the share is coarse, and CycleGAN's 8 images per epoch (real, fake, reconstruction, identity) hold copies by design. */
  collapseDuplicateMinTiles: 12,
  /** Mode collapse: an episode from the first trained grid that is over within this share of the run is the generator's warm-up (its first blobs are all alike), not a collapse. */
  collapseWarmupFraction: 0.15,
  /** Mode collapse: shortest episode, in consecutive sample steps; one odd grid is not a collapse. */
  collapseMinSteps: 2,
  /** Mode collapse: quantile of the run's diversity taken as its diverse level. */
  collapseReferenceQuantile: 0.75,
  /** Mode collapse: scores at or above this are pure noise (unrelated tiles score √2 ≈ 1.41) and are left out of the reference when leading. */
  collapseNoiseScore: 1.3,

  /** Spans: gaps up to this many segments (of 200 per run) inside a span are bridged, so noise does not split it. */
  gapSegments: 2,
  /** Merging (merge.ts): episodes of one kind next to each other (gap ≤ gapSegments) are one when their levels differ by at most this fraction of the level (or of the chance level, for a loss near 0)… */
  mergeLevelTolerance: 0.1,
  /** Merging: … or by at most this many noise standard deviations of the loss (the formulation's own scale: an LSGAN or WGAN level near 0 has no useful fraction). */
  mergeNoiseFactor: 1,

  /** Plateau (plateau.ts): a metric improved over the plateau when its best got better by at least this fraction of its value at the plateau's start. */
  plateauMetricGain: 0.05,
  /** Plateau: the samples improved when their tile diversity rose (or their copied pairs fell) by at least this much after the plateau's start. */
  plateauDiversityGain: 0.05,
  /** Plateau: a metric still improving over the last this share of the plateau means training still pays off ("keep training"). */
  plateauLateShare: 0.2,
};

export type Thresholds = typeof DEFAULT_THRESHOLDS;

/** The defaults with finite overrides applied; unknown keys and non-finite values are ignored. */
/** Names a threshold had before, still read (gan-run.json files written for an older version). */
export const RENAMED_THRESHOLDS: Readonly<Record<string, keyof Thresholds>> = { bceReferenceTolerance: 'referenceTolerance' };

export function resolveThresholds(overrides?: Record<string, number>): Thresholds {
  const out: Thresholds = { ...DEFAULT_THRESHOLDS };
  if (!overrides || typeof overrides !== 'object') return out;
  for (const [old, key] of Object.entries(RENAMED_THRESHOLDS)) {
    const v = Object.prototype.hasOwnProperty.call(overrides, old) ? overrides[old] : undefined;
    if (typeof v === 'number' && Number.isFinite(v)) out[key] = v;
  }
  for (const key of Object.keys(out) as (keyof Thresholds)[]) {
    if (!Object.prototype.hasOwnProperty.call(overrides, key)) continue;
    const v = overrides[key];
    if (typeof v === 'number' && Number.isFinite(v)) out[key] = v;
  }
  return out;
}
