import { test } from 'node:test';
import assert from 'node:assert/strict';
import { samplePattern, sampleStep } from '../../../../src/core/samples/naming';
import { samplesFrom } from '../../../../src/core/samples/placing';

const steps: [string, number][] = [
  ['400.png', 400],
  ['image/400.png', 400],
  ['epoch_00400.png', 400],
  ['images_0001.png', 1],
  ['images/images_0035.png', 35],
  ['fake_samples_epoch_003.png', 3],
  ['image00010000.png', 10000],
  ['step-400.png', 400],
  ['400epochs.png', 400],
  ['images10/pic0.png', 10],
  ['images10/pic4.png', 10],
  ['images150/pic3.png', 150],
  ['gen_img/gen_img_3.jpg', 3],
  ['src/gan_fashion_images/005.png', 5],
  ['image_at_epoch_0004.png', 4],
  ['samples/epoch_12_batch_300.jpeg', 12],
  ['out/sample-7.gif', 7],
  ['IMAGE_0012.PNG', 12],
  ['version_3/sample_100.png', 100],
  ['runs/3/000400.png', 400],
  ['epoch_5/grid.png', 5],
];

test('sampleStep reads the step from the file or its numbered folder', () => {
  for (const [p, step] of steps) assert.equal(sampleStep(p), step, p);
});

test('sampleStep refuses plots, non-images and names without a step', () => {
  for (const p of [
    'losses.png',
    'loss.png',
    'Plots/Figure_1_10000 steps.png',
    'Plots/Figure_3 lr = 0.0002 steops = 100,000.png',
    'loss_curve_400.png',
    'plot_100.png',
    'accuracy_50.png',
    'chart-3.jpg',
    'plots/400.png',
    'samples.png',
    'real_samples.png',
    '400.npy',
    '400.txt',
    'grid.png',
  ]) {
    assert.equal(sampleStep(p), null, p);
  }
});

test('a loss word high up in the path does not hide samples', () => {
  assert.equal(sampleStep('gan_loss_study/run1/images/400.png'), 400);
});

test('samplesFrom sorts numerically by step, then naturally by path', () => {
  const got = samplesFrom(['images150/pic0.png', 'images10/pic10.png', 'images10/pic2.png', 'images50/pic1.png', 'images100/pic0.png', 'losses.png']);
  assert.deepEqual(got, [
    { step: 10, path: 'images10/pic2.png' },
    { step: 10, path: 'images10/pic10.png' },
    { step: 50, path: 'images50/pic1.png' },
    { step: 100, path: 'images100/pic0.png' },
    { step: 150, path: 'images150/pic0.png' },
  ]);
});

test('samplePattern from gan-run.json: {step} and * wildcards, other files rejected', () => {
  const stepOf = samplePattern('image/{step}.png');
  assert.equal(stepOf('image/400.png'), 400);
  assert.equal(stepOf('image/a400.png'), null);
  assert.equal(stepOf('other/400.png'), null);
  const star = samplePattern('progress/*_{step}.jpg');
  assert.equal(star('progress/grid_0200.jpg'), 200);
  assert.equal(star('progress/sub/grid_0200.jpg'), null);
  assert.deepEqual(
    samplesFrom(['image/2.png', 'image/10.png', 'image/1.png', 'x.png'], 'image/{step}.png').map((s) => s.step),
    [1, 2, 10],
  );
  // Regex metacharacters in the pattern are literal.
  assert.equal(samplePattern('a+b/(x){step}.png')('a+b/(x)5.png'), 5);
});
