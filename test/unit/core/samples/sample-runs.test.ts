// The names issue #23 quotes, as run folders on disk read through discovery and loadRun: where the
// samples sit on the run's axis, which images are references and which are results.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { discoverRuns } from '../../../../src/core/discover';
import { loadRun } from '../../../../src/core/run';
import { samplesSummary } from '../../../../src/core/report/text';
import type { Run } from '../../../../src/core/model';

let root = '';
const put = (rel: string, content = '') => {
  const abs = path.join(root, ...rel.split('/'));
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, content);
};
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => i + from);
const pad = (n: number, width: number) => String(n).padStart(width, '0');

async function runIn(folder: string): Promise<Run> {
  const locs = await discoverRuns(path.join(root, folder));
  assert.equal(locs.length, 1, locs.map((l) => l.name).join(', '));
  return loadRun(locs[0]!);
}

before(() => {
  root = mkdtempSync(path.join(tmpdir(), 'gan-sample-runs-'));
  for (const e of range(4, 1)) put(`cifar/cifar10/fake_samples_epoch_${pad(e, 3)}.png`);
  for (const k of range(12)) put(`big/biggrids12/fakes${pad(k * 200, 6)}.png`);
  // PyTorch-GAN's print, every 100 batches of 600, for 85 epochs; a grid saved after each epoch, named epoch + 1.
  let log = '';
  for (let e = 0; e < 85; e++) for (let b = 0; b < 600; b += 100) log += `[Epoch ${e}/85] [Batch ${b}/600] [D loss: 0.6${e % 10}] [G loss: 1.0${b / 100}]\n`;
  put('perepoch/train.log', log);
  for (const e of range(85, 1)) put(`perepoch/images/fake_images-${e}.png`);
  put('perepoch/images/real_images.png');
  // An evaluation folder at scale 9 beside the training samples.
  put('singan/losses.csv', 'step,d_loss,g_loss\n0,1,1\n1,1,1\n');
  for (const s of [0, 1]) put(`singan/samples/epoch_${s}.png`);
  for (const name of ['fake.png', 'gen_0.png', 'gen_1.png', 'gen_2.png']) put(`singan/s9/${name}`);
  // junyanz test.py outputs named after the input photos.
  for (const photo of ['IMG_1170', 'IMG_1171', '10155_889770228475494400_o', 'beach'])
    for (const kind of ['real_A', 'fake_B']) put(`cyclegan/results/horse2zebra/test_latest/images/${photo}_${kind}.png`);
  // A super-resolution evaluation: inputs and ground truth beside the outputs.
  for (const i of [1, 2]) for (const kind of ['original', 'downsample_x4', 'sr_x4']) put(`sr/eval/img_${pad(i, 3)}_${kind}.png`);
  // ojus1's layout: a 0-based log step beside 1-based batch numbers in the sample names.
  put('progan/models/loss_0.csv', `step,d_loss,g_loss\n${[0, ...range(75).map((k) => 2 * k + 1)].map((s) => `${s},-1.5,2.5`).join('\n')}\n`);
  for (const i of [1, 2, 4, 8, 76, 150]) put(`progan/samples/gen_0_1_${i}.png`);
  put('progan/samples/progan/0.png');
  // Numbered sibling image folders: a stage tree is one run; datasets and runs are not.
  for (const k of [0, 1, 2]) for (const it of [0, 200]) put(`tree/scales/${k}/fake_sample_${it}.png`);
  for (const d of ['cifar10', 'cifar100']) for (const e of [1, 2]) put(`datasets/${d}/fake_samples_epoch_${pad(e, 3)}.png`);
  for (const r of [1, 2]) for (const e of [1, 2]) put(`experiments/runs/${r}/epoch_${e}.png`);
});

after(() => rmSync(root, { recursive: true, force: true }));

test('cifar10/fake_samples_epoch_001…004.png: four images at four epochs, not "4 images at 1 steps (step 10)"', async () => {
  const run = await runIn('cifar');
  assert.deepEqual(
    run.samples.map((s) => s.step),
    [1, 2, 3, 4],
  );
  assert.equal(run.stepUnit, 'epoch');
  assert.equal(samplesSummary(run.samples), '4 images at 4 steps (steps 1–4)');
});

