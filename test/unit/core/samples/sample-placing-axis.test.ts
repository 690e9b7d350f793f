// Where a run's images sit on its axis when their numbers count more than steps: epoch and batch in
// one name, epochs turned into iterations by the log, counters lined up with the logged steps, and
// stages (numbered folders, SinGAN's scales, progressive growing). The names alone are in sample-placing.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeImages, type PlaceContext } from '../../../../src/core/samples/placing';
import { iterations, range, results, steps } from '../../../support/placedImages';

test('two varying numbers in one name are epoch and batch: a composite step (batches per epoch from the names)', () => {
  // carpedm20's train_{epoch:02d}_{batch:04d}.png: the largest batch seen (1090) + its spacing (3) = 1093 per epoch.
  const files = ['train_00_0020.png', 'train_00_0096.png', 'train_00_0099.png', 'train_01_0362.png', 'train_13_1090.png'];
  const placed = placeImages(files);
  assert.deepEqual(
    placed.samples.map((s) => s.step),
    [20, 96, 99, 1093 + 362, 13 * 1093 + 1090],
  );
  assert.equal(placed.unit, 'iteration');
  // janghana: epoch_{e}_batch_{b}.png every 500 batches → 1000 per epoch from the names.
  assert.deepEqual(
    steps(['epoch_0_batch_0.png', 'epoch_0_batch_500.png', 'epoch_5_batch_0.png', 'epoch_5_batch_500.png']).map(([, s]) => s),
    [0, 500, 5000, 5500],
  );
});

test('batches per epoch come from the log when the losses count iterations, unless a batch named is past it', () => {
  const files = ['train_00_0099.png', 'train_01_0362.png'];
  const ctx: PlaceContext = { lossUnit: 'iteration', stepsPerEpoch: 1093, lossSteps: iterations(25 * 1093 - 1) };
  assert.deepEqual(
    steps(files, ctx).map(([, s]) => s),
    [99, 1093 + 362],
  );
  // Names from another launch (batch 1090 with a log of 937 per epoch): the names' own count.
  const other = placeImages(['train_00_0096.png', 'train_00_0099.png', 'train_03_1090.png'], { lossUnit: 'iteration', stepsPerEpoch: 937 });
  assert.deepEqual(
    other.samples.map((s) => s.step),
    [96, 99, 3 * 1093 + 1090],
  );
});

test('epoch-numbered samples go to their iteration when the log says how many an epoch has: fake_images-85.png after 85 epochs of 600', () => {
  const files = range(85, 1).map((e) => `fake_images-${e}.png`);
  const ctx: PlaceContext = { lossUnit: 'iteration', stepsPerEpoch: 600, lossSteps: iterations(85 * 600 - 1, 100) };
  const placed = placeImages(files, ctx);
  // Numbered from 1 (no 0, and the last is the log's 85th epoch): n epochs done, the end of epoch n.
  assert.deepEqual(
    placed.samples.slice(0, 3).map((s) => s.step),
    [599, 1199, 1799],
  );
  assert.equal(placed.samples.at(-1)!.step, 85 * 600 - 1);
  assert.equal(placed.unit, 'iteration');
  // Numbered from 0 (the pytorch/examples dcgan): epoch n ends at (n + 1) × 600 − 1.
  assert.deepEqual(
    steps(['fake_samples_epoch_000.png', 'fake_samples_epoch_001.png'], ctx).map(([, s]) => s),
    [599, 1199],
  );
  // Without the log's count they stay epochs.
  assert.deepEqual(
    steps(files.slice(0, 2)).map(([, s]) => s),
    [1, 2],
  );
  // A counter that spans the iterations is iterations (PyTorch-GAN's images/<batches_done>.png).
  assert.deepEqual(
    steps(['images/0.png', 'images/24000.png', 'images/50400.png'], ctx).map(([, s]) => s),
    [0, 24000, 50400],
  );
});

test('a counter from 1 beside a log from 0 lines up with the logged steps (ojus1: gen_0_1_<i>.png is log step i − 1)', () => {
  const logged = Float64Array.from([0, ...range(75).map((k) => 2 * k + 1)]); // 0, 1, 3, 5, …, 149
  const files = [1, 4, 8, 12, 76, 150].map((i) => `gen_0_1_${i}.png`);
  assert.deepEqual(
    steps(files, { lossSteps: logged, lossUnit: 'iteration' }).map(([, s]) => s),
    [0, 3, 7, 11, 75, 149],
  );
  // With no log the names stand; beside a log that logs every step, nothing moves (bharat029's 1, 5, 10…).
  assert.deepEqual(
    steps(files).map(([, s]) => s),
    [1, 4, 8, 12, 76, 150],
  );
  assert.deepEqual(
    steps(['images_0001.png', 'images_0005.png', 'images_0010.png'], { lossSteps: iterations(1714) }).map(([, s]) => s),
    [1, 5, 10],
  );
});

test('numbered folders: a named one is the step (images10/pic0..4.png), a bare one that restarts its counter is a stage', () => {
  const cgan = placeImages([10, 50, 100].flatMap((s) => range(5).map((i) => `images${s}/pic${i}.png`)));
  assert.deepEqual([...new Set(cgan.samples.map((s) => s.step))], [10, 50, 100]);
  assert.equal(cgan.stages, undefined);
  const epochs = placeImages([1, 2].flatMap((e) => range(3).map((i) => `epoch_${e}/${i}.png`)));
  assert.deepEqual(
    epochs.samples.map((s) => s.step),
    [1, 1, 1, 2, 2, 2],
  );
});

