// The printed-log reader's template fast path on numbers as prints write them (#23, performance): a
// number read by the template of an earlier line (plainNumber, exponents and long mantissas
// included) gives exactly what reading the line token by token gives, whatever follows it; and a
// line read where it sits in the file's text gives what the line alone gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineSplitter, type LineParts } from '../../../../src/core/formats/printedLine';

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
