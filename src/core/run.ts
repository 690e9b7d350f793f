// A run location → a Run: every loss file read (damaged ones become one-line errors), roles assigned,
// samples listed, and the optional `gan-run.json` applied over the guesses.
import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { t } from './l10n';
import { fileBaseName } from './paths';
import { seriesStats } from './stats';
import type { LossType, RawSeries, ReadError, Reference, Role, Run, RunConfig, Sample, Series } from './model';
import { DEFAULT_THRESHOLDS } from './analysis/thresholds';
import { RUN_CONFIG_FILE, type RunLocation } from './discover';
import type { AppendCache } from './formats/appendCache';
import { readWhole } from './fileBytes';
import { lossFileKind, readLossFile } from './formats';
import { skippedError, type SkipReport } from './formats/skipped';
import { CountingSteps } from './formats/npy';
import { assignRoles, pickMainPair } from './roles';
import { codebaseLossType } from './codebaseHints';
import { withoutDuplicateMetrics } from './sameMetrics';
import { onKimgAxis, runStepUnit } from './stepUnits';
import { isImageFile, isReferenceImage, samplePattern, sampleStep, sortSamples } from './samples/naming';

export interface LoadOptions {
  /** Larger loss files are refused with a message; default 2 GiB. */
  maxFileBytes?: number;
  /**
   * Kept by a long-lived reader (the extension's worker) so a live refresh parses only what the
   * training script appended since the last read. The CLI reads once and passes none.
   */
  appendCache?: AppendCache;
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

/** A file's series, and the one line telling of the damaged records skipped in it, if any. */
interface FileRead {
  series: Series[];
  skipped: ReadError | null;
}

async function readSeriesOf(root: string, rel: string, maxBytes: number, cache: AppendCache | undefined, counting: CountingSteps): Promise<FileRead | ReadError> {
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
    const read = (series: RawSeries[]): FileRead => ({ series: assignRoles(rel, series), skipped: report.skipped && skippedError(rel, report.skipped) });
    if (cache?.continues(rel)) return read(await cache.read(abs, rel, info, report));
    const npy = lossFileKind(rel) === 'npy';
    const data = await readWhole(abs, info.size, npy ? (head) => counting.prepare(head, info.size) : undefined);
    return read(readLossFile(rel, data, counting, report));
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

async function collectSamples(loc: RunLocation, config: RunConfig, ignored: (rel: string) => boolean): Promise<Sample[]> {
  const out: Sample[] = [];
  if (config.samples) {
    const stepOf = samplePattern(config.samples);
    for (const rel of await listImages(loc.root)) {
      const step = ignored(rel) ? null : stepOf(rel);
      if (step !== null) out.push({ step, path: rel });
    }
    return sortSamples(out);
  }
  // In a samples-only run the run folder's own name may carry the step (`images10/pic0.png`).
  const folderName = loc.lossFiles.length ? null : path.basename(loc.root);
  for (const rel of loc.sampleFiles) {
    if (ignored(rel) || isReferenceImage(rel)) continue;
    const step = sampleStep(folderName !== null && !rel.includes('/') ? `${folderName}/${rel}` : rel);
    if (step !== null) out.push({ step, path: rel });
  }
  return sortSamples(out);
}

/**
 * Samples named by epoch (pytorch/examples dcgan's `fake_samples_epoch_003.png`) beside a printed
 * log counting iterations: each is put at the end of its epoch on the losses' axis, when the log
 * prints its batches per epoch. The epochs there count from 0, as the log's do.
 */
function onIterationAxis(samples: Sample[], series: Series[]): void {
  const perEpoch = series.find((s) => (s.role === 'discriminator' || s.role === 'generator') && s.stepsPerEpoch)?.stepsPerEpoch;
  if (!perEpoch || !samples.length || !samples.every((x) => /epoch/i.test(fileBaseName(x.path)))) return;
  for (const x of samples) x.step = x.step * perEpoch + perEpoch - 1;
}

/** The run's reference images (`reals.png`, `real_A`, `rec_B`…), with their steps where named. */
function collectReferences(loc: RunLocation, ignored: (rel: string) => boolean): Reference[] {
  const out: Reference[] = [];
  for (const rel of loc.sampleFiles) {
    if (ignored(rel) || !isReferenceImage(rel)) continue;
    const base = fileBaseName(rel);
    // `reals.png` carries no step; `epoch002_real_A.png` does (a digit-less name is never given one).
    out.push({ step: /\d/.test(base) ? sampleStep(rel) : null, path: rel });
  }
  return out.sort((a, b) => (a.step ?? -1) - (b.step ?? -1) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Reads one run. Never throws for a bad file: it becomes an entry in `errors`. */
export async function loadRun(loc: RunLocation, opts: LoadOptions = {}): Promise<Run> {
  const maxBytes = opts.maxFileBytes ?? 2 * GIB;
  const { config, errors } = await readRunConfig(loc.root);
  const ignored = globMatcher(config.ignore ?? []);
  let series: Series[] = [];
  // Two files at a time (D and G together): the parsed arrays are views of the file bytes and stay
  // either way, and two reads overlap their copying out of the page cache. Results keep file order.
  const files = loc.lossFiles.filter((rel) => !ignored(rel));
  const results: (FileRead | ReadError)[] = new Array(files.length);
  let next = 0;
  // This run's 0…N−1 steps, shared by its D and G `.npy` files and by no other run.
  const counting = new CountingSteps();
  const reader = async () => {
    for (let i = next++; i < files.length; i = next++) results[i] = await readSeriesOf(loc.root, files[i]!, maxBytes, opts.appendCache, counting);
  };
  await Promise.all([reader(), reader()]);
  for (const result of results) {
    if ('series' in result) {
      series.push(...result.series);
      if (result.skipped) errors.push(result.skipped);
    } else errors.push(result);
  }
  for (const role of ['discriminator', 'generator'] as const) {
    const spec = role === 'discriminator' ? config.discriminator : config.generator;
    if (spec && !applyOverride(series, role, spec)) {
      errors.push({ source: RUN_CONFIG_FILE, message: t('{0}: "{1}" names no series that was read: {2}', RUN_CONFIG_FILE, role, spec) });
    }
  }
  series = pickMainPair(withoutDuplicateMetrics(onKimgAxis(series)));
  // The loss type the codebase states (gan_mode, StyleGAN's logistic loss), unless gan-run.json says.
  const stated = config.lossType ? undefined : ((await codebaseLossType(loc.root, loc.lossFiles)) ?? undefined);
  const samples = await collectSamples(loc, config, ignored);
  const references = collectReferences(loc, ignored);
  const stepUnit = config.stepUnit ?? runStepUnit(series, samples.map((x) => x.path));
  if (!config.samples && stepUnit === 'iteration') onIterationAxis(samples, series);
  return withLazyLossType({
    root: loc.root,
    name: config.name ?? loc.name,
    series,
    samples,
    ...(references.length ? { references } : {}),
    ...(stepUnit ? { stepUnit } : {}),
    errors,
    config,
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
  const result = await readSeriesOf(path.dirname(abs), rel, opts.maxFileBytes ?? 2 * GIB, opts.appendCache, new CountingSteps());
  const read = 'series' in result ? result : null;
  const failure = 'series' in result ? null : result;
  // The series measured for the step unit are the series shown: on the kimg axis when they have one.
  const series = read ? pickMainPair(withoutDuplicateMetrics(onKimgAxis(read.series))) : [];
  const stepUnit = runStepUnit(series, []);
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
