// What a group of sample names (one template: the same numbers in the same places) says about
// where each image sits: a stage, an epoch and a batch, or a step; null when no number is a step.
import { STAGE_WORDS, type Count, type Name } from './nameNumbers';

/** One image's place as its name gives it: a stage, and its counter within it (or its step). */
export interface Place {
  stage?: number;
  epoch?: number;
  batch?: number;
  /** A step as named: an iteration, kimg or W&B step when `count` says, else a free counter. */
  step?: number;
  fraction?: number;
  count?: Count | null;
}

/** A slot: the n-th number of every name of a group (same template, so the same numbers in the same places). */
interface Slot {
  index: number;
  values: number[];
  count: Count | 'id' | null;
  part: number;
  fraction: boolean;
  varies: boolean;
  word: string;
}

export interface GroupPlaces {
  places: Place[];
  /** The template of the path up to the stage's folder, when a numbered folder is the stage. */
  stageAt?: string;
  /** The word before the stage's number (`scale`, `depth`), for its label. */
  stageWord?: string;
  /** The template up to a bare numbered folder that is the group's only counter (`3/real_scale.png`). */
  bareAt?: string;
}

function slotsOf(group: Name[]): Slot[] {
  return group[0]!.nums.map((n, index) => {
    const values = group.map((g) => g.nums[index]!.value);
    // A word beside the number in any of the names says what it counts (`epoch_5`, `Epoch_5`).
    const count = group.map((g) => g.nums[index]!.count).find((c) => c !== null) ?? null;
    return { index, values, count, part: n.part, fraction: n.fraction, varies: new Set(values).size > 1, word: n.word };
  });
}

const prefixOf = (template: string, part: number) =>
  template
    .split('/')
    .slice(0, part + 1)
    .join('/');

/**
 * How a group's numbers place its images, or null when none is a step (results). A number a word
 * says is a counter counts even when constant (`epoch_300_Data.png`); others only when they vary
 * across the group; a single image's zero-padded counter (`preview/image00010000.png`) counts too.
 */
export function placesOf(group: Name[]): GroupPlaces | null {
  const fileLevel = group[0]!.depth - 1;
  const lone = group.length === 1;
  const slots = slotsOf(group).filter((s) => s.count !== 'id');
  const counted = (s: Slot) => s.count !== null && s.count !== 'stage';
  const paddedAlone = (s: Slot) => lone && s.count === null && !s.fraction && s.part === fileLevel && group[0]!.nums[s.index]!.padded;
  const kept = slots.filter((s) => counted(s) || (s.varies && (s.count === null || s.count === 'stage')) || paddedAlone(s));
  if (!kept.length) return null;
  // The innermost numbered folder above a varying number in the file name says what that number is:
  // a bare folder that varies (`3/fake_sample_200.png`) is a stage whose counter restarts; a folder
  // that is the step (`images10/pic0.png`, `epoch_5/3.png`) makes the file's numbers positions in
  // it; one fixed at a scale (`s9/0.png`, `gen_start_scale=0/12.png`) holds draws on no step.
  let stage: Slot | undefined = kept.find((s) => s.count === 'stage' && s.varies);
  const fileFree = kept.filter((s) => s.part === fileLevel && s.count === null && s.varies);
  const folder = slots.filter((s) => s.part < fileLevel && (s.varies || s.count !== null)).at(-1);
  const bare = folder !== undefined && folder.count === null && group.every((g) => /^\d+$/.test(g.path.split('/')[folder.part]!));
  let positions = new Set<Slot>();
  if (!stage && folder && fileFree.length) {
    if (bare && folder.varies) stage = folder;
    else positions = new Set(fileFree);
  }
  const rest = kept.filter((s) => s !== stage && !positions.has(s));
  const epoch = rest.find((s) => s.count === 'epoch');
  const batch = rest.find((s) => s.count === 'batch');
  const iter = rest.find((s) => s.count === 'iteration' || s.count === 'kimg' || s.count === 'step');
  // A free number in a folder is never an epoch's batch: beside a counter in the file name it names
  // separate trainings (`cifar10/`, `cifar100/`), so only the file's numbers count then.
  let free = rest.filter((s) => s.count === null && !s.fraction);
  if (free.some((s) => s.part === fileLevel) || rest.some((s) => s.count !== null && s.part === fileLevel)) free = free.filter((s) => s.part === fileLevel);
  const fraction = rest.find((s) => s.count === null && s.fraction);
  if (!stage && !epoch && !iter && free.length >= 3) {
    // `gen_<depth>_<epoch>_<i>.png` with all three varying: a stage, then epoch and batch.
    stage = free[0]!;
    free = free.slice(1);
  }
  const outer = iter ? undefined : (epoch ?? (free.length >= 2 || (batch && free.length) ? free[0] : undefined));
  const inner = outer ? (batch ?? free.find((s) => s !== outer)) : undefined;
  const single = iter ?? (outer ? undefined : (batch ?? free[0]));
  if (!outer && !single && !fraction && !stage) return null;
  const places = group.map((_, i) => {
    const place: Place = {};
    if (stage) place.stage = stage.values[i];
    if (outer) {
      place.epoch = outer.values[i];
      if (inner) place.batch = inner.values[i];
      place.count = inner ? 'iteration' : 'epoch';
    } else if (single) {
      place.step = single.values[i];
      place.count = single === iter ? (iter.count as Count) : null;
    } else if (fraction) place.fraction = fraction.values[i];
    return place;
  });
  const template = group[0]!.template;
  return {
    places,
    ...(stage ? { stageAt: prefixOf(template, stage.part), stageWord: STAGE_WORDS.has(stage.word) ? stage.word : '' } : {}),
    ...(!stage && single === folder && folder && bare && !outer ? { bareAt: prefixOf(template, folder.part) } : {}),
  };
}

export const consecutiveFrom01 = (values: number[]) => {
  const v = [...new Set(values)].sort((a, b) => a - b);
  return v.length > 1 && (v[0] === 0 || v[0] === 1) && v.every((x, i) => x === v[0]! + i);
};

/** A free counter alone (no stage, epoch or word): what a batch position or a draw number looks like too. */
export const freeCounter = (g: GroupPlaces) => g.places.every((p) => p.count === null && p.step !== undefined && p.stage === undefined);

export function groupBy(names: Name[]): Name[][] {
  const groups = new Map<string, Name[]>();
  for (const n of names) {
    const list = groups.get(n.template);
    if (list) list.push(n);
    else groups.set(n.template, [n]);
  }
  return [...groups.values()];
}
