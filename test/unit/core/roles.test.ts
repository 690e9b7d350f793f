import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pickMainPair } from '../../../src/core/mainPair';
import { assignRoles, roleClarity, roleOf } from '../../../src/core/roles';
import type { RawSeries, Series } from '../../../src/core/model';

const discriminator = [
  'discriminator_loss',
  'disc_loss',
  'd_loss',
  'd_losses',
  'D_loss',
  'dloss',
  'DLOSS',
  'loss_D',
  'lossD',
  'errD',
  'critic_loss',
  'loss/discriminator',
  'dis/loss',
  'd_cost',
  'D_loss[1]',
  'd_losses.npy',
  'Loss/D',
  'netD_loss',
  'dLoss',
  'DLoss',
  'd-loss',
  'd.loss',
  'D loss',
  'train/d_loss',
  'd_loss_real',
  'discriminator',
];
const generator = [
  'generator_loss',
  'gen_loss',
  'g_loss',
  'g_losses',
  'G_loss',
  'gloss',
  'loss_G',
  'errG',
  'loss/generator',
  'gen/loss',
  'lossG',
  'G_loss[1]',
  'g_losses.npy',
  'gLoss',
  'GLoss',
  'g-cost',
  'generator',
];
const other = [
  'seed',
  'seed.npy',
  'gradient_d',
  'losses',
  'losses[0]',
  'loss',
  'accuracy_value',
  'loss_values',
  'test_loss_value',
  'D(x)',
  'D(G(z))',
  'd_acc',
  'D_loss_accuracy',
  'step',
  'epoch',
  'lr_d',
  'd_grad_norm',
  'gp',
  'loss_values_test',
  'dg_loss',
  'gd',
  'd_g_loss',
  'grade',
  'guide',
  'ddd',
  'gen_img',
  'images10',
  '',
];

test('roleOf: discriminator names', () => {
  for (const name of discriminator) assert.equal(roleOf(name), 'discriminator', name);
});

test('roleOf: generator names', () => {
  for (const name of generator) assert.equal(roleOf(name), 'generator', name);
});

test("roleOf: names that are not one network's loss stay other", () => {
  for (const name of other) assert.equal(roleOf(name), 'other', name);
});

test('roleClarity ranks plain names above decorated and bare ones', () => {
  assert.equal(roleClarity('d_loss'), 3);
  assert.equal(roleClarity('loss/discriminator'), 3);
  assert.equal(roleClarity('errD'), 3);
  assert.equal(roleClarity('d_loss_real'), 2);
  assert.equal(roleClarity('D'), 1);
  assert.equal(roleClarity('seed'), 0);
});

const raw = (name: string, column: number | null, n = 10, fill = (i: number) => i * 0.1): RawSeries => ({
  name,
  column,
  steps: Float64Array.from({ length: n }, (_, i) => i),
  values: Float64Array.from({ length: n }, (_, i) => fill(i)),
});
const roles = (series: Series[]) => series.map((s) => `${s.name}:${s.role}`);

test('assignRoles: a 1-D npy takes the role of its file name', () => {
  assert.deepEqual(roles(assignRoles('d_losses.npy', [raw('d_losses', null)])), ['d_losses:discriminator']);
  assert.deepEqual(roles(assignRoles('result/generator_loss.npy', [raw('generator_loss', null)])), ['generator_loss:generator']);
  assert.deepEqual(roles(assignRoles('seed.npy', [raw('seed', null)])), ['seed:other']);
  assert.deepEqual(roles(assignRoles('loss_values.npy', [raw('loss_values', null)])), ['loss_values:other']);
});

test('assignRoles: a single value is never a loss history', () => {
  assert.deepEqual(roles(assignRoles('d_loss.npy', [raw('d_loss', null, 1)])), ['d_loss:other']);
  assert.deepEqual(roles(assignRoles('accuracy_value.npy', [raw('accuracy_value', null, 1)])), ['accuracy_value:other']);
});

test('assignRoles: with a step column only the first value column takes the file role', () => {
  const s = assignRoles('D_loss.npy', [raw('D_loss[1]', 1), raw('D_loss[2]', 2)]);
  assert.deepEqual(roles(s), ['D_loss[1]:discriminator', 'D_loss[2]:other']);
  assert.equal(s[0]!.source, 'D_loss.npy');
  assert.equal(s[0]!.column, 1);
});

