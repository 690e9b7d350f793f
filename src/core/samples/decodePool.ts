// Sample files digested on worker threads, one per core, so scoring hundreds of snapshot grids uses
// the whole machine while the caller's thread stays free. Workers start on first use and end after a
// short idle time; a crashed worker fails only the files it was digesting.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SampleDigest } from './digest';

export interface DecodeRequest {
  id: number;
  file: string;
  name: string;
  maxBytes?: number;
  previewDir?: string;
}

export type DecodeReply = { id: number; digest: SampleDigest } | { id: number; message: string };

interface Job {
  request: DecodeRequest;
  resolve: (d: SampleDigest) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
}

/** Files digested at once per worker: while one inflates (on libuv's pool), the other's rows are read. */
const JOBS_PER_WORKER = 2;
const IDLE_MS = 5000;

export class DecodePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
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

  /** The digest of one sample file; rejects with the file's one-line error. */
  digest(file: string, name: string): Promise<SampleDigest> {
    if (this.closed) return Promise.reject(new Error('decode pool closed'));
    return new Promise<SampleDigest>((resolve, reject) => {
      const { maxBytes, previewDir } = this.opts;
      const request: DecodeRequest = { id: this.nextId++, file, name, ...(maxBytes !== undefined ? { maxBytes } : {}), ...(previewDir !== undefined ? { previewDir } : {}) };
      this.queue.push({ request, resolve, reject });
      this.dispatch();
    });
  }

  /** Ends the workers; queued and running files are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new Error('decode pool closed');
    for (const job of this.queue.splice(0)) job.reject(error);
    await Promise.all(this.slots.splice(0).map((s) => this.end(s, error)));
  }

  private dispatch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    while (this.queue.length) {
      let slot = this.slots.find((s) => s.jobs.size === 0) ?? (this.slots.length < this.size ? this.spawn() : this.slots.find((s) => s.jobs.size < JOBS_PER_WORKER));
      if (!slot) break;
      const job = this.queue.shift()!;
      slot.jobs.set(job.request.id, job);
      slot.worker.ref();
      slot.worker.postMessage(job.request);
      slot = undefined;
    }
    if (!this.queue.length && this.slots.every((s) => s.jobs.size === 0) && this.slots.length) {
      this.idleTimer = setTimeout(() => void Promise.all(this.slots.splice(0).map((s) => this.end(s, new Error('idle')))), IDLE_MS);
      this.idleTimer.unref();
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.workerFile, { execArgv: this.opts.execArgv ?? [], workerData: { l10n: this.opts.l10n } });
    const slot: Slot = { worker, jobs: new Map() };
    worker.unref();
    worker.on('message', (reply: DecodeReply) => {
      const job = slot.jobs.get(reply.id);
      if (!job) return;
      slot.jobs.delete(reply.id);
      if (slot.jobs.size === 0) worker.unref();
      if ('digest' in reply) job.resolve(reply.digest);
      else job.reject(new Error(reply.message));
      this.dispatch();
    });
    const fail = (error: Error) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      for (const job of slot.jobs.values()) job.reject(error);
      slot.jobs.clear();
      if (!this.closed) this.dispatch();
    };
    worker.on('error', (e) => fail(e));
    worker.on('exit', (code) => fail(new Error(`decode worker exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }

  private async end(slot: Slot, error: Error): Promise<void> {
    for (const job of slot.jobs.values()) job.reject(error);
    slot.jobs.clear();
    await slot.worker.terminate();
  }
}
