// A run's formulation, decided once when it is read, from its sources in order: the run's own
// config (gan-run.json, option files), the training code beside it, the user's setting, the values.
// The first that names the loss family decides it; later ones only fill in what it left open (the D
// composition, an LSGAN factor), and the values have the last word on what cannot be (a D loss below
// 0 is no cross-entropy). "unknown" is an answer: then only what needs no reference is judged.
import { t } from '../l10n';
import type { DTerms, Formulation, FormulationSource, LossType, RunConfig, Series } from '../model';
import { trainingCodeOf, type TrainingCode } from '../code/trainingCode';
import { statsOf } from '../stats';
import type { Clue } from './clue';
import { codeClue, type CodeIndexCache } from './code';
import { configFormulation } from './config';
import { valuesClue } from './values';

export { referenceOf, atReference, type Reference, type BalanceScale } from './reference';
export { describeFormulation, formulationLabel } from './describe';

/** Kept by a caller that reads many runs: each project's code is read and parsed once. */
export interface FormulationCache {
  code: Map<string, Promise<TrainingCode | null>>;
  index: CodeIndexCache;
}

export function newFormulationCache(): FormulationCache {
  return { code: new Map(), index: new WeakMap() };
}

export interface FormulationOptions {
  /** The user's setting (ganInspector.lossType), used when the run's files and code name no loss. */
  lossType?: LossType;
  /** Never look for training code above this folder (the workspace folder). */
  boundary?: string;
  cache?: FormulationCache;
  /** The settings the run recorded itself (Run.settings: W&B's config.yaml), read as its config. */
  runSettings?: Record<string, unknown>;
}

/** The formulation of a loss type stated alone (tests, a setting): its composition unknown. */
export function formulationOf(lossType: LossType, source: FormulationSource = 'settings', from = ''): Formulation {
  return { lossType, dTerms: null, penalties: [], source, from };
}

export interface Sources {
  config?: Clue | null;
  code?: Clue | null;
  settings?: LossType;
  /** The values' clue, with the families still open. */
  values: (candidates?: LossType[]) => Clue | null;
  /** The D loss judged is the mean of two logged halves (`(D_real + D_fake) / 2`): its composition is known. */
  dHalves?: string;
  dNegative?: boolean;
  gNegative?: boolean;
}

const WITH_CHANCE: LossType[] = ['bce', 'lsgan', 'hinge'];
const join = (...parts: (string | undefined)[]) => parts.filter(Boolean).join('; ');

export function decideFormulation(src: Sources): Formulation {
  let base: Clue | null = null;
  let source: FormulationSource = 'none';
  if (src.config?.lossType) [base, source] = [src.config, 'config'];
  else if (src.code?.lossType) [base, source] = [src.code, 'code'];
  else if (src.code?.alternatives?.length) {
    const v = src.values(src.code.alternatives.map((a) => a.lossType!));
    const alt = v && src.code.alternatives.find((a) => a.lossType === v.lossType);
    if (alt && v)
      [base, source] = [
        {
          ...alt,
          ...((alt.dTerms ?? v.dTerms) ? { dTerms: alt.dTerms ?? v.dTerms } : {}),
          ...(v.gOtherTerms ? { gOtherTerms: true } : {}),
          from: join(alt.from, v.from),
        },
        'code',
      ];
  }
  if (!base && src.settings && src.settings !== 'unknown')
    [base, source] = [{ lossType: src.settings, from: t('settings: ganInspector.lossType {0}', src.settings) }, 'settings'];
  if (!base) {
    base = src.values();
    source = base ? 'values' : 'none';
  }
  const type: LossType = base?.lossType ?? 'unknown';
  const f: Formulation = {
    lossType: type,
    dTerms: base?.dTerms ?? null,
    penalties: [...(base?.penalties ?? [])],
    source,
    from: base?.from ?? t('nothing read says how the losses are defined'),
  };
  if (base?.lsganScale) f.lsganScale = base.lsganScale;
  if (base?.gOtherTerms) f.gOtherTerms = true;
  if (src.dHalves) {
    f.dTerms = 'mean';
    f.from = join(f.from, t('D judged as {0}', src.dHalves));
  }
  if (WITH_CHANCE.includes(type)) fillIn(f, src, base!);
  if (WITH_CHANCE.includes(type) && src.dNegative) {
    f.from = join(f.from, t('but the D loss goes negative, which no {0} loss can', type === 'hinge' ? 'hinge' : type.toUpperCase()));
    f.lossType = 'unknown';
  } else if ((type === 'bce' || type === 'lsgan') && src.gNegative && !f.gOtherTerms) {
    f.gOtherTerms = true;
    f.from = join(f.from, t('the G loss goes negative: it holds other terms'));
  }
  if (f.lossType !== 'lsgan') delete f.lsganScale;
  else f.lsganScale ??= { d: 1, g: 1 };
  return f;
}