test('assignRoles: Keras multi-output gloss (N,3): column 0 is G', () => {
  const s = assignRoles('gloss.npy', [raw('gloss[0]', 0), raw('gloss[1]', 1), raw('gloss[2]', 2)]);
  assert.deepEqual(roles(s), ['gloss[0]:generator', 'gloss[1]:other', 'gloss[2]:other']);
});

test('assignRoles: combined losses.npy (N,2) is (d, g); not for values/test arrays or three columns', () => {
  assert.deepEqual(roles(assignRoles('losses.npy', [raw('losses[0]', 0), raw('losses[1]', 1)])), ['losses[0]:discriminator', 'losses[1]:generator']);
  assert.deepEqual(roles(assignRoles('losses_cgan.npy', [raw('losses_cgan[0]', 0), raw('losses_cgan[1]', 1)])), [
    'losses_cgan[0]:discriminator',
    'losses_cgan[1]:generator',
  ]);
  assert.deepEqual(roles(assignRoles('loss_values.npy', [raw('loss_values[0]', 0), raw('loss_values[1]', 1)])), [
    'loss_values[0]:other',
    'loss_values[1]:other',
  ]);
  assert.deepEqual(
    roles(assignRoles('losses.npy', [raw('losses[0]', 0), raw('losses[1]', 1), raw('losses[2]', 2)])).map((r) => r.split(':')[1]),
    ['other', 'other', 'other'],
  );
  assert.deepEqual(
    roles(assignRoles('embeddings.npy', [raw('embeddings[0]', 0), raw('embeddings[1]', 1)])).map((r) => r.split(':')[1]),
    ['other', 'other'],
  );
});

test('assignRoles: table formats name each series', () => {
  const s = assignRoles('logs/metrics.csv', [raw('d_loss', 1), raw('g_loss', 2), raw('epoch', 3), raw('D(x)', 4)]);
  assert.deepEqual(roles(s), ['d_loss:discriminator', 'g_loss:generator', 'epoch:other', 'D(x):other']);
  assert.deepEqual(roles(assignRoles('d_loss.csv', [raw('loss', 1)])), ['loss:discriminator']);
});

test('pickMainPair keeps one D and one G: clearest name, same file, longer, then path order', () => {
  const fromFile = (source: string, r: RawSeries[]) => assignRoles(source, r);
  const series = [
    ...fromFile('logs/metrics.csv', [raw('d_loss', 1), raw('g_loss', 2)]),
    ...fromFile('logs/events.out.tfevents.1', [raw('loss/discriminator', null), raw('loss/generator', null)]),
    ...fromFile('logs/extra.csv', [raw('d_loss_real', 1), raw('D', 2)]),
  ];
  const picked = pickMainPair(series);
  assert.deepEqual(
    picked.filter((s) => s.role !== 'other').map((s) => `${s.source}:${s.name}:${s.role}`),
    ['logs/events.out.tfevents.1:loss/discriminator:discriminator', 'logs/events.out.tfevents.1:loss/generator:generator'],
  );
  assert.equal(picked.length, series.length, 'nothing is dropped, only demoted');

  const combined = pickMainPair([
    ...fromFile('losses_cgan.npy', [raw('losses_cgan[0]', 0), raw('losses_cgan[1]', 1)]),
    ...fromFile('losses.npy', [raw('losses[0]', 0), raw('losses[1]', 1)]),
  ]);
  assert.deepEqual(
    combined.filter((s) => s.role !== 'other').map((s) => s.name),
    ['losses[0]', 'losses[1]'],
  );
});

test('pickMainPair keeps D and G of different lengths (WGAN, n_critic = 5)', () => {
  const series = [...assignRoles('d_losses.npy', [raw('d_losses', null, 1080, (i) => -i)]), ...assignRoles('g_losses.npy', [raw('g_losses', null, 240)])];
  const picked = pickMainPair(series);
  assert.deepEqual(
    picked.map((s) => [s.role, s.values.length, s.steps[s.steps.length - 1]]),
    [
      ['discriminator', 1080, 1079],
      ['generator', 240, 239],
    ],
  );
});
