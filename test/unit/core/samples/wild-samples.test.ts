// Where the samples of the wild runs (../shared/wild-runs, see its README) sit: each assertion is
// what that README says of the run's images, not what the tool printed.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { discoverRuns } from '../../../../src/core/discover';
import { loadRun } from '../../../../src/core/run';
import type { Run, Sample } from '../../../../src/core/model';
import { WILD_RUNS, realRunsSkip } from '../../../support/realRuns';

const skip = realRunsSkip(WILD_RUNS);
const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);

async function runsOf(folder: string): Promise<Run[]> {
  const out: Run[] = [];
  for (const loc of await discoverRuns(path.join(WILD_RUNS, folder))) out.push(await loadRun(loc));
  return out;
}

/** The one run holding an image named `file`. */
function holding(runs: Run[], file: string): Run {
  const found = runs.filter((r) => [...r.samples, ...(r.results ?? []), ...(r.references ?? [])].some((x) => base(x.path) === file));
  assert.equal(found.length, 1, `${file} in ${found.map((r) => r.name).join(', ') || 'no run'}`);
  return found[0]!;
}

/** carpedm20's `train_{epoch:02d}_{batch:04d}.png`: one batches-per-epoch count for all, past every batch named. */
function assertComposite(samples: Sample[]): number {
  const parts = samples.map((s) => /train_(\d+)_(\d+)\.png$/.exec(s.path)!).map((m) => [Number(m[1]), Number(m[2])] as const);
  const [e, b] = parts.find(([epoch]) => epoch > 0)!;
  const perEpoch = (samples[parts.findIndex(([x, y]) => x === e && y === b)]!.step - b) / e;
  assert.ok(perEpoch > Math.max(...parts.map(([, batch]) => batch)), `${perEpoch} batches per epoch`);
  samples.forEach((s, i) => assert.equal(s.step, parts[i]![0] * perEpoch + parts[i]![1], s.path));
  return perEpoch;
}

