import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import protobuf from 'protobufjs';
import { crc32c, readTfEvents, tfRecord } from '../../../../src/core/formats/tfevents';
import { tfEventsDescriptor } from '../../../../src/core/formats/tfevents.proto';
import { readCsvSeries } from '../../../../src/core/formats/csv';
import { ReadFailure, readLossFile } from '../../../../src/core/formats';
import type { SkipReport } from '../../../../src/core/formats/skipped';

const example = resolve(process.cwd(), '../shared/real-runs/tensorboard-example/logs');
const eventName = existsSync(example) ? readdirSync(example).find((f) => f.startsWith('events.out.tfevents.')) : undefined;
const skipReal = eventName ? false : 'real runs folder not present';

// Encoder for test events: protobufjs reflection over the same descriptor the reader takes its field numbers from.
const root = protobuf.Root.fromJSON(tfEventsDescriptor as unknown as protobuf.INamespace);
const Event = root.lookupType('tensorflow.Event');
const encodeEvent = (event: Record<string, unknown>) => tfRecord(Event.encode(Event.fromObject(event)).finish());
const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const f32bytes = (v: number) => new Uint8Array(new Float32Array([v]).buffer);
const f64bytes = (v: number) => new Uint8Array(new Float64Array([v]).buffer);
/** Asserts a ReadFailure whose one-line message matches. */
const refuses = (fn: () => unknown, message: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof ReadFailure && message.test(e.message) && !e.message.includes('\n'));
const scalarsPlugin = { pluginData: { pluginName: 'scalars' } };

/** What TF2's `tf.summary.scalar` writes: a rank-0 DT_FLOAT tensor, plugin metadata on the first value only. */
function tf2File(): Uint8Array {
  const records = [encodeEvent({ wallTime: 1700000000, fileVersion: 'brain.Event:2' })];
  const d = [0.69, 0.5, Number.NaN, 0.25];
  for (let i = 0; i < d.length; i++) {
    records.push(
      encodeEvent({
        wallTime: 1700000000 + i,
        step: i * 100,
        summary: {
          value: [
            { tag: 'loss/discriminator', metadata: i === 0 ? scalarsPlugin : undefined, tensor: { dtype: 1, tensorShape: {}, tensorContent: f32bytes(d[i]!) } },
            { tag: 'loss/generator', metadata: i === 0 ? scalarsPlugin : undefined, tensor: { dtype: 2, tensorShape: {}, doubleVal: [1 + i / 8] } },
            { tag: 'lr', tensor: { dtype: 1, floatVal: [0.0002] } },
            // A histogram is a float tensor too, but not one element and not the scalars plugin.
            {
              tag: 'hist/weights',
              metadata: i === 0 ? { pluginData: { pluginName: 'histograms' } } : undefined,
              tensor: { dtype: 2, tensorShape: { dim: [{ size: 2 }, { size: 3 }] }, tensorContent: new Uint8Array(48) },
            },
            // A one-element tensor of a non-scalar plugin stays out as well.
            { tag: 'text/note', metadata: i === 0 ? { pluginData: { pluginName: 'text' } } : undefined, tensor: { dtype: 1, tensorShape: {}, floatVal: [1] } },
          ],
        },
      }),
    );
  }
  return concat(records);
}

test('crc32c matches the published check value', () => {
  assert.equal(crc32c(new TextEncoder().encode('123456789')), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa); // RFC 3720 B.4: 32 bytes of zeros
});

test('TF2 tensor scalars: float content, double_val, float_val; histogram and text tags left out', () => {
  const series = readTfEvents(tf2File(), 'events.out.tfevents.1.host');
  assert.deepEqual(
    series.map((s) => s.name),
    ['loss/discriminator', 'loss/generator', 'lr'],
  );
  const [d, g, lr] = series;
  assert.deepEqual(Array.from(d!.steps), [0, 100, 200, 300]);
  assert.deepEqual(Array.from(d!.values.slice(0, 2)), [Math.fround(0.69), Math.fround(0.5)]);
  assert.ok(Number.isNaN(d!.values[2]), 'NaN is kept as data');
  assert.equal(d!.values[3], 0.25);
  assert.deepEqual(Array.from(g!.values), [1, 1.125, 1.25, 1.375]);
  assert.deepEqual(Array.from(lr!.values), Array(4).fill(Math.fround(0.0002)));
  assert.equal(d!.column, null);
});

test('half and bfloat16 scalar tensors (mixed-precision logging) decode to numbers', () => {
  const bytes = concat([
    encodeEvent({ step: 1, summary: { value: [{ tag: 'half', tensor: { dtype: 19, halfVal: [0x3555] } }] } }),
    encodeEvent({ step: 2, summary: { value: [{ tag: 'half', tensor: { dtype: 19, tensorContent: new Uint8Array([0x00, 0xfc]) } }] } }),
    encodeEvent({ step: 1, summary: { value: [{ tag: 'bf16', tensor: { dtype: 14, tensorContent: new Uint8Array([0x80, 0x3f]) } }] } }),
    encodeEvent({ step: 1, summary: { value: [{ tag: 'f64', tensor: { dtype: 2, tensorContent: f64bytes(-2.5) } }] } }),
  ]);
  const series = readTfEvents(bytes, 'events.out.tfevents.8');
  assert.deepEqual(
    series.map((s) => [s.name, Array.from(s.values)]),
    [
      ['half', [0.333251953125, -Infinity]],
      ['bf16', [1]],
      ['f64', [-2.5]],
    ],
  );
});

