// The printed-log reader on each line shape it is proven on (README, "Printed log shapes"): every
// print statement written as its codebase writes it, read into the series and steps it means.
// Not a list of shapes in the reader: each is split into counters and named numbers the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lossFileKind } from '../../../../src/core/formats';
import { looksLikePrintedLog } from '../../../../src/core/formats/printedSniff';
import { roleOf } from '../../../../src/core/roles';
import { enc, read } from '../../../support/printed';

const v = (i: number) => (0.5 + i / 1000).toFixed(4);

test('DCGAN tutorial, 1-based: `[  1/100][ 50/938]` counts epochs from 1 (it reaches [100/100]), so epoch 1 batch 50 is step 50', () => {
  let text = '';
  for (const e of [1, 2, 100])
    for (const b of [50, 900])
      text += `[${String(e).padStart(3)}/100][${String(b).padStart(3)}/938]\tLoss_D: 0.1356\tLoss_G: 0.2933\tD(x): 0.7666\tD(G(z)): 0.3971 / 0.2445\n`;
  const r = read('train.log', text);
  assert.deepEqual(r.steps('Loss_D'), [50, 900, 988, 1838, 99 * 938 + 50, 99 * 938 + 900]);
  assert.equal(r.by.Loss_D!.stepsPerEpoch, 938);
  assert.deepEqual(r.values('D(G(z)) after G step'), Array(6).fill(0.2445));
});

test('DCGAN-tensorflow with its global counter: `[   32622 Epoch:[ 1/25] [12603/20018] time: …` is one point per iteration at the counter', () => {
  let text = ' [*] Reading checkpoints...\n';
  for (let i = 0; i < 5; i++)
    text += `[${String(32622 + i).padStart(8)} Epoch:[ 1/25] [${12603 + i}/20018] time: ${(1234.5 + i).toFixed(4)}, d_loss: ${v(i)}, g_loss: 0.25\n`;
  const r = read('train.log', text);
  assert.deepEqual(Object.keys(r.by), ['d_loss', 'g_loss'], 'time is the clock, not a series');
  assert.deepEqual(r.steps('d_loss'), [32622, 32623, 32624, 32625, 32626]);
});

test('DCGAN-tensorflow (older): `Epoch: [ 0/25] [ 935/ 937] time: …`; `[Sample] d_loss: …` lines (no counters) are not training records', () => {
  let text = '';
  for (const e of [0, 1]) {
    for (let b = 0; b < 937; b += 312)
      text += `Epoch: [${String(e).padStart(2)}/25] [${String(b).padStart(4)}/${String(937).padStart(4)}] time: ${e * 30 + b / 100}, d_loss: 1.2, g_loss: 0.8\n`;
    text += '[Sample] d_loss: 0.00512, g_loss: 11.61\n';
  }
  const r = read('2018-11-15_04-34-29_out.log', text);
  assert.deepEqual(r.steps('d_loss'), [0, 312, 624, 936, 937, 1249, 1561, 1873]);
  assert.deepEqual(r.values('g_loss'), Array(8).fill(0.8), 'no [Sample] value among the training records');
  assert.deepEqual(r.report.notes, []);
});

test('PyTorch-GAN: `[Epoch 0/200] [Batch 0/938] [D loss: …] [G loss: …, adv: …]`: bracket terms named after the bracket', () => {
  let text = '';
  for (const e of [0, 1]) for (const b of [0, 400]) text += `[Epoch ${e}/200] [Batch ${b}/938] [D loss: 0.5] [G loss: 0.9, adv: 0.6, cycle: 0.1]\n`;
  const r = read('nohup.out', text);
  assert.deepEqual(Object.keys(r.by), ['D loss', 'G loss', 'G loss/adv', 'G loss/cycle']);
  assert.deepEqual(r.steps('D loss'), [0, 400, 938, 1338]);
});

test('Keras-GAN: `%d [D loss: %f, acc.: %.2f%%] [G loss: %f]`: the leading number is the step, `%` dropped', () => {
  const r = read('train.log', [0, 1, 2].map((i) => `${i} [D loss: ${v(i)}, acc.: 50.00%] [G loss: 0.8]\n`).join(''));
  assert.deepEqual(Object.keys(r.by), ['D loss', 'D loss/acc', 'G loss']);
  assert.deepEqual(r.steps('G loss'), [0, 1, 2]);
  assert.deepEqual(r.values('D loss/acc'), [50, 50, 50]);
});

test("Keras DCGAN (roatienza): `0: [D loss: …, acc: …]  [A loss: …, acc: …]`: a leading step, and the adversarial model's A loss is the generator's", () => {
  const r = read('log.txt', [0, 1, 2551].map((i) => `${i}: [D loss: 0.694244, acc: 0.460938]  [A loss: 1.118456, acc: 0.000000]\n`).join(''));
  assert.deepEqual(Object.keys(r.by), ['D loss', 'D loss/acc', 'A loss', 'A loss/acc']);
  assert.deepEqual(r.steps('A loss'), [0, 1, 2551]);
  assert.equal(roleOf('A loss'), 'generator');
  assert.equal(roleOf('A loss/acc'), 'other');
});

