// Worker-thread entry (built to dist/worker.js): discovery and inspection run here, never on the
// extension host's thread. Requests and replies are the plain messages typed in protocol.ts.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { AppendCache } from '../../core/formats/appendCache';
import { useBundle } from '../../core/l10n';
import { discoverRuns, type RunLocation } from '../../core/discover';
import { DiversityCache } from '../../core/samples/cache';
import { DecodePool } from '../../core/samples/decodePool';
import { digestSampleFile } from '../../core/samples/digest';
import { currentPreview, wantsPreview } from '../../core/samples/preview';
import { imageSizeOf } from '../../core/samples/previewFile';
import { inspectLoadedRun, inspectLosses, scoreSamples, type Inspection, type SampleScoring } from '../../core/inspect';
import { loadRun } from '../../core/run';
import { newFormulationCache } from '../../core/formulation';
import { statsOf } from '../../core/stats';
import type { RunReadSettings, WorkerReply, WorkerRequest } from './protocol';

const running = new Map<number, AbortController>();
// Decoded sample tiles by file and mtime: while training adds one grid, a refresh decodes just that one.
const diversityCache = new DiversityCache();
// Sample grids of a large run are decoded on every core (dist/decodeWorker.js beside this file),
// so this thread stays free to answer discovery and the losses of other runs meanwhile.
const poolFile = path.join(__dirname, 'decodeWorker.js');
const shared = (workerData ?? {}) as { l10n?: Record<string, string>; previewDir?: string };
const samplePool = existsSync(poolFile)
  ? new DecodePool(poolFile, { l10n: shared.l10n ?? {}, ...(shared.previewDir ? { previewDir: shared.previewDir } : {}) })
  : undefined;
// Loss files read so far: while training appends rows, a refresh parses just the new ones.
const appendCache = new AppendCache();
// Previews being made on request, by file: the inspector asks once per sample it shows.
const previewing = new Map<string, Promise<string | null>>();
// Inspections whose grids wait for `releaseScoring` (RunReadSettings.holdScoring), by request id.
const held = new Map<number, () => void>();

/** Resolves when the host releases the held scorings (or cancels this request). */
function scoringReleased(id: number): Promise<void> {
  return new Promise((resolve) => held.set(id, resolve));
}

function release(ids: Iterable<number>): void {
  for (const id of [...ids]) {
    held.get(id)?.();
    held.delete(id);
  }
}

async function handle(port: NonNullable<typeof parentPort>, req: WorkerRequest): Promise<void> {
  if (req.op === 'cancel') {
    running.get(req.id)?.abort();
    release([req.id]);
    return;
  }
  if (req.op === 'releaseScoring') {
    release(held.keys());
    return;
  }
  const controller = new AbortController();
  running.set(req.id, controller);
  const reply = (r: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(r, transfer);
  let decoded = 0;
  const scoring: SampleScoring = { cache: diversityCache, ...(samplePool ? { pool: samplePool } : {}), onDecode: () => decoded++ };
  try {
    if (req.op === 'discover') {
      // At most ten progress messages a second, however many folders a second are seen.
      let last = 0;
      const value = await discoverRuns(req.root, {
        ...req.opts,
        signal: controller.signal,
        onProgress: (foldersSeen) => {
          const now = Date.now();
          if (now - last < 100) return;
          last = now;
          reply({ id: req.id, kind: 'progress', foldersSeen });
        },
      });
      reply({ id: req.id, kind: 'done', op: 'discover', value });
    } else if (req.op === 'preview') {
      reply({ id: req.id, kind: 'done', op: 'preview', value: await previewNow(req.file) });
    } else if (req.op === 'inspectInStages') {
      // The curves first; a large run's grids (seconds to decode) are scored after, on the pool.
      const run = await loadFor(req.loc, req.opts);
      // The read settings carry the user's thresholds: the pipeline puts them under the run's gan-run.json.
      const losses = inspectLosses(run, req.opts);
      for (const s of run.series) statsOf(s);
      // With grids to score the series are copied to the host, not moved: the samples stage here
      // needs them (what the samples show changes the imbalance findings' severity).
      reply({ id: req.id, kind: 'losses', value: losses }, run.samples.length ? [] : seriesBuffers(losses));
      if (run.samples.length && req.opts.holdScoring) {
        await scoringReleased(req.id);
        if (controller.signal.aborted) throw new Error('cancelled');
      }
      reply({ id: req.id, kind: 'done', op: 'inspectInStages', value: await scoreSamples(losses, scoring, req.opts), decoded });
    } else {
      const inspection = await inspectLoadedRun(await loadFor(req.loc, req.opts), scoring, req.opts);
      // The statistics travel on the series, so the host never makes a second pass over
      // 10,000,000 values for the tree, the hover or the inspector.
      for (const s of inspection.run.series) statsOf(s);
      reply({ id: req.id, kind: 'done', op: 'inspect', value: inspection, decoded }, seriesBuffers(inspection));
    }
  } catch (e) {
    reply({ id: req.id, kind: 'failed', message: e instanceof Error ? e.message : String(e) });
  } finally {
    running.delete(req.id);
  }
}

/**
 * The series' memory, moved to the extension host instead of copied (80 MB per 10,000,000-step
 * series); the worker keeps nothing it sends (the append cache's memory was copied in `inspect`).
 * Buffers under 64 KB are copied: cheap, and they may be slices of Node's shared 8 KB Buffer pool,
 * which must never be moved.
 */
function seriesBuffers(inspection: Inspection): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const s of inspection.run.series) {
    for (const a of [s.steps, s.values]) if (a.buffer instanceof ArrayBuffer && a.buffer.byteLength >= 65536 && !appendCache.owns(a)) buffers.add(a.buffer);
  }
  return [...buffers];
}

