// Where a run's images sit on its axis, decided over the whole set of names (src/core/samples/placing.ts):
// the names issue #23 quotes, and the families they come from. Numbers that count epochs, batches or
// stages, lined up with the log, are in sample-placing-axis.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeImages } from '../../../../src/core/samples/placing';
import { isPlotName, isReferenceImage, isRunImage } from '../../../../src/core/samples/naming';
import { iterations, pad, range, results, steps } from '../../../support/placedImages';

test("the run folder's own name is never a step: cifar10/fake_samples_epoch_001…004.png are at epochs 1–4", () => {
  const files = range(4, 1).map((e) => `fake_samples_epoch_${pad(e, 3)}.png`);
  const placed = placeImages(files, { runFolder: 'cifar10' });
  assert.deepEqual(
    placed.samples.map((s) => s.step),
    [1, 2, 3, 4],
  );
  assert.equal(placed.unit, 'epoch');
});

test('biggrids12/fakes000000.png…: twelve StyleGAN grids at their kimg, not all at 12', () => {
  const files = range(12).map((k) => `fakes${pad(k * 200, 6)}.png`);
  const placed = placeImages(files, { runFolder: 'biggrids12' });
  assert.deepEqual(
    placed.samples.map((s) => s.step),
    range(12).map((k) => k * 200),
  );
  assert.equal(placed.unit, 'kimg');
  // One snapshot alone is at its kimg too: the word says what the number counts.
  assert.deepEqual(steps(['fakes000400.png']), [['fakes000400.png', 400]]);
});

test("a photo's lone number is not a step: junyanz test outputs named after their input photos are results", () => {
  const files = [
    'IMG_1170_fake_A.png',
    'IMG_1170_real_B.png',
    'IMG_1170_rec_B.png',
    'IMG_1171_fake_A.png',
    'IMG_1171_real_B.png',
    '10155_889770228475494400_o_fake_B.png',
    '10155_889770228475494400_o_real_A.png',
    'beach_fake_A.png',
    'beach_real_B.png',
  ];
  const placed = placeImages(files);
  assert.deepEqual(placed.samples, []);
  assert.deepEqual(placed.results.map((r) => r.path).sort(), [
    '10155_889770228475494400_o_fake_B.png',
    'IMG_1170_fake_A.png',
    'IMG_1171_fake_A.png',
    'beach_fake_A.png',
  ]);
  assert.ok(
    placed.references.every((r) => r.step === null),
    JSON.stringify(placed.references),
  );
  assert.equal(placed.references.length, 5);
  // junyanz's training names stay samples at their epoch.
  assert.deepEqual(steps(['web/images/epoch003_fake_B.png', 'web/images/epoch010_fake_B.png']), [
    ['web/images/epoch003_fake_B.png', 3],
    ['web/images/epoch010_fake_B.png', 10],
  ]);
});

test('a number of 1e9 or more (an id, a timestamp) is never a step', () => {
  assert.deepEqual(results(['sample_889770228475494400.png', 'sample_889770228475494401.png']), [
    'sample_889770228475494400.png',
    'sample_889770228475494401.png',
  ]);
});

test("an evaluation folder's scale is not a step: s9/ holds results", () => {
  assert.deepEqual(results(['s9/fake.png', 's9/0.png', 's9/1.png', 's9/2.png']), ['s9/0.png', 's9/1.png', 's9/2.png', 's9/fake.png']);
  // SinGAN's random samples from a start scale: draws, not steps.
  assert.deepEqual(steps(range(5).map((i) => `RandomSamples/gen_start_scale=0/${i}.png`)), []);
  // Beside training samples the evaluation folder changes nothing about them.
  const placed = placeImages(['samples/epoch_1.png', 'samples/epoch_2.png', 's9/fake.png']);
  assert.deepEqual(
    placed.samples.map((s) => s.step),
    [1, 2],
  );
  assert.deepEqual(
    placed.results.map((r) => r.path),
    ['s9/fake.png'],
  );
});

