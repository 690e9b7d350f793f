// Damaged `.wandb` files (#19's policy, as for TensorBoard events): random byte flips, holes of
// zeros and cuts on files whose records are known. Chunks carry checksums, so the series are
// exactly the rows of the records the damage did not touch; the first damaged record is reported
// where it starts, and nothing is reported for a file that is only cut short.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readWandb, WandbReader } from '../../../../src/core/formats/wandb';
import { ReadFailure } from '../../../../src/core/formats';
import type { SkipReport } from '../../../../src/core/formats/skipped';
import { historyRecord, recordRanges, wandbFile } from '../../../support/wandb';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

interface File {
  bytes: Uint8Array;
  /** Each record's bytes [start, end): its chunks, block paddings before it excluded. */
  ranges: [number, number][];
  d: number[];
}

function file(spec: { d: number; big: boolean }[]): File {
  const records = spec.map((r, i) =>
    historyRecord(
      i,
      r.big
        ? [
            ['d_loss', String(r.d)],
            ['note', JSON.stringify('w'.repeat(20000 + i * 97))],
          ]
        : [['d_loss', String(r.d)]],
    ),
  );
  return { bytes: wandbFile(records), ranges: recordRanges(records), d: spec.map((r) => r.d) };
}

const fraction = fc.integer({ min: 0, max: 999_999 }).map((n) => n / 1_000_000);
const spec = fc.array(
  fc.record({ d: fc.double({ min: -5, max: 5, noNaN: true }).map((v) => (Object.is(v, -0) ? 0 : v)), big: fc.integer({ min: 0, max: 9 }).map((n) => n === 0) }),
  { minLength: 20, maxLength: 250 },
);
const flips = fc.array(fc.tuple(fraction, fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }).map((f) => ({ kind: 'flip' as const, f }));
const hole = fc.record({ kind: fc.constant('hole' as const), at: fraction, length: fc.integer({ min: 1, max: 300 }) });

test('fuzz .wandb: flips, holes of zeros and cuts keep exactly the untouched records and report the first damaged one', () => {
  fc.assert(
    fc.property(spec, fc.oneof(flips, hole), fc.option(fraction, { freq: 3 }), (s, damage, cut) => {
      const f = file(s);
      let bytes = f.bytes.slice();
      const hit = new Set<number>();
      const touch = (p: number) => {
        const i = f.ranges.findIndex(([a, b]) => p >= a && p < b);
        if (i >= 0) hit.add(i);
      };
      if (damage.kind === 'flip') {
        for (const [at, mask] of damage.f) bytes[7 + Math.floor(at * (bytes.length - 7))]! ^= mask;
        // Two flips of one byte with one mask undo each other: only bytes that differ are damage.
        for (const [at] of damage.f) {
          const p = 7 + Math.floor(at * (bytes.length - 7));
          if (bytes[p] !== f.bytes[p]) touch(p);
        }
      } else {
        const p = 7 + Math.floor(damage.at * (bytes.length - 7));
        const end = Math.min(bytes.length, p + damage.length);
        for (let q = p; q < end; q++) if (bytes[q] !== 0) touch(q);
        bytes.fill(0, p, end);
      }
      if (cut !== null) bytes = bytes.subarray(0, 7 + Math.floor(cut * (bytes.length - 7)));
      const whole = (i: number) => f.ranges[i]![1] <= bytes.length;
      const report: SkipReport = { skipped: null };
      let series;
      try {
        series = readWandb(bytes, 'run-f.wandb', report);
      } catch (e) {
        assert.ok(e instanceof ReadFailure, String(e));
        assert.ok(!f.d.some((_, i) => whole(i) && !hit.has(i)), `refused although records are intact: ${e.message}`);
        return;
      }
      const kept = f.d.map((d, i) => [i, d] as const).filter(([i]) => whole(i) && !hit.has(i));
      assert.deepEqual(
        Array.from(series[0]?.steps ?? []),
        kept.map(([i]) => i),
      );
      assert.deepEqual(
        Array.from(series[0]?.values ?? []),
        kept.map(([, d]) => d),
      );
      const firstHit = [...hit].sort((a, b) => a - b)[0];
      if (firstHit === undefined || !f.ranges.slice(0, firstHit + 1).every(([, b]) => b <= bytes.length)) {
        if (firstHit === undefined) assert.equal(report.skipped, null, 'reported although nothing was damaged');
        return;
      }
      assert.ok(report.skipped, 'damage not reported');
      assert.deepEqual(report.skipped.first, { byte: f.ranges[firstHit]![0] });
      // The same bytes pushed in pieces read the same.
      const reader = new WandbReader('run-f.wandb');
      let used = 0;
      for (const end of [Math.floor(bytes.length / 3), Math.floor(bytes.length / 2), bytes.length]) used += reader.push(bytes.subarray(used, end));
      assert.deepEqual(reader.series(false), series);
      assert.deepEqual(reader.skipped(), report.skipped);
    }),
    { numRuns: RUNS },
  );
});

test('bytes inserted or lost shift the blocks: every record before is kept, and at most one more per block after', () => {
  const f = file(Array.from({ length: 2000 }, (_, i) => ({ d: i / 1000, big: false })));
  const at = f.ranges[300]![0] + 10;
  for (const shifted of [
    new Uint8Array([...f.bytes.subarray(0, at), 1, 2, 3, 4, 5, ...f.bytes.subarray(at)]),
    new Uint8Array([...f.bytes.subarray(0, at), ...f.bytes.subarray(at + 9)]),
  ]) {
    const report: SkipReport = { skipped: null };
    const steps = Array.from(readWandb(shifted, 'run-s.wandb', report)[0]!.steps);
    assert.deepEqual(
      steps.slice(0, 300),
      Array.from({ length: 300 }, (_, i) => i),
    );
    const blocksAfter = Math.ceil((shifted.length - at) / 32768);
    assert.ok(steps.length >= 2000 - 1 - blocksAfter, `${steps.length} of 2000 kept`);
    assert.deepEqual(report.skipped!.first, { byte: f.ranges[300]![0] });
  }
});
