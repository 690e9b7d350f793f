// The one RPC (src/core/rpc.ts) over a real worker thread: concurrent requests each get their own
// answer, updates arrive on the way, errors come back as one line, timeouts and cancels reach the
// worker, a reply out of shape fails its request (never another's), and buffers move.
import { bundleForNode } from '../../support/bundles';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { RpcClient, serve, type Handlers, type RpcReply } from '../../../src/core/rpc';
import type { TestOps } from '../../support/rpcWorker';

let tmp = '';
let workerFile = '';
const open: { worker: Worker; client: RpcClient<TestOps>; timeouts: Error[] }[] = [];

before(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'gan-rpc-'));
  workerFile = await bundleForNode('test/support/rpcWorker.ts', path.join(tmp, 'rpcWorker.js'));
});
after(async () => {
  await Promise.all(open.map((o) => o.worker.terminate()));
  rmSync(tmp, { recursive: true, force: true });
});

/** A fresh worker and its client; `received` records every message the worker sends. */
function connect(received: unknown[] = []) {
  const worker = new Worker(workerFile);
  const timeouts: Error[] = [];
  const client = new RpcClient<TestOps>({ post: (msg, transfer) => worker.postMessage(msg, transfer ?? []), onTimeout: (e) => timeouts.push(e) });
  worker.on('message', (msg: unknown) => {
    received.push(msg);
    client.receive(msg);
  });
  const o = { worker, client, timeouts };
  open.push(o);
  return o;
}

test('concurrent requests each get their own answer, typed by their op', async () => {
  const { client } = connect();
  const texts = Array.from({ length: 50 }, (_, i) => `run ${i}`);
  const [slow, ...echoes] = await Promise.all([client.request('slow', { ms: 200 }), ...texts.map((text) => client.request('echo', { text }))]);
  // Answered out of order (the slow one last) yet each to its own request.
  assert.equal(slow, 200);
  assert.deepEqual(echoes, texts);
  assert.equal(client.size, 0, 'nothing left waiting');
});

