// The run model every part of the product shares: readers produce it, analysis reads it,
// the CLI, the extension and the webview render it. Pure data, no I/O.

/** Which network a loss series belongs to. */
export type Role = 'discriminator' | 'generator' | 'other' | 'metric';

/** Which way a quality metric improves: FID, KID, PPL lower; IS, precision, recall higher. */
export type Better = 'lower' | 'higher';

/** Loss families; BCE-specific rules (ln 2 references, chance level) only apply to 'bce'. */
export type LossType = 'bce' | 'wgan' | 'hinge' | 'lsgan' | 'unknown';

/**
 * One named series of numbers against steps, as read from a file.
 * `values` and `steps` have the same length; steps are increasing.
 * NaN/±Inf in `values` are data (a divergence), never a read error.
 */
export interface Series {
  name: string;
  role: Role;
  /** File the series came from, relative to the run root (forward slashes). */
  source: string;
  /** Column index inside a 2-D array or a table; null for a 1-D array. */
  column: number | null;
  steps: Float64Array;
  values: Float64Array;
  /** Which of two GANs trained together ('A' / 'B' in CycleGAN) a D or G loss belongs to. */
  pair?: string;
  /** Iterations per epoch, when the file says (a printed `[Epoch e/n] [Batch b/N]` log). */
  stepsPerEpoch?: number;
  /** For role 'metric': which way is better. */
  better?: Better;
  /** Worked out once by `statsOf` (src/core/stats.ts), or by the analysis's block pass on the way. */
  stats?: SeriesStats;
}

/** A series as it comes out of a reader, before roles are assigned. */
export interface RawSeries {
  /** Iterations per epoch, when the file says (see `Series.stepsPerEpoch`). */
  stepsPerEpoch?: number;
  name: string;
  column: number | null;
  steps: Float64Array;
  values: Float64Array;
}

/** A sample image (or one of several images) saved at a step. */
export interface Sample {
  step: number;
  /** Relative to the run root, forward slashes. */
  path: string;
}

/**
 * An image saved beside the samples that is not generated: the training images (`reals.png`,
 * `real_samples.png`, pix2pix's input and target `real_A` / `real_B`) and CycleGAN's reconstructions
 * and identity mappings (`rec_*`, `idt_*`). Shown beside the samples of its step, never scored.
 */
export interface Reference {
  /** The step it was saved at; null for one picture of the data (`reals.png`). */
  step: number | null;
  path: string;
  /**
   * For a stage's own reference (SinGAN's `<scale>/real_scale.png`): shown beside every sample from
   * `step` to this step, the stage's last.
   */
  until?: number;
}

/**
 * An image of the run that is on no step of its axis: test-time outputs (`test_arange_3.png`,
 * `IMG_1170_fake_B.png`), a test batch's outputs by position (`gen_img_0..15.png`), draws from the
 * final generator, evaluation and super-resolution outputs, copies. Shown, never scored over steps.
 */
export interface Result {
  /** Relative to the run root, forward slashes. */
  path: string;
}

/** Where a skipped record began: a 1-based line (line formats) or a byte offset (record-framed formats). */
export type RecordPlace = { line: number } | { byte: number };

/** The damaged records of one file a reader skipped: how many, and where and why the first was. */
export interface SkippedRecords {
  count: number;
  first: RecordPlace;
  /** Why the first was skipped: a short phrase, e.g. "not valid JSON". */
  reason: string;
}

/**
 * A file that could not be read, with a one-line reason; or, with `skipped`, a file that was read
 * but had damaged records that were left out (the message says how many and where the first was).
 */
export interface ReadError {
  /** Relative to the run root. */
  source: string;
  /** One line that names the file: "<file>: <reason>". */
  message: string;
  /** Set when the file was read and only some damaged records were skipped. */
  skipped?: SkippedRecords;
}

/** The reason alone, for views that already show the file's name beside it. */
export function readErrorReason(e: ReadError): string {
  const base = e.source.split('/').pop() ?? e.source;
  for (const prefix of [`${e.source}: `, `${base}: `]) if (e.message.startsWith(prefix)) return e.message.slice(prefix.length);
  return e.message;
}