test('biggrids12/fakes000000.png…: twelve grids at their kimg, not all at step 12', async () => {
  const run = await runIn('big');
  assert.deepEqual(
    run.samples.map((s) => s.step),
    range(12).map((k) => k * 200),
  );
  assert.equal(run.stepUnit, 'kimg');
});

test('fake_images-85.png saved after each epoch of 600 iterations sits at the end of epoch 85 on the iteration axis', async () => {
  const run = await runIn('perepoch');
  assert.equal(run.stepUnit, 'iteration');
  const d = run.series.find((s) => s.role === 'discriminator')!;
  assert.equal(d.stepsPerEpoch, 600);
  assert.equal(run.samples.length, 85);
  assert.deepEqual(
    run.samples.slice(0, 2).map((s) => s.step),
    [599, 1199],
  );
  assert.equal(run.samples.at(-1)!.step, 85 * 600 - 1);
  assert.ok(run.samples.at(-1)!.step >= d.steps.at(-1)!, 'the last grid at the end of the losses, not squeezed at their start');
  assert.deepEqual(run.references, [{ step: null, path: 'images/real_images.png' }]);
});

test("an evaluation folder's scale (s9/) is not a step: its images are results", async () => {
  const run = await runIn('singan');
  assert.deepEqual(
    run.samples.map((s) => s.path),
    ['samples/epoch_0.png', 'samples/epoch_1.png'],
  );
  assert.deepEqual(
    run.results!.map((r) => r.path),
    ['s9/fake.png', 's9/gen_0.png', 's9/gen_1.png', 's9/gen_2.png'],
  );
});

test('test outputs named after their input photos (IMG_1170_fake_B.png, …_889770228475494400_o_fake_B.png) are results, never steps up to 8.9e17', async () => {
  const run = await runIn('cyclegan');
  assert.deepEqual(run.samples, []);
  assert.equal(run.results!.length, 4);
  assert.ok(run.results!.every((r) => r.path.endsWith('_fake_B.png')));
  assert.equal(run.references!.length, 4);
  assert.ok(run.references!.every((r) => r.step === null && r.path.endsWith('_real_A.png')));
});

test('inputs and ground truth (*_original*, *_downsample*) are references, the outputs beside them results', async () => {
  const run = await runIn('sr');
  assert.deepEqual(run.samples, []);
  assert.deepEqual(run.references!.map((r) => r.path).sort(), [
    'img_001_downsample_x4.png',
    'img_001_original.png',
    'img_002_downsample_x4.png',
    'img_002_original.png',
  ]);
  assert.deepEqual(
    run.results!.map((r) => r.path),
    ['img_001_sr_x4.png', 'img_002_sr_x4.png'],
  );
});

test('a 1-based batch counter in the names lines up with the 0-based log: gen_0_1_<i>.png at log step i − 1', async () => {
  const run = await runIn('progan');
  assert.equal(run.root, path.join(root, 'progan'));
  assert.deepEqual(
    run.samples.map((s) => [s.path, s.step]),
    [1, 2, 4, 8, 76, 150].map((i) => [`samples/gen_0_1_${i}.png`, i - 1]),
  );
  const logged = new Set(run.series.find((s) => s.role === 'discriminator')!.steps);
  assert.ok(
    run.samples.every((s) => logged.has(s.step)),
    'every sample on a logged step',
  );
  // `samples/progan/0.png` is another script's picture: never a sample here.
  assert.ok(!run.samples.some((s) => s.path.includes('progan/')));
});

test('numbered sibling image folders: a stage tree is one run at their parent; datasets and runs stay apart', async () => {
  const tree = await discoverRuns(path.join(root, 'tree'));
  assert.deepEqual(
    tree.map((l) => l.name),
    ['scales'],
  );
  const run = await loadRun(tree[0]!);
  assert.deepEqual(
    run.stages!.map((s) => s.start),
    [0, 201, 402],
  );
  assert.deepEqual(
    (await discoverRuns(path.join(root, 'datasets'))).map((l) => l.name),
    ['cifar10', 'cifar100'],
  );
  assert.deepEqual(
    (await discoverRuns(path.join(root, 'experiments'))).map((l) => l.name),
    ['runs/1', 'runs/2'],
  );
});
