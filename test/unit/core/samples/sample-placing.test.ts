// Where a run's images sit on its axis, decided over the whole set of names (src/core/samples/placing.ts):
// the names issue #23 quotes, and the families they come from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeImages, type PlaceContext } from '../../../../src/core/samples/placing';
import { isPlotName, isReferenceImage, isRunImage } from '../../../../src/core/samples/naming';

const steps = (paths: string[], ctx?: PlaceContext) => placeImages(paths, ctx).samples.map((s) => [s.path, s.step]);
const results = (paths: string[], ctx?: PlaceContext) => placeImages(paths, ctx).results.map((r) => r.path);
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => i + from);
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const iterations = (last: number, every = 1) => Float64Array.from({ length: Math.floor(last / every) + 1 }, (_, i) => i * every);

test("the run folder's own name is never a step: cifar10/fake_samples_epoch_001…004.png are at epochs 1–4", () => {
  const files = range(4, 1).map((e) => `fake_samples_epoch_${pad(e, 3)}.png`);
  const placed = placeImages(files, { runFolder: 'cifar10' });
  assert.deepEqual(placed.samples.map((s) => s.step), [1, 2, 3, 4]);
  assert.equal(placed.unit, 'epoch');
});

test('biggrids12/fakes000000.png…: twelve StyleGAN grids at their kimg, not all at 12', () => {
  const files = range(12).map((k) => `fakes${pad(k * 200, 6)}.png`);
  const placed = placeImages(files, { runFolder: 'biggrids12' });
  assert.deepEqual(placed.samples.map((s) => s.step), range(12).map((k) => k * 200));
  assert.equal(placed.unit, 'kimg');
  // One snapshot alone is at its kimg too: the word says what the number counts.
  assert.deepEqual(steps(['fakes000400.png']), [['fakes000400.png', 400]]);
});

test("a photo's lone number is not a step: junyanz test outputs named after their input photos are results", () => {
  const files = ['IMG_1170_fake_A.png', 'IMG_1170_real_B.png', 'IMG_1170_rec_B.png', 'IMG_1171_fake_A.png', 'IMG_1171_real_B.png', '10155_889770228475494400_o_fake_B.png', '10155_889770228475494400_o_real_A.png', 'beach_fake_A.png', 'beach_real_B.png'];
  const placed = placeImages(files);
  assert.deepEqual(placed.samples, []);
  assert.deepEqual(placed.results.map((r) => r.path).sort(), ['10155_889770228475494400_o_fake_B.png', 'IMG_1170_fake_A.png', 'IMG_1171_fake_A.png', 'beach_fake_A.png']);
  assert.ok(placed.references.every((r) => r.step === null), JSON.stringify(placed.references));
  assert.equal(placed.references.length, 5);
  // junyanz's training names stay samples at their epoch.
  assert.deepEqual(steps(['web/images/epoch003_fake_B.png', 'web/images/epoch010_fake_B.png']), [['web/images/epoch003_fake_B.png', 3], ['web/images/epoch010_fake_B.png', 10]]);
});

test('a number of 1e9 or more (an id, a timestamp) is never a step', () => {
  assert.deepEqual(results(['sample_889770228475494400.png', 'sample_889770228475494401.png']), ['sample_889770228475494400.png', 'sample_889770228475494401.png']);
});

test("an evaluation folder's scale is not a step: s9/ holds results", () => {
  assert.deepEqual(results(['s9/fake.png', 's9/0.png', 's9/1.png', 's9/2.png']), ['s9/0.png', 's9/1.png', 's9/2.png', 's9/fake.png']);
  // SinGAN's random samples from a start scale: draws, not steps.
  assert.deepEqual(steps(range(5).map((i) => `RandomSamples/gen_start_scale=0/${i}.png`)), []);
  // Beside training samples the evaluation folder changes nothing about them.
  const placed = placeImages(['samples/epoch_1.png', 'samples/epoch_2.png', 's9/fake.png']);
  assert.deepEqual(placed.samples.map((s) => s.step), [1, 2]);
  assert.deepEqual(placed.results.map((r) => r.path), ['s9/fake.png']);
});

