// Whole-read time of the record-shaped readers on intact and damaged files (#19): a 30,000-step
// TensorBoard event file (two tags) and a 1,000,000-row metrics.csv, intact (skipping damaged
// records must not slow these down) and damaged (one flipped byte mid-file; 1,000 garbage rows).
// Called by scripts/bench.ts; also runs alone (`node --import tsx scripts/bench-damaged.ts`) to
// compare branches: it only uses readLossFile(name, bytes), which every version has.
import { performance } from 'node:perf_hooks';
import protobuf from 'protobufjs';
import { readLossFile } from '../src/core/formats';
import { tfRecord } from '../src/core/formats/tfevents';
import { tfEventsDescriptor } from '../src/core/formats/tfevents.proto';

type Record = (size: number | string, what: string, value: number, unit: string, target?: string) => void;

const STEPS = 30_000;
const ROWS = 1_000_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median of `reps` reads after one warm-up read. */
function timeRead(name: string, bytes: Uint8Array, reps = 7): number {
  try {
    readLossFile(name, bytes);
  } catch {
    // A reader that refuses damaged files is timed refusing them.
  }
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    try {
      readLossFile(name, bytes);
    } catch {
      // as above
    }
    times.push(performance.now() - t0);
  }
  return median(times);
}

function eventFile(): Uint8Array {
  const Event = protobuf.Root.fromJSON(tfEventsDescriptor as unknown as protobuf.INamespace).lookupType('tensorflow.Event');
  const encode = (e: object) => tfRecord(Event.encode(Event.fromObject(e)).finish());
  const records = [encode({ wallTime: 1700000000, fileVersion: 'brain.Event:2' })];
  for (let step = 0; step < STEPS; step++) {
    for (const [tag, v] of [
      ['loss/discriminator', 0.69 + 0.05 * Math.sin(step / 97)],
      ['loss/generator', 0.7 + 0.3 * Math.cos(step / 131)],
    ] as const) {
      records.push(encode({ wallTime: 1700000000 + step / 10, step, summary: { value: [{ tag, simpleValue: v }] } }));
    }
  }
  const out = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
  let at = 0;
  for (const r of records) {
    out.set(r, at);
    at += r.length;
  }
  return out;
}

function csvFile(garbageEvery = 0): Uint8Array {
  const parts = ['step,d_loss,g_loss\n'];
  for (let i = 0; i < ROWS; i++) {
    const d = garbageEvery && i % garbageEvery === 500 ? '\u0001\u00ff?' : (0.69 + 0.05 * Math.sin(i / 97)).toFixed(6);
    parts.push(`${i},${d},${(0.7 + 0.3 * Math.cos(i / 131)).toFixed(6)}\n`);
  }
  return new TextEncoder().encode(parts.join(''));
}

export function benchDamaged(record: Record): void {
  const events = eventFile();
  const name = 'events.out.tfevents.1700000000.bench';
  record(STEPS, 'TensorBoard events (2 tags): whole read, intact', timeRead(name, events), 'ms');
  const flipped = events.slice();
  flipped[Math.floor(flipped.length / 2)]! ^= 0x10;
  record(STEPS, 'TensorBoard events: whole read, one byte flipped mid-file', timeRead(name, flipped), 'ms');
  const csv = csvFile();
  record(ROWS, 'metrics.csv: whole read, intact', timeRead('metrics.csv', csv, 5), 'ms');
  record(ROWS, 'metrics.csv: whole read, 1,000 rows with a garbage D cell', timeRead('metrics.csv', csvFile(1000), 5), 'ms');
}

if (require.main === module) {
  benchDamaged((size, what, value, unit) => console.log(`${String(size).padEnd(8)} ${what.padEnd(60)} ${value.toFixed(1).padStart(8)} ${unit}`));
}
