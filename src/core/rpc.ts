// One request/reply channel, whatever carries its messages: the inspection worker, the sample decode
// pool and the inspector webview all ask and answer through it. Each channel names its ops in one
// map (op → request body, result, and what it tells on the way), so every reply is typed by the
// request that asked for it. Pure: no Node and no DOM, so the webview uses it too.

/** One op of a channel: the body of its request, its result, and (optionally) its updates on the way. */
export interface OpSpec {
  request: unknown;
  result: unknown;
  update?: unknown;
}

/** A channel's ops by name (an interface: `interface WorkerOps { inspect: {…}; … }`). */
export type OpMap<M> = { [K in keyof M]: OpSpec };

type Op<M> = keyof M & string;
type Spec<M, K extends Op<M>> = M[K] extends OpSpec ? M[K] : never;
export type RequestOf<M, K extends Op<M>> = Spec<M, K>['request'];
export type ResultOf<M, K extends Op<M>> = Spec<M, K>['result'];
export type UpdateOf<M, K extends Op<M>> = Spec<M, K> extends { update: infer U } ? U : never;

export type RpcRequest<M> = { [K in Op<M>]: { type: 'request'; id: number; op: K; body: RequestOf<M, K> } }[Op<M>];
/** The asker no longer waits: the answerer may stop, and its reply (if any) is dropped. */
export interface RpcCancel {
  type: 'cancel';
  id: number;
}
export type RpcDone<M> = { [K in Op<M>]: { type: 'done'; id: number; op: K; value: ResultOf<M, K> } }[Op<M>];
export type RpcUpdate<M> = { [K in Op<M>]: { type: 'update'; id: number; op: K; value: UpdateOf<M, K> } }[Op<M>];
/** A request that failed, told in one line. */
export interface RpcFailed {
  type: 'failed';
  id: number;
  message: string;
}
export type RpcReply<M> = RpcDone<M> | RpcUpdate<M> | RpcFailed;

/** Buffers moved with a message, not copied (postMessage's transfer list). */
export type Transfer = ArrayBuffer[];

export interface CallOptions<U> {
  signal?: AbortSignal;
  /** Fails the request when no answer came by then (and calls the client's onTimeout). */
  timeoutMs?: number;
  /** Only for an op that tells updates (its map names their type). */
  onUpdate?: [U] extends [never] ? never : (update: U) => void;
  /** The first update ends the timeout: an answerer that has told part of its answer is not hung. */
  updateLiftsTimeout?: boolean;
}

export interface ClientPort<M> {
  post(msg: RpcRequest<M> | RpcCancel, transfer?: Transfer): void;
  /** A request ran past its timeout (it is failed already): e.g. end a worker that cannot be interrupted. */
  onTimeout?(error: Error): void;
}

interface Pending {
  op: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onUpdate?: (value: unknown) => void;
  lift: () => void;
  cleanup: () => void;
}

