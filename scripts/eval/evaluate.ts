// Scores the engine against the labelled corpus (test/corpus/runs, made by scripts/eval/make-corpus.py).
// Each run's truth.json says which findings a right diagnosis holds (kind, onset, end, least severity),
// from the recipe and an independent digits classifier, never from a detector. Here the engine runs
// exactly as the CLI does (inspectPaths on the folder) and its findings are matched to that truth.
//
// Scoring of the failure kinds (non-finite … mode-collapse):
// - a truth episode is found when a finding of its kind and at least its severity overlaps it
//   (with a slack of 5% of the run either side, the width of a sample interval);
// - an episode about one of several generators (`generator`, e.g. a pix2pix fork's `G_2_GAN`) is
//   found only by a finding about that generator (see generatorOf: named in its evidence, by name or
//   by its GAN's key, or in its message; else the main GAN's);
// - a finding of warning or error severity is a false alarm when it matches no truth episode of its
//   kind and the run does not list the kind as allowed (an info finding is an observation, not an
//   alarm: precision counts warnings and errors only);
// - an optional truth episode (the generator's first blobs, all alike, during warm-up) is neither
//   required nor a false alarm;
// - onset error: |first matching finding's start − truth onset|, as a share of the run's steps.
//
// `equilibrium` and `plateau` are info by nature, so every one of them is scored:
// - an `equilibrium` finding is right when the run reached the reference state there (truth
//   episodes `equilibrium`: both losses at the formulation's chance level, D telling at most 60% of
//   real and fake apart, samples the classifier reads as digits): it overlaps such an episode and at
//   least half of its span lies within it (slack as above), and is the first to say that episode
//   (once per episode). Anywhere else it is wrong;
// - a `plateau` finding is right when the step it says the samples stopped improving at agrees,
//   within PLATEAU_TOLERANCE (10% of the run, two to three sample intervals), with the truth's
//   `samplesStopImproving` (the classifier's view stops improving; see make-corpus.py) clamped to the
//   plateau's span: when the samples stopped improving before the flat stretch began, "no
//   improvement from its start" is right; when they improved past its end, "they still improved" is;
// - a truth `plateau` episode (a run that breaks nothing and whose samples stopped improving with a
//   quarter of the run or more left) is found by a right plateau finding that reaches its onset;
// - onset error: equilibrium, |start − truth onset|; plateau, |stop step said − samplesStopImproving|.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { inspectPaths } from '../../src/core/inspect';
import type { Finding, FindingKind, Formulation, Series, Severity } from '../../src/core/model';

/** The kinds scored: the engine's finding kinds, and `plateau` (issue #24) before the engine says it. */
export type ScoredKind = FindingKind | 'plateau';

export interface TruthEpisode {
  kind: ScoredKind;
  onset: number;
  end: number;
  severity: Severity;
  partial?: boolean;
  /** Neither required nor a false alarm (the generator's first blobs during warm-up). */
  optional?: boolean;
  /** The generator's loss series this episode is about, when the run has several. */
  generator?: string;
}

export interface Truth {
  name: string;
  story: string;
  /** On the run's own axis: training steps, or junyanz's epochs (`stepUnit` 'epoch'). */
  steps: number;
  firstStep?: number;
  lastStep?: number;
  stepUnit?: string;
  layout: { rows: number; cols: number; px: number; pad: number; rgb: boolean };
  expected: TruthEpisode[];
  allowed: FindingKind[];
  sampleSteps: Array<{ step: number; classesFor90: number; topShare: number; confidence: number; dAccuracy?: number | null }>;
  /** The sample step after which the classifier's view of the samples stops improving. */
  samplesStopImproving: number;
  formulation: { lossType: string; dComposition: string; dChance: number | null; gChance: number | null; lsganG?: number };
}

export const FAILURE_KINDS: ScoredKind[] = ['non-finite', 'saturated', 'exploding', 'd-dominant', 'g-dominant', 'oscillation', 'mode-collapse'];
/** States scored on every finding, info included. */
export const STATE_KINDS: ScoredKind[] = ['equilibrium', 'plateau'];
export const SCORED_KINDS: ScoredKind[] = [...FAILURE_KINDS, ...STATE_KINDS];
const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };
const SLACK = 0.05;
/** How far a plateau's "the samples did not improve after step Y" may be from the truth, as a share of the run. */
export const PLATEAU_TOLERANCE = 0.1;

