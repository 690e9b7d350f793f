// `gan-inspect --watch`: follows runs while they train. Prints each run's state, then every new
// finding as it appears (text, or JSON lines with --json); `--fail-on` exits 3 the moment one of
// that severity appears. The watching itself is core's (src/core/live/runWatch.ts) over the same
// incremental readers the extension uses: only what the training script appended is parsed again.
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { discoverRuns } from '../core/discover';
import { formatByContent } from '../core/discoverText';
import { AppendCache } from '../core/formats/appendCache';
import { FORMATS } from '../core/formats';
import { inspectLoadedRun, type Inspection } from '../core/inspect';
import { t } from '../core/l10n';
import { kindLabel } from '../core/present';
import { formatStep } from '../core/analysis/format';
import type { Confirmed } from '../core/live/episodes';
import { RunWatch, type WatchUpdate } from '../core/live/runWatch';
import { countFindings, formatClock, healthText, liveLine, type LiveState } from '../core/live/summary';
import type { Run } from '../core/model';
import { loadFileAsRun, loadRun } from '../core/run';
import { DiversityCache } from '../core/samples/cache';
import type { DecodePool } from '../core/samples/decodePool';
import type { WatchOptions } from './args';

export const EXIT_FAILED_ON = 3;
/** A state line at least this often while nothing else is said (a heartbeat for a log). */
const STATE_EVERY_MS = 60_000;

export interface WatchIo {
  out: (line: string) => void;
  err: (line: string) => void;
  json: boolean;
  maxDepth: number | null;
  samplePool?: DecodePool;
}

/** A run to watch: a run found in a folder, or one loss file read alone (as `gan-inspect FILE` reads it). */
interface Watched {
  root: string;
  name: string;
  /** Reads it again, parsing only what was appended (the cache keeps each file's reader). */
  read: (appendCache: AppendCache) => Promise<Run>;
}

/** Watches the runs under `paths`; resolves with the exit status. */
export async function watchPaths(paths: string[], opts: WatchOptions, io: WatchIo): Promise<number> {
  const { locations, problems } = await findRuns(paths, io.maxDepth);
  for (const p of problems) io.err(p);
  if (!locations.length) return 1;
  const appendCache = new AppendCache();
  const cache = new DiversityCache();
  const liveMs = opts.liveMinutes * 60_000;
  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (finish = resolve));
  const watches: RunWatch[] = [];
  const said = new Map<string, { at: number; key: string }>();
  const states = new Map<Watched, LiveState>();
  const printState = (loc: Watched, state: LiveState) => io.out(io.json ? JSON.stringify(stateRecord(loc, state)) : stateText(loc, state));

  const onUpdate = (loc: Watched, u: WatchUpdate) => {
    const state: LiveState = {
      live: u.live,
      step: u.look.latest,
      stepsPerMinute: u.stepsPerMinute,
      lastWrite: u.lastWrite,
      ...countFindings(u.inspection.findings),
    };
    states.set(loc, state);
    const key = `${state.live}|${state.errors}|${state.warnings}`;
    const last = said.get(loc.root);
    if (!last || last.key !== key || Date.now() - last.at >= STATE_EVERY_MS || u.news.length) {
      said.set(loc.root, { at: Date.now(), key });
      printState(loc, state);
    }
    for (const c of u.news) io.out(io.json ? JSON.stringify(findingRecord(loc, c)) : findingText(loc, c));
    const failing = opts.failOn && u.news.some((c) => c.finding.severity === 'error' || opts.failOn === 'warning');
    if (failing) finish(EXIT_FAILED_ON);
  };

  for (const loc of locations) {
    const read = async (): Promise<Inspection> => inspectLoadedRun(await loc.read(appendCache), { cache, ...(io.samplePool ? { pool: io.samplePool } : {}) });
    watches.push(
      new RunWatch({
        read,
        onUpdate: (u) => onUpdate(loc, u),
        onError: (message) => io.err(t('{0}: {1}', loc.name, message.split(/\r?\n/)[0]!)),
        pollMs: opts.intervalSeconds * 1000,
        liveMs,
      }),
    );
  }
  // Each run is read once, then watched; the watch ends when every run stopped training, with
  // the state of each run that was still training at its last read.
  const endIfIdle = () => {
    if (!watches.every((w) => !w.live)) return;
    for (const [loc, state] of states) if (state.live) printState(loc, { ...state, live: false });
    finish(0);
  };
  const started = Promise.all(watches.map((w) => w.start())).then(endIfIdle);
  const timer = setInterval(endIfIdle, 1000);
  const code = await Promise.race([done, started.then(() => done)]);
  clearInterval(timer);
  for (const w of watches) w.stop();
  return code;
}

