// The real notebooks of ../shared/wild-runs read as runs, checked against what their README says:
// losses printed among interleaved streams, which images are samples, references or results, and
// which notebooks are runs at all (the rules each pins are in notebooks.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { discoverRuns } from '../../../../src/core/discover';
import { loadRun } from '../../../../src/core/run';
import { imageSourceOf, readImageBytes, runFolder } from '../../../../src/core/samples/imageSource';
import { realRunsSkip } from '../../../support/realRuns';
import { WILD_RUNS, notebookRun } from '../../../support/notebooks';

const wildSkip = realRunsSkip(WILD_RUNS);

test(
  'milenabruseva (real): tqdm on stderr, 5 fake grids between 5 loss graphs; posters and the real-vs-fake figure are references',
  { skip: wildSkip },
  async () => {
    const file = path.join(WILD_RUNS, 'milenabruseva-thismovieposterdoesntexist', 'basic-sndcgan.ipynb');
    const run = await notebookRun(file);
    const d = run.series.find((s) => s.role === 'discriminator')!;
    const g = run.series.find((s) => s.role === 'generator')!;
    assert.deepEqual([d.name, g.name], ['Loss_D', 'Loss_G']);
    assert.equal(d.values.length, 5, 'one tqdm line per epoch, five epochs');
    assert.deepEqual([d.values[0], g.values[0], d.values[4], g.values[4]], [1.3903, 0.7563, 1.0671, 1.3747]);
    // Each fake grid sits on the step of its epoch's line; the loss graphs (599×333) are not samples.
    assert.deepEqual(
      run.samples.map((s) => s.step),
      [...d.steps],
    );
    for (const s of run.samples) {
      const png = PNG.sync.read(Buffer.from(await readImageBytes(imageSourceOf(runFolder(run), s), s.path)));
      assert.deepEqual([png.width, png.height], [307, 449], `${s.path} is a fake grid`);
    }
    assert.deepEqual(
      run.references?.map((r) => [r.step, r.path]),
      [[null, 'basic-sndcgan.ipynb#cell9-out1.png']],
    );
    // The real-vs-fake figure after training shows the trained generator: a result.
    assert.deepEqual(
      run.results?.map((r) => r.path),
      ['basic-sndcgan.ipynb#cell17-out0.png'],
    );
  },
);

test('kimjy99 (real): the real digits are a reference, the loss plot nothing, the final grids results', { skip: wildSkip }, async () => {
  const run = await notebookRun(path.join(WILD_RUNS, 'kimjy99-lsgan-mnist', 'LSGAN.ipynb'));
  // cell 4: ten real digits; cell 18: the final 8×8 grid; cell 20: a two-panel loss plot; cell 22: the progression.
  assert.deepEqual(
    run.references?.map((r) => [r.step, r.path]),
    [[null, 'LSGAN.ipynb#cell4-out1.png']],
  );
  assert.deepEqual(
    run.results?.map((r) => r.path),
    ['LSGAN.ipynb#cell18-out0.png', 'LSGAN.ipynb#cell22-out0.png'],
  );
  assert.deepEqual(run.samples, [], 'no image is shown in the training cell');
});

test('janghana (real): the notebook whose only image is real data has it as a reference; the other owns generated_samples/', { skip: wildSkip }, async () => {
  const dir = path.join(WILD_RUNS, 'janghana-GAN');
  const runs = await discoverRuns(dir);
  const names = runs.map((r) => r.name);
  assert.ok(names.includes('GAN_MNIST.ipynb') && names.includes('GAN_MNIST_2.ipynb'), names.join(', '));
  assert.ok(!names.some((n) => /dcgan/i.test(n)), 'the notebooks without outputs are not runs');
  const one = await loadRun(runs.find((r) => r.name === 'GAN_MNIST.ipynb')!);
  assert.deepEqual(one.samples, []);
  assert.deepEqual(
    one.references?.map((r) => [r.step, r.path]),
    [[null, 'GAN_MNIST.ipynb#cell7-out3.png']],
  );
  const two = runs.find((r) => r.name === 'GAN_MNIST_2.ipynb')!;
  assert.equal(two.sampleFiles.length, 40, 'the 40 kept images of generated_samples/ are its samples');
  assert.ok(two.sampleFiles.every((f) => f.startsWith('generated_samples/epoch_')));
  assert.ok(!runs.some((r) => r.name.includes('generated_samples')), 'not a run of their own');
});

test('janghana GAN_MNIST.ipynb (real): one line per epoch among 600 interleaved stdout/stderr outputs, epochs 0–299', { skip: wildSkip }, async () => {
  const run = await notebookRun(path.join(WILD_RUNS, 'janghana-GAN', 'GAN_MNIST.ipynb'));
  const d = run.series.find((s) => s.role === 'discriminator')!;
  const g = run.series.find((s) => s.role === 'generator')!;
  assert.deepEqual([d.name, g.name, d.values.length, g.values.length], ['D loss', 'G loss', 300, 300]);
  assert.deepEqual([d.steps[0], d.steps.at(-1)], [0, 299]);
  assert.deepEqual([d.values[0], g.values[0]], [0.173374, 1.624258]);
  const mean = (a: Float64Array, from: number, to: number) => a.slice(from, to).reduce((x, y) => x + y, 0) / (to - from);
  // D dominates throughout: first ten epochs D 0.12 / G 3.96, last fifty D 0.20 / G 3.43, final line D 0.42 / G 4.21.
  assert.ok(Math.abs(mean(d.values, 0, 10) - 0.12) < 0.005 && Math.abs(mean(g.values, 0, 10) - 3.96) < 0.005);
  assert.ok(Math.abs(mean(d.values, 250, 300) - 0.2) < 0.005 && Math.abs(mean(g.values, 250, 300) - 3.43) < 0.005);
  assert.ok(Math.abs(d.values[299]! - 0.42) < 0.005 && Math.abs(g.values[299]! - 4.21) < 0.005);
});

test('anish391 (real): notebooks that print no losses are not runs, their checkpoint copies neither', { skip: wildSkip }, async () => {
  const runs = await discoverRuns(path.join(WILD_RUNS, 'anish391-CIFAR10-DCGAN'));
  assert.deepEqual(
    runs.map((r) => r.name),
    ['DCGAN', 'SA-CGAN', 'SA-DCGAN'],
  );
  assert.ok(runs.every((r) => r.lossFiles.join() === 'fid.csv'));
});

test('HBGRR557722 (real): Colab truncated the output; the banner is no loss line and the run says the start is missing', { skip: wildSkip }, async () => {
  const run = await notebookRun(path.join(WILD_RUNS, 'HBGRR557722-MnistGAN100', 'mnistGAN100.ipynb'));
  assert.equal(run.notes?.length, 1);
  assert.match(run.notes![0]!, /^Colab kept only the last 5000 lines of the output of cell 1: the training began/);
  // The ten sample plots its code saves (`generated_plot_e%03d.png`) belong to it, not to a run of their own
  // (which of them are samples at which step is the sample naming's to say: "plot" in a name is a chart there).
  const runs = await discoverRuns(path.join(WILD_RUNS, 'HBGRR557722-MnistGAN100'));
  assert.deepEqual(
    runs.map((r) => [r.name, r.sampleFiles.length]),
    [['mnistGAN100.ipynb', 10]],
  );
  // Both images come from generator_model_100.h5 after training, in cells without counts.
  assert.equal(run.results?.length, 2);
});