export type FindingKind =
  | 'non-finite'
  | 'saturated'
  | 'exploding'
  | 'd-dominant'
  | 'g-dominant'
  | 'equilibrium'
  | 'oscillation'
  | 'mode-collapse'
  | 'metric-invalid'
  | 'metric-worse';

export type Severity = 'error' | 'warning' | 'info';

/** A detected problem (or state, like equilibrium) over a step range, with the numbers behind it. */
export interface Finding {
  kind: FindingKind;
  severity: Severity;
  start: number;
  end: number;
  /** Roles involved, e.g. ['discriminator', 'generator']; ['samples'] for mode collapse. */
  series: string[];
  /** One sentence in plain words. */
  message: string;
  /** The numbers the detector decided on. Values are plain JSON numbers/strings/booleans. */
  evidence: Record<string, number | string | boolean | null>;
  /** What to try, from the tutorial's remedies. */
  advice?: string;
}

/** Per-step diversity of the sample grids (higher = tiles more different from each other). */
export interface DiversityPoint {
  step: number;
  score: number;
  tiles: number;
  /** Share of tile pairs that are copies of each other (0..1); see samples/diversity.ts. */
  duplicates?: number;
}

/** Overrides read from an optional `gan-run.json` in the run folder (see README). */
export interface RunConfig {
  name?: string;
  lossType?: LossType;
  /** File (relative) or file#column that is the discriminator / generator loss. */
  discriminator?: string;
  generator?: string;
  /** What one step means in the plots: 'iteration', 'epoch', 'batch'… */
  stepUnit?: string;
  /** Glob-like pattern with `{step}` for sample images, e.g. "image/{step}.png". */
  samples?: string;
  /** Files to ignore (relative names). */
  ignore?: string[];
  /** Detection thresholds overriding the defaults (see src/core/analysis/thresholds.ts). */
  thresholds?: Record<string, number>;
  /** Grid layout of the sample images if it cannot be inferred, e.g. {"rows": 5, "cols": 5}. */
  grid?: { rows: number; cols: number };
}

/**
 * One stage of a training whose counter restarts by design (SinGAN's scales, progressive growing's
 * resolutions): its points sit after the stage before on the run's one step axis, so nothing is
 * dropped and the chart can mark where each stage begins.
 */
export interface Stage {
  /** As the run names it: "scale 3", "8×8", "lod 2". */
  label: string;
  /** The stage's first step on the run's axis. */
  start: number;
  /** What is added to the stage's own counter to place it on the axis (axis step = offset + counter). */
  offset: number;
}

/** A training run: a folder holding loss series and/or sample images. */
export interface Run {
  /** Absolute path of the run folder. */
  root: string;
  /** Display name: the folder path relative to the scanned root (or the folder's name). */
  name: string;
  series: Series[];
  samples: Sample[];
  errors: ReadError[];
  /**
   * What the inspector could not judge and how to fix it (e.g. no grid layout found in the sample
   * images, so no diversity): not read errors, every file was read. One line each.
   */
  notes?: string[];
  config: RunConfig;
  lossType: LossType;
  /** Reference images (see `Reference`); absent when there are none. */
  references?: Reference[];
  /** The run's results (see `Result`); absent when there are none. */
  results?: Result[];
  /** What one step is in this run's own files: 'kimg', 'epoch', 'iteration', 'step'… (gan-run.json's wins). */
  stepUnit?: string;
  /** The stages of a training with stages, in order (absent for a training of one stage). */
  stages?: Stage[];
  /**
   * The settings the run recorded itself, key → value as written (a W&B run's `config.yaml`:
   * `{"gan_mode": "vanilla", "lr": 0.0002}`); absent when it recorded none. Read, never judged here.
   */
  settings?: Record<string, unknown>;
}

/** Finite-value statistics for the JSON contract. */
export interface SeriesStats {
  min: number | null;
  max: number | null;
  mean: number | null;
  first: number | null;
  last: number | null;
  nonFinite: number;
}