/**
 * The preview of a large sample, made now if it is not there yet: ahead of the grids queued for
 * scoring, and joining the scoring pass's decode when that is already at this file. Null when the
 * image is small enough to show as it is, or no preview can be made of it.
 */
function previewNow(file: string): Promise<string | null> {
  const dir = shared.previewDir;
  if (!dir) return Promise.resolve(null);
  let made = previewing.get(file);
  if (!made) {
    made = (async () => {
      const current = await currentPreview(dir, file);
      if (current !== undefined) return current;
      const size = await imageSizeOf(file);
      if (!size || !wantsPreview(size.width, size.height)) return null;
      const name = path.basename(file);
      // A file that cannot be decoded has no preview: the webview then shows the file itself.
      if (samplePool) await samplePool.preview(file, name).catch(() => undefined);
      else await digestSampleFile(file, name, undefined, dir).catch(() => undefined);
      return (await currentPreview(dir, file)) ?? null;
    })().finally(() => previewing.delete(file));
    previewing.set(file, made);
  }
  return made;
}

// The training code of the workspace's projects, read once for all the runs of a scan; read again
// after a minute, so an edited training script is seen on the next refresh.
const CODE_CACHE_MS = 60_000;
let formulationCache = newFormulationCache();
let formulationCacheBorn = Date.now();

/** Loads a run, with the user's loss type under the run's own files and code (thresholds: the pipeline's). */
async function loadFor(loc: RunLocation, opts: RunReadSettings) {
  if (Date.now() - formulationCacheBorn > CODE_CACHE_MS) {
    formulationCache = newFormulationCache();
    formulationCacheBorn = Date.now();
  }
  const run = await loadRun(loc, {
    ...(opts.maxFileBytes !== undefined ? { maxFileBytes: opts.maxFileBytes } : {}),
    ...(opts.lossType ? { lossType: opts.lossType } : {}),
    ...(opts.codeBoundary ? { codeBoundary: opts.codeBoundary } : {}),
    appendCache,
    formulationCache,
  });
  // The append cache keeps reading into the memory its series are views of: the host gets copies
  // (which can then be moved), never that memory itself. New series objects: a run is never changed.
  const own = (a: Float64Array) => (appendCache.owns(a) ? a.slice() : a);
  return {
    ...run,
    series: run.series.map((s) => (appendCache.owns(s.steps) || appendCache.owns(s.values) ? { ...s, steps: own(s.steps), values: own(s.values) } : s)),
  };
}

if (parentPort) {
  // Finding messages and advice are written here, so they need the UI language's strings too.
  useBundle((workerData as { l10n?: Record<string, string> } | null)?.l10n);
  const port = parentPort;
  port.on('message', (req: WorkerRequest) => void handle(port, req));
}
