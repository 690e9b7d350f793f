// Printed logs and header-less tables as people leave them (../shared/wild-runs, see its README):
// each asserts what the README says is in the files, not what the reader printed. The notebooks'
// printed lines are taken from their stream outputs (reading the notebook as a run is #23's W&B and
// notebook work; the line shapes are this reader's).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { realRunsSkip, WILD_RUNS } from '../../../support/realRuns';
import { inspectPaths, type Inspection } from '../../../../src/core/inspect';
import { read, type Read } from '../../../support/printed';
import type { Series } from '../../../../src/core/model';

const skip = realRunsSkip(WILD_RUNS);
const file = (rel: string) => readFileSync(path.join(WILD_RUNS, rel), 'utf8');
const close = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} (README: ${expected})`);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The stream text a notebook printed, cell by cell (only `cells` when given). */
function streams(notebook: string, cells?: number[]): string {
  const nb = JSON.parse(file(notebook)) as { cells: { outputs?: { output_type: string; text?: string | string[] }[] }[] };
  return nb.cells
    .map((c, i) =>
      cells && !cells.includes(i)
        ? ''
        : (c.outputs ?? [])
            .filter((o) => o.output_type === 'stream')
            .map((o) => (Array.isArray(o.text) ? o.text.join('') : (o.text ?? '')))
            .join(''),
    )
    .join('');
}

/** The mean of a series' values over the records of epoch `e`, where `epochOf(step)` says a step's epoch. */
function epochMean(r: Read, name: string, e: number, epochOf: (step: number) => number): number {
  const steps = r.steps(name);
  return mean(r.values(name).filter((_v, i) => epochOf(steps[i]!) === e));
}

describe('printed logs and header-less tables from the wild', { skip }, () => {
  let runs = new Map<string, Inspection>();
  before(async () => {
    const folders = [
      'whalsey-dl_project5_dcgan',
      'Nabil1907-Gan-Mnist-',
      'AHelbo-autoGAN',
      'ojus1-Landscape_ProGAN',
      'nidhinthomas-ai-CryoGAN',
      'owren-colorization_gan',
      'andrewbrown1022-DCGAN',
    ];
    const { inspections } = await inspectPaths(folders.map((f) => path.join(WILD_RUNS, f)));
    runs = new Map(inspections.map((i) => [path.relative(WILD_RUNS, i.run.root), i]));
  });
  const run = (name: string) => {
    const found = runs.get(name);
    assert.ok(found, `${name} (have: ${[...runs.keys()].join(', ')})`);
    return found.run;
  };
  const mains = (series: Series[]) =>
    series
      .filter((s) => s.role === 'discriminator' || s.role === 'generator')
      .map((s) => `${s.role[0]}:${s.name}`)
      .sort();

  test('whalsey (DCGAN-tensorflow console logs): 27,325 and 23,425 loss lines, 25 epochs × 1093 and × 937, [Sample] lines no records; the run shows the latest launch and says the other', () => {
    const one = read('2018-11-15_02-20-47_out.log', file('whalsey-dl_project5_dcgan/2018-11-15_02-20-47_out.log'));
    const two = read('2018-11-15_04-34-29_out.log', file('whalsey-dl_project5_dcgan/2018-11-15_04-34-29_out.log'));
    assert.equal(one.steps('d_loss').length, 27325);
    assert.equal(two.steps('d_loss').length, 23425);
    assert.equal(one.by.d_loss!.stepsPerEpoch, 1093);
    assert.equal(two.by.d_loss!.stepsPerEpoch, 937);
    assert.deepEqual(Object.keys(one.by), ['d_loss', 'g_loss'], 'time is no series');
    const epochOf1 = (s: number) => Math.floor(s / 1093);
    close(epochMean(one, 'd_loss', 0, epochOf1), 1.32, 0.01, 'launch 1 epoch-0 mean d');
    close(epochMean(one, 'g_loss', 24, epochOf1), 0.77, 0.01, 'launch 1 epoch-24 mean g');
    const last = two.steps('d_loss').length - 1;
    close(two.values('d_loss')[last]!, 0.0296, 1e-4, 'launch 2 last d');
    close(two.values('g_loss')[last]!, 4.59, 0.01, 'launch 2 last g');
    const r = run('whalsey-dl_project5_dcgan');
    assert.deepEqual(mains(r.series), ['d:d_loss', 'g:g_loss']);
    assert.ok(
      r.series.every((s) => s.source === '2018-11-15_04-34-29_out.log'),
      'one launch shown, not two copies',
    );
    assert.deepEqual(
      r.notes?.filter((n) => /launch/.test(n)),
      ['2018-11-15_04-34-29_out.log is the latest launch; 1 earlier launch set aside: 2018-11-15_02-20-47_out.log (27325 steps)'],
    );
  });

  test('Nabil1907 slurm-23043.out: 2,340 lines `>1, 1/234, d=…, g=…` after TF/OMP noise, epochs 1–10 from 1, the accuracy line and the traceback no records and no damage', () => {
    const r = read('slurm-23043.out', file('Nabil1907-Gan-Mnist-/slurm-23043.out'));
    assert.deepEqual(Object.keys(r.by), ['d', 'g']);
    assert.equal(r.steps('d').length, 2340);
    assert.deepEqual([r.steps('d')[0], r.steps('d')[2339]], [0, 2339], 'iterations counted from 0');
    const epochOf = (s: number) => Math.floor(s / 234) + 1;
    close(epochMean(r, 'd', 1, epochOf), 0.565, 0.001, 'epoch-1 mean d');
    close(epochMean(r, 'g', 1, epochOf), 1.013, 0.001, 'epoch-1 mean g');
    close(epochMean(r, 'd', 10, epochOf), 0.688, 0.001, 'epoch-10 mean d');
    close(epochMean(r, 'g', 10, epochOf), 0.708, 0.001, 'epoch-10 mean g');
    assert.equal(r.report.skipped, null);
    assert.deepEqual(mains(run('Nabil1907-Gan-Mnist-').series), ['d:d', 'g:g']);
  });

  test('AHelbo loss_log.txt: three launches (6, 1, 3 lines): the latest kept and the others told; SSIM and PSNR are metrics, higher better', () => {
    const r = run('AHelbo-autoGAN/checkpoints/mr2ct');
    assert.equal(r.series.find((s) => s.name === 'G_GAN')!.values.length, 3);
    assert.deepEqual(
      r.notes?.filter((n) => /launch/.test(n)),
      ['loss_log.txt: 2 earlier launches set aside: 6 and 1 lines'],
    );
    for (const name of ['SSIM', 'PSNR']) {
      const s = r.series.find((x) => x.name === name)!;
      assert.deepEqual([s.role, s.better], ['metric', 'higher'], name);
    }
    const output = read('output.log', file('AHelbo-autoGAN/wandb/run-20240503_104448-z3pktf9j/files/output.log'));
    assert.deepEqual(output.steps('G_GAN'), [100, 200, 300, 400], 'four loss lines, then a KeyboardInterrupt traceback');
    assert.equal(output.report.skipped, null);
    assert.ok(!('data' in output.by), 'the data-loading time is no series');
  });

  test('ojus1 loss_0.log (TSV, no header, no code to name it): five launches 7, 7, 2, 5, 76 lines; the last, steps 0–149, kept; no column called D or G', () => {
    const r = run('ojus1-Landscape_ProGAN');
    const d = r.series.find((s) => s.name === 'loss_0[1]')!;
    assert.equal(d.values.length, 76);
    assert.deepEqual([d.steps[0], d.steps[75]], [0, 149]);
    close(d.values[75]!, -2.9, 0.05, 'last d_loss');
    close(r.series.find((s) => s.name === 'loss_0[2]')!.values[75]!, 1.93, 0.01, 'last g_loss');
    assert.deepEqual(mains(r.series), []);
    assert.deepEqual(
      r.notes?.filter((n) => /launch/.test(n)),
      ['models/loss_0.log: 4 earlier launches set aside: 7, 7, 2 and 5 lines'],
    );
  });

  test("nidhinthomas loss.log (TSV, no header): named from CryoGAN_Clean.py's log.write, four launches (1, 2, 20, 40 lines), the critic diverging to −4·10¹⁰", () => {
    const r = run('nidhinthomas-ai-CryoGAN/models');
    assert.deepEqual(mains(r.series), ['d:dis_loss', 'g:gen_loss']);
    const d = r.series.find((s) => s.name === 'dis_loss')!;
    assert.equal(d.values.length, 40);
    close(d.values[0]!, -27, 0.5, 'launch 4 first dis_loss');
    close(d.values[39]! / 1e10, -4.0, 0.05, 'launch 4 last dis_loss (×1e10)');
    close(r.series.find((s) => s.name === 'gen_loss')!.values[39]! / 1e10, 3.0, 0.05, 'launch 4 last gen_loss (×1e10)');
    assert.equal(r.formulation.lossType, 'wgan');
    assert.deepEqual(
      r.notes?.filter((n) => /launch/.test(n)),
      ['loss.log: 3 earlier launches set aside: 1, 2 and 20 lines'],
    );
    // "The critic diverges without bound … A clear 'diverged' case for WGAN-type losses."
    const diverged = runs.get('nidhinthomas-ai-CryoGAN/models')!.findings.filter((f) => f.kind === 'exploding');
    assert.deepEqual(
      diverged.map((f) => [f.series[0], f.severity, f.end]),
      [
        ['discriminator', 'warning', 39],
        ['generator', 'warning', 39],
      ],
    );
  });

  test("owren (CSV without header, six columns): named from store_loss's docstring, 794 rows each, the empty files told", () => {
    const r = run('owren-colorization_gan');
    const of = (source: string, name: string) => r.series.find((s) => s.source === `loss/wnet_finished_${source}.csv` && s.name === name)!;
    assert.deepEqual(mains(r.series), ['d:disc_total_loss', 'g:gen_loss']);
    assert.ok(r.series.filter((s) => s.role === 'discriminator' || s.role === 'generator').every((s) => s.source === 'loss/wnet_finished_train.csv'));
    const first = ['gen_total_loss', 'gen_loss', 'l1_loss', 'disc_total_loss', 'disc_gen_loss', 'disc_real_loss'].map((n) => of('train', n).values[0]);
    assert.deepEqual(
      first.map((x) => Math.round(x! * 1000) / 1000),
      [1.606, 0.777, 0.83, 1.381, 0.688, 0.693],
    );
    assert.equal(of('train', 'l1_loss').values.length, 794);
    close(of('train', 'l1_loss').values[793]!, 0.269, 0.001, 'last train L1');
    const disc = of('validation', 'disc_total_loss');
    const peak = disc.values.indexOf(Math.max(...disc.values));
    close(disc.values[peak]!, 4.09, 0.01, 'validation disc_total_loss peak');
    assert.equal(disc.steps[peak], 49, 'in epoch 50 (rows counted from 0)');
    assert.deepEqual(r.errors.map((e) => e.message).sort(), [
      'loss/experiment_1_train.csv: the file is empty',
      'loss/experiment_1_validation.csv: the file is empty',
    ]);
  });

  test('andrewbrown1022 logs/: four event files each restarting at step 1 are launches: the latest shown, the others told, never copies of the same tags', () => {
    const r = run('andrewbrown1022-DCGAN');
    const names = r.series.map((s) => s.name);
    assert.equal(new Set(names).size, names.length, `one copy of each tag: ${names.join(', ')}`);
    assert.equal(new Set(r.series.map((s) => s.source)).size, 1);
    assert.ok(
      r.notes?.some((n) =>
        /2 earlier launches set aside: events\.out\.tfevents\.1550462175\.\S+ \(28 steps\), events\.out\.tfevents\.1550462946\.\S+ \(18 steps\)/.test(n),
      ),
      (r.notes ?? []).join('\n'),
    );
  });

  test('kimjy99 (DCGAN-tutorial print, from 1): 1,800 lines, 100 epochs × 18; epoch means as the README gives them', () => {
    const r = read('LSGAN.log', streams('kimjy99-lsgan-mnist/LSGAN.ipynb'));
    assert.equal(r.steps('Loss_D').length, 1800);
    const epochOf = (s: number) => Math.floor(s / 938) + 1;
    close(epochMean(r, 'Loss_D', 1, epochOf), 0.12, 0.001, 'epoch-1 mean Loss_D');
    close(epochMean(r, 'Loss_G', 1, epochOf), 0.277, 0.001, 'epoch-1 mean Loss_G');
    close(epochMean(r, 'Loss_D', 100, epochOf), 0.067, 0.001, 'epoch-100 mean Loss_D');
    close(epochMean(r, 'Loss_G', 100, epochOf), 0.357, 0.001, 'epoch-100 mean Loss_G');
  });

  test('mohamed-hazem (Keras fit): 115 epochs, then a second fit from `Epoch 1/500` again (95 epochs): the latest kept, the first told', () => {
    const first = read('fit.log', streams('mohamed-hazem-Conditional-MNIST-GAN/conditional_gan.ipynb', [34]));
    assert.equal(first.values('g_loss').length, 115);
    assert.deepEqual([first.values('g_loss')[0], first.values('d_loss')[0]], [2.7458, 0.2815]);
    const both = read('fit.log', streams('mohamed-hazem-Conditional-MNIST-GAN/conditional_gan.ipynb'));
    assert.equal(both.values('g_loss').length, 95);
    assert.deepEqual([both.values('g_loss')[94], both.values('d_loss')[94]], [0.8487, 1.302]);
    assert.deepEqual(both.report.notes, ['fit.log: 1 earlier launch set aside: 115 lines']);
  });

  test('janghana: `[Epoch 0/300] [D loss: …] [G loss: …] [Elapsed time: …]` (300 epochs) and `Epoch: 0, Batch: 0, D Loss: …` (1,000 lines, epochs 0–99)', () => {
    const one = read('one.log', streams('janghana-GAN/GAN_MNIST.ipynb'));
    assert.deepEqual(
      one.steps('D loss'),
      Array.from({ length: 300 }, (_x, i) => i),
    );
    assert.deepEqual([one.values('D loss')[299], one.values('G loss')[299]], [0.422327, 4.206228]);
    close(mean(one.values('D loss').slice(0, 10)), 0.12, 0.005, 'first ten D');
    close(mean(one.values('G loss').slice(0, 10)), 3.96, 0.005, 'first ten G');
    const two = read('two.log', streams('janghana-GAN/GAN_MNIST_2.ipynb'));
    assert.equal(two.steps('D Loss').length, 1000);
    const epochOf = (s: number) => Math.floor(s / two.by['D Loss']!.stepsPerEpoch!);
    close(epochMean(two, 'D Loss', 0, epochOf), 0.53, 0.005, 'epoch-0 mean D');
    close(epochMean(two, 'G Loss', 99, epochOf), 0.89, 0.005, 'epoch-99 mean G');
  });

  test('HBGRR (Colab-truncated, ANSI banner): 4,997 lines from epoch 79 batch 152, d and g near ln 2', () => {
    const r = read('colab.log', streams('HBGRR557722-MnistGAN100/mnistGAN100.ipynb'));
    assert.deepEqual(Object.keys(r.by), ['d', 'g']);
    assert.equal(r.steps('d').length, 4997);
    assert.equal(r.steps('d')[0], 78 * 234 + 151, 'epoch 79 batch 152 (iteration 18,403 from 0), not the start of training');
    close(mean(r.values('d')), 0.692, 0.001, 'mean d');
    close(mean(r.values('g')), 0.7, 0.001, 'mean g');
  });

  test('milenabruseva (tqdm description on stderr): five epochs, `[4/4]` the fifth; 17,510 iterations', () => {
    const r = read('stderr.log', streams('milenabruseva-thismovieposterdoesntexist/basic-sndcgan.ipynb'));
    assert.deepEqual(r.steps('Loss_D'), [3501, 7003, 10505, 14007, 17509]);
    assert.deepEqual([r.values('Loss_D')[0], r.values('Loss_G')[0], r.values('Loss_D')[4], r.values('Loss_G')[4]], [1.3903, 0.7563, 1.0671, 1.3747]);
  });

  test('kushal12345 (`0: [D loss: …, acc: …]  [A loss: …, acc: …]`): 2,552 steps 0–2551; A loss the generator; D accuracy exactly 0.5 at the end', () => {
    const r = read('keras.log', streams('kushal12345-GAN_keras/GAN_keras.ipynb'));
    assert.deepEqual([r.steps('A loss')[0], r.steps('A loss')[2551], r.steps('A loss').length], [0, 2551, 2552]);
    assert.deepEqual([r.values('D loss')[0], r.values('A loss')[0]], [0.694244, 1.118456]);
    close(r.values('D loss')[2551]!, 2.1, 0.01, 'last D');
    close(r.values('A loss')[2551]!, 0.028, 0.001, 'last A');
    assert.equal(r.values('D loss/acc')[500], 0.5);
  });
});
