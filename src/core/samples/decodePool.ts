// Sample files digested on worker threads, one per core, so scoring hundreds of snapshot grids uses
// the whole machine while the caller's thread stays free. Workers start on first use and end after a
// short idle time; a crashed worker fails only the files it was digesting.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SampleDigest } from './digest';
import { sourceKey, type ImageSource } from './imageSource';
import { RpcClient, type RpcCancel, type RpcReply, type RpcRequest } from '../rpc';

export interface DecodeRequest {
  file: string;
  /** Set for an image inside `file` (see ImageSource). */
  embedded?: ImageSource['embedded'];
  name: string;
  maxBytes?: number;
  previewDir?: string;
}

/** The pool's one request (src/core/rpc.ts): a sample file's digest. */
export interface DecodeOps {
  digest: { request: DecodeRequest; result: SampleDigest };
}

export type DecodeMessage = RpcRequest<DecodeOps> | RpcCancel;
export type DecodeReply = RpcReply<DecodeOps>;

interface Job {
  request: DecodeRequest;
  /** Everyone waiting for this file: a scoring pass and a preview asked for meanwhile share one decode. */
  waiting: { resolve: (d: SampleDigest) => void; reject: (e: Error) => void }[];
}

interface Slot {
  worker: Worker;
  /** The jobs this worker digests now. */
  rpc: RpcClient<DecodeOps>;
}

/** Files digested at once per worker: while one inflates (on libuv's pool), the other's rows are read. */
const JOBS_PER_WORKER = 2;
const IDLE_MS = 5000;

export class DecodePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  /** Files someone is looking at now (a preview asked for): decoded before the scoring queue. */
  private readonly urgent: Job[] = [];
  /** Queued and running jobs by image (sourceKey), so a second request for an image joins the first. */
  private readonly byFile = new Map<string, Job>();
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;

  /**
   * @param workerFile the built `dist/decodeWorker.js` (or `src/core/samples/decodeWorker.ts` with `execArgv: ['--import', 'tsx']`).
   * @param opts.size worker threads (default: one per core, at most 4); opts.previewDir: where
   *   previews of large grids are saved as they are decoded (preview.ts).
   */
  constructor(
    private readonly workerFile: string,
    private readonly opts: { size?: number; execArgv?: string[]; l10n?: Record<string, string>; maxBytes?: number; previewDir?: string } = {},
  ) {}

  get size(): number {
    return Math.max(1, this.opts.size ?? Math.min(4, availableParallelism()));
  }

  /**
   * The digest of one sample file; rejects with the file's one-line error. A file already queued or
   * being decoded is not decoded twice: the request joins it.
   */
  digest(file: string | ImageSource, name: string): Promise<SampleDigest> {
    return this.request(typeof file === 'string' ? { file } : file, name, false);
  }

  /**
   * Decodes `file` before the files queued for scoring (its preview is made on the way, with
   * opts.previewDir): joins the decode already running or queued for it, moving a queued one ahead.
   */
  async preview(file: string, name: string): Promise<void> {
    await this.request({ file }, name, true);
  }

  /** Requests queued or running now (the tests and the log read it). */
  get pending(): number {
    return this.byFile.size;
  }

  private request(src: ImageSource, name: string, urgent: boolean): Promise<SampleDigest> {
    if (this.closed) return Promise.reject(new Error('decode pool closed'));
    const key = sourceKey(src);
    return new Promise<SampleDigest>((resolve, reject) => {
      const known = this.byFile.get(key);
      if (known) {
        known.waiting.push({ resolve, reject });
        const queued = this.queue.indexOf(known);
        if (urgent && queued >= 0) this.urgent.push(...this.queue.splice(queued, 1));
        this.dispatch();
        return;
      }
      const { maxBytes, previewDir } = this.opts;
      const request: DecodeRequest = {
        file: src.file,
        name,
        ...(src.embedded ? { embedded: src.embedded } : {}),
        ...(maxBytes !== undefined ? { maxBytes } : {}),
        ...(previewDir !== undefined ? { previewDir } : {}),
      };
      const job: Job = { request, waiting: [{ resolve, reject }] };
      this.byFile.set(key, job);
      (urgent ? this.urgent : this.queue).push(job);
      this.dispatch();
    });
  }

  /** Ends the workers; queued and running files are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new Error('decode pool closed');
    for (const job of [...this.urgent.splice(0), ...this.queue.splice(0)]) this.settle(job, error);
    await Promise.all(this.slots.splice(0).map((s) => this.end(s, error)));
  }

  private settle(job: Job, result: SampleDigest | Error): void {
    const key = sourceKey(job.request);
    if (this.byFile.get(key) === job) this.byFile.delete(key);
    for (const w of job.waiting) {
      if (result instanceof Error) w.reject(result);
      else w.resolve(result);
    }
  }

  private dispatch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    while (this.urgent.length || this.queue.length) {
      const slot =
        this.slots.find((s) => s.rpc.size === 0) ?? (this.slots.length < this.size ? this.spawn() : this.slots.find((s) => s.rpc.size < JOBS_PER_WORKER));
      if (!slot) break;
      const job = this.urgent.shift() ?? this.queue.shift();
      if (!job) break;
      slot.worker.ref();
      const done = (result: SampleDigest | Error) => {
        if (slot.rpc.size === 0) slot.worker.unref();
        this.settle(job, result);
        if (!this.closed) this.dispatch();
      };
      slot.rpc.request('digest', job.request).then(done, (e: unknown) => done(e instanceof Error ? e : new Error(String(e))));
    }
    if (!this.urgent.length && !this.queue.length && this.slots.every((s) => s.rpc.size === 0) && this.slots.length) {
      this.idleTimer = setTimeout(() => void Promise.all(this.slots.splice(0).map((s) => this.end(s, new Error('idle')))), IDLE_MS);
      this.idleTimer.unref();
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.workerFile, { execArgv: this.opts.execArgv ?? [], workerData: { l10n: this.opts.l10n } });
    const slot: Slot = { worker, rpc: new RpcClient<DecodeOps>({ post: (msg) => worker.postMessage(msg satisfies DecodeMessage) }) };
    worker.unref();
    worker.on('message', (reply: DecodeReply) => slot.rpc.receive(reply));
    // Its jobs fail (and the next dispatch starts a fresh worker for the rest).
    const fail = (error: Error) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      slot.rpc.failAll(error);
    };
    worker.on('error', (e) => fail(e));
    worker.on('exit', (code) => fail(new Error(`decode worker exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }

  private async end(slot: Slot, error: Error): Promise<void> {
    slot.rpc.failAll(error);
    await slot.worker.terminate();
  }
}