/** The runs of each PATH as `gan-inspect PATH` finds them (src/core/inspect.ts): a folder searched, a file alone. */
async function findRuns(paths: string[], maxDepth: number | null): Promise<{ locations: Watched[]; problems: string[] }> {
  const locations: Watched[] = [];
  const problems: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(p);
    const info = await stat(abs).catch((err: NodeJS.ErrnoException) => err);
    if (info instanceof Error) {
      problems.push(info.code === 'ENOENT' ? t('{0}: no such file or folder', p) : t('{0}: cannot open ({1})', p, info.code ?? info.message));
    } else if (info.isFile()) {
      // Its name says its format, or its first bytes do: the registry's answer, as for `gan-inspect FILE`.
      const name = path.basename(abs);
      if (!FORMATS.selectFormat(name) && !(await formatByContent(abs, name))) problems.push(FORMATS.notALossFile(p));
      else locations.push({ root: path.dirname(abs), name, read: (appendCache) => loadFileAsRun(abs, { appendCache }) });
    } else {
      const found = await discoverRuns(abs, maxDepth !== null ? { maxDepth } : {});
      if (!found.length) problems.push(t('{0}: no GAN run found (no loss files or sample images)', p));
      for (const loc of found) {
        locations.push({
          root: loc.root,
          name: loc.name,
          read: async (appendCache) => {
            // Found again each time: new sample grids and new loss files join the run (a run that is one file is itself).
            const again = loc.file ? undefined : (await discoverRuns(loc.root, { maxDepth: maxDepth ?? 6 })).find((l) => l.root === loc.root);
            return loadRun(again ? { ...again, name: loc.name } : loc, { appendCache });
          },
        });
      }
    }
  }
  return { locations, problems };
}

function stateText(loc: Watched, s: LiveState): string {
  return `[${formatClock(Date.now())}] ${loc.name}: ${liveLine(s)} · ${healthText(s)}`;
}

function findingText(loc: Watched, c: Confirmed): string {
  const f = c.finding;
  const severity = f.severity === 'error' ? t('error') : t('warning');
  return `[${formatClock(Date.now())}] ${loc.name}: ${severity}: ${t('{0} at step {1}', kindLabel(f.kind), formatStep(f.start))}: ${f.message}`;
}

function stateRecord(loc: Watched, s: LiveState): Record<string, unknown> {
  return {
    type: 'state',
    time: new Date().toISOString(),
    run: loc.name,
    root: loc.root,
    training: s.live,
    step: s.step,
    stepsPerMinute: s.stepsPerMinute === null ? null : Math.round(s.stepsPerMinute * 100) / 100,
    lastRecord: s.lastWrite === undefined ? null : new Date(s.lastWrite).toISOString(),
    errors: s.errors,
    warnings: s.warnings,
  };
}

function findingRecord(loc: Watched, c: Confirmed): Record<string, unknown> {
  const f = c.finding;
  return {
    type: 'finding',
    time: new Date().toISOString(),
    run: loc.name,
    root: loc.root,
    kind: f.kind,
    severity: f.severity,
    step: f.start,
    start: f.start,
    end: f.end,
    series: f.series,
    message: f.message,
  };
}
