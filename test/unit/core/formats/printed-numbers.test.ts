// The printed-log reader's template fast path on numbers as prints write them (#23, performance): a
// number read by the template of an earlier line (plainNumber, exponents and long mantissas
// included) gives exactly what reading the line token by token gives, whatever follows it; and a
// line read where it sits in the file's text gives what the line alone gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineSplitter, type LineParts } from '../../../../src/core/formats/printedLine';
import { decimalPair } from '../../../../src/core/formats/longDecimal';

const snapshot = (p: LineParts) => ({
  counters: [p.epoch, p.epochTotal, p.inner, p.innerTotal, p.global, p.stage, p.clock].map(String),
  stageWord: p.stageWord,
  bar: [p.bar, p.barFull],
  named: p.names.slice(0, p.count).map((n, i) => `${n}=${Object.is(p.values[i], -0) ? '-0' : p.values[i]}`),
  damaged: p.damaged,
  numeric: p.numeric,
  header: [...p.header],
});

// How prints write a number: Python's %.18e (np.savetxt), %g, repr, fixed decimals, whole, padded.
const written = fc.tuple(fc.double({ noNaN: true, min: -1e30, max: 1e30 }), fc.nat(20), fc.integer({ min: 0, max: 6 })).map(([x, digits, style]) => {
  switch (style) {
    case 0:
      return x.toExponential(Math.min(digits, 20));
    case 1:
      return x.toPrecision(Math.max(1, digits));
    case 2:
      return String(x);
    case 3:
      return x.toFixed(Math.min(digits, 20));
    case 4:
      return String(Math.trunc(x) % 100_000);
    case 5:
      return `${Math.abs(Math.trunc(x)) % 5000}/${digits + 1}`;
    default:
      return `0.${'0'.repeat(digits)}${Math.abs(Math.trunc(x)) % 1000}`;
  }
});
// What a print puts right after a number: nothing, punctuation, a unit, a clock's colon, a date's dash.
const after = fc.constantFrom(
  '',
  ' ',
  ',',
  ';',
  ':',
  ': ',
  ':12',
  ']',
  ')',
  '|',
  '}',
  '%',
  's',
  'ms/step',
  'it/s',
  '/',
  ' / 3',
  '-',
  '-01-02',
  '.',
  '.x',
  'x',
  'e',
  'E5',
  '\t',
  '"',
  '=',
  '(',
  '<',
);

test('a number read by the template of an earlier line gives what the tokenizer gives', () => {
  fc.assert(
    fc.property(written, written, after, fc.constantFrom('loss: ', 'd_loss=', '[D loss ', 'x ', '', '> ', 'Epoch '), (a, b, tail, head) => {
      const fast = new LineSplitter();
      const slow = new LineSplitter();
      for (const line of [`${head}${a}${tail} g_loss: ${b}`, `${head}${b}${tail} g_loss: ${a}`, `${head}${a}${tail}`, `${head}${b}${tail}`]) {
        assert.deepEqual(snapshot(fast.split(line)), snapshot(slow.read(line)), line);
      }
    }),
    { numRuns: 3000 },
  );
});

test('a line read where it sits in a text gives what the line alone gives', () => {
  const lines = [
    '[Epoch 3/5] [Batch 7/10] [D loss: 0.6931] [G loss: 0.7012]',
    '2.000000000000000000e+00 6.899999999999999467e-01',
    'scale 3:[12/2000]',
    'errD: 0.5 errG: 0.25',
    'loss: 5',
    '',
  ];
  const inText = new LineSplitter();
  const alone = new LineSplitter();
  for (let round = 0; round < 3; round++) {
    for (const line of lines) {
      for (const [before, afterIt] of [
        ['x\n', '\n12'],
        ['', '\r\n'],
        ['7: 8\n', ''],
      ] as const) {
        const text = `${before}${line}${afterIt}`;
        const got = snapshot(inText.splitAt(text, before.length, before.length + line.length));
        assert.deepEqual(got, snapshot(alone.read(line)), JSON.stringify(text));
      }
    }
  }
});

test('numbers of 16 to 19 significant digits read as Number reads them, ties and near-ties included', () => {
  const splitter = new LineSplitter();
  const check = (written: string) => {
    splitter.split(`loss: 1.234567890123456789e-01 x`);
    const got = splitter.split(`loss: ${written} x`).values[0]!;
    assert.ok(Object.is(got, Number(written)), `${written}: ${got} ≠ ${Number(written)}`);
  };
  // Halfway between two doubles, and a hair either side (the quick way must leave these to Number).
  for (const s of [
    '9007199254740993',
    '9007199254740993.0',
    '9.007199254740993e15',
    '1.0000000000000001110',
    '1.0000000000000001111',
    '1.0000000000000001109',
    '0.1000000000000000055',
    '5.0000000000000000000e-01',
    '2.2250738585072014e-5',
    '1.7976931348623157e22',
    '9999999999999999999e-40',
    '1000000000000000000e-44',
  ])
    check(s);
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 15, max: 18 }), (x, digits) => {
      check(x.toExponential(digits));
      check(String(x));
      if (Math.abs(x) < 1e21) check(x.toPrecision(digits + 1));
    }),
    { numRuns: 5000 },
  );
  // Random 16–19 digit mantissas at every exponent the quick way takes, and past it.
  fc.assert(
    fc.property(fc.bigInt({ min: 10n ** 15n, max: 10n ** 19n - 1n }), fc.integer({ min: -60, max: 30 }), (m, e) => {
      const digits = m.toString();
      check(`${digits[0]}.${digits.slice(1)}e${e}`);
      check(`-${digits}e${e}`);
    }),
    { numRuns: 5000 },
  );
});

test('the double-double of a long decimal is within 2^-100 of its exact value (the band the quick way trusts is 2^-96)', () => {
  const lo = new Float64Array(1);
  // A double as n / 2^k, n and k whole (k may be negative).
  const exact = (x: number): [bigint, bigint] => {
    if (x === 0) return [0n, 0n];
    let k = 0n;
    while (!Number.isInteger(x)) {
      x *= 2;
      k++;
    }
    return [BigInt(x), k];
  };
  fc.assert(
    fc.property(fc.bigInt({ min: 10n ** 15n, max: 10n ** 19n - 1n }), fc.integer({ min: -44, max: 22 }), (m, e) => {
      const digits = m.toString();
      const tailDigits = digits.length - 15;
      const hi = decimalPair(Number(digits.slice(0, 15)), Number(digits.slice(15) || '0'), tailDigits, e, lo);
      // hi + lo = N / 2^K over a common K.
      const [hn, hk] = exact(hi);
      const [ln, lk] = exact(lo[0]!);
      const k = hk > lk ? hk : lk;
      const n = (hn << (k - hk)) + (ln << (k - lk));
      // |(hi + lo) − m·10^e| · 2^100 < m·10^e, all multiplied by 2^K (and 10^−e when e < 0).
      const [left, right] = e >= 0 ? [n, (m * 10n ** BigInt(e)) << k] : [n * 10n ** BigInt(-e), m << k];
      const error = left > right ? left - right : right - left;
      assert.ok(error << 100n < right, `${digits}e${e}`);
    }),
    { numRuns: 3000 },
  );
});
