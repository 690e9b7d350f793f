// A run location → a Run: every loss file read (damaged ones become one-line errors), roles assigned,
// samples listed, and the optional `gan-run.json` applied over the guesses.
import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { t } from './l10n';
import { seriesStats } from './stats';
import type { LossType, RawSeries, ReadError, Reference, Result, Role, Run, RunConfig, Sample, Series, Stage } from './model';
import { DEFAULT_THRESHOLDS } from './analysis/thresholds';
import { RUN_CONFIG_FILE, type RunLocation } from './discover';
import type { AppendCache } from './formats/appendCache';
import { readWhole } from './fileBytes';
import { FORMATS, type FileFormat, type FormatRegistry } from './formats';
import { skippedError, type SkipReport } from './formats/skipped';
import { CountingSteps } from './formats/npy';
import { assignRoles, pickMainPair } from './roles';
import { codebaseLossType } from './codebaseHints';
import { withoutDuplicateMetrics } from './sameMetrics';
import { onKimgAxis, runStepUnit } from './stepUnits';
import { isImageFile, samplePattern } from './samples/naming';
import { placeImages, sortSamples, type Placed } from './samples/placing';
import type { ImageNaming } from './formats/format';

export interface LoadOptions {
  /** Larger loss files are refused with a message; default 2 GiB. */
  maxFileBytes?: number;
  /**
   * Kept by a long-lived reader (the extension's worker) so a live refresh parses only what the
   * training script appended since the last read. The CLI reads once and passes none.
   */
  appendCache?: AppendCache;
  /** The formats read; every registered one when not given. */
  formats?: FormatRegistry;
}

const GIB = 1024 ** 3;
const LOSS_TYPES: LossType[] = ['bce', 'wgan', 'hinge', 'lsgan', 'unknown'];
// How deep a `samples` pattern from gan-run.json is searched for.
const PATTERN_DEPTH = 4;

const firstLine = (s: string) => s.split(/\r?\n/)[0]!.trim();
const toPosix = (p: string) => p.replace(/\\/g, '/');

function reasonOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return t('permission denied');
  if (e?.code === 'ENOENT') return t('file not found');
  if (e?.code === 'EISDIR') return t('is a folder');
  return firstLine(e?.message ?? String(err));
}

