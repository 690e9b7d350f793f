// `gan-inspect`: argument parsing, progress and exit codes around core + reports. No logic of its own.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import pkg from '../../package.json';
import { inspectPaths, type Inspection } from '../core/inspect';
import { DecodePool } from '../core/samples/decodePool';
import { bundleOf, languageFromLocale, t, useLanguage, type Language } from '../core/l10n';
import { renderHtmlReport } from './htmlReport';
import { renderJsonReport } from '../core/report/json';
import { renderMarkdownReport } from '../core/report/markdown';
import { renderTextReport } from '../core/report/text';
import { parseArgs, usage, UsageError, type CliOptions, type WatchOptions } from './args';
import { watchPaths } from './watch';

const EXIT_OK = 0;
const EXIT_NOTHING_READABLE = 1;
const EXIT_USAGE = 2;

/** A one-line progress counter on stderr, only for a person watching a terminal. */
function progressLine(): { update: (folders: number) => void; reading: (name: string, index: number, total: number) => void; done: () => void } {
  if (!process.stderr.isTTY) return { update: () => {}, reading: () => {}, done: () => {} };
  // Quiet for the first half second: a quick run should not flicker a line it then erases.
  const started = Date.now();
  let last = 0;
  let shown = false;
  const show = (text: string, force: boolean) => {
    const now = Date.now();
    if (now - started < 500 || (!force && now - last < 100)) return;
    last = now;
    shown = true;
    process.stderr.write(`\r${text}\x1b[K`);
  };
  return {
    update: (folders) => show(t('Searching for runs… folders seen: {0}', folders), false),
    reading: (name, index, total) => show(t('Reading run {0} of {1}: {2}', index + 1, total, name), true),
    done() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}

/** Writes the standalone HTML report; false (after one line on stderr) when it cannot. */
async function writeHtml(file: string, inspections: Inspection[], lang: Language, previewDir?: string): Promise<boolean> {
  try {
    await writeFile(file, await renderHtmlReport(inspections, { lang, ...(previewDir ? { previewDir } : {}) }));
    process.stderr.write(`gan-inspect: ${t('HTML report written to {0}', file)}\n`);
    return true;
  } catch (err) {
    const message = ((err as Error)?.message ?? String(err)).split(/\r?\n/)[0]!;
    process.stderr.write(`gan-inspect: ${t('{0}: cannot write the HTML report ({1})', file, message)}\n`);
    return false;
  }
}

async function main(argv: string[]): Promise<number> {
  const envLanguage = languageFromLocale(process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG);
  useLanguage(envLanguage);
  let opts: CliOptions;
  try {
    opts = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`gan-inspect: ${err.message}\n${t('Try gan-inspect --help')}\n`);
    return EXIT_USAGE;
  }
  if (opts.lang) useLanguage(opts.lang);
  if (opts.help) {
    process.stdout.write(`${usage()}\n`);
    return EXIT_OK;
  }
  if (opts.version) {
    process.stdout.write(`${pkg.version}\n`);
    return EXIT_OK;
  }
  if (opts.watch) return watch(opts, opts.watch, envLanguage);
  const progress = progressLine();
  // Sample grids are decoded on every core when the built worker is beside this file (dist/).
  const poolFile = path.join(__dirname, 'decodeWorker.js');
  // With --html, the pool saves large grids' previews as it scores them, for the report to embed.
  const previewDir = opts.html !== null ? await mkdtemp(path.join(tmpdir(), 'gan-inspect-previews-')) : undefined;
  const samplePool = existsSync(poolFile)
    ? new DecodePool(poolFile, { l10n: bundleOf(opts.lang ?? envLanguage), ...(previewDir ? { previewDir } : {}) })
    : undefined;
  const { inspections, problems } = await inspectPaths(opts.paths, {
    onProgress: progress.update,
    onRunStart: (loc, index, total) => progress.reading(loc.name, index, total),
    ...(opts.maxDepth !== null ? { maxDepth: opts.maxDepth } : {}),
    ...(samplePool ? { samplePool } : {}),
  }).finally(() => samplePool?.close());
  progress.done();

  if (opts.format === 'json') process.stdout.write(renderJsonReport(inspections));
  else if (inspections.length) {
    process.stdout.write(opts.format === 'markdown' ? renderMarkdownReport(inspections) : renderTextReport(inspections));
  }
  for (const p of problems) process.stderr.write(`gan-inspect: ${p}\n`);
  const htmlWritten =
    opts.html === null ||
    !inspections.length ||
    (await writeHtml(opts.html, inspections, opts.lang ?? envLanguage, previewDir).finally(
      () => previewDir && rm(previewDir, { recursive: true, force: true }),
    ));
  return problems.length || !htmlWritten ? EXIT_NOTHING_READABLE : EXIT_OK;
}

/** `--watch` (see watch.ts): the same sample workers, one line at a time. */
async function watch(opts: CliOptions, watchOpts: WatchOptions, envLanguage: Language): Promise<number> {
  const poolFile = path.join(__dirname, 'decodeWorker.js');
  const samplePool = existsSync(poolFile) ? new DecodePool(poolFile, { l10n: bundleOf(opts.lang ?? envLanguage) }) : undefined;
  return watchPaths(opts.paths, watchOpts, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`gan-inspect: ${line}\n`),
    json: opts.format === 'json',
    maxDepth: opts.maxDepth,
    ...(samplePool ? { samplePool } : {}),
  }).finally(() => samplePool?.close());
}

// `gan-inspect | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Never a stack trace: one line saying what went wrong.
    const message = (err as Error)?.message ?? String(err);
    process.stderr.write(`gan-inspect: ${message.split(/\r?\n/)[0]}\n`);
    process.exitCode = EXIT_NOTHING_READABLE;
  },
);
