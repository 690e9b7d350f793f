// The printed-log reader's two guarantees beside reading right: a line read by the template of an
// earlier line of the same print gives exactly what reading it token by token gives, and a live
// run's log read in pieces as it grows (the append cache) gives exactly what a whole read gives,
// for every proven shape (the bench's, scripts/bench-printed.ts), with relaunches, stages,
// processes and damage in it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineSplitter, type LineParts } from '../../../../src/core/formats/printedLine';
import { BENCH_SHAPES } from '../../../../scripts/bench-printed';
import { appendsEqualWholeRead, piecesOf } from '../../../support/printed';

const snapshot = (p: LineParts) => ({
  counters: [p.epoch, p.epochTotal, p.inner, p.innerTotal, p.global, p.stage, p.clock].map(String),
  stageWord: p.stageWord,
  bar: [p.bar, p.barFull],
  named: p.names.slice(0, p.count).map((n, i) => `${n}=${p.values[i]}`),
  damaged: p.damaged,
  numeric: p.numeric,
  header: [...p.header],
});

// Lines that look like the proven shapes with other numbers: signs, NaN, whole and not, wider, a bar filling up.
const variant = fc
  .record({ i: fc.nat(100_000), sign: fc.boolean(), whole: fc.boolean(), nan: fc.boolean(), fill: fc.nat(30) })
  .map(({ i, sign, whole, nan, fill }) => {
    const x = nan ? 'nan' : `${sign ? '-' : ''}${whole ? i : (i / 997).toFixed(4)}`;
    return [
      `Loss_D: ${x}\tLoss_G: ${x}`,
      `epoch ${sign ? -i : i} iter ${whole ? i : x} D loss: ${x}`,
      `${String(i % 300).padStart(3)}/274 [${'='.repeat(fill)}${'.'.repeat(30 - fill)}] - ETA: ${i % 60}s - g_loss: ${x} - d_loss: ${x}`,
      `${x} [D loss: ${x}]`,
      `scale ${i % 9}:[${i}/2000]`,
      `${i}\t${x}\t${x}`,
      `>${i % 100}, ${i % 234}/234, d=${x}, g=${x}`,
      `2023-01-0${(i % 9) + 1} 10:11:${String(i % 60).padStart(2, '0')},345 - INFO - Step ${i}/600 | D loss: ${x}`,
      `Elapsed: [${i % 3}:${String(i % 60).padStart(2, '0')}:0${i % 10}.${i}]  batch: ${i}  d_loss: ${x}  g_loss: ${x}${whole ? 's' : ''}`,
      `tick ${i} kimg ${x} time ${i % 60}m ${i % 60}s sec/tick ${x} acc: ${x}% loss: ${x}e-3 rate: ${x}${sign ? 'ms/step' : 'it/s'}`,
    ];
  });

test('a line read by its template gives exactly what reading it token by token gives', () => {
  const fast = new LineSplitter();
  const slow = new LineSplitter();
  let lines = 0;
  for (const shape of BENCH_SHAPES) {
    for (let i = 0; i < 400; i++) {
      for (const line of shape
        .line(i * 7919)
        .split('\n')
        .filter(Boolean)) {
        assert.deepEqual(snapshot(fast.split(line)), snapshot(slow.read(line)), `${shape.name}: ${line}`);
        lines++;
      }
    }
  }
  fc.assert(
    fc.property(fc.array(variant, { minLength: 1, maxLength: 8 }), (batches) => {
      for (const line of batches.flat()) assert.deepEqual(snapshot(fast.split(line)), snapshot(slow.read(line)), line);
    }),
    { numRuns: 400 },
  );
  assert.ok(lines > 6000);
});

test('every proven shape, appended piece by piece as a live run writes it, reads as the whole file reads', async () => {
  for (const shape of BENCH_SHAPES) {
    let text = 'Starting Training Loop...\n';
    for (let i = 0; i < 60; i++) text += shape.line(i * 97);
    await appendsEqualWholeRead(shape.file, piecesOf(text, 377));
  }
});

test('relaunches, stages, processes and damaged lines read in pieces as the whole file reads', async () => {
  let log = '';
  for (const n of [5, 3, 8]) for (let i = 0; i < n; i++) log += `[Epoch 0/5] [Batch ${i}/10] [D loss: ${n}] [G loss: 1]\n`;
  log += '[Epoch 0/5] [Batch 8/10] [D loss: 0.4x1] [G loss: 1]\n';
  for (let s = 0; s < 3; s++) for (const i of [0, 25, 50]) log += `scale ${s}:[${i}/2000]\nerrD: 0.5 errG: 0.5\n`;
  for (let i = 0; i < 20; i++) log += `step ${5000 + i} d_loss: 0.6 g_loss: 0.8\nstep ${i} d_loss: 0.1 g_loss: 3.0\n`;
  for (const size of [31, 113, 1000]) await appendsEqualWholeRead(`train-${size}.log`, piecesOf(log, size));
  let table = '';
  for (const n of [7, 7, 2, 76]) for (let i = 0; i < n; i++) table += `${i * 2}\t${(5.28 - i / 10).toFixed(6)}\t${(i / 7).toFixed(6)}\n`;
  await appendsEqualWholeRead('loss_0.log', piecesOf(table, 50));
  await appendsEqualWholeRead('losses.csv', piecesOf(table.replace(/\t/g, ','), 64));
});
