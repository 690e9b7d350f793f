// Runs discovery and inspection in a worker thread so a big workspace or a huge file never blocks
// the caller's thread (the VS Code extension host). A crashed or hung worker only fails its own
// requests; the next request starts a fresh one.
import { Worker } from 'node:worker_threads';
import type { RunLocation } from '../../core/discover';
import type { Inspection } from '../../core/model';
import { withScores } from '../../core/pipeline';
import type { ScanLimits, DoneReply, RunReadSettings, WorkerCall, WorkerReply, WorkerRequest } from './protocol';

export interface RequestOptions {
  signal?: AbortSignal;
  onProgress?: (foldersSeen: number) => void;
  /** Terminates the worker (and fails the request) when it takes longer than this. */
  timeoutMs?: number;
}

export interface InspectRequestOptions extends RequestOptions {
  /**
   * Called with the run's losses and loss findings before its sample grids are scored (which can
   * take seconds); the returned promise then resolves with the whole inspection.
   */
  onLosses?: (inspection: Inspection) => void;
  /** Called with the number of sample images the inspection decoded (the rest were unchanged). */
  onDecoded?: (count: number) => void;
}

interface Pending {
  /** Takes the `done` reply: each request's own reads its op's value (a reply of another op fails it). */
  done: (reply: DoneReply) => void;
  reject: (error: Error) => void;
  onProgress?: (foldersSeen: number) => void;
  onLosses?: (inspection: Inspection) => void;
  onDecoded?: (count: number) => void;
  /** The losses stage already received, which the samples stage completes (src/core/pipeline.ts's withScores). */
  losses?: Inspection;
  lift?: () => void;
  cleanup: () => void;
}

export class WorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private disposed = false;

  /**
   * @param workerFile the built `dist/worker.js` (or `src/extension/worker/worker.ts` with `execArgv: ['--import', 'tsx']`).
   * @param execArgv extra Node flags for the worker.
   * @param l10nBundle the UI language's strings (`vscode.l10n.bundle`): findings are written in the worker.
   * @param previewDir where previews of large sample grids are saved while they are scored.
   */
  constructor(
    private readonly workerFile: string,
    private readonly execArgv: string[] = [],
    private readonly l10nBundle?: Record<string, string>,
    private readonly previewDir?: string,
  ) {}

  discover(root: string, opts: ScanLimits = {}, request: RequestOptions = {}): Promise<RunLocation[]> {
    return this.send({ op: 'discover', root, opts }, request, (r) => (r.op === 'discover' ? r.value : mismatch(r)));
  }

  /** Lets the inspections sent with `holdScoring` score their grids. */
  releaseScoring(): void {
    this.worker?.postMessage({ id: this.nextId++, op: 'releaseScoring' } satisfies WorkerRequest);
  }

  inspect(loc: RunLocation, opts: RunReadSettings = {}, request: InspectRequestOptions = {}): Promise<Inspection> {
    // With onLosses, in the pipeline's two stages: the losses first, then what the samples add.
    if (request.onLosses)
      return this.send({ op: 'inspectInStages', loc, opts }, request, (r, p) =>
        r.op === 'inspectInStages' && p.losses ? withScores(p.losses, r.value) : mismatch(r),
      );
    return this.send({ op: 'inspect', loc, opts }, request, (r) => (r.op === 'inspect' ? r.value : mismatch(r)));
  }

  /**
   * The preview of a large sample file, made now (ahead of the grids being scored) unless it is
   * there already; null when the file is small enough to show as it is or none can be made.
   */
  preview(file: string, request: RequestOptions = {}): Promise<string | null> {
    return this.send({ op: 'preview', file }, request, (r) => (r.op === 'preview' ? r.value : mismatch(r)));
  }

  /** Number of requests still waiting for an answer. */
  get busy(): number {
    return this.pending.size;
  }

  dispose(): void {
    this.disposed = true;
    this.stop(new Error('worker stopped'));
  }

  /** Sends one call; `take` reads its answer from the `done` reply (and the losses stage already received). */
  private send<T>(call: WorkerCall, request: InspectRequestOptions, take: (reply: DoneReply, pending: Pending) => T): Promise<T> {
    if (this.disposed) return Promise.reject(new Error('worker stopped'));
    if (request.signal?.aborted) return Promise.reject(abortError());
    const worker = this.ensureWorker();
    // Keep the process alive while an answer is awaited (unref'd again when idle).
    worker.ref();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        this.settle(id)?.reject(abortError());
        worker.postMessage({ id, op: 'cancel' } satisfies WorkerRequest);
      };
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        request.signal?.removeEventListener('abort', onAbort);
      };
      // Scoring hundreds of large grids can take minutes: once the losses are in, the timeout that
      // guards against a hung read is lifted (the tree already shows the run either way).
      const lift = () => timer && clearTimeout(timer);
      const pending: Pending = {
        done: (reply) => {
          try {
            resolve(take(reply, pending));
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        },
        reject,
        onProgress: request.onProgress,
        onLosses: request.onLosses,
        onDecoded: request.onDecoded,
        lift,
        cleanup,
      };
      this.pending.set(id, pending);
      request.signal?.addEventListener('abort', onAbort, { once: true });
      if (request.timeoutMs !== undefined) {
        // A hung read cannot be interrupted inside the worker: end the whole worker.
        timer = setTimeout(() => this.stop(new Error(`timed out after ${request.timeoutMs} ms`)), request.timeoutMs);
      }
      worker.postMessage({ id, ...call } satisfies WorkerRequest);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerFile, { execArgv: this.execArgv, workerData: { l10n: this.l10nBundle, previewDir: this.previewDir } });
    // The extension host must be able to exit while the worker idles.
    worker.unref();
    worker.on('message', (reply: WorkerReply) => this.onReply(reply));
    worker.on('error', (e) => this.onExit(worker, e));
    worker.on('exit', (code) => this.onExit(worker, new Error(`worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private onReply(reply: WorkerReply): void {
    if (reply.kind === 'progress') {
      this.pending.get(reply.id)?.onProgress?.(reply.foldersSeen);
      return;
    }
    if (reply.kind === 'losses') {
      const p = this.pending.get(reply.id);
      if (!p) return;
      p.losses = reply.value;
      p.lift?.();
      p.onLosses?.(reply.value);
      return;
    }
    const p = this.settle(reply.id);
    if (!p) return;
    if (reply.kind === 'failed') {
      p.reject(new Error(reply.message));
      return;
    }
    if (reply.decoded !== undefined) p.onDecoded?.(reply.decoded);
    p.done(reply);
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    p.cleanup();
    if (this.pending.size === 0) this.worker?.unref();
    return p;
  }

  private onExit(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.failAll(error);
  }

  private stop(error: Error): void {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(error);
    void worker?.terminate();
  }

  private failAll(error: Error): void {
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(error);
  }
}

function abortError(): Error {
  const e = new Error('cancelled');
  e.name = 'AbortError';
  return e;
}

/** A `done` reply of another op than the request's: the worker and the client disagree, never a value. */
function mismatch(reply: DoneReply): never {
  throw new Error(`worker answered ${reply.op} to another request`);
}