test('inputs and ground truth are references, never samples: *_original*, *_downsample*, *_input*, *_target*, *_gt*, real_images.png', () => {
  for (const name of ['img_3_original_x4.png', 'img_3_downsample_x4.png', 'case_7_input.png', 'case_7_target.png', 'case_7_gt.png', 'real_images.png', 'real_img_3.png', 'reals.png', 'real_samples.png', 'epoch002_real_A.png', 'epoch002_rec_B.png', 'epoch002_idt_A.png', 'G(z_opt)_200.png', 'real_scale.png']) {
    assert.ok(isReferenceImage(name), name);
  }
  for (const name of ['fake_samples_epoch_003.png', 'epoch002_fake_B.png', 'real_fake_solar_run_3.png', 'gen_img_3.png', 'fake_sample_200.png']) assert.ok(!isReferenceImage(name), name);
  const placed = placeImages(['img_3_original_x4.png', 'img_3_downsample_x4.png', 'img_3_sr_x4.png', 'real_images.png', 'fake_images-1.png', 'fake_images-2.png']);
  assert.deepEqual(placed.samples.map((s) => s.path), ['fake_images-1.png', 'fake_images-2.png']);
  assert.deepEqual(placed.references.map((r) => r.path).sort(), ['img_3_downsample_x4.png', 'img_3_original_x4.png', 'real_images.png']);
  assert.deepEqual(placed.results.map((r) => r.path), ['img_3_sr_x4.png']);
});

test('plots are not samples, by general rules: loss curves, Keras model diagrams, graphs; a generated grid with a keyed step is', () => {
  for (const name of ['graph', 'gen_plot', 'disc_plot', 'gan_plot', 'losses', 'loss_curve_400', 'Figure_1_10000 steps', 'critic_loss', 'accuracy_50']) assert.ok(isPlotName(name), name);
  for (const name of ['generated_plot_e010', 'fake_samples_epoch_003', 'images_0001']) assert.ok(!isPlotName(name), name);
  // A memory plot among samples says neither a number nor that it was generated: not a run image.
  assert.ok(!isRunImage('Run_Result', 'tmp.png'));
  assert.ok(isRunImage('Run_Result', 'generated_plot_e010.png'));
  assert.ok(isRunImage('samples', 'Synthesized.png'), 'a name saying it was generated is an output');
  // Machine Learning Mastery's sample grids count epochs from 1.
  const placed = placeImages([...range(10, 1).map((e) => `generated_plot_e${pad(e * 10, 3)}.png`), 'tmp.png', 'gen_plot.png']);
  assert.deepEqual(placed.samples.map((s) => s.step), range(10, 1).map((e) => e * 10));
  assert.equal(placed.unit, 'epoch');
});

test('numbers after a run, version, seed or setting word are not steps: real_fake_solar_run_3.png plots are results', () => {
  const placed = placeImages(['real_fake_solar_run_3.png', 'real_fake_solar_run_4.png']);
  assert.deepEqual(placed.samples, []);
  assert.deepEqual(placed.references, []);
  assert.deepEqual(placed.results.map((r) => r.path), ['real_fake_solar_run_3.png', 'real_fake_solar_run_4.png']);
});

test('test-time outputs are results whatever their numbers: carpedm20 test_arange_N.png beside train_EE_IIII.png', () => {
  const train = ['train_00_0099.png', 'train_00_0899.png', 'train_01_0362.png', 'train_02_0213.png'];
  const test_ = range(4).map((i) => `test_arange_${i * 11}.png`);
  const placed = placeImages([...train, ...test_]);
  assert.deepEqual(placed.results.map((r) => r.path), test_);
  assert.deepEqual(placed.samples.map((s) => s.path), train);
});

