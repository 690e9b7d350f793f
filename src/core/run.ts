// A run location → a Run: every loss file read (damaged ones become one-line errors), roles assigned,
// samples listed, and the optional `gan-run.json` applied over the guesses.
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { t } from './l10n';
import type { DTerms, LossType, RawSeries, ReadError, Reference, Result, Role, Run, RunConfig, Sample, Series, Stage } from './model';
import { DEFAULT_THRESHOLDS, RENAMED_THRESHOLDS } from './analysis/thresholds';
import type { RunLocation } from './discover';
import { RUN_CONFIG_FILE } from './discoverWalk';
import type { AppendCache } from './formats/appendCache';
import { readWhole } from './fileBytes';
import { FORMATS, type FileFormat, type FormatRegistry } from './formats';
import type { EmbeddedImage } from './formats/format';
import { skippedError, type SkipReport } from './formats/skipped';
import { CountingSteps } from './formats/npy';
import { assignRoles } from './roles';
import { pickMainPair } from './mainPair';
import { formulationOfRun, type FormulationCache } from './formulation';
import { withoutDuplicateMetrics } from './sameMetrics';
import { onKimgAxis, runStepUnit } from './stepUnits';
import { nameColumnsFromCode } from './headerlessNames';
import { latestLaunchFiles } from './launchFiles';
import { patternSamples, placeNamedImages, placeRunImages } from './samples/runImages';
import { sortSamples } from './samples/placing';

export interface LoadOptions {
  /** Larger loss files are refused with a message; default 2 GiB. */
  maxFileBytes?: number;
  /**
   * Kept by a long-lived reader (the extension's worker) so a live refresh parses only what the
   * training script appended since the last read. The CLI reads once and passes none.
   */
  appendCache?: AppendCache;
  /** The user's loss type (ganInspector.lossType), used when the run's files and code name none. */
  lossType?: LossType;
  /** Never look for a run's training code above this folder (the workspace folder). */
  codeBoundary?: string;
  /** Kept by a caller that reads many runs: each project's training code is read once. */
  formulationCache?: FormulationCache;
  /** The formats read; every registered one when not given. */
  formats?: FormatRegistry;
}

const GIB = 1024 ** 3;
const LOSS_TYPES: LossType[] = ['bce', 'wgan', 'hinge', 'lsgan', 'unknown'];

const firstLine = (s: string) => s.split(/\r?\n/)[0]!.trim();
// gan-run.json may be written on Windows: its `\` separators are read as `/` on every system (paths.toPosix converts on Windows only).
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
  if (obj.dTerms !== undefined) {
    if (obj.dTerms === 'sum' || obj.dTerms === 'mean') config.dTerms = obj.dTerms as DTerms;
    else fail(t('"dTerms" must be "sum" or "mean"'));
  }
  if (obj.ignore !== undefined) {
    if (Array.isArray(obj.ignore) && obj.ignore.every((v) => typeof v === 'string')) config.ignore = obj.ignore as string[];
    else fail(t('"ignore" must be a list of file names'));
  }
  if (obj.thresholds !== undefined) {
    const th = obj.thresholds;
    if (typeof th === 'object' && th !== null && !Array.isArray(th) && Object.values(th).every((v) => typeof v === 'number' && Number.isFinite(v))) {
      config.thresholds = th as Record<string, number>;
      for (const key of Object.keys(th)) if (!(key in DEFAULT_THRESHOLDS) && !(key in RENAMED_THRESHOLDS)) fail(t('unknown threshold "{0}" ignored', key));
    } else fail(t('"thresholds" must map names to numbers'));
  }
  if (obj.grid !== undefined) {
    const g = obj.grid as { rows?: unknown; cols?: unknown } | null;
    const ok = (n: unknown) => Number.isInteger(n) && (n as number) > 0 && (n as number) <= 64;
    if (typeof g === 'object' && g !== null && ok(g.rows) && ok(g.cols)) config.grid = { rows: g.rows as number, cols: g.cols as number };
    else fail(t('"grid" must be {"rows": n, "cols": n} with whole numbers from 1 to 64'));
  }
  const known = new Set(['name', 'lossType', 'dTerms', 'discriminator', 'generator', 'stepUnit', 'samples', 'ignore', 'thresholds', 'grid', '$schema']);
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

/**
 * A file's series, the one line telling of the damaged records skipped in it, if any, its format,
 * what else its reader told, and the images it holds itself (a notebook's outputs, image summaries).
 */
