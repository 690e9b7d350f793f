// The printed-log reader's byte path (#23, performance): a whole read takes the lines a template
// fits from the file's UTF-8 bytes, undecoded (LineSplitter.splitBytes, templateBytes.ts). A line it
// reads gives exactly what reading the decoded line token by token gives, whatever bytes are around
// its numbers (characters of other scripts, bars, invalid UTF-8); and a whole file read from bytes
// gives exactly what reading its decoded text gives, line breaks, byte-order marks and damage included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineSplitter, type LineParts } from '../../../../src/core/formats/printedLine';
import { newPrintedReader, readPrintedLog } from '../../../../src/core/formats/printed';
import { decodeText } from '../../../../src/core/formats/records';
import type { SkipReport } from '../../../../src/core/formats/skipped';
import { BENCH_SHAPES } from '../../../../scripts/bench-printed';

const snapshot = (p: LineParts) => ({
  counters: [p.epoch, p.epochTotal, p.inner, p.innerTotal, p.global, p.stage, p.clock].map(String),
  stageWord: p.stageWord,
  bar: [p.bar, p.barFull],
  named: p.names.slice(0, p.count).map((n, i) => `${n}=${Object.is(p.values[i], -0) ? '-0' : p.values[i]}`),
  damaged: p.damaged,
  numeric: p.numeric,
  cells: p.cells ? [p.cells, ...p.cellOf.slice(0, p.count)] : 0,
  header: [...p.header],
});

const utf8 = (s: string) => new TextEncoder().encode(s);
const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** Reads `line` (bytes, no line break) by `fast`'s templates from bytes; when it does, asserts it is what the tokenizer reads of the decoded line. */
function sameAsText(fast: LineSplitter, slow: LineSplitter, line: Uint8Array, breakChar = 10): boolean {
  const bytes = cat(line, new Uint8Array([breakChar, 55]));
  const end = fast.splitBytes(bytes, 0);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(line);
  if (end < 0) {
    fast.split(text); // learned, as the reader does with a line it decodes
    return false;
  }
  assert.equal(end, line.length, JSON.stringify(text));
  assert.deepEqual(snapshot(fast.parts), snapshot(slow.read(text)), JSON.stringify(text));
  return true;
}

// How prints write a number (three of one style, for three lines of one print), and what they put around it, ASCII or not.
const three = <T>(arb: fc.Arbitrary<T>, show: (x: T) => string) => fc.tuple(arb, arb, arb).map((xs) => xs.map(show));
const written = fc.oneof(
  three(fc.double({ noNaN: true, min: -1e30, max: 1e30 }), String),
  three(fc.double({ noNaN: true, min: 0, max: 10 }), String),
  three(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), (x) => x.toFixed(4)),
  three(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), (x) => x.toExponential(18)),
  three(fc.nat(100_000), String),
  three(fc.tuple(fc.nat(5000), fc.nat(5000)), ([a, b]) => `${a}/${b + 1}`),
  three(fc.tuple(fc.nat(23), fc.nat(59), fc.nat(999)), ([h, m, ms]) => `${h}:${String(m).padStart(2, '0')}:07,${ms}`),
  three(fc.constantFrom('nan', 'inf', '-0', '1e-400', '1e400', '0.5'), (x) => x),
);
const around = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('', ' ', ': ', '%', 's', 'ms/step', 'it/s', ']', '/', ':12', '-01', 'x', ', ') },
  { weight: 1, arbitrary: fc.constantFrom(' █', '█', ' |██  |', 'µs', '損失', ' 損失', '\u00a0', '\ufeff', 'é', ' é') },
);
// Bars filling up (their text changes line to line), not quite bars (■ is past the block elements), Keras's.
const bar = fc.constantFrom(
  '',
  '|█▏   |',
  '|▌    |',
  '|#### |',
  '|█████|',
  '|■■   |',
  '|█▏ ■ |',
  '|  |',
  '|   |',
  '[==>..]',
  '[=====]',
  '[==.]',
  '[==..]',
  '[..........]',
);

// Bytes no decoder turns back into what they are: a lone continuation byte (0xa0 is one), a lead byte cut short.
const invalid = fc.constantFrom([0xa0], [0x80], [0xc2], [0xe2, 0x96], [0xff], [0xef, 0xbb, 0xbf]);

test('a line read from its bytes gives what the tokenizer reads of the decoded line', () => {
  fc.assert(
    fc.property(
      fc.constantFrom('loss: ', 'd_loss=', '[D loss ', 'Epoch ', '損失: ', 'tick ', ''),
      fc.array(fc.tuple(written, around, fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: invalid })), {
        minLength: 1,
        maxLength: 4,
      }),
      fc.constantFrom(10, 13),
      fc.tuple(bar, bar, bar),
      (head, parts, breakChar, bars) => {
        const fast = new LineSplitter();
        const slow = new LineSplitter();
        const line = (k: number) =>
          cat(utf8(`${head}${bars[k]} `), ...parts.flatMap(([xs, tail, bad]) => [utf8(`${xs[k]}${tail}`), new Uint8Array(bad ?? []), utf8(' g: ')]));
        for (let k = 0; k < 3; k++) sameAsText(fast, slow, line(k), breakChar);
      },
    ),
    { numRuns: 3000 },
  );
});

test('the proven shapes are read from their bytes, as the tokenizer reads them', () => {
  for (const shape of BENCH_SHAPES) {
    const fast = new LineSplitter();
    const slow = new LineSplitter();
    let fromBytes = 0;
    let lines = 0;
    for (let i = 0; i < 300; i++) {
      for (const line of shape
        .line(i * 7919)
        .split('\n')
        .filter(Boolean)) {
        lines++;
        if (sameAsText(fast, slow, utf8(line))) fromBytes++;
      }
    }
    // All but the first line of each print (and SinGAN's and ProGAN's headers, read as text).
    assert.ok(fromBytes >= lines * 0.9, `${shape.name}: ${fromBytes} of ${lines} lines read from bytes`);
  }
});