test('two varying numbers in one name are epoch and batch: a composite step (batches per epoch from the names)', () => {
  // carpedm20's train_{epoch:02d}_{batch:04d}.png: the largest batch seen (1090) + its spacing (3) = 1093 per epoch.
  const files = ['train_00_0020.png', 'train_00_0096.png', 'train_00_0099.png', 'train_01_0362.png', 'train_13_1090.png'];
  const placed = placeImages(files);
  assert.deepEqual(placed.samples.map((s) => s.step), [20, 96, 99, 1093 + 362, 13 * 1093 + 1090]);
  assert.equal(placed.unit, 'iteration');
  // janghana: epoch_{e}_batch_{b}.png every 500 batches → 1000 per epoch from the names.
  assert.deepEqual(steps(['epoch_0_batch_0.png', 'epoch_0_batch_500.png', 'epoch_5_batch_0.png', 'epoch_5_batch_500.png']).map(([, s]) => s), [0, 500, 5000, 5500]);
});

test('batches per epoch come from the log when the losses count iterations, unless a batch named is past it', () => {
  const files = ['train_00_0099.png', 'train_01_0362.png'];
  const ctx: PlaceContext = { lossUnit: 'iteration', stepsPerEpoch: 1093, lossSteps: iterations(25 * 1093 - 1) };
  assert.deepEqual(steps(files, ctx).map(([, s]) => s), [99, 1093 + 362]);
  // Names from another launch (batch 1090 with a log of 937 per epoch): the names' own count.
  const other = placeImages(['train_00_0096.png', 'train_00_0099.png', 'train_03_1090.png'], { lossUnit: 'iteration', stepsPerEpoch: 937 });
  assert.deepEqual(other.samples.map((s) => s.step), [96, 99, 3 * 1093 + 1090]);
});

test('epoch-numbered samples go to their iteration when the log says how many an epoch has: fake_images-85.png after 85 epochs of 600', () => {
  const files = range(85, 1).map((e) => `fake_images-${e}.png`);
  const ctx: PlaceContext = { lossUnit: 'iteration', stepsPerEpoch: 600, lossSteps: iterations(85 * 600 - 1, 100) };
  const placed = placeImages(files, ctx);
  // Numbered from 1 (no 0, and the last is the log's 85th epoch): n epochs done, the end of epoch n.
  assert.deepEqual(placed.samples.slice(0, 3).map((s) => s.step), [599, 1199, 1799]);
  assert.equal(placed.samples.at(-1)!.step, 85 * 600 - 1);
  assert.equal(placed.unit, 'iteration');
  // Numbered from 0 (the pytorch/examples dcgan): epoch n ends at (n + 1) × 600 − 1.
  assert.deepEqual(steps(['fake_samples_epoch_000.png', 'fake_samples_epoch_001.png'], ctx).map(([, s]) => s), [599, 1199]);
  // Without the log's count they stay epochs.
  assert.deepEqual(steps(files.slice(0, 2)).map(([, s]) => s), [1, 2]);
  // A counter that spans the iterations is iterations (PyTorch-GAN's images/<batches_done>.png).
  assert.deepEqual(steps(['images/0.png', 'images/24000.png', 'images/50400.png'], ctx).map(([, s]) => s), [0, 24000, 50400]);
});

test('a counter from 1 beside a log from 0 lines up with the logged steps (ojus1: gen_0_1_<i>.png is log step i − 1)', () => {
  const logged = Float64Array.from([0, ...range(75).map((k) => 2 * k + 1)]); // 0, 1, 3, 5, …, 149
  const files = [1, 4, 8, 12, 76, 150].map((i) => `gen_0_1_${i}.png`);
  assert.deepEqual(steps(files, { lossSteps: logged, lossUnit: 'iteration' }).map(([, s]) => s), [0, 3, 7, 11, 75, 149]);
  // With no log the names stand; beside a log that logs every step, nothing moves (bharat029's 1, 5, 10…).
  assert.deepEqual(steps(files).map(([, s]) => s), [1, 4, 8, 12, 76, 150]);
  assert.deepEqual(steps(['images_0001.png', 'images_0005.png', 'images_0010.png'], { lossSteps: iterations(1714) }).map(([, s]) => s), [1, 5, 10]);
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
  assert.deepEqual(steps(range(20).map((i) => `gen_img/gen_img_${i}.jpg`)).map(([, s]) => s), range(20));
});