test('Machine Learning Mastery: `>79, 152/234, d=0.690, g=0.690`: epoch then batch/batches, both from 1; steps count iterations from 0', () => {
  const text =
    '\x1b[1;30;43mStreaming output truncated to the last 5000 lines.\x1b[0m\n>79, 152/234, d=0.690, g=0.690\n>79, 234/234, d=0.691, g=0.692\n>80, 1/234, d=0.693, g=0.694\n>Accuracy real: 12%, fake: 94%\n';
  const r = read('slurm-1.out', text);
  assert.deepEqual(Object.keys(r.by), ['d', 'g'], 'the accuracy line and the banner are not records');
  assert.deepEqual(r.steps('d'), [78 * 234 + 151, 79 * 234 - 1, 79 * 234]);
});

test('`Epoch [3] Batch [120] Disc Loss [1.0212] Gen Loss [0.0861]`: `Name [value]`, multi-word names, batches per epoch from the largest batch', () => {
  let text = '';
  for (const e of [0, 1]) for (const b of [0, 60, 120]) text += `Epoch [${e}] Batch [${b}] Disc Loss [1.0212] Gen Loss [0.0861]\n`;
  const r = read('output.txt', text);
  assert.deepEqual(Object.keys(r.by), ['Disc Loss', 'Gen Loss']);
  assert.deepEqual(r.steps('Gen Loss'), [0, 60, 120, 121, 181, 241]);
  assert.equal(roleOf('Disc Loss'), 'discriminator');
  assert.equal(lossFileKind('output.txt', enc(text)), 'printed', 'told from other text by its content');
});

test('C++ / Caffe: `iteration:N;errorD:x;loss_G:y`', () => {
  const r = read('train.log', [100, 200, 300].map((i) => `iteration:${i};errorD:0.5;loss_G:0.7\n`).join(''));
  assert.deepEqual(Object.keys(r.by), ['errorD', 'loss_G']);
  assert.deepEqual(r.steps('errorD'), [100, 200, 300]);
});

test('Python logging: `2023-01-02 10:11:12,345 - INFO - Epoch 3/100 | Step 200/600 | …`: the timestamp is the clock, not a counter', () => {
  const r = read(
    'train.log',
    [0, 200, 400].map((b, i) => `2023-01-02 10:11:1${i},345 - INFO - Epoch 3/100 | Step ${b}/600 | D loss: 0.5 | G loss: 0.7\n`).join(''),
  );
  assert.deepEqual(r.steps('D loss'), [1800, 2000, 2200]);
});

test("Keras fit: `Epoch 1/500` on its own line, then `274/274 [====] - 11s 33ms/step - g_loss: … - d_loss: …` holds that epoch's losses; a bar still filling is not a record", () => {
  let text = '';
  for (let e = 1; e <= 3; e++)
    text += `Epoch ${e}/500\n  6/274 [..............................] - ETA: 15s - g_loss: 9.9 - d_loss: 9.9\n274/274 [==============================] - 11s 33ms/step - g_loss: ${e}.5 - d_loss: 0.2815\n`;
  const r = read('fit.log', text);
  assert.deepEqual(Object.keys(r.by), ['g_loss', 'd_loss']);
  assert.deepEqual(r.values('g_loss'), [1.5, 2.5, 3.5]);
  assert.deepEqual(r.steps('d_loss'), [273, 547, 821], 'epochs and batches from 1: the first epoch ends at iteration 273 (counted from 0)');
});

test('tqdm and Lightning postfixes: `Epoch 3:  45%|████▌     | 45/100 [00:10<00:12, 4.50it/s, d_loss=1.2, g_loss=0.8]`', () => {
  const line = (e: number, b: number, d: number) => `Epoch ${e}: ${b}%|████▌     | ${b}/100 [00:10<00:12,  4.50it/s, d_loss=${d}, g_loss=0.8]`;
  const r = read('lightning.log', [line(0, 45, 1.2), line(0, 99, 1.1), line(1, 10, 1.0)].join('\r') + '\n');
  assert.deepEqual(Object.keys(r.by), ['d_loss', 'g_loss']);
  assert.deepEqual(r.steps('d_loss'), [45, 99, 110]);
});

test('tqdm description: `[0/4]\\tLoss_D: …: 100%|██████████| 3502/3502 [17:38<00:00,  3.31it/s]`; `[4/4]` after `[0/4]` is the fifth of five epochs', () => {
  const text = [0, 1, 4]
    .map((e) => `[${e}/4]\tLoss_D: 1.3903\tLoss_G: 0.7563\tD(x): 0.4702\tD(G(z)): 0.4705 / 0.4694: 100%|██████████| 3502/3502 [17:38<00:00,  3.31it/s]\n`)
    .join('');
  const r = read('stderr.txt', text);
  assert.deepEqual(r.steps('Loss_D'), [3501, 7003, 17509], 'a bar counting 1…3502: the end of epoch e is iteration 3502·(e+1) − 1');
});

