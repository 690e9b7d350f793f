// Runs discovery and inspection in a worker thread so a big workspace or a huge file never blocks
// the caller's thread (the VS Code extension host). A crashed or hung worker only fails its own
// requests; the next request starts a fresh one.
import { Worker } from 'node:worker_threads';
import type { RunLocation } from '../../core/discover';
import type { Inspection } from '../../core/model';
import { withScores } from '../../core/pipeline';
import { abortError, RpcClient, type CallOptions, type RequestOf, type ResultOf, type UpdateOf } from '../../core/rpc';
import type { RunGlance } from '../../core/glance';
import type { ScanLimits, RunReadSettings, StageUpdate, WorkerOps, WorkerReply, WorkerRequest } from './protocol';

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
  /** With `glanceFirst`: called with the run's glance as soon as it is read, before it is judged. */
  onRead?: (glance: RunGlance) => void;
  /** Called with the number of sample images the inspection decoded (the rest were unchanged). */
  onDecoded?: (count: number) => void;
}

export class WorkerClient {
  private worker: Worker | undefined;
  /** The requests to the worker now running; a new worker gets a new channel. */
  private rpc: RpcClient<WorkerOps> | undefined;
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
    return this.call('discover', { root, opts }, { ...request, ...(request.onProgress ? { onUpdate: request.onProgress } : {}) });
  }

  /** Lets the inspections sent with `holdScoring` score their grids. */
  releaseScoring(): void {
    this.worker?.postMessage({ type: 'releaseScoring' } satisfies WorkerRequest);
  }

  async inspect(loc: RunLocation, opts: RunReadSettings = {}, request: InspectRequestOptions = {}): Promise<Inspection> {
    const { onLosses, onRead, onDecoded } = request;
    // With onLosses, in the pipeline's two stages: the losses first, then what the samples add.
    if (onLosses) {
      let losses: Inspection | undefined;
      // Scoring hundreds of large grids can take minutes, and a scan judges its runs once all are
      // read: once the run is read, the timeout that guards against a hung read is lifted.
      const onUpdate = (value: StageUpdate) => {
        if ('glance' in value) return onRead?.(value.glance);
        losses = value.losses;
        onLosses(value.losses);
      };
      const { scores, decoded } = await this.call('inspectInStages', { loc, opts }, { ...request, onUpdate, updateLiftsTimeout: true });
      onDecoded?.(decoded);
      if (!losses) throw new Error('worker answered the samples stage before the losses');
      return withScores(losses, scores);
    }
    const { inspection, decoded } = await this.call('inspect', { loc, opts }, request);
    onDecoded?.(decoded);
    return inspection;
  }

  /**
   * The preview of a large sample file, made now (ahead of the grids being scored) unless it is
   * there already; null when the file is small enough to show as it is or none can be made.
   */
  preview(file: string, request: RequestOptions = {}): Promise<string | null> {
    return this.call('preview', { file }, request);
  }

  /** Number of requests still waiting for an answer. */
  get busy(): number {
    return this.rpc?.size ?? 0;
  }

  dispose(): void {
    this.disposed = true;
    this.stop(new Error('worker stopped'));
  }

  /** Sends one request to the worker (started on first use). */
  private async call<K extends keyof WorkerOps>(
    op: K,
    body: RequestOf<WorkerOps, K>,
    opts: CallOptions<UpdateOf<WorkerOps, K>>,
  ): Promise<ResultOf<WorkerOps, K>> {
    if (this.disposed) throw new Error('worker stopped');
    if (opts.signal?.aborted) throw abortError();
    const { worker, rpc } = this.ensureWorker();
    // Keep the process alive while an answer is awaited (unref'd again when idle).
    worker.ref();
    try {
      return await rpc.request(op, body, opts);
    } finally {
      if (rpc.size === 0 && this.worker === worker) worker.unref();
    }
  }

  private ensureWorker(): { worker: Worker; rpc: RpcClient<WorkerOps> } {
    if (this.worker && this.rpc) return { worker: this.worker, rpc: this.rpc };
    const worker = new Worker(this.workerFile, { execArgv: this.execArgv, workerData: { l10n: this.l10nBundle, previewDir: this.previewDir } });
    const rpc = new RpcClient<WorkerOps>({
      post: (msg) => worker.postMessage(msg satisfies WorkerRequest),
      // A hung read cannot be interrupted inside the worker: end the whole worker.
      onTimeout: (error) => this.worker === worker && this.stop(error),
    });
    // The extension host must be able to exit while the worker idles.
    worker.unref();
    worker.on('message', (reply: WorkerReply) => rpc.receive(reply));
    worker.on('error', (e) => this.onExit(worker, e));
    worker.on('exit', (code) => this.onExit(worker, new Error(`worker exited with code ${code}`)));
    this.worker = worker;
    this.rpc = rpc;
    return { worker, rpc };
  }

  private onExit(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.stop(error);
  }

  /** Ends the worker; its waiting requests fail with `error`. */
  private stop(error: Error): void {
    const { worker, rpc } = this;
    this.worker = undefined;
    this.rpc = undefined;
    rpc?.failAll(error);
    void worker?.terminate();
  }
}