test('draws at a snapshot are results: Epoch_2520/SampledImages/images_from_random_codes_0..9.png', () => {
  const files = [...range(10).map((i) => `SampledImages/images_from_random_codes_${i}.png`), 'images_from_random_codes.png', 'critic_loss.png'];
  const placed = placeImages(files, { runFolder: 'Epoch_2520' });
  assert.deepEqual(placed.samples, []);
  assert.equal(placed.results.length, 11);
});

test('numbered folders: a named one is the step (images10/pic0..4.png), a bare one that restarts its counter is a stage', () => {
  const cgan = placeImages([10, 50, 100].flatMap((s) => range(5).map((i) => `images${s}/pic${i}.png`)));
  assert.deepEqual([...new Set(cgan.samples.map((s) => s.step))], [10, 50, 100]);
  assert.equal(cgan.stages, undefined);
  const epochs = placeImages([1, 2].flatMap((e) => range(3).map((i) => `epoch_${e}/${i}.png`)));
  assert.deepEqual(epochs.samples.map((s) => s.step), [1, 1, 1, 2, 2, 2]);
});

test('SinGAN without a log: stages from the tree, each ending at its largest iteration, the next right after it', () => {
  const ends = [1999, 1607, 360];
  const files: string[] = [];
  ends.forEach((end, scale) => {
    for (const it of [...range(Math.floor(end / 200) + 1).map((k) => k * 200).filter((x) => x < end), end]) files.push(`${scale}/fake_sample_${it}.png`, `${scale}/G(z_opt)_${it}.png`);
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
  assert.ok(placed.samples.every((s) => s.path.includes('fake_sample')), 'the reconstructions are references');
  const ref = (p: string) => placed.references.find((r) => r.path === p);
  assert.equal(ref('1/G(z_opt)_200.png')!.step, 2200);
  assert.deepEqual(ref('1/real_scale.png'), { step: 2000, path: '1/real_scale.png', until: 3607 });
  assert.deepEqual(placed.results.map((r) => r.path).sort(), ['33039_LR_HR_factor_4.png', '33039_LR_HR_factor_8.png', '33039_LR_HR_factor_8_train_again.png']);
  assert.equal(placed.unit, 'iteration');
});

test("SinGAN with the log's stages: the samples go onto them by stage index", () => {
  const files = ['0/fake_sample_0.png', '0/fake_sample_1999.png', '1/fake_sample_0.png', '1/fake_sample_400.png'];
  const stages = [{ label: 'scale 0', start: 0, offset: 0 }, { label: 'scale 1', start: 2100, offset: 2100 }];
  const placed = placeImages(files, { stages, lossUnit: 'iteration', lossSteps: iterations(4000) });
  assert.deepEqual(placed.samples.map((s) => s.step), [0, 1999, 2100, 2500]);
  assert.deepEqual(placed.stages, stages);
});

test('an older SinGAN names samples by training fraction: a position within the stage (per mille without a log)', () => {
  const files = [0, 1].flatMap((k) => ['0.0', '0.5', '0.9995'].map((f) => `${k}/fake_sample_${f}.png`));
  files.push('1/fake_sample_0.5 (copy).png');
  const placed = placeImages(files);
  assert.deepEqual(placed.samples.map((s) => s.step), [0, 500, 999.5, 1000, 1500, 1999.5]);
  assert.equal(placed.unit, '‰ of a stage');
  assert.deepEqual(placed.stages!.map((s) => s.start), [0, 1000]);
  // A file manager's copy is the same image again: shown, never scored twice.
  assert.deepEqual(placed.results.map((r) => r.path), ['1/fake_sample_0.5 (copy).png']);
  // With the log's stages a fraction is that share of its stage.
  const logged = placeImages(files.slice(0, 6), { stages: [{ label: 'scale 0', start: 0, offset: 0 }, { label: 'scale 1', start: 2000, offset: 2000 }], lossSteps: iterations(3999) });
  assert.deepEqual(logged.samples.map((s) => s.step), [0, 1000, 1999, 2000, 3000, 3999]);
});

test('progressive growing: gen_<depth>_<epoch>_<i>.png with every number varying is stage, epoch, batch', () => {
  const files = ['gen_0_1_1.png', 'gen_0_1_50.png', 'gen_0_2_50.png', 'gen_1_1_1.png', 'gen_1_1_50.png'];
  const placed = placeImages(files);
  assert.equal(placed.stages!.length, 2);
  assert.ok(placed.samples.every((s, i, all) => i === 0 || s.step > all[i - 1]!.step), JSON.stringify(placed.samples));
  // With the depth and the epoch fixed (ojus1), the batch alone is the step.
  assert.deepEqual(steps(['gen_0_1_1.png', 'gen_0_1_4.png', 'progan/0.png']), [['gen_0_1_1.png', 1], ['gen_0_1_4.png', 4]]);
  assert.deepEqual(results(['gen_0_1_1.png', 'gen_0_1_4.png', 'progan/0.png']), ['progan/0.png']);
});

test('W&B media: <key>_<step>_<hash>.png is at the middle number, never the hash', () => {
  const placed = placeImages(['media/images/fake_B_0_69b92002d2cae9acc513.png', 'media/images/real_A_0_4607c70d6608b079ec1d.png', 'media/images/fake_B_1200_0123456789abcdef0123.png']);
  assert.deepEqual(placed.samples.map((s) => s.step), [0, 1200]);
  assert.deepEqual(placed.references, [{ step: 0, path: 'media/images/real_A_0_4607c70d6608b079ec1d.png' }]);
  assert.equal(placed.unit, 'step');
  // One media image alone is at its step too.
  assert.deepEqual(steps(['media/images/samples_350_aaaabbbbccccdddd1234.png']).map(([, s]) => s), [350]);
});

test('the single-name rules still hold where the set agrees: a zero-padded counter alone is a step', () => {
  assert.deepEqual(steps(['preview/image00010000.png']), [['preview/image00010000.png', 10000]]);
  assert.deepEqual(steps(['epoch_300_Data.png']), [['epoch_300_Data.png', 300]]);
  assert.deepEqual(results(['33039_LR_HR_factor_4.png']), ['33039_LR_HR_factor_4.png']);
});

test('more families: a position word is not a step, a global step wins over the epoch, a generated plot with a counter is a sample', () => {
  // SRGAN's training_results/SRF_4/epoch_<e>_index_<i>.png: index is an image of the epoch.
  assert.deepEqual(steps(['SRF_4/epoch_1_index_1.png', 'SRF_4/epoch_1_index_2.png', 'SRF_4/epoch_2_index_1.png']).map(([, s]) => s), [1, 1, 2]);
  // taming-transformers: samples_gs-000250_e-000000_b-000250.png is at global step 250; its inputs and reconstructions are references.
  const taming = placeImages(['images/train/samples_gs-000250_e-000000_b-000250.png', 'images/train/samples_gs-000500_e-000000_b-000500.png', 'images/train/inputs_gs-000250_e-000000_b-000250.png', 'images/train/reconstructions_gs-000250_e-000000_b-000250.png']);
  assert.deepEqual(taming.samples.map((s) => s.step), [250, 500]);
  assert.deepEqual(taming.references.map((r) => r.step), [250, 250]);
  // Machine Learning Mastery's step-numbered grids; a loss plot stays a plot.
  assert.ok(!isPlotName('generated_plot_000010'));
  assert.ok(isPlotName('fake_loss_100'));
});

test('a free number in a folder is never the batch of an epoch named in the file (cifar10/ beside cifar100/)', () => {
  const files = ['cifar10/fake_samples_epoch_001.png', 'cifar10/fake_samples_epoch_002.png', 'cifar100/fake_samples_epoch_001.png'];
  assert.deepEqual(steps(files).map(([, s]) => s), [1, 1, 2]);
});
