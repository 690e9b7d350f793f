// Issue #13: runs of the same length, inspected together by one worker, in every reader. The worker
// moves a run's arrays to the caller; nothing it keeps may be one of them, or the next run of the
// same length is answered with a detached buffer ("An ArrayBuffer is detached and could not be
// cloned"). Real bytes: .npy written by numpy, CSV and JSON lines as text, TensorBoard records
// encoded with protobufjs from the reader's own descriptor.
import { bundleForNode } from '../../support/bundles';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import protobuf from 'protobufjs';
import type { RunLocation } from '../../../src/core/discover';
import { WorkerClient } from '../../../src/extension/worker/client';
import type { Inspection } from '../../../src/core/inspect';
import { tfRecord } from '../../../src/core/formats/tfevents';
import { tfEventsDescriptor } from '../../../src/core/formats/tfevents.proto';
// Long enough that every series' memory is moved, not copied (the worker copies under 64 KB).
const N = 12_000;
const GROWN = N + 500;
const COPIES = ['alpha', 'beta', 'gamma'];
const KINDS = ['npy1d', 'npy2col', 'csv', 'jsonl', 'tfevents'] as const;
type Kind = (typeof KINDS)[number];

let tmp = '';
let workerFile = '';

before(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'gan-equal-lengths-'));
  workerFile = path.join(tmp, 'worker.js');
  await bundleForNode('src/extension/worker/worker.ts', workerFile);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Run `copy` of every kind has its own values, so a mix-up between runs is seen. */
const dAt = (copy: number, i: number) => 0.1 * (copy + 1) + (i % 7) / 1000;
const gAt = (copy: number, i: number) => 2 + copy + (i % 11) / 1000;
const f32 = Math.fround;

const root = protobuf.Root.fromJSON(tfEventsDescriptor as unknown as protobuf.INamespace);
const Event = root.lookupType('tensorflow.Event');
function tfEvents(copy: number, from: number, to: number): Uint8Array {
  const records: Uint8Array[] = [];
  if (from === 0) records.push(tfRecord(Event.encode(Event.fromObject({ wallTime: 1.7e9, fileVersion: 'brain.Event:2' })).finish()));
  for (let i = from; i < to; i++) {
    const value = [
      { tag: 'loss/discriminator', simpleValue: dAt(copy, i) },
      { tag: 'loss/generator', simpleValue: gAt(copy, i) },
    ];
    records.push(tfRecord(Event.encode(Event.fromObject({ wallTime: 1.7e9 + i, step: i, summary: { value } })).finish()));
  }
  return Buffer.concat(records);
}

function textRows(kind: 'csv' | 'jsonl', copy: number, from: number, to: number): string {
  let out = kind === 'csv' && from === 0 ? 'step,d_loss,g_loss\n' : '';
  for (let i = from; i < to; i++) {
    out += kind === 'csv' ? `${i},${dAt(copy, i)},${gAt(copy, i)}\n` : `${JSON.stringify({ step: i, d_loss: dAt(copy, i), g_loss: gAt(copy, i) })}\n`;
  }
  return out;
}

/** numpy writes the .npy files, as a training script does (rewritten whole, as np.save does). */
function writeNpy(folder: string, kind: 'npy1d' | 'npy2col', copy: number, n: number): void {
  const script = `
import numpy as np, sys
folder, kind, copy, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
i = np.arange(n)
d = 0.1 * (copy + 1) + (i % 7) / 1000
g = 2 + copy + (i % 11) / 1000
if kind == 'npy1d':
    np.save(folder + '/discriminator_loss.npy', d)
    np.save(folder + '/generator_loss.npy', g)
else:
    np.save(folder + '/losses.npy', np.stack([d, g], axis=1))
`;
  execFileSync('python3', ['-c', script, folder, kind, String(copy), String(n)]);
}

function writeRun(folder: string, kind: Kind, copy: number): void {
  mkdirSync(folder, { recursive: true });
  if (kind === 'npy1d' || kind === 'npy2col') writeNpy(folder, kind, copy, N);
  else if (kind === 'tfevents') writeFileSync(path.join(folder, 'events.out.tfevents.1700000000.host'), tfEvents(copy, 0, N));
  else writeFileSync(path.join(folder, kind === 'csv' ? 'metrics.csv' : 'losses.jsonl'), textRows(kind, copy, 0, N));
}

/** Training went on: every run grows to GROWN steps (appended, or rewritten for .npy). */
function growRun(folder: string, kind: Kind, copy: number): void {
  if (kind === 'npy1d' || kind === 'npy2col') writeNpy(folder, kind, copy, GROWN);
  else if (kind === 'tfevents') appendFileSync(path.join(folder, 'events.out.tfevents.1700000000.host'), tfEvents(copy, N, GROWN));
  else appendFileSync(path.join(folder, kind === 'csv' ? 'metrics.csv' : 'losses.jsonl'), textRows(kind, copy, N, GROWN));
}

/** Every answer holds its own run's values at every step, and the steps 0…n−1. */
function assertRun(ins: Inspection, kind: Kind, copy: number, n: number): void {
  const label = `${kind}/${COPIES[copy]}`;
  assert.deepEqual(ins.run.errors, [], `${label}: no read errors`);
  const d = ins.run.series.find((s) => s.role === 'discriminator');
  const g = ins.run.series.find((s) => s.role === 'generator');
  assert.ok(d && g, `${label}: D and G found among ${ins.run.series.map((s) => s.name).join(', ')}`);
  const exact = kind !== 'tfevents'; // TensorBoard's simple_value is a float32
  for (const [s, at] of [
    [d, dAt],
    [g, gAt],
  ] as const) {
    assert.equal(s.values.length, n, `${label} ${s.name}: length`);
    assert.equal(s.steps.length, n, `${label} ${s.name}: steps length`);
    for (let i = 0; i < n; i++) {
      if (s.steps[i] !== i) assert.fail(`${label} ${s.name}: step ${i} is ${s.steps[i]}`);
      const want = exact ? at(copy, i) : f32(at(copy, i));
      if (s.values[i] !== want) assert.fail(`${label} ${s.name}: value ${i} is ${s.values[i]}, want ${want}`);
    }
  }
}

test('one worker reads runs of equal length in every reader together, and again after a live refresh', async () => {
  const folders = new Map<string, { kind: Kind; copy: number }>();
  for (const kind of KINDS) {
    COPIES.forEach((name, copy) => {
      const folder = path.join(tmp, 'workspace', `${kind}-${name}`, 'result');
      writeRun(folder, kind, copy);
      folders.set(folder, { kind, copy });
    });
  }
  const client = new WorkerClient(workerFile);
  try {
    const locs = await client.discover(path.join(tmp, 'workspace'));
    assert.equal(locs.length, folders.size, `every run found: ${locs.map((l) => l.name).join(', ')}`);
    const inspectAll = async (n: number) => {
      // All at once, as the GAN Runs view asks: the replies of equal-length runs cross while in flight.
      const answers = await Promise.all(locs.map((loc: RunLocation) => client.inspect(loc)));
      answers.forEach((ins, i) => {
        const { kind, copy } = folders.get(locs[i]!.root)!;
        assertRun(ins, kind, copy, n);
      });
    };
    await inspectAll(N);
    // The same runs again: what the first answers moved away must not be handed out a second time.
    await inspectAll(N);
    for (const [folder, { kind, copy }] of folders) growRun(folder, kind, copy);
    await inspectAll(GROWN);
  } finally {
    client.dispose();
  }
});