/** A whole read of `bytes` from its decoded text (the path live refresh takes). */
function fromText(bytes: Uint8Array, name: string, report: SkipReport) {
  const text = decodeText(bytes, name);
  const reader = newPrintedReader(name);
  return reader.series(text.slice(reader.push(text)), false, report);
}

const outcome = (read: () => unknown) => {
  try {
    return read();
  } catch (e) {
    return (e as Error).message;
  }
};

/** readPrintedLog's read from bytes, lines that need the text read as text `textRun` bytes at a time. */
function fromBytes(bytes: Uint8Array, name: string, report: SkipReport, textRun: number) {
  const reader = newPrintedReader(name);
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(bom);
  return reader.series(new TextDecoder('utf-8', { ignoreBOM: true }).decode(body.subarray(reader.pushBytes(body, textRun))), false, report);
}

test('a whole log read from its bytes gives what reading its text gives', () => {
  const lineOf = fc.tuple(fc.constantFrom(...BENCH_SHAPES), fc.nat(50_000)).map(([shape, i]) => shape.line(i));
  const extra = fc.constantFrom(
    'Namespace(lr=0.0002, batch_size=64)\n',
    'Starting training...\n',
    'Step 5/100 | D loss: 0.5 | G loss: 0.7\n',
    '\ufeffloss: 0.5\n',
    '{"results": {"fid50k_full": 58.27}, "metric": "fid50k_full", "snapshot_pkl": "network-snapshot-000040.pkl"}\n',
    'network-snapshot-000040  time 3m 21s  fid50k 12.3456\n',
    'Traceback (most recent call last):\n',
    'D loss: 3.0x1 G loss: 0.2\n',
    // fastai's console table: a header, rows with `#na#` cells and the epoch's time.
    'epoch     train_loss  valid_loss  gen_loss  crit_loss  time    \n',
    '3         1.372904    #na#        2.013436  0.732372   00:26     \n',
    '4         1.364920    #na#        2.001792  0.728048   01:51     \n',
    '\n',
    '   \n',
  );
  fc.assert(
    fc.property(
      fc.array(fc.oneof({ weight: 6, arbitrary: lineOf }, { weight: 1, arbitrary: extra }), { minLength: 1, maxLength: 60 }),
      fc.constantFrom('\n', '\r\n', '\r'),
      fc.boolean(),
      fc.oneof(fc.constant(null), fc.tuple(fc.nat(), invalid)),
      fc.boolean(),
      fc.integer({ min: 0, max: 400 }),
      (lines, lineBreak, bom, damage, cut, textRun) => {
        let bytes = utf8(lines.join('').replace(/\n/g, lineBreak));
        if (damage) {
          const [at, bad] = damage;
          const k = at % bytes.length;
          bytes = cat(bytes.subarray(0, k), new Uint8Array(bad), bytes.subarray(k));
        }
        if (cut) bytes = bytes.subarray(0, bytes.length - 3); // a last line still being written
        if (bom) bytes = cat(new Uint8Array([0xef, 0xbb, 0xbf]), bytes);
        const a: SkipReport = { skipped: null };
        const b: SkipReport = { skipped: null };
        const c: SkipReport = { skipped: null };
        const text = outcome(() => ({ series: fromText(bytes, 'train.log', b), report: b }));
        assert.deepEqual(
          outcome(() => ({ series: fromBytes(bytes, 'train.log', a, textRun), report: a })),
          text,
        );
        assert.deepEqual(
          outcome(() => ({ series: readPrintedLog(bytes, 'train.log', c), report: c })),
          text,
        );
      },
    ),
    { numRuns: 400 },
  );
});

test('a long log whose lines often need the text (a tqdm bar filling up, line by line with CRs) reads as its text does', () => {
  const blocks = ' ▏▎▍▌▋▊▉';
  const bar = (f: number) => {
    const full = Math.floor(f * 10);
    const part = Math.floor((f * 10 - full) * 8);
    return full >= 10 ? '█'.repeat(10) : `${'█'.repeat(full)}${part ? blocks[part] : ' '}${' '.repeat(9 - full)}`;
  };
  let text = 'Starting Training Loop...\n';
  for (let e = 0; e < 40; e++) {
    for (let k = 1; k <= 60; k++) {
      const x = (0.69 + 0.05 * Math.sin(e * 60 + k)).toFixed(4);
      text += `\rEpoch ${e}: ${String(Math.floor((100 * k) / 60)).padStart(3)}%|${bar(k / 60)}| ${k}/60 [00:${String(k).padStart(2, '0')}<00:10, 9.${k % 10}0it/s, d_loss=${x}, g_loss=${x}]`;
    }
    text += '\n';
    for (let i = 0; i < 30; i++) text += BENCH_SHAPES[e % BENCH_SHAPES.length]!.line(e * 30 + i);
  }
  const bytes = utf8(text);
  assert.ok(bytes.length > 200_000);
  const a: SkipReport = { skipped: null };
  const b: SkipReport = { skipped: null };
  assert.deepEqual({ series: readPrintedLog(bytes, 'train.log', a), a }, { series: fromText(bytes, 'train.log', b), a: b });
  for (const textRun of [0, 1, 500]) {
    const c: SkipReport = { skipped: null };
    assert.deepEqual({ series: fromBytes(bytes, 'train.log', c, textRun), a: c }, { series: fromText(bytes, 'train.log', b), a: b });
  }
});