export interface RunResult {
  name: string;
  truth: Truth;
  findings: Finding[];
  /** Tiles per grid the engine scored (median), 0 when it scored none. */
  tiles: number;
  layoutRight: boolean;
  /** Notes and errors the engine reported on the run (e.g. "no grid layout found"). */
  notes: string[];
  hits: Array<{ episode: TruthEpisode; finding: Finding | null }>;
  falseAlarms: Finding[];
  /** equilibrium and plateau findings judged wrong against the truth. */
  wrongStates: Finding[];
  /** Findings that match an optional truth episode only. */
  onOptional: Finding[];
  /** The loss formulation the engine gave the run. */
  engineFormulation: EngineFormulation;
  /**
   * Whether it is the recipe's: the loss type, how D joins its terms (judged by the D chance level
   * they imply: LSGAN's 0.5·real + 0.5·fake is a sum of halves or a mean of whole terms alike), and
   * LSGAN's G factor; null where the engine does not say.
   */
  formulationRight: { lossType: boolean; dTerms: boolean | null; lsganG: boolean | null };
}

/** The engine's formulation as the eval reads it (`run.formulation`, issue #24). */
export interface EngineFormulation {
  lossType: string;
  dTerms: string | null;
  lsganG: number | null;
  /** LSGAN: the factor before each of D's squared-error terms (null: not said, taken as 1). */
  lsganD: number | null;
  from: string;
}

export interface KindScore {
  kind: ScoredKind;
  truth: number;
  found: number;
  /** Findings scored: warnings and errors for the failure kinds, every finding for equilibrium and plateau. */
  alarms: number;
  falseAlarms: number;
  precision: number;
  recall: number;
  /** Onset errors of the found episodes, as shares of their runs. */
  onsetErrors: number[];
}

export interface Evaluation {
  runs: RunResult[];
  kinds: KindScore[];
  layoutsRight: number;
  /** Warnings/errors on runs whose truth expects no failure (but for those on an optional episode). */
  healthyAlarms: number;
  healthyRuns: number;
  /** Runs whose engine formulation matches the recipe's (all of what the engine says), and those whose loss type does. */
  formulationsRight: number;
  lossTypesRight: number;
}

export function corpusDir(repoRoot: string): string {
  return path.join(repoRoot, 'test', 'corpus', 'runs');
}

const isFailure = (e: TruthEpisode) => FAILURE_KINDS.includes(e.kind);
// Widened, so this compiles before and after the engine has `plateau` findings.
const kindOf = (f: Finding): ScoredKind => f.kind;

export async function evaluateCorpus(dir: string): Promise<Evaluation> {
  const names = readdirSync(dir)
    .filter((n) => existsSync(path.join(dir, n, 'truth.json')))
    .sort();
  const runs: RunResult[] = [];
  for (const name of names) runs.push(await evaluateRun(path.join(dir, name)));
  return summarize(runs);
}

/** The scores of a set of evaluated runs (the whole corpus, or a part of it). */
export function summarize(runs: RunResult[]): Evaluation {
  const kinds = SCORED_KINDS.map((kind) => scoreKind(kind, runs));
  const healthy = runs.filter((r) => r.truth.expected.every((e) => e.optional || !isFailure(e)));
  return {
    runs,
    kinds,
    layoutsRight: runs.filter((r) => r.layoutRight).length,
    // A warning on an optional episode (the warm-up's blobs) is neither required nor an alarm.
    healthyAlarms: healthy.reduce((n, r) => n + r.findings.filter((f) => RANK[f.severity] >= RANK.warning && !r.onOptional.includes(f)).length, 0),
    healthyRuns: healthy.length,
    formulationsRight: runs.filter((r) => r.formulationRight.lossType && r.formulationRight.dTerms !== false && r.formulationRight.lsganG !== false).length,
    lossTypesRight: runs.filter((r) => r.formulationRight.lossType).length,
  };
}

