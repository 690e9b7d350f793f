// The `--json` document. Other tools rely on this shape (docs in the README): change only by adding fields.
import type { Inspection } from '../inspect';
import type { DiversityPoint, DTerms, Finding, FormulationSource, LossType, Penalty, ReadError, Role, Sample, SeriesStats, Stage } from '../model';
import { referenceOf } from '../formulation/reference';
import { statsOf } from '../stats';

export interface JsonSeries {
  name: string;
  role: Role;
  source: string;
  column: number | null;
  length: number;
  firstStep: number | null;
  lastStep: number | null;
  stats: SeriesStats;
  /** Extra to the contract: which of two GANs trained together ('A' / 'B') a D or G loss belongs to. */
  pair?: string;
  /** Extra to the contract: for role 'metric', which way is better ('lower' for FID, 'higher' for IS). */
  better?: 'lower' | 'higher';
}

export interface JsonRun {
  root: string;
  /** What one step is in this run: 'kimg', 'epoch', 'iteration', 'step' (when nothing says). */
  stepUnit: string;
  /** The loss type the rules used (see `formulation`). */
  lossType: LossType;
  /** Where the loss type was learned: "train_opt.txt: gan_mode lsgan", "model.py: nn.BCELoss, d_loss = real + fake", "values: D starts at 1.39 ≈ 2 ln 2". */
  lossTypeFrom: string;
  /** How the losses are defined and the reference values every balance finding compares with. */
  formulation: JsonFormulation;
  series: JsonSeries[];
  samples: Sample[];
  /** Reference images (training images, pix2pix inputs and targets, reconstructions): paths, never scored. */
  references: string[];
  /** Extra to the contract: the run's results, images on no step (test outputs, a batch by position…): paths, never scored. */
  results: string[];
  /** Extra to the contract: the stages of a training with stages (axis step = offset + the stage's own counter). */
  stages?: Stage[];
  /** Exactly the run model's findings (`advice` is extra to the contract). */
  findings: Finding[];
  errors: ReadError[];
  /** Extra to the contract: what could not be judged and how to fix it (e.g. no grid layout found in the samples). */
  notes: string[];
  /** Extra to the contract: per-step diversity of the sample grids. */
  diversity: DiversityPoint[];
}

export interface JsonFormulation {
  /** How the logged D loss joins its real and fake terms; null when nothing says. */
  dTerms: DTerms | null;
  penalties: Penalty[];
  /** 'config', 'code', 'settings', 'values' or 'none': which source decided. */
  source: FormulationSource;
  /** LSGAN: the factor before D's and G's squared-error terms. */
  lsganScale?: { d: number; g: number };
  /** The logged G loss holds more than its adversarial term: G has no chance level. */
  gOtherTerms?: boolean;
  /** D's and G's values when D cannot tell real from fake (null: no chance level); every possible D chance when the composition is unknown. */
  dChance: number | null;
  dChances: number[];
  gChance: number | null;
}

export interface JsonReport {
  version: 1;
  runs: JsonRun[];
}

// JSON has no NaN/Infinity: a non-finite number becomes null rather than breaking the document.
const num = (v: number) => (Number.isFinite(v) ? v : null);

export function toJsonReport(inspections: Inspection[]): JsonReport {
  return {
    version: 1,
    runs: inspections.map(({ run, findings, diversity }) => ({
      root: run.root,
      stepUnit: run.stepUnit ?? 'step',
      lossType: run.formulation.lossType,
      lossTypeFrom: run.formulation.from,
      formulation: jsonFormulation(run.formulation),
      series: run.series.map((s) => ({
        name: s.name,
        role: s.role,
        source: s.source,
        column: s.column,
        length: s.values.length,
        firstStep: s.steps.length ? num(s.steps[0]!) : null,
        lastStep: s.steps.length ? num(s.steps[s.steps.length - 1]!) : null,
        stats: statsOf(s),
        ...(s.pair !== undefined ? { pair: s.pair } : {}),
        ...(s.better !== undefined ? { better: s.better } : {}),
      })),
      samples: run.samples.map((x) => ({ step: x.step, path: x.path })),
      references: (run.references ?? []).map((r) => r.path),
      results: (run.results ?? []).map((r) => r.path),
      ...(run.stages?.length ? { stages: run.stages.map((s) => ({ label: s.label, start: s.start, offset: s.offset })) } : {}),
      findings: findings.map((f) => ({
        kind: f.kind,
        severity: f.severity,
        start: f.start,
        end: f.end,
        series: [...f.series],
        message: f.message,
        evidence: Object.fromEntries(Object.entries(f.evidence).map(([k, v]) => [k, typeof v === 'number' ? num(v) : v])),
        ...(f.advice !== undefined ? { advice: f.advice } : {}),
      })),
      // `skipped` (extra to the contract): the file was read, and this many damaged records were left out.
      errors: run.errors.map((e) => ({ source: e.source, message: e.message, ...(e.skipped ? { skipped: e.skipped } : {}) })),
      notes: [...(run.notes ?? [])],
      diversity: diversity.map((d) => ({ step: d.step, score: d.score, tiles: d.tiles })),
    })),
  };
}

function jsonFormulation(f: Inspection['run']['formulation']): JsonFormulation {
  const ref = referenceOf(f);
  return {
    dTerms: f.dTerms,
    penalties: [...f.penalties],
    source: f.source,
    ...(f.lsganScale ? { lsganScale: { ...f.lsganScale } } : {}),
    ...(f.gOtherTerms ? { gOtherTerms: true } : {}),
    dChance: ref.dChance,
    dChances: ref.dChances,
    gChance: ref.gChance,
  };
}

/** The document as printed by `gan-inspect --json`. */
export function renderJsonReport(inspections: Inspection[]): string {
  return `${JSON.stringify(toJsonReport(inspections), null, 2)}\n`;
}
