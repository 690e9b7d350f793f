import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decimate } from '../../../src/chart/decimate';
import { lowerBound, upperBound } from '../../../src/core/stepSearch';
import { ViewCache } from '../../../src/chart/viewCache';
import { buildBlockIndex } from '../../../src/chart/blockIndex';
import { ema, emaDebiased, EmaStream, type Smoother } from '../../../src/chart/smoothing';

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
  for (let i = 1; i < d.steps.length; i++) assert.ok(d.steps[i]! > d.steps[i - 1]!, 'steps increase');
});

test('every bucket keeps its own min and max (envelope per pixel)', () => {
  const { steps, values } = series(10_000, (i) => ((i * 2654435761) % 1000) / 1000);
  const buckets = 100;
  const d = decimate(steps, values, 0, 9_999, buckets);
  for (let b = 0; b < buckets; b++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = b * 100; i < (b + 1) * 100; i++) {
      lo = Math.min(lo, values[i]!);
      hi = Math.max(hi, values[i]!);
    }
    const inBucket = [...d.values].filter((_, k) => d.steps[k]! >= b * 100 && d.steps[k]! < (b + 1) * 100);
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

// Views of long series read block summaries instead of points; the output must not change by a bit.
const sameView = (a: ReturnType<typeof decimate>, b: ReturnType<typeof decimate>) => {
  for (const k of ['steps', 'values', 'smoothed', 'gaps'] as const) assert.deepEqual(a[k] && [...a[k]!], b[k] && [...b[k]!], k);
  assert.equal(a.total, b.total);
  assert.equal(a.exact, b.exact);
};

test('with a block index: the same points as scanning every point (random series, gaps, ranges)', () => {
  const value = fc.oneof(
    { weight: 12, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }) },
    { weight: 2, arbitrary: fc.integer({ min: -3, max: 3 }) }, // ties between blocks and within them
    { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) },
  );
  fc.assert(
    fc.property(
      fc.oneof(
        fc.array(value, { minLength: 1, maxLength: 600, size: 'max' }),
        // Few distinct values: minima and maxima tie inside blocks and across them.
        fc.array(fc.oneof({ weight: 20, arbitrary: fc.integer({ min: -2, max: 2 }) }, { weight: 1, arbitrary: fc.constant(NaN) }), {
          minLength: 1,
          maxLength: 600,
          size: 'max',
        }),
        fc.array(fc.integer({ min: -2, max: 2 }), { minLength: 1, maxLength: 600, size: 'max' }),
        // A flat line with rare equal dips and peaks: the first of them must win inside and across blocks.
        fc.array(fc.oneof({ weight: 12, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constant(-2) }, { weight: 1, arbitrary: fc.constant(3) }), {
          minLength: 1,
          maxLength: 600,
          size: 'max',
        }),
      ),
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 600, maxLength: 600 }),
      fc.integer({ min: 1, max: 4 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      // Few buckets too: wide buckets are where whole coarse blocks are read.
      fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 80 })),
      fc.double({ min: 0, max: 0.99, noNaN: true }),
      (vals, gapsBetween, shift, a, b, buckets, weight) => {
        const values = Float64Array.from(vals);
        // Increasing steps with repeats (a resumed run can log a step twice).
        const steps = new Float64Array(values.length);
        for (let i = 1; i < steps.length; i++) steps[i] = steps[i - 1]! + gapsBetween[i]!;
        const smoothed = emaDebiased(values, weight);
        const last = steps[steps.length - 1]!;
        const [lo, hi] = [Math.min(a, b) * last, Math.max(a, b) * last];
        const index = buildBlockIndex(values, smoothed, shift);
        sameView(decimate(steps, values, lo, hi, buckets, smoothed, index), decimate(steps, values, lo, hi, buckets, smoothed));
      },
    ),
    { numRuns: 1500 },
  );
});

