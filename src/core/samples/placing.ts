// Where a run's images sit on its step axis, decided over the whole set of names: a number is a
// step only when it varies as a sequence across the run's files (or a word says what it counts).
// A name's constant numbers (the run folder `cifar10/`, `biggrids12/`, a depth fixed at 0) and lone
// numbers (a photo's `IMG_1170`) are not steps; images with no step are the run's results.
import type { Reference, Result, Sample, Stage } from '../model';
import { t } from '../l10n';
import { fileBaseName } from '../paths';
import { isPlotName, isReferenceImage, isTestOutput, samplePattern } from './naming';
import { COPY, junyanzTestOutput, parse, type Name } from './nameNumbers';
import { consecutiveFrom01, freeCounter, groupBy, placesOf, type GroupPlaces, type Place } from './groupPlaces';

const IMAGE_FILE = /\.(png|jpe?g|gif)$/i;
// Per-mille of a stage: where a sample named by a training fraction (`fake_sample_0.9995.png`) sits without a log.
const FRACTION_SPAN = 1000;

/** What the rest of the run says about its axis. */
export interface PlaceContext {
  /** The run folder's own name: never a step, but one named for a step (`Epoch_2520`) is a snapshot. */
  runFolder?: string;
  /** The unit of the losses' axis ('iteration', 'epoch', 'kimg'…), when the run has losses. */
  lossUnit?: string | null;
  /** Iterations per epoch, as the log prints them (`[Batch b/B]`). */
  stepsPerEpoch?: number;
  /** The steps of the run's main loss series (increasing), to line samples up with. */
  lossSteps?: Float64Array;
  /** The stages the log gave (a training whose counter restarts by design), in order. */
  stages?: Stage[];
}

export interface Placed {
  samples: Sample[];
  references: Reference[];
  results: Result[];
  /** Stages found in the sample tree (or the log's, with samples placed on them). */
  stages?: Stage[];
  /** The unit the samples' steps are in, when their names say: 'epoch', 'iteration', 'kimg', 'step'. */
  unit?: string;
}

/** The largest value (a loop: a run may have more images than a call has arguments). */
function maxOf(values: number[]): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** Whether a sorted array holds `x`. */
function holds(sorted: Float64Array, x: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] === x) return true;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

const byPath = new Intl.Collator('en', { numeric: true });

/** Numeric step order, then natural path order (`pic2` before `pic10`). */
export function sortSamples(samples: Sample[]): Sample[] {
  return samples.sort((a, b) => a.step - b.step || byPath.compare(a.path, b.path));
}

/**
 * A run's images (paths relative to the run root) placed: samples at their steps, references beside
 * them, and results (images on no step). See the README ("Samples are images whose name or folder
 * carries the step…") for the rules, each with its test in test/unit/core/samples/sample-placing.test.ts.
 */
