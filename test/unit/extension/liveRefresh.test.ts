// Live refresh against real files: a loss file rewritten slowly in chunks (as np.save does in
// place) never shows half-written, the last good data stays, and the new data shows once complete.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { discoverRuns } from '../../../src/core/discover';
import { inspectRun, type Inspection } from '../../../src/core/inspect';
import { newlyDamaged, RunRefresher, type RefreshTarget } from '../../../src/extension/runs/liveRefresh';

let tmp = '';
let runDir = '';
let staging = '';

function saveNpy(file: string, n: number): void {
  execFileSync('python3', [
    '-c',
    'import numpy as np, sys; n = int(sys.argv[2]); np.save(sys.argv[1], 0.7 + 0.1 * np.sin(np.arange(n) / 10.0))',
    file,
    String(n),
  ]);
}

beforeEach(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'gan-live-'));
  runDir = path.join(tmp, 'result');
  staging = path.join(tmp, 'staging');
  mkdirSync(runDir);
  mkdirSync(staging);
  saveNpy(path.join(runDir, 'discriminator_loss.npy'), 300);
  saveNpy(path.join(runDir, 'generator_loss.npy'), 300);
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

/** A refresh target over the real readers, recording what it shows. */
function target() {
  const shown: Inspection[] = [];
  let reads = 0;
  const failures: string[] = [];
  const t: RefreshTarget = {
    async read(root) {
      reads++;
      const loc = (await discoverRuns(root)).find((l) => l.root === root)!;
      return inspectRun(loc);
    },
    current: () => shown[shown.length - 1],
    publish: (_root, ins) => void shown.push(ins),
    failed: (_root, message) => void failures.push(message),
  };
  return { t, shown, failures, reads: () => reads };
}

const dLength = (ins: Inspection) => ins.run.series.find((s) => s.role === 'discriminator')!.values.length;

async function settle(r: RunRefresher, root: string, limitMs = 15000): Promise<void> {
  const start = Date.now();
  while (r.pending(root)) {
    if (Date.now() - start > limitMs) throw new Error('refresh did not settle');
    await sleep(20);
  }
}

test('a loss file rewritten in slow chunks never shows half-written; the longer data shows at the end', async () => {
  const { t, shown, failures } = target();
  const r = new RunRefresher(t, { debounceMs: 40, retryDelaysMs: [40, 80, 160, 320, 640] });
  try {
    r.touched(runDir);
    await settle(r, runDir);
    assert.equal(shown.length, 1);
    assert.equal(dLength(shown[0]!), 300);

    saveNpy(path.join(staging, 'd.npy'), 5000);
    const bytes = readFileSync(path.join(staging, 'd.npy'));
    // np.save truncates and writes in place: the watcher fires on every chunk.
    const fd = openSync(path.join(runDir, 'discriminator_loss.npy'), 'w');
    r.touched(runDir);
    const chunk = 4096;
    for (let off = 0; off < bytes.length; off += chunk) {
      writeSync(fd, bytes, off, Math.min(chunk, bytes.length - off));
      r.touched(runDir);
      await sleep(60);
    }
    closeSync(fd);
    r.touched(runDir);
    await settle(r, runDir);

    for (const ins of shown) {
      assert.deepEqual(ins.run.errors, [], 'no half-written read is ever shown');
      assert.ok([300, 5000].includes(dLength(ins)), `length ${dLength(ins)}`);
    }
    assert.equal(dLength(shown[shown.length - 1]!), 5000);
    assert.deepEqual(failures, []);
  } finally {
    r.dispose();
  }
});

test('a file that stays damaged is reported after the retries, not before', async () => {
  const { t, shown, reads } = target();
  const delays = [30, 60, 120];
  const r = new RunRefresher(t, { debounceMs: 20, retryDelaysMs: delays });
  try {
    r.touched(runDir);
    await settle(r, runDir);
    const before = reads();
    const good = readFileSync(path.join(runDir, 'generator_loss.npy'));
    writeFileSync(path.join(runDir, 'generator_loss.npy'), good.subarray(0, 200));
    const start = Date.now();
    r.touched(runDir);
    await settle(r, runDir);
    assert.ok(Date.now() - start >= delays.reduce((a, b) => a + b, 0), 'waited through every retry');
    assert.equal(reads() - before, 1 + delays.length);
    assert.equal(shown.length, 2);
    const last = shown[1]!;
    assert.deepEqual(
      last.run.errors.map((e) => e.source),
      ['generator_loss.npy'],
    );
    assert.match(last.run.errors[0]!.message, /generator_loss\.npy/);
    // Once reported, a later change to another file does not retry the known damage again.
    r.touched(runDir);
    await settle(r, runDir);
    assert.equal(reads() - before, 2 + delays.length);
    assert.equal(shown.length, 3);
  } finally {
    r.dispose();
  }
});

test('a burst of changes is read once after the debounce', async () => {
  const { t, shown, reads } = target();
  const r = new RunRefresher(t, { debounceMs: 80, retryDelaysMs: [50] });
  try {
    for (let i = 0; i < 20; i++) {
      r.touched(runDir);
      await sleep(2);
    }
    await settle(r, runDir);
    assert.equal(reads(), 1);
    assert.equal(shown.length, 1);
  } finally {
    r.dispose();
  }
});

test('a read that throws keeps the old data and reports once the retries are spent', async () => {
  let calls = 0;
  const shown: Inspection[] = [];
  const failures: string[] = [];
  const r = new RunRefresher(
    {
      read: async () => {
        calls++;
        throw new Error('worker exited with code 1');
      },
      current: () => undefined,
      publish: (_r, i) => void shown.push(i),
      failed: (_r, m) => void failures.push(m),
    },
    { debounceMs: 5, retryDelaysMs: [5, 5] },
  );
  try {
    r.touched('/nowhere');
    await settle(r, '/nowhere');
    assert.equal(calls, 3);
    assert.deepEqual(shown, []);
    assert.deepEqual(failures, ['worker exited with code 1']);
  } finally {
    r.dispose();
  }
});

test('newlyDamaged compares unreadable sources with the previous inspection', () => {
  const ins = (errors: string[]) => ({ run: { errors: errors.map((source) => ({ source, message: `${source}: bad` })) } }) as unknown as Inspection;
  assert.deepEqual(newlyDamaged(undefined, ins(['a.npy'])), ['a.npy']);
  assert.deepEqual(newlyDamaged(ins(['a.npy']), ins(['a.npy', 'b.npy'])), ['b.npy']);
  assert.deepEqual(newlyDamaged(ins(['a.npy']), ins([])), []);
});