test('inputs and ground truth are references, never samples: *_original*, *_downsample*, *_input*, *_target*, *_gt*, real_images.png', () => {
  for (const name of [
    'img_3_original_x4.png',
    'img_3_downsample_x4.png',
    'case_7_input.png',
    'case_7_target.png',
    'case_7_gt.png',
    'real_images.png',
    'real_img_3.png',
    'reals.png',
    'real_samples.png',
    'epoch002_real_A.png',
    'epoch002_rec_B.png',
    'epoch002_idt_A.png',
    'G(z_opt)_200.png',
    'real_scale.png',
  ]) {
    assert.ok(isReferenceImage(name), name);
  }
  for (const name of ['fake_samples_epoch_003.png', 'epoch002_fake_B.png', 'real_fake_solar_run_3.png', 'gen_img_3.png', 'fake_sample_200.png'])
    assert.ok(!isReferenceImage(name), name);
  const placed = placeImages([
    'img_3_original_x4.png',
    'img_3_downsample_x4.png',
    'img_3_sr_x4.png',
    'real_images.png',
    'fake_images-1.png',
    'fake_images-2.png',
  ]);
  assert.deepEqual(
    placed.samples.map((s) => s.path),
    ['fake_images-1.png', 'fake_images-2.png'],
  );
  assert.deepEqual(placed.references.map((r) => r.path).sort(), ['img_3_downsample_x4.png', 'img_3_original_x4.png', 'real_images.png']);
  assert.deepEqual(
    placed.results.map((r) => r.path),
    ['img_3_sr_x4.png'],
  );
});

test('plots are not samples, by general rules: loss curves, Keras model diagrams, graphs; a generated grid with a keyed step is', () => {
  for (const name of ['graph', 'gen_plot', 'disc_plot', 'gan_plot', 'losses', 'loss_curve_400', 'Figure_1_10000 steps', 'critic_loss', 'accuracy_50'])
    assert.ok(isPlotName(name), name);
  for (const name of ['generated_plot_e010', 'fake_samples_epoch_003', 'images_0001']) assert.ok(!isPlotName(name), name);
  // A memory plot among samples says neither a number nor that it was generated: not a run image.
  assert.ok(!isRunImage('Run_Result', 'tmp.png'));
  assert.ok(isRunImage('Run_Result', 'generated_plot_e010.png'));
  assert.ok(isRunImage('samples', 'Synthesized.png'), 'a name saying it was generated is an output');
  // Machine Learning Mastery's sample grids count epochs from 1.
  const placed = placeImages([...range(10, 1).map((e) => `generated_plot_e${pad(e * 10, 3)}.png`), 'tmp.png', 'gen_plot.png']);
  assert.deepEqual(
    placed.samples.map((s) => s.step),
    range(10, 1).map((e) => e * 10),
  );
  assert.equal(placed.unit, 'epoch');
});

test('numbers after a run, version, seed or setting word are not steps: real_fake_solar_run_3.png plots are results', () => {
  const placed = placeImages(['real_fake_solar_run_3.png', 'real_fake_solar_run_4.png']);
  assert.deepEqual(placed.samples, []);
  assert.deepEqual(placed.references, []);
  assert.deepEqual(
    placed.results.map((r) => r.path),
    ['real_fake_solar_run_3.png', 'real_fake_solar_run_4.png'],
  );
});

test('test-time outputs are results whatever their numbers: carpedm20 test_arange_N.png beside train_EE_IIII.png', () => {
  const train = ['train_00_0099.png', 'train_00_0899.png', 'train_01_0362.png', 'train_02_0213.png'];
  const test_ = range(4).map((i) => `test_arange_${i * 11}.png`);
  const placed = placeImages([...train, ...test_]);
  assert.deepEqual(
    placed.results.map((r) => r.path),
    test_,
  );
  assert.deepEqual(
    placed.samples.map((s) => s.path),
    train,
  );
});