function engineFormulationOf(f: Formulation): EngineFormulation {
  return { lossType: f.lossType, dTerms: f.dTerms ?? null, lsganG: f.lsganScale?.g ?? null, lsganD: f.lsganScale?.d ?? null, from: f.from };
}

/** The D loss at chance (D at its midpoint) that the engine's formulation implies, null for none. */
function engineDChance(e: EngineFormulation): number | null {
  const terms = e.dTerms === 'sum' ? 2 : 1;
  if (e.lossType === 'bce') return terms * Math.LN2;
  if (e.lossType === 'hinge') return terms;
  if (e.lossType === 'lsgan') return terms * (e.lsganD ?? 1) * 0.25;
  return null;
}

function formulationRight(truth: Truth, engine: EngineFormulation): RunResult['formulationRight'] {
  const want = truth.formulation;
  return {
    lossType: engine.lossType === want.lossType,
    // A WGAN's D has no chance level, so how it joins its terms changes no reference.
    dTerms: engine.dTerms === null || want.dChance === null ? null : Math.abs((engineDChance(engine) ?? NaN) - want.dChance) < 1e-3,
    lsganG: want.lossType !== 'lsgan' || engine.lsganG === null ? null : Math.abs(engine.lsganG - (want.lsganG ?? 0.5)) < 1e-9,
  };
}

/**
 * The step a plateau finding says the samples stopped improving at: its numeric evidence `stopStep`
 * (or another numeric field whose name says stop/improved); when a metric or the samples still
 * improved over it (an evidence value "… improving", or a true `improved…` flag), its end; when it
 * says nothing about them, its start.
 */
export function plateauStop(f: Finding): number {
  const entries = Object.entries(f.evidence);
  const stop =
    entries.find(([k, v]) => typeof v === 'number' && /stop|improv/i.test(k) && /step/i.test(k)) ??
    entries.find(([k, v]) => typeof v === 'number' && /stop|improv/i.test(k));
  if (stop) return stop[1] as number;
  const improving = entries.some(([k, v]) => (typeof v === 'string' && /improving/i.test(v)) || (typeof v === 'boolean' && v && /improv/i.test(k)));
  return improving ? f.end : f.start;
}

/** A generator loss of a run: its series name and, when the engine keys it to one GAN of several, that key. */
export interface GeneratorSeries {
  name: string;
  pair?: string;
}

/**
 * The generator a balance finding is about: the generator series its evidence names (a value equal to
 * the series' name, or its GAN's key as `pair`), else the one its message names, else the run's only
 * generator that no key sets apart (the main GAN's), else the run's only generator.
 */
export function generatorOf(f: Finding, generators: GeneratorSeries[]): string | null {
  const one = (list: GeneratorSeries[]) => (list.length === 1 ? list[0]!.name : null);
  const byName = one(generators.filter((g) => Object.values(f.evidence).some((v) => v === g.name)));
  if (byName) return byName;
  const pair = f.evidence.pair;
  if (typeof pair === 'string') return one(generators.filter((g) => g.pair === pair));
  const escape = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const inMessage = one(generators.filter((g) => new RegExp(`(^|[^A-Za-z0-9_])${escape(g.name)}($|[^A-Za-z0-9_])`).test(f.message)));
  if (inMessage) return inMessage;
  return generators.some((g) => g.pair !== undefined) ? one(generators.filter((g) => g.pair === undefined)) : one(generators);
}

