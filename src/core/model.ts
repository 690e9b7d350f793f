// The run model every part of the product shares: readers produce it, analysis reads it,
// the CLI, the extension and the webview render it. Pure data, no I/O.

/** Which network a loss series belongs to. */
export type Role = 'discriminator' | 'generator' | 'other' | 'metric';

/** Which way a quality metric improves: FID, KID, PPL lower; IS, precision, recall higher. */
export type Better = 'lower' | 'higher';

/** Loss families: each has its own reference values (see src/core/formulation/reference.ts). */
export type LossType = 'bce' | 'wgan' | 'hinge' | 'lsgan' | 'unknown';

/** How the logged D loss joins its real and fake terms: added (`real + fake`) or averaged (`(real + fake) / 2`, or one loss over a batch of both). */
export type DTerms = 'sum' | 'mean';

/** Penalties known to be added to a D loss: WGAN-GP's gradient penalty, StyleGAN's R1, PGGAN's drift. */
export type Penalty = 'gradient-penalty' | 'r1' | 'drift';

/** Which kind of source decided a run's formulation (the first that said anything, see src/core/formulation). */
export type FormulationSource = 'config' | 'code' | 'settings' | 'values' | 'none';

/**
 * How a run's losses are defined, decided once when the run is read (src/core/formulation): the
 * loss family, how the D loss joins its terms, and where that was learned. Every reference value a
 * finding compares with comes from it (`referenceOf`). Plain data: it crosses to the extension host.
 */
export interface Formulation {
  lossType: LossType;
  /** How the logged D loss joins its real and fake terms; null when nothing says. */
  dTerms: DTerms | null;
  /** LSGAN: the factor before each squared-error term of D and of G (0.5 in the paper's form, 1 with MSELoss). */
  lsganScale?: { d: number; g: number };
  penalties: Penalty[];
  /** The logged G loss holds more than its adversarial term (it goes negative in a BCE run): G has no chance level. */
  gOtherTerms?: boolean;
  source: FormulationSource;
  /** Where it was learned, in the user's words: "train_opt.txt: gan_mode lsgan", "values: D starts at 1.39 ≈ 2 ln 2". */
  from: string;
}

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
  /** The group a reader put it in: one of several processes writing one printed log (`P1`, `P2`); see `Series.pair`. */
  pair?: string;
  name: string;
  column: number | null;
  steps: Float64Array;
  values: Float64Array;
}

/**
 * An image stored inside another file rather than as a file of its own: a notebook's inline output
 * (base64 in its JSON) or a TensorBoard image summary (the encoded image in an event record).
 * Read through `imageSourceOf` / `readImageBytes` (src/core/samples/imageSource.ts), never by path.
 */
export interface ImageInFile {
  /** The file holding it, relative to the run's folder (forward slashes). */
  file: string;
  /** Where its bytes are in that file: the image itself ('raw'), or a JSON string or list of strings of base64 ('base64'). */
  offset: number;
  length: number;
  encoding: 'raw' | 'base64';
  format: 'png' | 'jpeg' | 'gif';
  /** The notebook cell it is an output of (0-based, as stored), to reveal it. */
  cell?: number;
}

/** A sample image (or one of several images) saved at a step. */
export interface Sample {
  step: number;
  /**
   * Relative to the run's folder, forward slashes. For an embedded image a name that is not a
   * file: the container, `#`, and where in it (`GAN.ipynb#cell12-out3.png`, `logs/events…#G/image/0@28.png`).
   */
  path: string;
  /** Set when the image lives inside another file (see `ImageInFile`). */
  embedded?: ImageInFile;
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
  /** Set when the image lives inside another file (see `ImageInFile`). */
  embedded?: ImageInFile;
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
  /** Relative to the run's folder, forward slashes (for an embedded image, a name as `Sample.path` says). */
  path: string;
  /** Set when the image lives inside another file (see `ImageInFile`). */
  embedded?: ImageInFile;
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

export type FindingKind =
  | 'non-finite'
  | 'saturated'
  | 'exploding'
  | 'd-dominant'
  | 'g-dominant'
  | 'equilibrium'
  | 'plateau'
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
  /** How the D loss joins its real and fake terms, when the loss type alone does not say. */
  dTerms?: DTerms;
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
  /** Absolute path of the run folder, or of the file that is a run by itself (a notebook: see `folder`). */
  root: string;
  /** For a run that is one file (a notebook): the folder holding it, where its relative paths start. */
  folder?: string;
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
  /** How the losses are defined and where that was learned: decided once when the run is read. */
  formulation: Formulation;
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

/** A run as read, with what analysis found in it: what every view shows (the model itself, no I/O). */
export interface Inspection {
  run: Run;
  findings: Finding[];
  diversity: DiversityPoint[];
}