test('batch positions beside their inputs are results: a test batch gen_img_0..15.png with real_img_0..15.png', () => {
  const files = [...range(16).map((i) => `gen_img_${i}.png`), ...range(16).map((i) => `real_img_${i}.png`)];
  const placed = placeImages(files);
  assert.deepEqual(placed.samples, []);
  assert.equal(placed.results.length, 16);
  assert.equal(placed.references.length, 16);
  assert.ok(placed.references.every((r) => r.step === null));
  // The same names spanning a per-epoch loss axis are a training's inputs and outputs per epoch.
  const perEpoch = placeImages(files, { lossSteps: iterations(15), lossUnit: 'epoch' });
  assert.equal(perEpoch.samples.length, 16);
  // Alone (no inputs beside them) a sequence stays steps, as liwenhan220's gen_img/gen_img_0..19.jpg.
  assert.deepEqual(
    steps(range(20).map((i) => `gen_img/gen_img_${i}.jpg`)).map(([, s]) => s),
    range(20),
  );
});

test('draws at a snapshot are results: Epoch_2520/SampledImages/images_from_random_codes_0..9.png', () => {
  const files = [...range(10).map((i) => `SampledImages/images_from_random_codes_${i}.png`), 'images_from_random_codes.png', 'critic_loss.png'];
  const placed = placeImages(files, { runFolder: 'Epoch_2520' });
  assert.deepEqual(placed.samples, []);
  assert.equal(placed.results.length, 11);
});

test('W&B media: <key>_<step>_<hash>.png is at the middle number, never the hash', () => {
  const placed = placeImages([
    'media/images/fake_B_0_69b92002d2cae9acc513.png',
    'media/images/real_A_0_4607c70d6608b079ec1d.png',
    'media/images/fake_B_1200_0123456789abcdef0123.png',
  ]);
  assert.deepEqual(
    placed.samples.map((s) => s.step),
    [0, 1200],
  );
  assert.deepEqual(placed.references, [{ step: 0, path: 'media/images/real_A_0_4607c70d6608b079ec1d.png' }]);
  assert.equal(placed.unit, 'step');
  // One media image alone is at its step too.
  assert.deepEqual(
    steps(['media/images/samples_350_aaaabbbbccccdddd1234.png']).map(([, s]) => s),
    [350],
  );
});

test('the single-name rules still hold where the set agrees: a zero-padded counter alone is a step', () => {
  assert.deepEqual(steps(['preview/image00010000.png']), [['preview/image00010000.png', 10000]]);
  assert.deepEqual(steps(['epoch_300_Data.png']), [['epoch_300_Data.png', 300]]);
  assert.deepEqual(results(['33039_LR_HR_factor_4.png']), ['33039_LR_HR_factor_4.png']);
});

test('more families: a position word is not a step, a global step wins over the epoch, a generated plot with a counter is a sample', () => {
  // SRGAN's training_results/SRF_4/epoch_<e>_index_<i>.png: index is an image of the epoch.
  assert.deepEqual(
    steps(['SRF_4/epoch_1_index_1.png', 'SRF_4/epoch_1_index_2.png', 'SRF_4/epoch_2_index_1.png']).map(([, s]) => s),
    [1, 1, 2],
  );
  // taming-transformers: samples_gs-000250_e-000000_b-000250.png is at global step 250; its inputs and reconstructions are references.
  const taming = placeImages([
    'images/train/samples_gs-000250_e-000000_b-000250.png',
    'images/train/samples_gs-000500_e-000000_b-000500.png',
    'images/train/inputs_gs-000250_e-000000_b-000250.png',
    'images/train/reconstructions_gs-000250_e-000000_b-000250.png',
  ]);
  assert.deepEqual(
    taming.samples.map((s) => s.step),
    [250, 500],
  );
  assert.deepEqual(
    taming.references.map((r) => r.step),
    [250, 250],
  );
  // Machine Learning Mastery's step-numbered grids; a loss plot stays a plot.
  assert.ok(!isPlotName('generated_plot_000010'));
  assert.ok(isPlotName('fake_loss_100'));
});
