// The smoothing shown to users must give TensorBoard's numbers exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { emaDebiased, emaExtend, type EmaState } from '../../../src/chart/smoothing';

/** TensorBoard's classicSmoothing (vz_line_chart2 resmoothDataset), transcribed line for line. */
function tensorBoard(ys: number[], smoothingWeight: number): number[] {
  const isConstant = ys.every((y) => y == ys[0]);
  if (isConstant) return ys.slice();
  let last = ys.length > 0 ? 0 : NaN;
  let numAccum = 0;
  return ys.map((nextVal) => {
    if (!Number.isFinite(nextVal)) return nextVal;
    last = last * smoothingWeight + (1 - smoothingWeight) * nextVal;
    numAccum++;
    const debiasWeight = smoothingWeight === 1 ? 1 : 1 - Math.pow(smoothingWeight, numAccum);
    return last / debiasWeight;
  });
}

test('emaDebiased: hand-computed values with the default weight 0.6', () => {
  const out = Array.from(emaDebiased([1, 2, 3]));
  // 0.4 / 0.4; (0.24 + 0.8) / 0.64; (0.624 + 1.2) / 0.784
  assert.equal(out[0], 1);
  assert.ok(Math.abs(out[1]! - 1.625) < 1e-15);
  assert.ok(Math.abs(out[2]! - 1.824 / 0.784) < 1e-15);
});

test('emaDebiased: NaN and Inf pass through and do not move the state', () => {
  const out = Array.from(emaDebiased([1, NaN, 2, Infinity, 3, -Infinity], 0.6));
  assert.ok(Number.isNaN(out[1]));
  assert.equal(out[3], Infinity);
  assert.equal(out[5], -Infinity);
  // The finite values are smoothed as if the non-finite ones were absent.
  const finiteOnly = Array.from(emaDebiased([1, 2, 3], 0.6));
  assert.deepEqual([out[0], out[2], out[4]], finiteOnly);
});

test('emaDebiased: a constant series is returned as is, weight 0 is the raw series', () => {
  assert.deepEqual(Array.from(emaDebiased([0.1, 0.1, 0.1], 0.9)), [0.1, 0.1, 0.1]);
  assert.deepEqual(Array.from(emaDebiased([3, 1, 2], 0)), [3, 1, 2]);
  assert.deepEqual(Array.from(emaDebiased([], 0.6)), []);
});

test('emaDebiased equals TensorBoard bit for bit on arbitrary series and weights', () => {
  const value = fc.oneof(
    { weight: 8, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) },
  );
  fc.assert(
    fc.property(fc.array(value, { maxLength: 300 }), fc.double({ min: 0, max: 1, noNaN: true }), (ys, w) => {
      assert.deepEqual(Array.from(emaDebiased(ys, w)), tensorBoard(ys, w));
    }),
    { numRuns: 300 },
  );
  // Long series: the debias term stops changing once w^k is below half an ulp of 1.
  const long = Array.from({ length: 5000 }, (_, i) => Math.sin(i / 7) + i / 1000);
  for (const w of [0.6, 0.9, 0.99, 0.999]) assert.deepEqual(Array.from(emaDebiased(long, w)), tensorBoard(long, w));
});

test('emaDebiased: across its 65,536-value chunks and into a reused array, still TensorBoard bit for bit', () => {
  const ys = Array.from({ length: 200_003 }, (_, i) => (i % 50_000 === 7 ? NaN : Math.sin(i / 300) + ((i * 7919) % 13) / 10));
  const want = tensorBoard(ys, 0.95);
  assert.deepEqual(Array.from(emaDebiased(ys, 0.95)), want);
  // A forgotten smoothing of another weight is written over: nothing of it may show through.
  const reused = emaDebiased(ys, 0.3);
  const out = emaDebiased(ys, 0.95, reused);
  assert.equal(out, reused, 'the given array is used');
  assert.deepEqual(Array.from(out), want);
});

test('emaExtend: smoothing a series that grew from where it stopped equals smoothing it whole', () => {
  const value = fc.oneof(
    { weight: 8, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
    { weight: 2, arbitrary: fc.constant(0.5) }, // constant stretches, also at the start
    { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) },
  );
  fc.assert(
    fc.property(fc.array(value, { maxLength: 300 }), fc.array(fc.nat(300), { maxLength: 4 }), fc.double({ min: 0, max: 1, noNaN: true }), (ys, cuts, w) => {
      const all = Float64Array.from(ys);
      const ends = [...cuts.map((c) => Math.min(c, ys.length)).sort((a, b) => a - b), ys.length];
      const state: EmaState = { last: 0, accumulated: 0, length: 0, constant: true };
      let out = emaDebiased(all.subarray(0, ends[0]), w, undefined, state);
      for (const end of ends.slice(1)) {
        const grown = new Float64Array(end);
        grown.set(out);
        emaExtend(all.subarray(0, end), w, grown, state);
        out = grown;
      }
      assert.deepEqual(Array.from(out), tensorBoard(ys, w));
    }),
    { numRuns: 500 },
  );
});