test('updates arrive before the answer, in order', async () => {
  const { client } = connect();
  const told: number[] = [];
  const value = await client.request('slow', { ms: 100 }, { onUpdate: (n) => told.push(n) });
  assert.equal(value, 100);
  assert.deepEqual(told, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});

test('an error comes back as its one line and fails only its own request', async () => {
  const { client } = connect();
  const failing = client.request('fail', { message: 'd_loss.npy: file not found' });
  const fine = client.request('echo', { text: 'still here' });
  await assert.rejects(failing, (e: Error) => e.message === 'd_loss.npy: file not found at somewhere (deep.ts:1)');
  assert.equal(await fine, 'still here');
});

test('a timeout fails the request, tells the client, and cancels it in the worker', async () => {
  const { client, timeouts } = connect();
  const started = Date.now();
  const slow = client.request('slow', { ms: 5000 }, { timeoutMs: 150 });
  const id = client.lastId;
  await assert.rejects(slow, /timed out after 150 ms/);
  assert.ok(Date.now() - started < 2000, 'not waited for the answer');
  assert.equal(timeouts.length, 1);
  assert.equal(await client.request('cancelled', { id }), true, 'the worker was told to stop');
  // A request that never answers times out too, and the channel keeps working.
  await assert.rejects(client.request('hang', {}, { timeoutMs: 50 }), /timed out/);
  assert.equal(await client.request('echo', { text: 'after' }), 'after');
});

test('an update can lift the timeout: an answerer that has told part of its answer is not hung', async () => {
  const { client } = connect();
  await client.request('echo', { text: 'started' }); // the worker's start is not part of the wait
  // Ten updates over 400 ms: the first (at 40 ms) lifts the 100 ms timeout.
  assert.equal(await client.request('slow', { ms: 400 }, { timeoutMs: 100, updateLiftsTimeout: true }), 400);
  await assert.rejects(client.request('slow', { ms: 400 }, { timeoutMs: 100 }), /timed out/);
});

test('a cancelled request rejects with AbortError at once, the worker stops it, and its late reply is dropped', async () => {
  const received: unknown[] = [];
  const { client } = connect(received);
  const controller = new AbortController();
  const slow = client.request('slow', { ms: 300 }, { signal: controller.signal });
  const id = client.lastId;
  setTimeout(() => controller.abort(), 60);
  await assert.rejects(slow, (e: Error) => e.name === 'AbortError');
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(await client.request('cancelled', { id }), true, 'the handler saw the abort');
  assert.ok(!received.some((m) => (m as { id: number; type: string }).id === id && (m as { type: string }).type === 'done'), 'no answer after the cancel');
  // Aborted before it was sent: nothing is posted.
  const before = client.lastId;
  await assert.rejects(client.request('echo', { text: 'x' }, { signal: AbortSignal.abort() }), (e: Error) => e.name === 'AbortError');
  assert.equal(client.lastId, before);
});

test('a malformed reply fails its own request with a clear line, never another request', async () => {
  const { client } = connect();
  const waiting = client.request('slow', { ms: 100 });
  await assert.rejects(client.request('malformed', { how: 'other op' }), /^Error: malformed: malformed reply$/);
  await assert.rejects(client.request('malformed', { how: 'no value' }), /malformed reply/);
  assert.equal(await waiting, 100);
  // Messages that are no reply of this client are left alone.
  for (const junk of [null, 42, 'done', { type: 'done' }, { type: 'done', id: 'x' }, { type: 'done', id: 9999, op: 'echo', value: 1 }, { type: 'view' }])
    assert.equal(client.receive(junk), false, JSON.stringify(junk));
});

test('a worker that dies fails every waiting request', async () => {
  const { worker, client } = connect();
  worker.on('exit', () => client.failAll(new Error('worker exited')));
  const waiting = [client.request('hang', {}), client.request('slow', { ms: 5000 })];
  await new Promise((r) => setTimeout(r, 50));
  await worker.terminate();
  for (const w of waiting) await assert.rejects(w, /worker exited/);
  assert.equal(client.size, 0);
});

test('a request that cannot be sent fails at once and leaves nothing waiting', async () => {
  const { client } = connect();
  // A function cannot be cloned into another thread.
  await assert.rejects(client.request('echo', { text: (() => 'x') as unknown as string }, { timeoutMs: 60_000 }), /could not be cloned/);
  assert.equal(client.size, 0);
  assert.equal(await client.request('echo', { text: 'next' }), 'next');
});

test('a buffer in the transfer list moves to the asker', async () => {
  const { client } = connect();
  const buf = await client.request('buffer', { bytes: 1 << 20 });
  assert.ok(buf instanceof ArrayBuffer);
  assert.equal(buf.byteLength, 1 << 20);
  assert.equal(new Float64Array(buf)[12345], 0.5);
});

test('serve answers an op it has no handler for with a failed reply, and drops replies to cancelled requests', async () => {
  const posted: RpcReply<TestOps>[] = [];
  const answer = serve<Pick<TestOps, 'echo'>>({ echo: ({ text }) => text }, (reply) => void posted.push(reply as RpcReply<TestOps>));
  // A request forged past the types (the webview's are validated first; this is the last guard).
  await answer({ type: 'request', id: 1, op: 'nope' as 'echo', body: { text: '' } });
  assert.deepEqual(posted, [{ type: 'failed', id: 1, message: 'nope: no such request' }]);
  const late = answer({ type: 'request', id: 2, op: 'echo', body: { text: 'late' } });
  await answer({ type: 'cancel', id: 2 });
  await late;
  assert.equal(posted.length, 1, 'no reply to a cancelled request');
});

test('a result, update or body of another type than its op says does not compile (npm test type-checks this file)', async () => {
  const sent: unknown[] = [];
  const client = new RpcClient<TestOps>({ post: (msg) => void sent.push(msg) });
  // Each result comes typed by its op: no cast at the asker.
  const text: Promise<string> = client.request('echo', { text: 'a' });
  const ms: Promise<number> = client.request('slow', { ms: 1 }, { onUpdate: (told: number) => void told });
  // @ts-expect-error echo asks with a text, not a wait
  const wrongBody = client.request('echo', { ms: 1 });
  // @ts-expect-error echo answers a string
  const wrongResult: Promise<number> = client.request('echo', { text: 'b' });
  // @ts-expect-error echo tells nothing on the way
  const noUpdates = client.request('echo', { text: 'c' }, { onUpdate: (n: number) => void n });
  // @ts-expect-error a handler must answer its op's result
  const wrongHandler: Handlers<Pick<TestOps, 'echo'>> = { echo: () => 42 };
  // @ts-expect-error every op needs its handler
  const missing: Handlers<Pick<TestOps, 'echo' | 'hang'>> = { echo: ({ text: t }) => t };
  client.failAll(new Error('not sent anywhere'));
  await Promise.allSettled([text, ms, wrongBody, wrongResult, noUpdates]);
  assert.equal(sent.length, 5);
  assert.equal(Object.keys(wrongHandler).length + Object.keys(missing).length, 2);
});
