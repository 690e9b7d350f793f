// The real notebooks of ../shared/wild-runs whose printed lines are shapes the printed-log reader is
// being taught (Keras `fit` progress, `>79, 152/234, d=…, g=…`, `0: [D loss: …] [A loss: …]`, the
// DCGAN tutorial's space-padded 1-based counters, `Epoch: 0, Batch: 0, D Loss: …`): what their README
// says, asserted on the notebook read as a run. Kept apart from notebooks.test.ts so they can be run
// once the reader knows these shapes; never weakened to pass before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { discoverRuns } from '../../../../src/core/discover';
import { loadRun } from '../../../../src/core/run';
import type { Run, Series } from '../../../../src/core/model';
import { realRunsSkip } from '../../../support/realRuns';
import { WILD_RUNS } from '../../../support/notebooks';

const skip = realRunsSkip(WILD_RUNS);

async function notebookRun(folder: string, name: string): Promise<Run> {
  const [loc] = await discoverRuns(path.join(WILD_RUNS, folder, name));
  assert.ok(loc, `${name} is a run`);
  return loadRun(loc);
}

const role = (run: Run, r: 'discriminator' | 'generator'): Series => {
  const s = run.series.find((x) => x.role === r);
  assert.ok(s, `a ${r} loss in ${run.series.map((x) => `${x.name} (${x.role})`).join(', ')}`);
  return s;
};
const mean = (a: ArrayLike<number>, from: number, to: number) => {
  let sum = 0;
  for (let i = from; i < to; i++) sum += a[i]!;
  return sum / (to - from);
};
const increasing = (steps: Float64Array) => steps.every((s, i) => i === 0 || s > steps[i - 1]!);
const near = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not ${expected} ± ${tolerance}`);

test('kimjy99 LSGAN.ipynb: 1800 lines `[  1/100][ 50/938]\\tLoss_D …` (1-based, space-padded), 18 a epoch over 100 epochs', { skip }, async () => {
  const run = await notebookRun('kimjy99-lsgan-mnist', 'LSGAN.ipynb');
  const d = role(run, 'discriminator');
  const g = role(run, 'generator');
  assert.deepEqual([d.name, g.name, d.values.length, g.values.length], ['Loss_D', 'Loss_G', 1800, 1800]);
  assert.ok(increasing(d.steps));
  // One line every 50 batches inside an epoch of 938; from batch 900 of one epoch to batch 50 of the next is 88.
  assert.equal(d.steps[1]! - d.steps[0]!, 50);
  assert.equal(d.steps[18]! - d.steps[17]!, 88);
  assert.equal(d.stepsPerEpoch, 938);
  near(mean(d.values, 0, 18), 0.12, 0.0005, 'epoch 1 mean Loss_D');
  near(mean(g.values, 0, 18), 0.277, 0.0005, 'epoch 1 mean Loss_G');
  near(mean(d.values, 1782, 1800), 0.067, 0.0005, 'epoch 100 mean Loss_D');
  near(mean(g.values, 1782, 1800), 0.357, 0.0005, 'epoch 100 mean Loss_G');
});

test(
  'mohamed-hazem conditional_gan.ipynb: Keras fit lines, g_loss before d_loss, 210 epochs in two fits (the second counting from 1 again)',
  { skip },
  async () => {
    const run = await notebookRun('mohamed-hazem-Conditional-MNIST-GAN', 'conditional_gan.ipynb');
    const d = role(run, 'discriminator');
    const g = role(run, 'generator');
    assert.deepEqual([d.name, g.name], ['d_loss', 'g_loss']);
    // 115 epochs, early-stopped, then 95: the glued mid-epoch line (`6/274 … d_loss: 1.3920WARNING…`) is no epoch.
    assert.equal(d.values.length, 210);
    assert.equal(g.values.length, 210);
    assert.ok(increasing(d.steps), 'the second fit follows the first on one axis');
    assert.deepEqual([g.values[0], d.values[0]], [2.7458, 0.2815]);
    // README: "epochs 2–20 the discriminator wins (d 0.003–0.03, g 6–11)". The notebook's own lines give
    // d 0.0016–0.046 and g 6.4–11.7 for epochs 2–10, then d rising to 0.54 and g falling to 2.5 by epoch 20
    // (epoch 11: d 0.0883, g 9.2250): D ahead of G throughout, by far at first.
    for (let e = 1; e < 10; e++)
      assert.ok(d.values[e]! < 0.05 && g.values[e]! > 6, `epoch ${e + 1}: the discriminator wins (d ${d.values[e]}, g ${g.values[e]})`);
    for (let e = 1; e < 20; e++) assert.ok(d.values[e]! < g.values[e]! / 4, `epoch ${e + 1}: the discriminator is ahead (d ${d.values[e]}, g ${g.values[e]})`);
    near(d.values[114]!, 1.25, 0.1, 'end of the first fit, d');
    assert.deepEqual([g.values[115], d.values[115]], [1.0908, 1.1849], 'the second fit starts from the restored weights');
    assert.deepEqual([g.values[209], d.values[209]], [0.8487, 1.302]);
  },
);

test(
  'janghana GAN_MNIST_2.ipynb: `Epoch: 0, Batch: 0, D Loss: …` every 100 batches, epochs 0–99; its generated_samples/ on the same axis',
  { skip },
  async () => {
    const run = await notebookRun('janghana-GAN', 'GAN_MNIST_2.ipynb');
    const d = role(run, 'discriminator');
    const g = role(run, 'generator');
    assert.equal(d.values.length, 1000);
    assert.ok(increasing(d.steps), 'the batch counter restarts every epoch: the step is epoch and batch together');
    assert.equal(d.values[0], 0.3382036089897156);
    assert.equal(g.values[0], 2.695267677307129);
    near(mean(d.values, 0, 10), 0.53, 0.005, 'epoch 0 mean D');
    near(mean(g.values, 0, 10), 2.48, 0.005, 'epoch 0 mean G');
    near(mean(d.values, 990, 1000), 1.29, 0.005, 'epoch 99 mean D');
    near(mean(g.values, 990, 1000), 0.89, 0.005, 'epoch 99 mean G');
    // `generated_samples/epoch_{epoch}_batch_{i}.png` is written at the line printing that epoch and batch.
    const files = run.samples.filter((s) => !s.embedded);
    assert.equal(files.length, 40);
    for (const s of files) {
      const [, e, b] = /epoch_(\d+)_batch_(\d+)\.png$/.exec(s.path)!.map(Number);
      assert.equal(s.step, d.steps[e! * 10 + b! / 100], `${s.path} on the step of "Epoch: ${e}, Batch: ${b}"`);
    }
  },
);

test(
  'HBGRR557722 mnistGAN100.ipynb: `>79, 152/234, d=0.690, g=0.690`, the visible end of a truncated output, is not the start of training',
  { skip },
  async () => {
    const run = await notebookRun('HBGRR557722-MnistGAN100', 'mnistGAN100.ipynb');
    const d = role(run, 'discriminator');
    const g = role(run, 'generator');
    assert.equal(d.values.length, 4997);
    assert.ok(increasing(d.steps));
    // Epoch 79, batch 152 of 234 (both 1-based): some 18,400 iterations in, not step 0.
    assert.ok(d.steps[0]! >= 78 * 234 + 151, `the first step shown is ${d.steps[0]}`);
    assert.equal(d.steps.at(-1)! - d.steps[0]!, 4996, 'one line per batch, across epoch ends');
    near(mean(d.values, 0, d.values.length), 0.692, 0.0005, 'mean d');
    near(mean(g.values, 0, g.values.length), 0.7, 0.0005, 'mean g');
    assert.ok(
      !run.series.some((s) => /accuracy|real|fake/i.test(s.name) && (s.role === 'discriminator' || s.role === 'generator')),
      'the accuracy lines are no losses',
    );
  },
);

test(
  'kushal12345 GAN_keras.ipynb: `0: [D loss: …, acc: …]  [A loss: …, acc: …]`, 2552 steps; "A loss" (the adversarial model) is the generator',
  { skip },
  async () => {
    const run = await notebookRun('kushal12345-GAN_keras', 'GAN_keras.ipynb');
    const d = role(run, 'discriminator');
    const g = role(run, 'generator');
    assert.deepEqual([d.name, g.name], ['D loss', 'A loss']);
    assert.equal(d.values.length, 2552);
    assert.deepEqual([d.steps[0], d.steps.at(-1)], [0, 2551]);
    assert.deepEqual([d.values[0], g.values[0]], [0.694244, 1.118456]);
    near(d.values[500]!, 1.93, 0.05, 'step 500 D');
    near(g.values[500]!, 0.048, 0.01, 'step 500 A');
    near(d.values[2551]!, 2.1, 0.05, 'last D');
    near(g.values[2551]!, 0.028, 0.005, 'last A');
    // The accuracies are plotted, never a loss.
    assert.ok(run.series.filter((s) => /acc/.test(s.name)).every((s) => s.role === 'other'));
  },
);