test('SinGAN without a log: stages from the tree, each ending at its largest iteration, the next right after it', () => {
  const ends = [1999, 1607, 360];
  const files: string[] = [];
  ends.forEach((end, scale) => {
    for (const it of [
      ...range(Math.floor(end / 200) + 1)
        .map((k) => k * 200)
        .filter((x) => x < end),
      end,
    ])
      files.push(`${scale}/fake_sample_${it}.png`, `${scale}/G(z_opt)_${it}.png`);
    files.push(`${scale}/real_scale.png`);
  });
  files.push('33039_LR_HR_factor_4.png', '33039_LR_HR_factor_8.png', '33039_LR_HR_factor_8_train_again.png');
  const placed = placeImages(files);
  assert.deepEqual(placed.stages, [
    { label: 'stage 0', start: 0, offset: 0 },
    { label: 'stage 1', start: 2000, offset: 2000 },
    { label: 'stage 2', start: 3608, offset: 3608 },
  ]);
  const at = (p: string) => placed.samples.find((s) => s.path === p)?.step;
  assert.equal(at('0/fake_sample_1999.png'), 1999);
  assert.equal(at('1/fake_sample_0.png'), 2000);
  assert.equal(at('1/fake_sample_1607.png'), 3607);
  assert.equal(at('2/fake_sample_360.png'), 3608 + 360);
  assert.ok(
    placed.samples.every((s) => s.path.includes('fake_sample')),
    'the reconstructions are references',
  );
  const ref = (p: string) => placed.references.find((r) => r.path === p);
  assert.equal(ref('1/G(z_opt)_200.png')!.step, 2200);
  assert.deepEqual(ref('1/real_scale.png'), { step: 2000, path: '1/real_scale.png', until: 3607 });
  assert.deepEqual(placed.results.map((r) => r.path).sort(), ['33039_LR_HR_factor_4.png', '33039_LR_HR_factor_8.png', '33039_LR_HR_factor_8_train_again.png']);
  assert.equal(placed.unit, 'iteration');
});

test("SinGAN with the log's stages: the samples go onto them by stage index", () => {
  const files = ['0/fake_sample_0.png', '0/fake_sample_1999.png', '1/fake_sample_0.png', '1/fake_sample_400.png'];
  const stages = [
    { label: 'scale 0', start: 0, offset: 0 },
    { label: 'scale 1', start: 2100, offset: 2100 },
  ];
  const placed = placeImages(files, { stages, lossUnit: 'iteration', lossSteps: iterations(4000) });
  assert.deepEqual(
    placed.samples.map((s) => s.step),
    [0, 1999, 2100, 2500],
  );
  assert.deepEqual(placed.stages, stages);
});

test('an older SinGAN names samples by training fraction: a position within the stage (per mille without a log)', () => {
  const files = [0, 1].flatMap((k) => ['0.0', '0.5', '0.9995'].map((f) => `${k}/fake_sample_${f}.png`));
  files.push('1/fake_sample_0.5 (copy).png');
  const placed = placeImages(files);
  assert.deepEqual(
    placed.samples.map((s) => s.step),
    [0, 500, 999.5, 1000, 1500, 1999.5],
  );
  assert.equal(placed.unit, '‰ of a stage');
  assert.deepEqual(
    placed.stages!.map((s) => s.start),
    [0, 1000],
  );
  // A file manager's copy is the same image again: shown, never scored twice.
  assert.deepEqual(
    placed.results.map((r) => r.path),
    ['1/fake_sample_0.5 (copy).png'],
  );
  // With the log's stages a fraction is that share of its stage.
  const logged = placeImages(files.slice(0, 6), {
    stages: [
      { label: 'scale 0', start: 0, offset: 0 },
      { label: 'scale 1', start: 2000, offset: 2000 },
    ],
    lossSteps: iterations(3999),
  });
  assert.deepEqual(
    logged.samples.map((s) => s.step),
    [0, 1000, 1999, 2000, 3000, 3999],
  );
});

test('progressive growing: gen_<depth>_<epoch>_<i>.png with every number varying is stage, epoch, batch', () => {
  const files = ['gen_0_1_1.png', 'gen_0_1_50.png', 'gen_0_2_50.png', 'gen_1_1_1.png', 'gen_1_1_50.png'];
  const placed = placeImages(files);
  assert.equal(placed.stages!.length, 2);
  assert.ok(
    placed.samples.every((s, i, all) => i === 0 || s.step > all[i - 1]!.step),
    JSON.stringify(placed.samples),
  );
  // With the depth and the epoch fixed (ojus1), the batch alone is the step.
  assert.deepEqual(steps(['gen_0_1_1.png', 'gen_0_1_4.png', 'progan/0.png']), [
    ['gen_0_1_1.png', 1],
    ['gen_0_1_4.png', 4],
  ]);
  assert.deepEqual(results(['gen_0_1_1.png', 'gen_0_1_4.png', 'progan/0.png']), ['progan/0.png']);
});

test('a free number in a folder is never the batch of an epoch named in the file (cifar10/ beside cifar100/)', () => {
  const files = ['cifar10/fake_samples_epoch_001.png', 'cifar10/fake_samples_epoch_002.png', 'cifar100/fake_samples_epoch_001.png'];
  assert.deepEqual(
    steps(files).map(([, s]) => s),
    [1, 1, 2],
  );
});