test('`Epoch: 0, Batch: 0, D Loss: …, G Loss: …`: batches per epoch from the largest batch printed', () => {
  let text = '';
  for (const e of [0, 1]) for (const b of [0, 100, 900]) text += `Epoch: ${e}, Batch: ${b}, D Loss: 0.3382036089897156, G Loss: 2.695267677307129\n`;
  const r = read('out.log', text);
  assert.deepEqual(r.steps('D Loss'), [0, 100, 900, 901, 1001, 1801]);
  assert.equal(r.by['D Loss']!.stepsPerEpoch, 901);
});

test('One line per epoch, `[Epoch 0/300] [D loss: …] [G loss: …] [Elapsed time: 13.36s]`: the axis counts epochs; the elapsed time is no series', () => {
  const r = read('train.log', [0, 1, 299].map((e) => `[Epoch ${e}/300] [D loss: 0.173374] [G loss: 1.624258] [Elapsed time: 13.36s]\n`).join(''));
  assert.deepEqual(Object.keys(r.by), ['D loss', 'G loss']);
  assert.deepEqual(r.steps('D loss'), [0, 1, 299]);
  assert.equal(r.report.stepUnit, 'epoch');
});

test('A counter printed with every batch (`Epoch 3 d_loss …` a line per batch): records in an epoch follow one another, no relaunch', () => {
  let text = '';
  for (const e of [0, 1]) for (let b = 0; b < 4; b++) text += `Epoch ${e} d_loss ${b / 10} g_loss 0.7\n`;
  const r = read('train.log', text);
  assert.deepEqual(r.steps('d_loss'), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(r.report.notes, []);
});

test("PyTorch tensors printed as they are (`D loss: tensor(0.6931, device='cuda:0', grad_fn=<AddBackward0>)`), NaN and ±inf", () => {
  const text = [0, 1, 2]
    .map((i) => `iter ${i} D loss: tensor(${i === 2 ? 'nan' : '0.6931'}, device='cuda:0', grad_fn=<AddBackward0>) G loss: ${i === 1 ? '-inf' : '0.7'}\n`)
    .join('');
  const r = read('train.log', text);
  assert.deepEqual(Object.keys(r.by), ['D loss', 'G loss']);
  assert.deepEqual(r.values('D loss'), [0.6931, 0.6931, NaN]);
  assert.deepEqual(r.values('G loss'), [0.7, -Infinity, 0.7]);
});

test('a line whose loss value does not parse (`G_GAN: 3.0x1`) is a damaged record, skipped and told; other lines are no damage', () => {
  const text = 'Namespace(lr=0.0002)\nstep 1 D loss: 0.5 G loss: 0.7\nstep 2 D loss: 0.4x1 G loss: 0.7\nWARNING: something\nstep 3 D loss: 0.3 G loss: 0.7\n';
  const r = read('train.log', text);
  assert.deepEqual(r.steps('D loss'), [1, 3]);
  assert.deepEqual(r.report.skipped, { count: 1, first: { line: 3 }, reason: 'a loss line with a value that is not a number' });
});

test('printed logs are found by their content: loss lines, tick lines, or a table of numbers with fractions and nothing else', () => {
  assert.ok(looksLikePrintedLog('>1, 1/234, d=0.700, g=0.682\n'.repeat(3)));
  assert.ok(looksLikePrintedLog('0\t5.28\t-0.0054\n1\t1.97\t1.72\n3\t-0.96\t2.96\n'), 'a TSV of losses');
  assert.ok(!looksLikePrintedLog('1 2 3\n4 5 6\n7 8 9\n'), 'whole numbers only: an index, not losses');
  assert.ok(!looksLikePrintedLog('0.5 0.7\n0.1 0.2 0.3\n0.4 0.5\n'), 'rows of different widths');
  assert.ok(!looksLikePrintedLog('Number of epochs: 100\nbatch size: 64\nlearning rate: 0.0002\n'), 'settings are no loss lines');
});

test("lines of other shapes between loss lines (a tick line, a row of numbers) leave the loss lines' names as printed", () => {
  const text = 'step 1 d_loss: 0.5 g_loss: 0.7\ntick 1 kimg 4.0 augment 0.1\nstep 2 d_loss: 0.4 g_loss: 0.8\n0.1 0.2\nstep 3 d_loss: 0.3 g_loss: 0.9\n';
  const r = read('train.log', text);
  assert.deepEqual(Object.keys(r.by), ['d_loss', 'g_loss']);
  assert.deepEqual(r.values('d_loss'), [0.5, 0.4, 0.3]);
});