test('with the smoothing streamed (a view from the first step before any smoothing): the same points as with it made whole', () => {
  const value = fc.oneof(
    { weight: 12, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) },
  );
  fc.assert(
    fc.property(
      fc.oneof(
        fc.array(value, { minLength: 1, maxLength: 600, size: 'max' }),
        fc.array(fc.constant(0.5), { minLength: 1, maxLength: 50 }), // constant: passed through as is
        fc.array(fc.oneof({ weight: 12, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constant(-2) }, { weight: 1, arbitrary: fc.constant(NaN) }), {
          minLength: 1,
          maxLength: 600,
          size: 'max',
        }),
      ),
      fc.double({ min: -5, max: 0, noNaN: true }),
      fc.double({ min: 0, max: 1.2, noNaN: true }),
      fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 80 })),
      fc.double({ min: 0.01, max: 1, noNaN: true }),
      (vals, before, to, buckets, weight) => {
        const values = Float64Array.from(vals);
        const steps = Float64Array.from(values, (_, i) => i * 3);
        const last = steps[steps.length - 1]!;
        // From at or before the first step, so the stream starts at the first point.
        const [lo, hi] = [before, to * last];
        sameView(
          decimate(steps, values, lo, hi, buckets, new EmaStream(values, weight)),
          decimate(steps, values, lo, hi, buckets, emaDebiased(values, weight)),
        );
      },
    ),
    { numRuns: 1500 },
  );
  // A range that starts later needs the smoothing of what comes before: refused, not guessed.
  const v = Float64Array.from([1, 2, 3, 4]);
  assert.throws(() => decimate(Float64Array.from([0, 1, 2, 3]), v, 2, 3, 2, new EmaStream(v, 0.6)), /first step/);
});

test('10,000,000 points with NaN stretches: the indexed view equals the full scan', () => {
  const { steps, values } = series(10_000_000, (i) => Math.sin(i / 5000) + (i % 97) / 97);
  values.fill(NaN, 4_000_000, 4_000_300);
  values[7_777_777] = Infinity;
  values[123_456] = 40;
  const smoothed = emaDebiased(values, 0.6);
  const index = buildBlockIndex(values, smoothed);
  for (const [lo, hi, px] of [
    [0, 9_999_999, 2000],
    [3_999_000, 4_001_000, 700],
    [1_234_567, 8_765_432, 1333],
  ] as const) {
    sameView(decimate(steps, values, lo, hi, px, smoothed, index), decimate(steps, values, lo, hi, px, smoothed));
  }
});

test('ViewCache: smoothings over the memory budget are forgotten and their memory reused, views unchanged', () => {
  const { steps, values } = series(200_000, (i) => Math.sin(i / 300) + ((i * 7919) % 13) / 10);
  const s = { id: 'run0/0', steps, values };
  const smoothCalls: { weight: number; reused: boolean }[] = [];
  const fresh64 = new WeakSet<Float64Array>();
  const smoother: Smoother = {
    smooth: (v, w, out, state) => {
      // Written before = not fresh: a reused array still holds another weight's numbers.
      smoothCalls.push({ weight: w, reused: fresh64.has(out) });
      fresh64.add(out);
      ema.smooth(v, w, out, state);
    },
    extend: ema.extend,
  };
  // Room for one smoothed copy (1.6 MB) and a half.
  const small = new ViewCache(smoother, 64, 2.5e6);
  const fresh = (w: number, lo: number, hi: number) => new ViewCache().view(s, lo, hi, 500, w);
  // Ranges that start after the first step: those need the whole smoothing (one from the first step is streamed).
  for (const [w, lo, hi] of [
    [0.6, 1, 199_999],
    [0.9, 1, 199_999],
    [0.6, 1000, 90_000],
    [0.3, 5, 150_000],
    [0, 0, 199_999],
    [0.9, 7, 8],
  ] as const) {
    const got = small.view(s, lo, hi, 500, w);
    const want = fresh(w, lo, hi);
    for (const k of ['steps', 'values', 'smoothed', 'gaps'] as const)
      assert.deepEqual(new Float64Array(got[k]), new Float64Array(want[k]), `${k} at weight ${w}`);
  }
  assert.deepEqual(
    smoothCalls.map((c) => c.weight),
    [0.6, 0.9, 0.6, 0.3, 0.9],
    'each weight smoothed again only after it was forgotten',
  );
  assert.ok(
    smoothCalls.slice(1).every((c) => c.reused),
    `forgotten arrays are written over: ${JSON.stringify(smoothCalls)}`,
  );
});

