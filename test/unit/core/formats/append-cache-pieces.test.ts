// Incremental reading of loss files a live run appends to (src/core/formats/appendCache.ts), on any
// content: CSV, JSON lines and TensorBoard records appended in any pieces (mid-line, mid-character,
// mid-record) read through the cache as a whole read of the same bytes after each piece.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { AppendCache } from '../../../../src/core/formats/appendCache';
import type { RawSeries } from '../../../../src/core/model';
import { readLossFile } from '../../../../src/core/formats';
import { concat, event } from '../../../support/tfEvents';

let tmp = '';
before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'gan-append-pieces-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The outcome of reading `file` through the cache: its series, or its error message. */
async function throughCache(cache: AppendCache, file: string): Promise<RawSeries[] | string> {
  const { size, mtimeMs, ino } = statSync(file);
  return cache.read(file, path.basename(file), { size, mtimeMs, ino }).catch((e: Error) => e.message);
}
/** The outcome of a whole read of `file`'s bytes, as the readers give it without any cache. */
function wholeRead(file: string): RawSeries[] | string {
  try {
    return readLossFile(path.basename(file), readFileSync(file));
  } catch (e) {
    return (e as Error).message;
  }
}

const eol = fc.constantFrom('\n', '\r\n', '\r');
const csvCell = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.oneof(fc.double().map(String), fc.integer({ min: -5, max: 50 }).map(String), fc.constantFrom('', '0.5', '1e3', '.5', '5.', '10', '2')),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      ' ',
      'nan',
      '-inf',
      'Infinity',
      'tensor(0.69, grad_fn=<X>)',
      'abc',
      '1e999',
      ' 2 ',
      '"q"',
      '"a,b"',
      '"1\n2"',
      '"x""y"',
      '"3\r\n"',
      'é',
    ),
  },
);
const csvHeader = fc.constantFrom(
  'step,d_loss,g_loss',
  'epoch,step,d_loss,g_loss,val/fid',
  'd_loss,g_loss',
  ',d_loss,g_loss',
  'step;loss_D',
  'step\tloss_D',
  '"step","d,loss"',
  '\ufeffstep,d_loss',
  'step,time,d_loss',
);
const csvText = fc.tuple(csvHeader, fc.array(fc.array(csvCell, { maxLength: 5 }), { maxLength: 14 }), eol, fc.boolean()).map(([h, rows, e, trailing]) => {
  const d = h.includes(';') ? ';' : h.includes('\t') ? '\t' : ',';
  return h + e + rows.map((r) => r.join(d)).join(e) + (trailing ? e : '');
});
const jsonValue = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.oneof(
      fc.double().map((x) => (Number.isFinite(x) ? String(x) : 'NaN')),
      fc.integer({ min: 0, max: 50 }).map(String),
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('null', '"nan"', '"x"', 'true', 'Infinity', '{"a": 1}', '{"b": {"c": 2}}', '[1]', '"é"') },
);
const jsonKey = fc.constantFrom('step', 'epoch', 'iteration', 'd_loss', 'g_loss', 'time', 'fid', 'a/b', 'lr');
const jsonLine = fc.oneof(
  { weight: 8, arbitrary: fc.array(fc.tuple(jsonKey, jsonValue), { maxLength: 5 }).map((kv) => '{' + kv.map(([k, v]) => `"${k}": ${v}`).join(', ') + '}') },
  { weight: 1, arbitrary: fc.constantFrom('', '  ', '{bad', '[1]', '{"step": 1') },
);
const jsonlText = fc.tuple(fc.array(jsonLine, { maxLength: 12 }), eol, fc.boolean()).map(([lines, e, trailing]) => lines.join(e) + (trailing ? e : ''));
const tfText = fc
  .array(
    fc.tuple(
      fc.integer({ min: 0, max: 40 }),
      fc.subarray(['loss/d', 'loss/g', 'hist']),
      fc.double({ noNaN: true }),
      fc.constantFrom(undefined, 'scalars', 'histograms'),
    ),
    { maxLength: 12 },
  )
  .map((events) => concat(events.map(([step, tags, value, plugin]) => event(step, Object.fromEntries(tags.map((t) => [t, value])), plugin))));

/** Splits `bytes` at `cuts` (offsets, any order) into the pieces a writer appends one after another. */
function pieces(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => Math.floor(c * (bytes.length + 1))))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const to of [...at, bytes.length]) {
    out.push(bytes.subarray(from, Math.max(from, to)));
    from = Math.max(from, to);
  }
  return out;
}

for (const [kind, name, content] of [
  ['csv', 'metrics.csv', csvText.map((text) => Buffer.from(text))],
  ['jsonl', 'losses.jsonl', jsonlText.map((text) => Buffer.from(text))],
  ['tfevents', 'events.out.tfevents.1.host', tfText],
] as const) {
  test(`${kind}: any content appended in any pieces (mid-line, mid-character, mid-record) reads as a whole read after each`, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(content, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }), async (bytes, cuts) => {
        const dir = path.join(tmp, `${kind}-prop-${n++}`);
        mkdirSync(dir);
        const file = path.join(dir, name);
        writeFileSync(file, '');
        const cache = new AppendCache();
        const seen: [RawSeries[] | string, RawSeries[] | string][] = [];
        for (const piece of pieces(bytes, cuts)) {
          appendFileSync(file, piece);
          const read = await throughCache(cache, file);
          const whole = wholeRead(file);
          assert.deepEqual(read, whole);
          seen.push([read, whole]);
        }
        // What earlier reads handed out is never written again by the later ones.
        for (const [read, whole] of seen) assert.deepEqual(read, whole);
      }),
      { numRuns: 300 },
    );
  });
}