/** What the first source left open, from the next ones that agree with its family. */
function fillIn(f: Formulation, src: Sources, base: Clue): void {
  const same = (c: Clue | null | undefined): Clue | undefined => (c?.lossType === f.lossType ? c : c?.alternatives?.find((a) => a.lossType === f.lossType));
  const later = [src.config && !src.config.lossType ? src.config : undefined, base === src.code ? undefined : same(src.code)].filter(
    (c): c is Clue => !!c && c !== base,
  );
  for (const c of later) {
    if (!f.dTerms && c.dTerms) {
      f.dTerms = c.dTerms;
      f.from = join(f.from, c.from);
    }
    if (f.lossType === 'lsgan' && !base.lsganScale && c.lsganScale) f.lsganScale = c.lsganScale;
    for (const p of c.penalties ?? []) if (!f.penalties.includes(p)) f.penalties.push(p);
  }
  if (!f.dTerms || (f.lossType === 'lsgan' && !f.lsganScale)) {
    const v = src.values([f.lossType]);
    if (v?.lossType === f.lossType) {
      if (!f.dTerms && v.dTerms) {
        f.dTerms = v.dTerms as DTerms;
        f.from = join(f.from, v.from);
      }
      if (f.lossType === 'lsgan' && !f.lsganScale && v.lsganScale) f.lsganScale = v.lsganScale;
      if (v.gOtherTerms) f.gOtherTerms = true;
    }
  }
}

/** The longest series of a role, preferring the first pair's when there are several GANs. */
function mainSeries(series: Series[], role: 'discriminator' | 'generator', pair?: string): Series | undefined {
  let best: Series | undefined;
  for (const s of series) if (s.role === role && (pair === undefined || s.pair === pair) && (!best || s.values.length > best.values.length)) best = s;
  return best;
}

/** What the series alone (and a stated loss type, or a run's config and code clues) give: the decision of `formulationOfRun`, without reading files. */
export function formulationOfSeries(series: Series[], clues: { config?: Clue | null; code?: Clue | null; settings?: LossType } = {}): Formulation {
  const d = mainSeries(series, 'discriminator');
  const g = mainSeries(series, 'generator', d?.pair) ?? mainSeries(series, 'generator');
  const halves = d && HALVES.exec(d.name);
  const min = (s: Series | undefined) => (s && s.values.length ? statsOf(s).min : null);
  return decideFormulation({
    ...clues,
    values: (candidates) => valuesClue(d, g, candidates),
    ...(halves ? { dHalves: d!.name } : {}),
    dNegative: (min(d) ?? 0) < 0,
    gNegative: (min(g) ?? 0) < 0,
  });
}

// The D judged as the mean of its logged halves (mainPair.ts `withDiscriminatorHalves`).
const HALVES = /^\((.+) \+ (.+)\) \/ 2$/;

/** A run's formulation from its folder, config, loss files and series (roles assigned). */
export async function formulationOfRun(
  root: string,
  config: RunConfig,
  lossFiles: string[],
  series: Series[],
  opts: FormulationOptions = {},
): Promise<Formulation> {
  const configClue = await configFormulation(root, config, lossFiles, opts.runSettings);
  let code: Clue | null = null;
  const open = !configClue?.lossType || (WITH_CHANCE.includes(configClue.lossType) && !configClue.dTerms);
  if (open && lossFiles.length) {
    const project = await trainingCodeOf(root, { ...(opts.boundary ? { boundary: opts.boundary } : {}), ...(opts.cache ? { cache: opts.cache.code } : {}) });
    if (project) {
      // The names the code may give the logged losses; a D judged from its halves is named by them.
      const names = (role: 'discriminator' | 'generator') => series.filter((s) => s.role === role).flatMap((s) => HALVES.exec(s.name)?.slice(1, 3) ?? [s.name]);
      code = await codeClue(project, { root, lossFiles, dNames: names('discriminator'), gNames: names('generator') }, opts.cache?.index);
    }
  }
  return formulationOfSeries(series, { config: configClue, code, ...(opts.lossType ? { settings: opts.lossType } : {}) });
}