test('ViewCache.carryOver: a series that grew is smoothed from where it stopped, views as if smoothed whole', () => {
  const calls: string[] = [];
  const counting: Smoother = {
    smooth: (v, w, out, state) => {
      calls.push(`smooth ${v.length}`);
      ema.smooth(v, w, out, state);
    },
    extend: (v, w, out, state) => {
      calls.push(`extend ${state.length}→${v.length}`);
      ema.extend(v, w, out, state);
    },
  };
  const full = series(400_000, (i) => (i >= 250_000 && i < 250_010 ? NaN : Math.sin(i / 900) + ((i * 7919) % 13) / 10));
  // Each refresh brings new arrays (a re-read), with the earlier values unchanged.
  const at = (n: number) => ({ id: 'run0/0', steps: full.steps.slice(0, n), values: full.values.slice(0, n) });
  const check = (cache: ViewCache, s: ReturnType<typeof at>, what: string) => {
    for (const [w, lo, hi] of [
      [0.6, 0, s.steps.length - 1],
      [0.6, 1234, 98_765],
      [0, 0, s.steps.length - 1],
    ] as const) {
      const got = cache.view(s, lo, hi, 700, w);
      const want = new ViewCache().view(s, lo, hi, 700, w);
      for (const k of ['steps', 'values', 'smoothed', 'gaps'] as const)
        assert.deepEqual(new Float64Array(got[k]), new Float64Array(want[k]), `${what}: ${k} at weight ${w}`);
    }
  };
  let previous = new ViewCache(counting);
  let s = at(200_000);
  check(previous, s, 'first read');
  for (const n of [260_000, 270_000, 400_000]) {
    const next = new ViewCache(counting);
    s = at(n);
    next.carryOver(previous, [s]);
    check(next, s, `after growing to ${n}`);
    previous = next;
  }
  assert.deepEqual(calls, ['smooth 200000', 'extend 200000→260000', 'extend 260000→270000', 'extend 270000→400000']);

  // A rewritten file (training restarted): nothing is carried over.
  calls.length = 0;
  const rewritten = at(400_000);
  rewritten.values[10]! += 1;
  const next = new ViewCache(counting);
  next.carryOver(previous, [rewritten]);
  check(next, rewritten, 'rewritten');
  assert.deepEqual(calls, ['smooth 400000']);
});

test('ViewCache.prewarmInSlices: smooths a slice at a time, views wait for it and equal a smoothing made at once', async () => {
  const s = { id: 'run0/0', ...series(3_500_000, (i) => (i === 1_048_576 ? NaN : Math.sin(i / 5000) + ((i * 7919) % 13) / 10)) };
  const cache = new ViewCache();
  let pauses = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const job = cache.prewarmInSlices([s], 0.6, async () => {
    pauses++;
    if (pauses === 2) await gate; // hold the smoothing half-way, as if the thread had other work
  });
  await new Promise((r) => setTimeout(r, 20));
  let viewed = false;
  const waiting = cache.settled([s], 0.6).then(() => (viewed = true));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(viewed, false, 'a view waits while the smoothing is half made');
  release();
  await job;
  await waiting;
  assert.equal(pauses, 3, '3.5M values: four slices, three pauses between them');
  const got = cache.view(s, 0, 3_499_999, 1500, 0.6);
  const want = new ViewCache().view(s, 0, 3_499_999, 1500, 0.6);
  for (const k of ['steps', 'values', 'smoothed', 'gaps'] as const) assert.deepEqual(new Float64Array(got[k]), new Float64Array(want[k]), k);
});

test('ViewCache.answersNow: a view from the first step is answered before any smoothing, a zoom waits for it', () => {
  const calls: number[] = [];
  const counting: Smoother = { smooth: (v, w, out, st) => (calls.push(w), ema.smooth(v, w, out, st)), extend: ema.extend };
  const s = { id: 'run0/0', ...series(300_000, (i) => (i === 150_000 ? NaN : Math.sin(i / 700) + ((i * 7919) % 13) / 10)) };
  const cache = new ViewCache(counting);
  assert.equal(cache.answersNow([s], 0, 0.6), true);
  const now = cache.view(s, 0, 299_999, 1000, 0.6);
  assert.deepEqual(calls, [], 'answered without smoothing the whole series');
  const smoothedFirst = new ViewCache();
  smoothedFirst.prewarm([s], 0.6);
  const want = smoothedFirst.view(s, 0, 299_999, 1000, 0.6);
  for (const k of ['steps', 'values', 'smoothed', 'gaps'] as const) assert.deepEqual(new Float64Array(now[k]), new Float64Array(want[k]), k);
  assert.equal(cache.answersNow([s], 10, 0.6), false, 'a zoom needs the smoothing of what comes before it');
  assert.equal(cache.answersNow([s], 10, 0), true, 'unless there is no smoothing');
  cache.prewarm([s], 0.6);
  assert.equal(cache.answersNow([s], 10, 0.6), true, 'answered once smoothed');
  assert.deepEqual(calls, [0.6]);
});