interface FileRead {
  series: Series[];
  skipped: ReadError | null;
  format: FileFormat;
  told: Pick<SkipReport, 'notes' | 'stages' | 'stepUnit'>;
  images: EmbeddedImage[];
}

async function readSeriesOf(
  root: string,
  rel: string,
  maxBytes: number,
  cache: AppendCache | undefined,
  counting: CountingSteps,
  formats: FormatRegistry = FORMATS,
): Promise<FileRead | ReadError> {
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
    const read = ({ series, format, images }: { series: RawSeries[]; format: FileFormat; images?: EmbeddedImage[] }): FileRead => ({
      series: assignRoles(rel, series),
      skipped: report.skipped && skippedError(rel, report.skipped),
      format,
      told: { notes: report.notes, stages: report.stages, stepUnit: report.stepUnit },
      images: images ?? [],
    });
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
  const told = new Map<string, FileRead['told']>();
  const formatOf = new Map<string, FileFormat>();
  const imagesOf = new Map<string, EmbeddedImage[]>();
  reads.forEach((read, i) => {
    if ('series' in read) {
      series.push(...read.series);
      told.set(files[i]!, read.told);
      formatOf.set(files[i]!, read.format);
      if (read.images.length) imagesOf.set(files[i]!, read.images);
      if (read.skipped) errors.push(read.skipped);
    } else errors.push(read);
  });
  // A W&B run's console (`output.log`) holds the losses only when its history holds none: read then,
  // its own failure told only when nothing else says why the run has no series.
  const fallback = series.length ? [] : (loc.fallbackLossFiles ?? []).filter((rel) => !ignored(rel));
  const failedBefore = errors.some((e) => !e.skipped);
  for (const rel of fallback) {
    const result = await readSeriesOf(folder, rel, maxBytes, opts.appendCache, counting, opts.formats);
    if ('series' in result) {
      series.push(...result.series);
      told.set(rel, result.told);
      formatOf.set(rel, result.format);
      if (result.skipped) errors.push(result.skipped);
    } else if (!failedBefore) errors.push(result);
  }
  const nothing = runFormat?.emptyRun?.(loc) ?? null;
  if (nothing) errors.push(nothing);
  series = await nameColumnsFromCode(folder, series);
  const launches = latestLaunchFiles(series);
  series = launches.series;
  for (const role of ['discriminator', 'generator'] as const) {
    const spec = role === 'discriminator' ? config.discriminator : config.generator;
    if (spec && !applyOverride(series, role, spec)) {
      errors.push({ source: RUN_CONFIG_FILE, message: t('{0}: "{1}" names no series that was read: {2}', RUN_CONFIG_FILE, role, spec) });
    }
  }
  series = pickMainPair(withoutDuplicateMetrics(onKimgAxis(series)));
  // What the logs told: their notes, the stages of a training with stages, the unit of their steps.
  const logged = toldOfRun(series, told, launches.notes);
  // The run's own recorded settings (W&B's config.yaml): a source of the loss formulation.
  const settings = (await runFormat?.settings?.(loc.root)) ?? null;
  const formulation = await formulationOfRun(folder, config, [...files, ...fallback], series, {
    ...formulationOptions(opts),
    ...(settings ? { runSettings: settings } : {}),
  });
  const lossUnit = logged.unit ?? runStepUnit(series, (source) => formatOf.get(source));
  // A folder format's own image naming (W&B's media) places its images; others are placed as one set.
  const placed = runFormat?.imageNaming ? placeNamedImages(loc, runFormat.imageNaming, ignored) : placeRunImages(loc, series, lossUnit, ignored, logged.stages);
  const held = heldImages(imagesOf, series, formatOf);
  const samples = sortSamples([...(config.samples ? await patternSamples(loc.root, config.samples, ignored) : placed.samples), ...held.samples]);
  const references = [...placed.references, ...held.references];
  const results = [...(config.samples ? [] : placed.results), ...held.results];
  const stages = (config.samples ? undefined : placed.stages) ?? (logged.stages.length ? logged.stages : undefined);
  const notes = logged.notes;
  const stepUnit = config.stepUnit ?? lossUnit ?? (config.samples ? null : (placed.unit ?? null));
  return {
    root: loc.root,
    ...(loc.file ? { folder } : {}),
    name: config.name ?? loc.name,
    series,
    samples,
    ...(references.length ? { references } : {}),
    ...(results.length ? { results } : {}),
    ...(stepUnit ? { stepUnit } : {}),
    ...(stages ? { stages } : {}),
    ...(notes.length ? { notes } : {}),
    errors,
    config,
    ...(settings ? { settings } : {}),
    formulation,
  };
}