describe('wild runs: samples on the right step (README truth)', { skip }, () => {
  const runs = new Map<string, Run[]>();
  const folders = [
    'whalsey-dl_project5_dcgan',
    'andrewbrown1022-DCGAN',
    'harel147-Improved_SinGAN',
    'ojus1-Landscape_ProGAN',
    'owren-colorization_gan',
    'Nabil1907-Gan-Mnist-',
    'HBGRR557722-MnistGAN100',
    'janghana-GAN',
    'Ppasha9-ganfasttraining',
    'DominikFle-Conditional-WGAN-Solar-Generation',
    'AHelbo-autoGAN',
  ];
  before(async () => {
    for (const f of folders) runs.set(f, await runsOf(f));
  });

  test('whalsey-dl_project5_dcgan: train_EE_IIII.png is epoch × batches-per-epoch + batch on the iteration axis; test_arange_N.png are test outputs', () => {
    const run = holding(runs.get('whalsey-dl_project5_dcgan')!, 'train_00_0099.png');
    assert.equal(run.samples.length, 30);
    assert.ok(run.samples.every((s) => /^samples\/train_\d\d_\d{4}\.png$/.test(s.path)));
    // Batch indices up to 1090 (launch 1 has 1093 a epoch): the count covers them.
    assert.ok(assertComposite(run.samples) >= 1091);
    assert.equal(run.stepUnit, 'iteration');
    assert.deepEqual(
      run.results!.map((r) => base(r.path)),
      [0, 11, 22, 33, 44, 55, 66, 77, 88, 99].map((n) => `test_arange_${n}.png`),
    );
  });

  test('andrewbrown1022-DCGAN: the same naming, epochs 0–24; the test_arange outputs are results', () => {
    const run = holding(runs.get('andrewbrown1022-DCGAN')!, 'train_00_0099.png');
    // The saved files; the event files' image summaries (G/image/0..2) are samples too, beside them.
    const saved = run.samples.filter((x) => !x.embedded);
    assert.equal(saved.length, 30);
    assertComposite(saved);
    assert.ok(run.samples.filter((x) => x.embedded).every((x) => /#G\/image\/[012]@\d+\.png$/.test(x.path)));
    assert.equal(run.results!.length, 10);
    assert.ok(run.results!.every((r) => /test_arange_\d+\.png$/.test(r.path)));
  });

  test('harel147 33039_LR_1_early_stop: one run of nine scales, each ending at its largest iteration, the next right after it; the super-resolved outputs are results', () => {
    const all = runs.get('harel147-Improved_SinGAN')!;
    const run = holding(all, '33039_LR_HR_factor_4.png');
    assert.equal(run.name, 'TrainedModels/33039_LR_1_early_stop');
    assert.equal(all.filter((r) => r.name.includes('33039')).length, 1, 'one run, not one per scale');
    const ends = [1999, 1607, 1604, 360, 217, 200, 204, 202, 1999];
    const starts = ends.map((_, k) => ends.slice(0, k).reduce((a, e) => a + e + 1, 0));
    assert.deepEqual(
      run.stages!.map((s) => s.start),
      starts,
    );
    assert.deepEqual(
      run.stages!.map((s) => s.offset),
      starts,
    );
    for (const [k, end] of ends.entries()) {
      const own = run.samples.filter((s) => s.path.includes(`/${k}/fake_sample_`));
      assert.ok(own.length > 0, `scale ${k}`);
      const iter = (s: Sample) => Number(/fake_sample_(\d+)\.png$/.exec(s.path)![1]);
      for (const s of own) assert.equal(s.step, starts[k]! + iter(s), s.path);
      assert.equal(Math.max(...own.map(iter)), end, `scale ${k} ends at ${end}`);
    }
    assert.ok(
      run.samples.every((s) => base(s.path).startsWith('fake_sample_')),
      'G(z_opt) and real_scale are references',
    );
    assert.ok(run.references!.some((r) => base(r.path) === 'real_scale.png' && r.until !== undefined));
    assert.ok(run.references!.filter((r) => base(r.path).startsWith('G(z_opt)_')).every((r) => r.step !== null));
    assert.deepEqual(run.results!.map((r) => base(r.path)).sort(), [
      '33039_LR_HR_factor_4.png',
      '33039_LR_HR_factor_8.png',
      '33039_LR_HR_factor_8_train_again.png',
    ]);
    assert.equal(run.stepUnit, 'iteration');
  });

  test('harel147 cows_original: samples named by training fraction sit within their scale, in order; the (copy) is not scored', () => {
    const run = holding(runs.get('harel147-Improved_SinGAN')!, 'fake_sample_0.4 (copy).png');
    assert.equal(run.stages!.length, 8);
    for (const s of run.samples) {
      const [, scale, fraction] = /(?:^|\/)(\d)\/fake_sample_([\d.]+)\.png$/.exec(s.path)!;
      const stage = run.stages![Number(scale)]!;
      const next = run.stages![Number(scale) + 1]?.start ?? Infinity;
      assert.ok(s.step >= stage.start && s.step < next, `${s.path} at ${s.step}`);
      assert.equal(s.step, stage.offset + Number(fraction) * 1000);
    }
    assert.deepEqual(
      run.results!.map((r) => base(r.path)),
      ['fake_sample_0.4 (copy).png'],
    );
  });

  test('ojus1-Landscape_ProGAN: gen_<depth>_<epoch>_<i>.png with depth 0 and epoch 1 fixed is placed by i (log step i − 1 when the log is read); samples/progan/0.png is not a sample', () => {
    const run = holding(runs.get('ojus1-Landscape_ProGAN')!, 'gen_0_1_1.png');
    assert.equal(run.samples.length, 40);
    assert.ok(!run.samples.some((s) => s.path.includes('progan/')));
    const i = (s: Sample) => Number(/gen_0_1_(\d+)\.png$/.exec(s.path)![1]);
    const d = run.series.find((s) => s.role === 'discriminator');
    // The TSV has no header (read by the printed-log reader's header-less columns); its step is
    // 0-based where i is 1-based: log step 1 is gen_0_1_2.png.
    const shift = d ? 1 : 0;
    for (const s of run.samples) assert.equal(s.step, i(s) - shift, s.path);
    if (d) {
      const logged = new Set(d.steps);
      assert.ok(
        run.samples.every((s) => logged.has(s.step)),
        'every sample on a logged step',
      );
    }
  });

  test('owren-colorization_gan: the test batch gen_img_0..15.png are results by position, real_img_0..15.png their references; the loss plots are neither', () => {
    const run = holding(runs.get('owren-colorization_gan')!, 'gen_img_0.png');
    assert.deepEqual(run.samples, []);
    assert.deepEqual(run.results!.map((r) => base(r.path)).sort(), Array.from({ length: 16 }, (_, k) => `gen_img_${k}.png`).sort());
    assert.equal(run.references!.length, 16);
    assert.ok(run.references!.every((r) => r.step === null && /real_img_\d+\.png$/.test(r.path)));
    assert.ok(![...run.samples, ...run.results!].some((x) => x.path.startsWith('lossfig/')));
  });

  test("Nabil1907-Gan-Mnist-: generated_plot_eNNN.png count epochs from 1 (the end of epoch 10 is the log's last step); tmp.png is a memory plot, not a sample", () => {
    const run = holding(runs.get('Nabil1907-Gan-Mnist-')!, 'generated_plot_e010.png');
    assert.equal(run.samples.length, 13);
    assert.ok(![...run.samples, ...(run.results ?? []), ...(run.references ?? [])].some((x) => base(x.path) === 'tmp.png'));
    const epoch = (s: Sample) => Number(/_e(\d+)\.png$/.exec(s.path)![1]);
    const d = run.series.find((s) => s.role === 'discriminator')!;
    const perEpoch = d.stepsPerEpoch;
    for (const s of run.samples) assert.equal(s.step, perEpoch ? epoch(s) * perEpoch - 1 : epoch(s), s.path);
    if (perEpoch) assert.equal(run.samples.find((s) => s.path === 'generated_plot_e010.png')!.step, d.steps.at(-1));
  });

  test('HBGRR557722-MnistGAN100: generated_plot_e010…e100.png is a sample grid every 10 epochs (counted from 1), not a plot', () => {
    const run = holding(runs.get('HBGRR557722-MnistGAN100')!, 'generated_plot_e010.png');
    const epochs = run.samples.map((s) => Number(/_e(\d+)\.png$/.exec(s.path)![1]));
    assert.deepEqual(
      epochs,
      Array.from({ length: 10 }, (_, k) => 10 * (k + 1)),
    );
    const perEpoch = run.series.find((s) => s.role === 'discriminator')?.stepsPerEpoch;
    assert.deepEqual(
      run.samples.map((s) => s.step),
      epochs.map((e) => (perEpoch ? e * perEpoch - 1 : e)),
    );
  });

  test('janghana-GAN: generated_samples/epoch_E_batch_B.png is E × batches-per-epoch + B; the hand-named epoch_300_Data.png is its own', () => {
    const all = runs.get('janghana-GAN')!;
    const run = holding(all, 'epoch_0_batch_0.png');
    assert.equal(run.samples.length, 40);
    const eb = (s: Sample) => /epoch_(\d+)_batch_(\d+)\.png$/.exec(s.path)!.slice(1).map(Number) as [number, number];
    const perEpoch = run.samples.find((s) => eb(s)[0] === 5 && eb(s)[1] === 0)!.step / 5;
    assert.ok(perEpoch > 500, `${perEpoch}`);
    for (const s of run.samples) assert.equal(s.step, eb(s)[0] * perEpoch + eb(s)[1], s.path);
    assert.equal(run.stepUnit, 'iteration');
    const other = holding(all, 'epoch_300_Data.png');
    assert.notEqual(other, run);
    assert.deepEqual(
      other.samples.map((s) => s.step),
      [300],
    );
  });

  test('Ppasha9-ganfasttraining: SampledImages/images_from_random_codes_0..9.png are post-hoc draws (results), the plots are not images of the run', () => {
    for (const run of runs.get('Ppasha9-ganfasttraining')!) {
      assert.deepEqual(run.samples, [], run.name);
      for (const x of run.results ?? []) assert.match(x.path, /images_from_random_codes(_\d)?\.png$/);
    }
    const run = holding(
      runs.get('Ppasha9-ganfasttraining')!.filter((r) => r.name.endsWith('Epoch_2730')),
      'images_from_random_codes_9.png',
    );
    assert.equal(run.results!.filter((r) => r.path.startsWith('SampledImages/')).length, 10);
  });

  test('DominikFle: imgs/real_fake_solar_run_{3,4}.png are plots named with a run number, not samples at steps 3 and 4', () => {
    const run = holding(runs.get('DominikFle-Conditional-WGAN-Solar-Generation')!, 'real_fake_solar_run_3.png');
    assert.deepEqual(run.samples, []);
    assert.deepEqual(
      run.results!.map((r) => base(r.path)),
      ['real_fake_solar_run_3.png', 'real_fake_solar_run_4.png'],
    );
  });

  test('AHelbo-autoGAN: web/images/epoch003_* at epoch 3 (graph.png is a plot); W&B media <key>_<step>_<hash>.png at step 0, never the hash', () => {
    const all = runs.get('AHelbo-autoGAN')!;
    const pix = holding(all, 'epoch003_fake_B.png');
    assert.deepEqual(
      pix.samples.map((s) => [base(s.path), s.step]),
      [['epoch003_fake_B.png', 3]],
    );
    assert.deepEqual(pix.references!.map((r) => [base(r.path), r.step]).sort(), [
      ['epoch003_real_A.png', 3],
      ['epoch003_real_B.png', 3],
    ]);
    assert.ok(![...pix.samples, ...(pix.results ?? [])].some((x) => base(x.path) === 'graph.png'));
    const wandb = holding(all, 'fake_B_0_69b92002d2cae9acc513.png');
    assert.deepEqual(
      wandb.samples.map((s) => s.step),
      [0],
    );
    assert.deepEqual(
      wandb.references!.map((r) => r.step),
      [0, 0],
    );
  });
});