export async function evaluateRun(root: string): Promise<RunResult> {
  const truth = JSON.parse(readFileSync(path.join(root, 'truth.json'), 'utf8')) as Truth;
  const { inspections } = await inspectPaths([root]);
  const inspection = inspections.find((i) => path.resolve(i.run.root) === path.resolve(root)) ?? inspections[0];
  if (!inspection) throw new Error(`${root}: the engine found no run`);
  const findings = inspection.findings;
  const tilesList = inspection.diversity.map((d) => d.tiles).sort((a, b) => a - b);
  const tiles = tilesList.length ? tilesList[Math.floor(tilesList.length / 2)]! : 0;
  const slack = SLACK * truth.steps;
  const overlaps = (f: Finding, e: TruthEpisode) => f.start <= e.end + slack && f.end >= e.onset - slack;
  // Every generator loss the run logs: the engine's generator-role series, and those the truth names.
  const generators: GeneratorSeries[] = inspection.run.series
    .filter((s: Series) => s.role === 'generator')
    .map((s) => (s.pair === undefined ? { name: s.name } : { name: s.name, pair: s.pair }));
  for (const e of truth.expected) if (e.generator && !generators.some((g) => g.name === e.generator)) generators.push({ name: e.generator });
  const about = (f: Finding, e: TruthEpisode) => !e.generator || generatorOf(f, generators) === e.generator;
  const matches = (f: Finding, e: TruthEpisode) => f.kind === e.kind && overlaps(f, e) && about(f, e);

  // An equilibrium is said once per episode: a second finding on an episode already said is wrong.
  const saidEpisodes = new Set<TruthEpisode>();
  const rightState = (f: Finding): boolean => {
    if (f.kind === 'equilibrium') {
      const episode = truth.expected.find((e) => {
        if (e.kind !== 'equilibrium' || !overlaps(f, e)) return false;
        const inside = Math.min(f.end, e.end + slack) - Math.max(f.start, e.onset - slack);
        return inside >= 0.5 * (f.end - f.start);
      });
      if (!episode || saidEpisodes.has(episode)) return false;
      saidEpisodes.add(episode);
      return true;
    }
    const truthStop = Math.min(Math.max(truth.samplesStopImproving, f.start), f.end);
    return Math.abs(plateauStop(f) - truthStop) <= PLATEAU_TOLERANCE * truth.steps;
  };
  const states = findings.filter((f) => STATE_KINDS.includes(f.kind)).sort((a, b) => a.start - b.start);
  const wrongStates = states.filter((f) => !rightState(f));

  const hits = truth.expected
    .filter((e) => !e.optional)
    .map((episode) => {
      let matching: Finding[];
      if (episode.kind === 'equilibrium') matching = states.filter((f) => f.kind === 'equilibrium' && !wrongStates.includes(f) && overlaps(f, episode));
      else if (episode.kind === 'plateau')
        matching = states.filter((f) => kindOf(f) === 'plateau' && !wrongStates.includes(f) && f.end >= episode.onset - PLATEAU_TOLERANCE * truth.steps);
      else matching = findings.filter((f) => matches(f, episode) && RANK[f.severity] >= RANK[episode.severity]);
      return { episode, finding: matching.sort((a, b) => a.start - b.start)[0] ?? null };
    });
  const falseAlarms = findings.filter(
    (f) => FAILURE_KINDS.includes(f.kind) && RANK[f.severity] >= RANK.warning && !truth.allowed.includes(f.kind) && !truth.expected.some((e) => matches(f, e)),
  );
  const onOptional = findings.filter(
    (f) => truth.expected.some((e) => e.optional && matches(f, e)) && !truth.expected.some((e) => !e.optional && matches(f, e)),
  );
  const notes = [...inspection.run.errors.map((e) => e.message), ...((inspection as unknown as { notes?: string[] }).notes ?? [])];
  const engineFormulation = engineFormulationOf(inspection.run.formulation);
  return {
    name: truth.name,
    truth,
    findings,
    tiles,
    layoutRight: tiles === truth.layout.rows * truth.layout.cols,
    notes,
    hits,
    falseAlarms,
    wrongStates,
    onOptional,
    engineFormulation,
    formulationRight: formulationRight(truth, engineFormulation),
  };
}