/** Reads and checks `gan-run.json`; every problem is an error entry, never a throw. */
export async function readRunConfig(root: string): Promise<{ config: RunConfig; errors: ReadError[] }> {
  const errors: ReadError[] = [];
  const fail = (message: string) => errors.push({ source: RUN_CONFIG_FILE, message: `${RUN_CONFIG_FILE}: ${message}` });
  let text: string;
  try {
    text = await readFile(path.join(root, RUN_CONFIG_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') fail(reasonOf(err));
    return { config: {}, errors };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    fail(t('not valid JSON ({0})', firstLine((err as Error).message)));
    return { config: {}, errors };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    fail(t('must be a JSON object'));
    return { config: {}, errors };
  }
  const obj = raw as Record<string, unknown>;
  const config: RunConfig = {};
  const str = (key: 'name' | 'discriminator' | 'generator' | 'stepUnit' | 'samples') => {
    const v = obj[key];
    if (v === undefined) return;
    if (typeof v === 'string' && v.trim()) config[key] = v.trim();
    else fail(t('"{0}" must be a non-empty string', key));
  };
  str('name');
  str('discriminator');
  str('generator');
  str('stepUnit');
  str('samples');
  if (obj.lossType !== undefined) {
    if (LOSS_TYPES.includes(obj.lossType as LossType)) config.lossType = obj.lossType as LossType;
    else fail(t('"lossType" must be one of {0}', LOSS_TYPES.join(', ')));
  }
  if (obj.ignore !== undefined) {
    if (Array.isArray(obj.ignore) && obj.ignore.every((v) => typeof v === 'string')) config.ignore = obj.ignore as string[];
    else fail(t('"ignore" must be a list of file names'));
  }
  if (obj.thresholds !== undefined) {
    const th = obj.thresholds;
    if (typeof th === 'object' && th !== null && !Array.isArray(th) && Object.values(th).every((v) => typeof v === 'number' && Number.isFinite(v))) {
      config.thresholds = th as Record<string, number>;
      for (const key of Object.keys(th)) if (!(key in DEFAULT_THRESHOLDS)) fail(t('unknown threshold "{0}" ignored', key));
    } else fail(t('"thresholds" must map names to numbers'));
  }
  if (obj.grid !== undefined) {
    const g = obj.grid as { rows?: unknown; cols?: unknown } | null;
    const ok = (n: unknown) => Number.isInteger(n) && (n as number) > 0 && (n as number) <= 64;
    if (typeof g === 'object' && g !== null && ok(g.rows) && ok(g.cols)) config.grid = { rows: g.rows as number, cols: g.cols as number };
    else fail(t('"grid" must be {"rows": n, "cols": n} with whole numbers from 1 to 64'));
  }
  const known = new Set(['name', 'lossType', 'discriminator', 'generator', 'stepUnit', 'samples', 'ignore', 'thresholds', 'grid', '$schema']);
  for (const key of Object.keys(obj)) if (!known.has(key)) fail(t('unknown setting "{0}" ignored', key));
  return { config, errors };
}

/** `*` matches within a folder, `**` across folders; plain names match exactly. */
function globMatcher(patterns: string[]): (rel: string) => boolean {
  const res = patterns.map((p) => {
    const src = toPosix(p)
      .replace(/^\.\//, '')
      .split('**')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
      .join('.*');
    return new RegExp(`^${src}$`, 'i');
  });
  return (rel) => res.some((re) => re.test(rel));
}

/** A file's series, the one line telling of the damaged records skipped in it, if any, and its format. */
interface FileRead {
  series: Series[];
  skipped: ReadError | null;
  format: FileFormat;
}

async function readSeriesOf(root: string, rel: string, maxBytes: number, cache: AppendCache | undefined, counting: CountingSteps, formats: FormatRegistry = FORMATS): Promise<FileRead | ReadError> {
  const abs = path.join(root, ...rel.split('/'));
  try {
    const info = await stat(abs).catch((err: unknown) => {
      cache?.forget(abs); // gone: its parsed series are memory nobody will ask for
      throw err;
    });
    if (info.size > maxBytes) {
      cache?.forget(abs);
      const mb = (n: number) => (n / 1024 ** 2).toFixed(n >= 1024 ** 2 ? 0 : 2);
      return { source: rel, message: t('{0}: file is {1} MB, over the {2} MB limit', rel, mb(info.size), mb(maxBytes)) };
    }
    const report: SkipReport = { skipped: null };
    const read = ({ series, format }: { series: RawSeries[]; format: FileFormat }): FileRead => ({ series: assignRoles(rel, series), skipped: report.skipped && skippedError(rel, report.skipped), format });
    if (cache?.continues(rel)) return read(await cache.readFormat(abs, rel, info, report));
    const byName = formats.selectFormat(rel);
    const data = await readWhole(abs, info.size, byName?.whileReading ? (head) => byName.whileReading!(head, info.size, { counting }) : undefined);
    return read(formats.read(rel, data, { counting, report }));
  } catch (err) {
    const message = firstLine((err as Error)?.message ?? '');
    // Reader failures already name the file; file system errors do not.
    const named = message.startsWith(`${rel}:`) || message.startsWith(`${path.posix.basename(rel)}:`);
    return { source: rel, message: named ? message : `${rel}: ${reasonOf(err)}` };
  }
}

/** Applies a `file` or `file#column` override; false when it names no series. */
function applyOverride(series: Series[], role: Role, spec: string): boolean {
  // A file whose own name holds a `#` is named by the whole spec, not split into file and column.
  const hash = series.some((s) => s.source === spec.replace(/^\.\//, '')) ? -1 : spec.lastIndexOf('#');
  const written = (hash >= 0 ? spec.slice(0, hash) : spec).replace(/^\.\//, '');
  // `\` is a legal file-name character on POSIX: a file named exactly as written wins over reading
  // it as a Windows path separator.
  const file = series.some((s) => s.source === written) ? written : toPosix(written).replace(/^\.\//, '');
  const column = hash >= 0 ? spec.slice(hash + 1) : null;
  const inFile = series.filter((s) => s.source === file);
  let chosen: Series | undefined;
  if (column === null) {
    chosen = inFile.find((s) => s.role === role) ?? [...inFile].sort((a, b) => (a.column ?? -1) - (b.column ?? -1))[0];
  } else {
    chosen = inFile.find((s) => s.name === column) ?? inFile.find((s) => /^\d+$/.test(column) && s.column === Number(column));
  }
  if (!chosen) return false;
  for (const s of series) if (s.role === role) s.role = 'other';
  chosen.role = role;
  return true;
}

/** Declared, else 'wgan' when D or G goes negative, else 'bce' when both exist, else 'unknown'. */
export function inferLossType(series: Series[], declared?: LossType): LossType {
  if (declared) return declared;
  const d = series.find((s) => s.role === 'discriminator');
  const g = series.find((s) => s.role === 'generator');
  // Statistics the analysis already kept are used; others are worked out without being kept, so a
  // run read but not analysed stays as read (a lazy getter must not change the series it reads).
  const negative = (s: Series | undefined) => s !== undefined && ((s.stats ?? seriesStats(s.values)).min ?? 0) < 0;
  if (negative(d) || negative(g)) return 'wgan';
  return d && g ? 'bce' : 'unknown';
}

async function listImages(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (abs: string, rel: string, depth: number): Promise<void> => {
    const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && depth < PATTERN_DEPTH && !e.name.startsWith('.') && e.name !== 'node_modules') await walk(path.join(abs, e.name), childRel, depth + 1);
      else if (e.isFile() && isImageFile(e.name)) out.push(childRel);
    }
  };
  await walk(root, '', 0);
  return out;
}

/** Images a `samples` pattern from gan-run.json names, at the step it gives. */
async function patternSamples(root: string, pattern: string, ignored: (rel: string) => boolean): Promise<Sample[]> {
  const stepOf = samplePattern(pattern);
  const out: Sample[] = [];
  for (const rel of await listImages(root)) {
    const step = ignored(rel) ? null : stepOf(rel);
    if (step !== null) out.push({ step, path: rel });
  }
  return sortSamples(out);
}

/**
 * Images named as a folder format says (W&B's `media/images/<key>_<step>_<id>.png`): at the step in
 * their names, a reference by its key (`real_A`); one with no step (a table's, by its hash alone) is a result.
 */
function placeNamedImages(loc: RunLocation, naming: ImageNaming, ignored: (rel: string) => boolean): Placed {
  const samples: Sample[] = [];
  const references: Reference[] = [];
  const results: Result[] = [];
  for (const rel of loc.sampleFiles) {
    if (ignored(rel)) continue;
    const step = naming.step(rel);
    if (naming.isReference(rel)) references.push({ step, path: rel });
    else if (step === null) results.push({ path: rel });
    else samples.push({ step, path: rel });
  }
  references.sort((a, b) => (a.step ?? -1) - (b.step ?? -1) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { samples: sortSamples(samples), references, results, ...(samples.length ? { unit: 'step' } : {}) };
}

/**
 * The run's images placed as one set (src/core/samples/placing.ts): samples on the losses' axis
 * (epochs onto iterations when the log says how many an epoch has), references, results, stages.
 * `logStages`: the stages a log gave (a training whose counter restarts by design); the samples of
 * a staged tree go onto them by stage index. Without them the stages come from the tree.
 */
function placeRunImages(loc: RunLocation, series: Series[], lossUnit: string | null, ignored: (rel: string) => boolean, logStages?: Stage[]): Placed {
  const main = series.find((s) => s.role === 'discriminator' || s.role === 'generator');
  const stepsPerEpoch = series.find((s) => (s.role === 'discriminator' || s.role === 'generator') && s.stepsPerEpoch)?.stepsPerEpoch;
  return placeImages(loc.sampleFiles.filter((rel) => !ignored(rel)), {
    runFolder: path.basename(loc.root),
    lossUnit,
    ...(stepsPerEpoch ? { stepsPerEpoch } : {}),
    ...(main?.steps.length ? { lossSteps: main.steps } : {}),
    ...(logStages?.length ? { stages: logStages } : {}),
  });
}

/** Reads one run. Never throws for a bad file: it becomes an entry in `errors`. */
export async function loadRun(loc: RunLocation, opts: LoadOptions = {}): Promise<Run> {
  const maxBytes = opts.maxFileBytes ?? 2 * GIB;
  // The folder format that made the folder a run (W&B) says how its images are named, its settings, and why it shows nothing.
  const runFormat = loc.format ? (opts.formats ?? FORMATS).folderFormat(loc.format) : undefined;
  // A file that is a run of its own (a notebook) is read from the folder holding it, with no gan-run.json.
  const folder = loc.file ? path.dirname(loc.root) : loc.root;
  const { config, errors } = loc.file ? { config: {}, errors: [] } : await readRunConfig(loc.root);
  const ignored = globMatcher(config.ignore ?? []);
  let series: Series[] = [];
  // Two files at a time (D and G together): the parsed arrays are views of the file bytes and stay
  // either way, and two reads overlap their copying out of the page cache. Results keep file order.
  const files = loc.lossFiles.filter((rel) => !ignored(rel));
  const reads: (FileRead | ReadError)[] = new Array(files.length);
  let next = 0;
  // This run's 0…N−1 steps, shared by its D and G `.npy` files and by no other run.
  const counting = new CountingSteps();
  const reader = async () => {
    for (let i = next++; i < files.length; i = next++) reads[i] = await readSeriesOf(folder, files[i]!, maxBytes, opts.appendCache, counting, opts.formats);
  };
  await Promise.all([reader(), reader()]);
  const formatOf = new Map<string, FileFormat>();
  for (const [i, read] of reads.entries()) {
    if ('series' in read) {
      series.push(...read.series);
      formatOf.set(files[i]!, read.format);
      if (read.skipped) errors.push(read.skipped);
    } else errors.push(read);
  }
  // A W&B run's console (`output.log`) holds the losses only when its history holds none: read then,
  // its own failure told only when nothing else says why the run has no series.
  const fallback = series.length ? [] : (loc.fallbackLossFiles ?? []).filter((rel) => !ignored(rel));
  const failedBefore = errors.some((e) => !e.skipped);
  for (const rel of fallback) {
    const result = await readSeriesOf(folder, rel, maxBytes, opts.appendCache, counting, opts.formats);
    if ('series' in result) {
      series.push(...result.series);
      formatOf.set(rel, result.format);
      if (result.skipped) errors.push(result.skipped);
    } else if (!failedBefore) errors.push(result);
  }
  const nothing = runFormat?.emptyRun?.(loc) ?? null;
  if (nothing) errors.push(nothing);
  for (const role of ['discriminator', 'generator'] as const) {
    const spec = role === 'discriminator' ? config.discriminator : config.generator;
    if (spec && !applyOverride(series, role, spec)) {
      errors.push({ source: RUN_CONFIG_FILE, message: t('{0}: "{1}" names no series that was read: {2}', RUN_CONFIG_FILE, role, spec) });
    }
  }
  series = pickMainPair(withoutDuplicateMetrics(onKimgAxis(series)));
  // The loss type the codebase states (gan_mode, StyleGAN's logistic loss), unless gan-run.json says.
  const stated = config.lossType ? undefined : ((await codebaseLossType(folder, loc.lossFiles)) ?? undefined);
  const lossUnit = runStepUnit(series, (source) => formatOf.get(source));
  // A folder format's own image naming (W&B's media) places its images; others are placed as one set.
  const placed = runFormat?.imageNaming ? placeNamedImages(loc, runFormat.imageNaming, ignored) : placeRunImages(loc, series, lossUnit, ignored);
  const samples = config.samples ? await patternSamples(loc.root, config.samples, ignored) : placed.samples;
  const { references, results } = placed;
  const stages = config.samples ? undefined : placed.stages;
  // The run's own recorded settings (W&B's config.yaml), for what reads the loss formulation.
  const settings = (await runFormat?.settings?.(loc.root)) ?? null;
  const stepUnit = config.stepUnit ?? lossUnit ?? (config.samples ? null : (placed.unit ?? null));
  return withLazyLossType({
    root: loc.root,
    name: config.name ?? loc.name,
    series,
    samples,
    ...(references.length ? { references } : {}),
    ...(results.length && !config.samples ? { results } : {}),
    ...(stepUnit ? { stepUnit } : {}),
    ...(stages ? { stages } : {}),
    errors,
    config,
    ...(settings ? { settings } : {}),
  }, stated);
}

/**
 * Adds `lossType`, inferred when first read. Inference needs each loss's minimum, a full pass over
 * 10,000,000 values; analysis makes that pass anyway (and leaves the statistics behind), so reading
 * the type after it costs nothing. A value set on it (a settings default) replaces the inference.
 */
function withLazyLossType(run: Omit<Run, 'lossType'>, stated?: LossType): Run {
  let value: LossType | undefined;
  return Object.defineProperty(run, 'lossType', {
    enumerable: true,
    configurable: true,
    get: () => (value ??= inferLossType(run.series, run.config.lossType ?? stated)),
    set: (v: LossType) => {
      value = v;
    },
  }) as Run;
}

/** One loss file inspected alone: a run of that file's series, rooted at its folder. */
export async function loadFileAsRun(absFile: string, opts: LoadOptions = {}): Promise<Run> {
  const abs = path.resolve(absFile);
  const rel = path.basename(abs);
  const result = await readSeriesOf(path.dirname(abs), rel, opts.maxFileBytes ?? 2 * GIB, opts.appendCache, new CountingSteps(), opts.formats);
  const read = 'series' in result ? result : null;
  const failure = 'series' in result ? null : result;
  // The series measured for the step unit are the series shown: on the kimg axis when they have one.
  const series = read ? pickMainPair(withoutDuplicateMetrics(onKimgAxis(read.series))) : [];
  const stepUnit = runStepUnit(series, () => read?.format);
  return withLazyLossType({
    root: path.dirname(abs),
    name: rel,
    series,
    samples: [],
    ...(stepUnit ? { stepUnit } : {}),
    errors: failure ? [failure] : read?.skipped ? [read.skipped] : [],
    config: {},
  });
}