const EXT = { png: 'png', jpeg: 'jpg', gif: 'gif' } as const;

/**
 * The images the run's files hold themselves as samples, references and results, each named by its
 * file, `#` and where in it (`GAN.ipynb#cell12-out3.png`, `logs/events…#G/image/0@28.png`). When the
 * D and G losses come from a file holding images, other files of its format hold other launches
 * (event files whose steps restart): their images at the same steps are not samples of one
 * generator, and are left out. Images of other files are kept when the losses' file has none.
 */
function heldImages(
  imagesOf: ReadonlyMap<string, EmbeddedImage[]>,
  series: Series[],
  formatOf: ReadonlyMap<string, FileFormat>,
): { samples: Sample[]; references: Reference[]; results: Result[] } {
  const out = { samples: [] as Sample[], references: [] as Reference[], results: [] as Result[] };
  const main = series.find((s) => s.role === 'discriminator' || s.role === 'generator')?.source;
  const mainFormat = main !== undefined && imagesOf.has(main) ? formatOf.get(main) : undefined;
  for (const [file, images] of imagesOf) {
    if (mainFormat && file !== main && formatOf.get(file) === mainFormat) continue;
    for (const image of images) {
      const path = `${file}#${image.name}.${EXT[image.format]}`;
      const embedded = {
        file,
        offset: image.offset,
        length: image.length,
        encoding: image.encoding,
        format: image.format,
        ...(image.cell !== undefined ? { cell: image.cell } : {}),
      };
      if (image.kind === 'result') out.results.push({ path, embedded });
      else if (image.kind === 'reference') out.references.push({ step: image.step, path, embedded });
      else if (image.step !== null) out.samples.push({ step: image.step, path, embedded });
      else out.results.push({ path, embedded });
    }
  }
  return out;
}

function formulationOptions(opts: LoadOptions) {
  return {
    ...(opts.lossType ? { lossType: opts.lossType } : {}),
    ...(opts.codeBoundary ? { boundary: opts.codeBoundary } : {}),
    ...(opts.formulationCache ? { cache: opts.formulationCache } : {}),
  };
}

/**
 * What the readers told of the run's files, for the run: every note; the stages and step unit of the
 * file holding the D and G losses (else of the first file that tells them).
 */
function toldOfRun(series: Series[], told: Map<string, FileRead['told']>, notes: string[]): { stages: Stage[]; unit: string | undefined; notes: string[] } {
  const main = series.find((s) => s.role === 'discriminator' || s.role === 'generator')?.source;
  const kept = new Set(series.map((s) => s.source));
  const sources = [...told.keys()].filter((source) => kept.has(source));
  const ordered = main ? [main, ...sources.filter((s) => s !== main)] : sources;
  const of = ordered.map((source) => told.get(source)).filter((x): x is FileRead['told'] => !!x);
  return {
    stages: of.find((x) => x.stages?.length)?.stages ?? [],
    unit: main ? told.get(main)?.stepUnit : of.find((x) => x.stepUnit)?.stepUnit,
    notes: [...[...told.values()].flatMap((x) => x.notes ?? []), ...notes],
  };
}

/** One loss file inspected alone: a run of that file's series, rooted at its folder. */
export async function loadFileAsRun(absFile: string, opts: LoadOptions = {}): Promise<Run> {
  const abs = path.resolve(absFile);
  const rel = path.basename(abs);
  const result = await readSeriesOf(path.dirname(abs), rel, opts.maxFileBytes ?? 2 * GIB, opts.appendCache, new CountingSteps(), opts.formats);
  const read = 'series' in result ? result : null;
  const failure = 'series' in result ? null : result;
  const named = read ? await nameColumnsFromCode(path.dirname(abs), read.series) : [];
  // The series measured for the step unit are the series shown: on the kimg axis when they have one.
  const series = pickMainPair(withoutDuplicateMetrics(onKimgAxis(named)));
  const stepUnit = read?.told.stepUnit ?? runStepUnit(series, () => read?.format);
  const stages = read?.told.stages ?? [];
  const notes = read?.told.notes ?? [];
  const root = path.dirname(abs);
  return {
    root,
    name: rel,
    series,
    samples: [],
    ...(stepUnit ? { stepUnit } : {}),
    ...(stages.length ? { stages } : {}),
    ...(notes.length ? { notes } : {}),
    errors: failure ? [failure] : read?.skipped ? [read.skipped] : [],
    config: {},
    formulation: await formulationOfRun(root, {}, read ? [rel] : [], series, formulationOptions(opts)),
  };
}
