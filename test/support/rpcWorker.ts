// A worker thread that answers through src/core/rpc.ts, for the RPC's own tests: real threads and
// real message passing, with ops that answer, fail, tell progress, hang, and reply out of shape.
import { parentPort } from 'node:worker_threads';
import { serve, type RpcCancel, type RpcRequest } from '../../src/core/rpc';

export interface TestOps {
  echo: { request: { text: string }; result: string };
  /** Answers after `ms`, telling each tenth of the wait; stops when cancelled. */
  slow: { request: { ms: number }; result: number; update: number };
  /** Throws an error of several lines. */
  fail: { request: { message: string }; result: never };
  /** Never answers. */
  hang: { request: Record<string, never>; result: never };
  /** Answered with a reply of another op, or one without its value (the worker and its client disagree). */
  malformed: { request: { how: 'other op' | 'no value' }; result: string };
  /** Whether the request `id` was cancelled (its handler saw the abort). */
  cancelled: { request: { id: number }; result: boolean };
  /** A buffer of `bytes`, moved to the asker (not copied). */
  buffer: { request: { bytes: number }; result: ArrayBuffer };
}

const cancelled = new Set<number>();

if (parentPort) {
  const port = parentPort;
  const answer = serve<TestOps>(
    {
      echo: ({ text }) => text,
      slow: ({ ms }, call) =>
        new Promise<number>((resolve) => {
          let told = 0;
          const tick = setInterval(() => {
            call.update(++told);
            if (told === 10) {
              clearInterval(tick);
              resolve(ms);
            }
          }, ms / 10);
          call.signal.addEventListener('abort', () => {
            clearInterval(tick);
            cancelled.add(call.id);
          });
        }),
      fail: ({ message }) => {
        throw new Error(`${message}\n  at somewhere (deep.ts:1)`);
      },
      hang: () => new Promise<never>(() => undefined),
      malformed: () => '',
      cancelled: ({ id }) => cancelled.has(id),
      buffer: ({ bytes }, call) => {
        const buf = new Float64Array(bytes / 8).fill(0.5).buffer;
        call.transfer.push(buf);
        return buf;
      },
    },
    (reply, transfer) => port.postMessage(reply, transfer),
  );
  port.on('message', (msg: RpcRequest<TestOps> | RpcCancel) => {
    if (msg.type === 'request' && msg.op === 'malformed') {
      if (msg.body.how === 'other op') port.postMessage({ type: 'done', id: msg.id, op: 'echo', value: 'not yours' });
      else port.postMessage({ type: 'done', id: msg.id, op: 'malformed' });
      return;
    }
    void answer(msg);
  });
}