export function placeImages(paths: string[], ctx: PlaceContext = {}): Placed {
  const results: Result[] = [];
  const references: Reference[] = [];
  const sampleNames: Name[] = [];
  const referenceNames: Name[] = [];
  for (const path of paths) {
    if (!IMAGE_FILE.test(path)) continue;
    const stem = fileBaseName(path).replace(IMAGE_FILE, '');
    if (isPlotName(stem)) continue;
    const test = isTestOutput(path) || junyanzTestOutput(stem);
    if (isReferenceImage(path)) {
      if (test || COPY.test(stem)) references.push({ step: null, path });
      else referenceNames.push(parse(path));
    } else if (test || COPY.test(stem)) results.push({ path });
    else sampleNames.push(parse(path));
  }
  const sampleGroups = groupBy(sampleNames).map((names) => ({ names, placed: placesOf(names) }));
  const referenceGroups = groupBy(referenceNames).map((names) => ({ names, placed: placesOf(names) }));
  const lossEnd = ctx.lossSteps?.length ? ctx.lossSteps[ctx.lossSteps.length - 1]! : undefined;

  // Numbers that count images, not steps: draws at a snapshot (the run folder named for a step,
  // `Epoch_2520/SampledImages/images_from_random_codes_0..9.png`) and a batch's outputs by position
  // beside its inputs with the same numbers (`gen_img_0..15.png` with `real_img_0..15.png`), unless
  // those numbers span the losses' axis (a training that saves inputs and outputs per epoch).
  const snapshot = ctx.runFolder !== undefined && parse(ctx.runFolder).nums.some((n) => n.count === 'epoch' || n.count === 'iteration');
  const valueSet = (g: GroupPlaces) => [...new Set(g.places.map((p) => p.step!))].sort((a, b) => a - b).join(',');
  for (const group of sampleGroups) {
    const placed = group.placed;
    if (!placed || !freeCounter(placed) || !consecutiveFrom01(placed.places.map((p) => p.step!))) continue;
    const max = maxOf(placed.places.map((p) => p.step!));
    const spansLosses = lossEnd !== undefined && max >= 0.5 * lossEnd;
    const inputs = referenceGroups.filter((r) => r.placed && freeCounter(r.placed) && valueSet(r.placed) === valueSet(placed));
    if (snapshot || (inputs.length && !spansLosses)) {
      group.placed = null;
      for (const r of inputs) r.placed = null;
    }
  }

  // Stages: of the log when it gave them, else of the tree (a numbered folder per stage).
  const stagePlaces = [...sampleGroups, ...referenceGroups].filter((g) => g.placed?.stageAt !== undefined);
  const stageAt = new Set(stagePlaces.map((g) => g.placed!.stageAt!));
  // An image of a stage's own folder only (`3/real_scale.png`) is the stage's, not at step 3.
  for (const g of [...sampleGroups, ...referenceGroups]) {
    if (g.placed?.bareAt !== undefined && stageAt.has(g.placed.bareAt)) {
      g.placed = { places: g.placed.places.map((p) => ({ stage: p.step })), stageAt: g.placed.bareAt, stageWord: '' };
    }
  }

  const perEpoch = iterationsPerEpoch(
    sampleGroups.map((g) => g.placed),
    ctx,
  );
  const fromLog = perEpoch?.fromLog ? perEpoch.count : undefined;

  // Epochs onto the losses' iterations (the log says how many per epoch): a sample numbered n sits
  // at the end of its epoch. The names count from 0 when one is numbered 0, or when the last is
  // numbered like the log's last epoch index; else from 1 (n epochs done, as `epoch+1` names them).
  const epochsDone = fromLog && lossEnd !== undefined ? Math.round((lossEnd + 1) / fromLog) : undefined;
  const endOfEpoch = (values: number[]) => {
    const zeroBased = values.includes(0) || (epochsDone !== undefined && maxOf(values) === epochsDone - 1);
    return (n: number) => (zeroBased ? n + 1 : n) * fromLog! - 1;
  };
  const counters = new Map<Place, number>();
  const units = new Set<string>();
  const lineUp: Place[][] = [];
  const sampleGroupSet = new Set(sampleGroups.map((g) => g.placed));
  for (const { placed } of [...sampleGroups, ...referenceGroups]) {
    if (!placed) continue;
    const places = placed.places;
    // The unit of the run's samples (references follow them).
    const unitOf = (u: string) => sampleGroupSet.has(placed) && units.add(u);
    const epochOnly = places.every((p) => p.epoch !== undefined && p.batch === undefined);
    // A free counter small enough to be epochs and too small for iterations (`fake_images-85.png`
    // after 85 epochs of 600 iterations) is epochs.
    const freeAsEpochs =
      freeCounter(placed) &&
      fromLog !== undefined &&
      lossEnd !== undefined &&
      epochsDone !== undefined &&
      (() => {
        const max = maxOf(places.map((p) => p.step!));
        return max <= epochsDone + 1 && max * 4 < lossEnd;
      })();
    if (fromLog && (epochOnly || freeAsEpochs)) {
      const end = endOfEpoch(places.map((p) => (epochOnly ? p.epoch! : p.step!)));
      for (const p of places) counters.set(p, end(epochOnly ? p.epoch! : p.step!));
      unitOf('iteration');
      continue;
    }
    for (const p of places) {
      if (p.epoch !== undefined) {
        if (p.batch !== undefined && perEpoch) counters.set(p, p.epoch * perEpoch.count + p.batch);
        else counters.set(p, p.epoch);
        unitOf(p.batch !== undefined && perEpoch ? 'iteration' : 'epoch');
      } else if (p.step !== undefined) {
        counters.set(p, p.step);
        unitOf(p.count ?? '');
      }
    }
    if (freeCounter(placed) || places.every((p) => p.batch !== undefined)) lineUp.push(places);
  }

  // A counter from 1 beside a log counting from 0 (ojus1's `gen_0_1_<i>.png`, i = log step + 1):
  // the samples move back one only when that puts them on logged steps and as named they are not.
  if (ctx.lossSteps?.length) {
    for (const places of lineUp) {
      const steps = places.map((p) => counters.get(p)!);
      if (steps.some((s) => s < 1) || places.some((p) => p.stage !== undefined)) continue;
      const asNamed = steps.filter((s) => holds(ctx.lossSteps!, s)).length;
      const back = steps.filter((s) => holds(ctx.lossSteps!, s - 1)).length;
      if (back >= 0.9 * steps.length && asNamed < 0.5 * steps.length) for (const p of places) counters.set(p, counters.get(p)! - 1);
    }
  }

  const stageValues = [...new Set(stagePlaces.flatMap((g) => g.placed!.places.map((p) => p.stage!)))].sort((a, b) => a - b);
  const fractions = stagePlaces.some((g) => g.placed!.places.some((p) => p.fraction !== undefined));
  const stageIndex = new Map(stageValues.map((v, i) => [v, i]));
  const word = stagePlaces.find((g) => g.placed!.stageWord)?.placed!.stageWord ?? '';
  const stageTree = stagesOf(stageValues, word, fractions, ctx.stages, (i) => {
    let last = -1;
    for (const g of stagePlaces) for (const p of g.placed!.places) if (p.stage === stageValues[i] && counters.has(p)) last = Math.max(last, counters.get(p)!);
    return last;
  });
  const stages = stageTree?.stages;
  const stageOf = (p: Place) => (p.stage !== undefined && stages ? stages[stageIndex.get(p.stage)!] : undefined);
  const stageSpan = (i: number) => {
    const next = stages?.[i + 1]?.start ?? (ctx.stages?.length && lossEnd !== undefined ? lossEnd + 1 : undefined);
    return next !== undefined ? next - stages![i]!.start : FRACTION_SPAN;
  };
  const stepOf = (p: Place): number | null => {
    const stage = stageOf(p);
    if (p.fraction !== undefined) {
      if (!stage) return p.fraction;
      return stage.offset + p.fraction * (ctx.stages?.length ? stageSpan(stageIndex.get(p.stage!)!) : FRACTION_SPAN);
    }
    const counter = counters.get(p);
    if (counter === undefined) return stage ? stage.start : null;
    return (stage?.offset ?? 0) + counter;
  };
  if (stages) {
    // A stage's own counter is its training's iterations (or a share of the stage, per mille).
    units.delete('');
    units.add(fractions && !ctx.stages?.length ? '‰ of a stage' : 'iteration');
  }

  const samples: Sample[] = [];
  for (const { names, placed } of sampleGroups) {
    if (!placed) {
      for (const n of names) results.push({ path: n.path });
      continue;
    }
    names.forEach((n, i) => {
      const step = stepOf(placed.places[i]!);
      if (step === null || !Number.isFinite(step)) results.push({ path: n.path });
      else samples.push({ step, path: n.path });
    });
  }
  for (const { names, placed } of referenceGroups) {
    names.forEach((n, i) => {
      const p = placed?.places[i];
      const step = p ? stepOf(p) : null;
      // An image of the stage itself (`3/real_scale.png`) stands beside all of the stage's samples.
      const own = p && p.stage !== undefined && counters.get(p) === undefined && p.fraction === undefined;
      const until = own && stageTree ? stageTree.ends[stageIndex.get(p.stage!)!] : undefined;
      references.push({ step: step !== null && Number.isFinite(step) ? step : null, path: n.path, ...(until !== undefined ? { until } : {}) });
    });
  }
  references.sort((a, b) => (a.step ?? -1) - (b.step ?? -1) || byPath.compare(a.path, b.path));
  results.sort((a, b) => byPath.compare(a.path, b.path));
  const unit = units.size === 1 ? [...units][0]! : undefined;
  return {
    samples: sortSamples(samples),
    references,
    results,
    ...(stages ? { stages } : {}),
    ...(unit ? { unit } : {}),
  };
}