function scoreKind(kind: ScoredKind, runs: RunResult[]): KindScore {
  const state = STATE_KINDS.includes(kind);
  let truth = 0;
  let found = 0;
  let alarms = 0;
  let falseAlarms = 0;
  const onsetErrors: number[] = [];
  for (const r of runs) {
    for (const h of r.hits) {
      if (h.episode.kind !== kind) continue;
      truth++;
      if (h.finding) {
        found++;
        const said = kind === 'plateau' ? plateauStop(h.finding) : h.finding.start;
        const onset = kind === 'plateau' ? r.truth.samplesStopImproving : h.episode.onset;
        onsetErrors.push(Math.abs(said - onset) / r.truth.steps);
      }
    }
    if (state) {
      alarms += r.findings.filter((f) => f.kind === kind).length;
      falseAlarms += r.wrongStates.filter((f) => f.kind === kind).length;
    } else {
      alarms += r.findings.filter((f) => f.kind === kind && RANK[f.severity] >= RANK.warning && !r.truth.allowed.includes(f.kind)).length;
      falseAlarms += r.falseAlarms.filter((f) => f.kind === kind).length;
    }
  }
  return {
    kind,
    truth,
    found,
    alarms,
    falseAlarms,
    precision: alarms ? (alarms - falseAlarms) / alarms : NaN,
    recall: truth ? found / truth : NaN,
    onsetErrors,
  };
}

const pct = (v: number) => (Number.isFinite(v) ? `${Math.round(v * 100)}%` : '—');

/** The table `npm run eval` prints (and the README shows). */
export function formatEvaluation(ev: Evaluation, verbose = false): string {
  const lines: string[] = [];
  if (verbose) {
    for (const r of ev.runs) {
      const form = r.truth.formulation;
      const e = r.engineFormulation;
      const scale = e.lsganG !== null ? `, D terms × ${e.lsganD ?? 1}, G × ${e.lsganG}` : '';
      const engine = `${e.lossType}${e.dTerms ? `, D ${e.dTerms}` : ''}${scale}${e.from ? ` (${e.from})` : ''}`;
      lines.push(`${r.name}: tiles ${r.tiles}/${r.truth.layout.rows * r.truth.layout.cols}; samples stop improving at ${r.truth.samplesStopImproving}`);
      lines.push(`  formulation: truth ${form.lossType}, D ${form.dComposition}${form.lsganG !== undefined ? `, G × ${form.lsganG}` : ''}; engine ${engine}`);
      for (const h of r.hits) {
        const about = h.episode.generator ? ` about ${h.episode.generator}` : '';
        lines.push(
          `  truth ${h.episode.kind}${about} ${h.episode.onset}-${h.episode.end} (${h.episode.severity}): ${h.finding ? `found from ${h.finding.start}` : 'MISSED'}`,
        );
      }
      for (const f of r.findings) {
        const wrong = r.falseAlarms.includes(f) ? 'FALSE ' : r.wrongStates.includes(f) ? 'WRONG ' : '';
        const stop = kindOf(f) === 'plateau' ? ` (samples stop improving said at ${plateauStop(f)})` : '';
        lines.push(`  ${wrong}[${f.severity}] ${f.kind} ${f.start}-${f.end}${stop}: ${f.message}`);
      }
      for (const n of r.notes) lines.push(`  note: ${n}`);
    }
    lines.push('');
  }
  lines.push('| kind | truth episodes | found | recall | findings scored | wrong | precision | onset error (median / max, % of run) |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const k of ev.kinds) {
    const sorted = [...k.onsetErrors].sort((a, b) => a - b);
    const median = sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : NaN;
    const max = sorted.length ? sorted[sorted.length - 1]! : NaN;
    lines.push(
      `| ${k.kind} | ${k.truth} | ${k.found} | ${pct(k.recall)} | ${k.alarms} | ${k.falseAlarms} | ${pct(k.precision)} | ${pct(median)} / ${pct(max)} |`,
    );
  }
  lines.push('');
  lines.push('findings scored: warnings and errors for the failure kinds (an info finding is a note, not an alarm); every equilibrium and plateau finding');
  lines.push(`sample layout right on ${ev.layoutsRight} of ${ev.runs.length} runs; ${ev.healthyAlarms} warnings/errors on ${ev.healthyRuns} healthy runs`);
  lines.push(
    `loss formulation (type and how D joins its terms) right on ${ev.formulationsRight} of ${ev.runs.length} runs (how D joins its terms said on ${ev.runs.filter((r) => r.formulationRight.dTerms !== null).length} of the ${ev.runs.filter((r) => r.truth.formulation.dChance !== null).length} with a chance level); loss type right on ${ev.lossTypesRight}`,
  );
  lines.push(`${ev.runs.length} labelled runs`);
  return lines.join('\n');
}
