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
import { glanceOf } from '../../core/glance';
import { serve, type Handlers } from '../../core/rpc';
import type { RunReadSettings, WorkerOps, WorkerReply, WorkerRequest } from './protocol';

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

/** Resolves when the host releases the held scorings, or this request is cancelled. */
function scoringReleased(id: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    held.set(id, resolve);
    signal.addEventListener('abort', () => release([id]), { once: true });
  });
}

function release(ids: Iterable<number>): void {
  for (const id of [...ids]) {
    held.get(id)?.();
    held.delete(id);
  }
}

// Runs being read now, and the judgements waiting until none is (RunReadSettings.glanceFirst).
let reading = 0;
const judgements: (() => void)[] = [];

/** Resolves once no run is being read (the next request of a scan's lane arrives a moment later), or on cancel. */
function readsEnded(signal: AbortSignal): Promise<void> {
  // In turn: runs read earlier are judged first (a wake is due when some wait and no read is under way).
  if ((reading === 0 && !judgements.length) || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    judgements.push(resolve);
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

function readEnded(): void {
  reading--;
  // After the replies of this turn are posted: a lane's next request may be on its way.
  if (reading === 0)
    setImmediate(() => {
      if (reading === 0) for (const judge of judgements.splice(0)) judge();
    });
}

/** Each request's answer; a thrown error is replied as its one line (src/core/rpc.ts). */
const handlers: Handlers<WorkerOps> = {
  discover: async ({ root, opts }, call) => {
    // At most ten progress messages a second, however many folders a second are seen.
    let last = 0;
    return discoverRuns(root, {
      ...opts,
      signal: call.signal,
      onProgress: (foldersSeen) => {
        const now = Date.now();
        if (now - last < 100) return;
        last = now;
        call.update(foldersSeen);
      },
    });
  },
  preview: ({ file }) => previewNow(file),
  inspectInStages: async ({ loc, opts }, call) => {
    const { scoring, decoded } = scoringFor();
    // Held from the start: the host's word may come while this run waits to be judged.
    const released = opts.holdScoring ? scoringReleased(call.id, call.signal) : undefined;
    // The curves first; a large run's grids (seconds to decode) are scored after, on the pool.
    const run = await loadFor(loc, opts);
    if (opts.glanceFirst) {
      call.update({ glance: glanceOf(run) });
      await readsEnded(call.signal);
      if (call.signal.aborted) throw new Error('cancelled');
    }
    // The read settings carry the user's thresholds: the pipeline puts them under the run's gan-run.json.
    const losses = inspectLosses(run, opts);
    for (const s of run.series) statsOf(s);
    // With grids to score the series are copied to the host, not moved: the samples stage here
    // needs them (what the samples show changes the imbalance findings' severity).
    call.update({ losses }, run.samples.length ? [] : seriesBuffers(losses));
    if (run.samples.length && released) {
      await released;
      if (call.signal.aborted) throw new Error('cancelled');
    }
    const scores = await scoreSamples(losses, scoring, opts);
    return { scores, decoded: decoded() };
  },
  inspect: async ({ loc, opts }, call) => {
    const { scoring, decoded } = scoringFor();
    const inspection = await inspectLoadedRun(await loadFor(loc, opts), scoring, opts);
    // The statistics travel on the series, so the host never makes a second pass over
    // 10,000,000 values for the tree, the hover or the inspector.
    for (const s of inspection.run.series) statsOf(s);
    call.transfer.push(...seriesBuffers(inspection));
    return { inspection, decoded: decoded() };
  },
};

/** How one inspection scores its samples, counting the images it decodes. */
function scoringFor(): { scoring: SampleScoring; decoded: () => number } {
  let count = 0;
  const scoring: SampleScoring = { cache: diversityCache, ...(samplePool ? { pool: samplePool } : {}), onDecode: () => count++ };
  return { scoring, decoded: () => count };
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
  reading++;
  const run = await loadRun(loc, {
    ...(opts.maxFileBytes !== undefined ? { maxFileBytes: opts.maxFileBytes } : {}),
    ...(opts.lossType ? { lossType: opts.lossType } : {}),
    ...(opts.codeBoundary ? { codeBoundary: opts.codeBoundary } : {}),
    appendCache,
    formulationCache,
  }).finally(readEnded);
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
  const answer = serve(handlers, (reply: WorkerReply, transfer) => port.postMessage(reply, transfer));
  port.on('message', (req: WorkerRequest) => {
    if (req.type === 'releaseScoring') release(held.keys());
    else void answer(req);
  });
}