/**
 * Iterations per epoch: the log's when the losses count iterations (and no batch named is past it:
 * names from another launch), else the names' own (the largest batch seen + its spacing).
 */
function iterationsPerEpoch(groups: (GroupPlaces | null)[], ctx: PlaceContext): { count: number; fromLog: boolean } | undefined {
  const batches = [...new Set(groups.flatMap((g) => g?.places.map((p) => p.batch ?? NaN) ?? []).filter((b) => Number.isFinite(b)))].sort((a, b) => a - b);
  const maxBatch = batches.length ? batches[batches.length - 1]! : -1;
  if (ctx.lossUnit === 'iteration' && ctx.stepsPerEpoch && ctx.stepsPerEpoch > maxBatch) return { count: ctx.stepsPerEpoch, fromLog: true };
  let spacing = Infinity;
  for (let i = 1; i < batches.length; i++) spacing = Math.min(spacing, batches[i]! - batches[i - 1]!);
  if (batches.length > 1) return { count: maxBatch + spacing, fromLog: false };
  return maxBatch > 0 ? { count: 2 * maxBatch, fromLog: false } : undefined;
}

/**
 * The stages of a training with stages: the log's, where it gave them, then the tree's. Each
 * stage's counter restarts; a stage ends at its largest counter and the next begins right after
 * it (a fraction-named stage spans FRACTION_SPAN). `ends` are each stage's last step.
 */