test('PyTorch-style simple_value, steps written out of order end up sorted', () => {
  const bytes = concat([
    encodeEvent({ wallTime: 1, fileVersion: 'brain.Event:2' }),
    encodeEvent({ wallTime: 2, step: 5, summary: { value: [{ tag: 'D', simpleValue: 0 }] } }),
    encodeEvent({ wallTime: 3, step: 3, summary: { value: [{ tag: 'D', simpleValue: -1.5 }] } }),
    encodeEvent({ wallTime: 4, step: 2 ** 40, summary: { value: [{ tag: 'D', simpleValue: 2 }] } }),
  ]);
  const [d] = readTfEvents(bytes, 'events.out.tfevents.2');
  assert.deepEqual(Array.from(d!.steps), [3, 5, 2 ** 40]);
  assert.deepEqual(Array.from(d!.values), [-1.5, 0, 2]);
});

test('a bad data checksum skips that record only: the ones before and after are kept, and the skip is told', () => {
  const bytes = tf2File();
  // Record 1 is the file_version event; flip one byte inside the data of record 3 (step 100).
  const r1 = 12 + new DataView(bytes.buffer).getUint32(0, true) + 4;
  const r2 = r1 + 12 + new DataView(bytes.buffer).getUint32(r1, true) + 4;
  bytes[r2 + 20]! ^= 0x01;
  const report: SkipReport = { skipped: null };
  const series = readTfEvents(bytes, 'events.out.tfevents.3', report);
  assert.deepEqual(Array.from(series[0]!.steps), [0, 200, 300]);
  assert.deepEqual(report.skipped, { count: 1, first: { byte: r2 }, reason: 'the record data fails its checksum' });
});

test('a bad length checksum skips that record; a file where no record verifies is refused as not an event file', () => {
  const bytes = tf2File();
  const r1 = 12 + new DataView(bytes.buffer).getUint32(0, true) + 4;
  bytes[r1]! ^= 0x04;
  const report: SkipReport = { skipped: null };
  const series = readTfEvents(bytes, 'events.out.tfevents.4', report);
  assert.deepEqual(Array.from(series[0]!.steps), [100, 200, 300]);
  assert.deepEqual(report.skipped, { count: 1, first: { byte: r1 }, reason: 'the record length fails its checksum' });
  const text = new TextEncoder().encode('step,d_loss\n0,0.5\n1,0.4\n');
  refuses(
    () => readTfEvents(text, 'events.out.tfevents.5'),
    /^events\.out\.tfevents\.5: not a TensorBoard event file \(no record can be read; at byte 0: the record length fails its checksum\)$/,
  );
});

test('a truncated final record (still being written) keeps everything before it', () => {
  const whole = tf2File();
  const full = readTfEvents(whole, 'events.out.tfevents.6');
  for (const cut of [1, 5, 13, 30]) {
    const series = readTfEvents(whole.subarray(0, whole.length - cut), 'events.out.tfevents.6');
    assert.deepEqual(Array.from(series[0]!.steps), [0, 100, 200], `cut ${cut}`);
    assert.equal(series[1]!.values.length, 3);
  }
  // Only a partial header of the next record: all four steps are there.
  const partialHeader = concat([whole, new Uint8Array([9, 0, 0, 0, 0])]);
  assert.deepEqual(
    readTfEvents(partialHeader, 'events.out.tfevents.6').map((s) => s.values.length),
    full.map((s) => s.values.length),
  );
  assert.deepEqual(readTfEvents(new Uint8Array(0), 'events.out.tfevents.7'), []);
});

test('real PyTorch SummaryWriter file: two tags, 30000 steps each, equal to metrics.csv in float32', { skip: skipReal }, () => {
  const bytes = readFileSync(resolve(example, eventName!));
  const series = readLossFile(`logs/${eventName}`, bytes);
  assert.deepEqual(series.map((s) => s.name).sort(), ['loss/discriminator', 'loss/generator']);
  const csv = readCsvSeries(readFileSync(resolve(example, 'metrics.csv')), 'metrics.csv');
  for (const [tag, column] of [
    ['loss/discriminator', 'd_loss'],
    ['loss/generator', 'g_loss'],
  ] as const) {
    const tf = series.find((s) => s.name === tag)!;
    const table = csv.find((s) => s.name === column)!;
    assert.equal(tf.steps.length, 30000);
    assert.equal(tf.steps[0], 0);
    assert.equal(tf.steps[29999], 29999);
    assert.deepEqual(Array.from(table.steps), Array.from(tf.steps));
    for (const step of [0, 1, 777, 15000, 29999]) {
      const a = tf.values[step]!;
      const b = table.values[step]!;
      assert.ok(Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)), `${tag} step ${step}: ${a} vs ${b}`);
    }
    let mismatches = 0;
    for (let i = 0; i < tf.values.length; i++) if (Math.fround(table.values[i]!) !== tf.values[i]) mismatches++;
    assert.equal(mismatches, 0, 'every CSV value rounds to the float32 in the event file');
  }
});

test('real file cut in its last record still reads, one value short', { skip: skipReal }, () => {
  const bytes = readFileSync(resolve(example, eventName!));
  const series = readTfEvents(bytes.subarray(0, bytes.length - 7), eventName!);
  const lengths = series.map((s) => s.values.length).sort();
  assert.deepEqual(lengths, [29999, 30000]);
});