/** The asking side: numbered requests, each answered once (done or failed), updates on the way. */
export class RpcClient<M extends OpMap<M>> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly port: ClientPort<M>) {}

  request<K extends Op<M>>(op: K, body: RequestOf<M, K>, opts: CallOptions<UpdateOf<M, K>> = {}, transfer?: Transfer): Promise<ResultOf<M, K>> {
    if (opts.signal?.aborted) return Promise.reject(abortError());
    const id = this.nextId++;
    return new Promise<ResultOf<M, K>>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => {
        if (!this.settle(id)) return;
        reject(abortError());
        this.port.post({ type: 'cancel', id });
      };
      const lift = () => {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
      };
      this.pending.set(id, {
        op,
        // The one place a value meets its type: `receive` checked the reply's op is this request's.
        resolve: resolve as (value: unknown) => void,
        reject,
        ...(opts.onUpdate ? { onUpdate: opts.onUpdate as (value: unknown) => void } : {}),
        lift: () => opts.updateLiftsTimeout && lift(),
        cleanup: () => {
          lift();
          opts.signal?.removeEventListener('abort', onAbort);
        },
      });
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      if (opts.timeoutMs !== undefined) {
        const ms = opts.timeoutMs;
        timer = setTimeout(() => {
          if (!this.settle(id)) return;
          const error = new Error(`timed out after ${ms} ms`);
          reject(error);
          this.port.post({ type: 'cancel', id });
          this.port.onTimeout?.(error);
        }, ms);
      }
      try {
        this.port.post({ type: 'request', id, op, body } as RpcRequest<M>, transfer);
      } catch (e) {
        // Not sent (a closed port, a value that cannot be cloned): fails now, leaves nothing waiting.
        this.settle(id);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  /**
   * Takes one incoming message: true when it answered (or told on the way) a request of this client.
   * A reply that names a waiting request but is not a well-formed answer to its op fails that request.
   */
  receive(msg: unknown): boolean {
    if (typeof msg !== 'object' || msg === null) return false;
    const m = msg as Partial<Record<'type' | 'id' | 'op' | 'value' | 'message', unknown>>;
    if ((m.type !== 'done' && m.type !== 'update' && m.type !== 'failed') || typeof m.id !== 'number') return false;
    const p = this.pending.get(m.id);
    if (!p) return false;
    if (m.type === 'failed') {
      this.settle(m.id);
      p.reject(new Error(typeof m.message === 'string' ? m.message : `${p.op}: failed`));
      return true;
    }
    if (m.op !== p.op || !('value' in m)) {
      this.settle(m.id);
      p.reject(new Error(`${p.op}: malformed reply`));
      return true;
    }
    if (m.type === 'update') {
      p.lift();
      p.onUpdate?.(m.value);
      return true;
    }
    this.settle(m.id);
    p.resolve(m.value);
    return true;
  }

  /** Fails every waiting request (the answerer is gone). */
  failAll(error: Error): void {
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(error);
  }

  /** Requests still waiting for an answer. */
  get size(): number {
    return this.pending.size;
  }

  /** The id of the latest request (0 before the first). */
  get lastId(): number {
    return this.nextId - 1;
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    p.cleanup();
    return p;
  }
}

/** What an answerer is given with each request. */
export interface Call<U> {
  id: number;
  /** Aborted when the asker cancels. */
  signal: AbortSignal;
  update(value: U, transfer?: Transfer): void;
  /** Buffers to move with the result instead of copying it (filled by the handler). */
  transfer: Transfer;
}

export type Handlers<M> = { [K in Op<M>]: (body: RequestOf<M, K>, call: Call<UpdateOf<M, K>>) => ResultOf<M, K> | Promise<ResultOf<M, K>> };

/**
 * The answering side: returns the function that takes each request (and cancel) of the channel and
 * posts its one reply; a thrown error is replied as its one-line message, never lost.
 */
export function serve<M extends OpMap<M>>(
  handlers: Handlers<M>,
  post: (reply: RpcReply<M>, transfer?: Transfer) => void,
): (msg: RpcRequest<M> | RpcCancel) => Promise<void> {
  const running = new Map<number, AbortController>();
  return async (msg) => {
    if (msg.type === 'cancel') {
      running.get(msg.id)?.abort();
      running.delete(msg.id);
      return;
    }
    const controller = new AbortController();
    running.set(msg.id, controller);
    const { id, op } = msg;
    const call: Call<unknown> = {
      id,
      signal: controller.signal,
      transfer: [],
      update: (value, transfer) => {
        if (!controller.signal.aborted) post({ type: 'update', id, op, value } as RpcUpdate<M>, transfer);
      },
    };
    try {
      const handler = handlers[op] as ((body: unknown, call: Call<unknown>) => unknown) | undefined;
      if (!handler) throw new Error(`${op}: no such request`);
      const value = await handler(msg.body, call);
      if (!controller.signal.aborted) post({ type: 'done', id, op, value } as RpcDone<M>, call.transfer);
    } catch (e) {
      if (!controller.signal.aborted) post({ type: 'failed', id, message: oneLine(e) });
    } finally {
      running.delete(id);
    }
  };
}

/** An error as the one line a reply carries (its lines joined, nothing dropped). */
export function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.trim().replace(/\s*\n\s*/g, ' ');
}

export function abortError(): Error {
  const e = new Error('cancelled');
  e.name = 'AbortError';
  return e;
}

export function isAbortError(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}