function stagesOf(
  values: number[],
  word: string,
  fractions: boolean,
  logged: Stage[] | undefined,
  lastCounter: (i: number) => number,
): { stages: Stage[]; ends: number[] } | undefined {
  if (!(values.length > 1 || (logged?.length && values.length))) return undefined;
  const stages: Stage[] = [];
  const ends: number[] = [];
  let start = 0;
  for (let i = 0; i < values.length; i++) {
    const fromLog = logged?.[i];
    if (fromLog) start = fromLog.start;
    stages.push(fromLog ?? { label: word ? `${word} ${values[i]}` : t('stage {0}', values[i]!), start, offset: start });
    const span = fractions ? FRACTION_SPAN : lastCounter(i) + 1;
    const offset = stages[i]!.offset;
    ends.push(fractions ? start + span - 1 : offset + Math.max(0, span - 1));
    start = (fromLog ? offset : start) + span;
  }
  for (let i = 0; i + 1 < stages.length; i++) ends[i] = Math.min(ends[i]!, stages[i + 1]!.start - 1);
  return { stages: logged?.length ? [...logged, ...stages.slice(logged.length)] : stages, ends };
}

/** Samples from relative image paths: by `pattern` when the run config gives one, else placed as a set. */
export function samplesFrom(relPaths: string[], pattern?: string): Sample[] {
  if (!pattern) return placeImages(relPaths).samples;
  const stepOf = samplePattern(pattern);
  const out: Sample[] = [];
  for (const path of relPaths) {
    const step = stepOf(path);
    if (step !== null && Number.isFinite(step)) out.push({ step, path });
  }
  return sortSamples(out);
}
