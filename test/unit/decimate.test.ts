import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decimate, lowerBound, upperBound } from '../../src/core/decimate';

function series(n: number, f: (i: number) => number) {
  const steps = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    steps[i] = i;
    values[i] = f(i);
  }
  return { steps, values };
}

test('binary search bounds', () => {
  const steps = Float64Array.from([0, 2, 2, 5, 9]);
  assert.equal(lowerBound(steps, 2), 1);
  assert.equal(upperBound(steps, 2), 3);
  assert.equal(lowerBound(steps, 10), 5);
  assert.equal(upperBound(steps, -1), 0);
});

test('keeps the global min and max of the range, and their steps', () => {
  // A noisy series with two single-point spikes that a sampler would likely drop.
  const { steps, values } = series(1_000_000, (i) => Math.sin(i / 1000) + ((i * 7919) % 13) / 100);
  values[123_457] = 50;
  values[876_543] = -40;
  const d = decimate(steps, values, 0, 999_999, 800);
  assert.ok(d.steps.length <= 13 * 802 + 4, `too many points: ${d.steps.length}`);
  assert.ok(d.steps.length > 800);
  const at = (x: number) => d.steps.indexOf(x);
  assert.equal(d.values[at(123_457)], 50);
  assert.equal(d.values[at(876_543)], -40);
  assert.equal(Math.max(...d.values), 50);
  assert.equal(Math.min(...d.values), -40);
  assert.equal(d.total, 1_000_000);
  assert.equal(d.exact, false);
  for (let i = 1; i < d.steps.length; i++) assert.ok(d.steps[i] > d.steps[i - 1], 'steps increase');
});

test('every bucket keeps its own min and max (envelope per pixel)', () => {
  const { steps, values } = series(10_000, (i) => ((i * 2654435761) % 1000) / 1000);
  const buckets = 100;
  const d = decimate(steps, values, 0, 9_999, buckets);
  for (let b = 0; b < buckets; b++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = b * 100; i < (b + 1) * 100; i++) {
      lo = Math.min(lo, values[i]);
      hi = Math.max(hi, values[i]);
    }
    const inBucket = [...d.values].filter((_, k) => d.steps[k] >= b * 100 && d.steps[k] < (b + 1) * 100);
    assert.equal(Math.min(...inBucket), lo, `bucket ${b} min`);
    assert.equal(Math.max(...inBucket), hi, `bucket ${b} max`);
  }
});

test('NaN and Inf stretches become explicit gaps with a break point', () => {
  const { steps, values } = series(10_000, (i) => i / 10_000);
  for (let i = 4_000; i < 4_500; i++) values[i] = Number.NaN;
  values[7_000] = Infinity;
  const d = decimate(steps, values, 0, 9_999, 200);
  assert.deepEqual([...d.gaps], [4_000, 4_499, 7_000, 7_000]);
  const breaks = [...d.steps].filter((_, k) => Number.isNaN(d.values[k]));
  assert.deepEqual(breaks, [4_000, 7_000]);
  // No finite point is drawn inside the NaN stretch.
  assert.ok([...d.steps].every((s, k) => Number.isNaN(d.values[k]) || s < 4_000 || s > 4_499));
});

test('a small range is exact and includes the neighbours outside it', () => {
  const { steps, values } = series(1_000, (i) => i * 2);
  const d = decimate(steps, values, 100, 150, 1000);
  assert.equal(d.exact, true);
  assert.equal(d.total, 51);
  assert.equal(d.steps[0], 99);
  assert.equal(d.steps[d.steps.length - 1], 151);
  assert.equal(d.steps.length, 53);
});

test('the smoothed companion keeps its own envelope at the same steps', () => {
  const { steps, values } = series(100_000, (i) => Math.sin(i));
  const smoothed = new Float64Array(values.length);
  for (let i = 0; i < smoothed.length; i++) smoothed[i] = i === 54_321 ? 99 : 0;
  const d = decimate(steps, values, 0, 99_999, 100, smoothed);
  assert.ok(d.smoothed);
  assert.equal(d.smoothed.length, d.steps.length);
  assert.equal(Math.max(...d.smoothed), 99);
  assert.equal(d.steps[d.smoothed.indexOf(99)], 54_321);
});

test('an empty or one-point range works', () => {
  const empty = decimate(new Float64Array(0), new Float64Array(0), 0, 10, 100);
  assert.equal(empty.steps.length, 0);
  assert.equal(empty.exact, true);
  const one = decimate(Float64Array.from([5]), Float64Array.from([1]), 5, 5, 100);
  assert.deepEqual([...one.steps], [5]);
});

// The budget is per view on a busy 2-core CI box; a bare min/max loop over 10M doubles takes ~50 ms here.
test('10,000,000 points decimate within a frame budget', () => {
  const { steps, values } = series(10_000_000, (i) => Math.sin(i / 5000) + (i % 97) / 97);
  const smoothed = values.slice();
  decimate(steps, values, 0, 9_999_999, 2000, smoothed); // warm up the JIT
  const t0 = performance.now();
  const d = decimate(steps, values, 0, 9_999_999, 2000, smoothed);
  const ms = performance.now() - t0;
  console.log(`decimate 10M points (with smoothed companion) → ${d.steps.length} points in ${ms.toFixed(1)} ms`);
  assert.ok(ms < 250, `took ${ms} ms`);
});
