// The loss formulation of the real runs in ../shared/wild-runs, read from the code in each folder,
// against what its README states from that code; and the findings on the runs' own numbers against
// what the README says a careful reader sees. Runs whose files other readers bring (notebooks,
// W&B, new printed shapes) are checked here from the numbers in their text, parsed by the test.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainingCodeOf } from '../../../../src/core/code/trainingCode';
import { codeClue } from '../../../../src/core/formulation/code';
import { decideFormulation, formulationOfSeries, referenceOf } from '../../../../src/core/formulation';
import { analyzeRun } from '../../../../src/core/analysis';
import { discoverRuns } from '../../../../src/core/discover';
import { loadRun } from '../../../../src/core/run';
import type { Clue } from '../../../../src/core/formulation/clue';
import type { Finding, Formulation, Run, Series } from '../../../../src/core/model';
import { realRunsSkip, WILD_RUNS } from '../../../support/realRuns';

const skip = realRunsSkip(WILD_RUNS);
const at = (rel: string) => join(WILD_RUNS, rel);

/** The code's clue for a run in `dir` whose loss file is `lossFile` (a notebook is its own code). */
async function clueOf(dir: string, lossFile: string, dNames: string[], gNames: string[] = []): Promise<Clue | null> {
  const code = await trainingCodeOf(at(dir));
  assert.ok(code, `${dir}: its code is found`);
  return codeClue(code, { root: at(dir), lossFiles: [lossFile], dNames, gNames });
}

function series(role: Series['role'], values: number[], name: string): Series {
  return { name, role, source: 'log', column: null, steps: Float64Array.from(values.map((_, i) => i)), values: Float64Array.from(values) };
}

/** The numbers a regex finds in a text (or a notebook's outputs), as D and G series. */
function parsed(text: string, re: RegExp, d: number, g: number): { d: Series; g: Series } {
  const ds: number[] = [];
  const gs: number[] = [];
  for (const m of text.matchAll(re)) {
    ds.push(Number(m[d]));
    gs.push(Number(m[g]));
  }
  return { d: series('discriminator', ds, 'd_loss'), g: series('generator', gs, 'g_loss') };
}

function notebookOutput(rel: string, cell?: number): string {
  const nb = JSON.parse(readFileSync(at(rel), 'utf8')) as { cells: { outputs?: { text?: string | string[] }[] }[] };
  return nb.cells
    .filter((_, i) => cell === undefined || i === cell)
    .flatMap((c) => c.outputs ?? [])
    .map((o) => (Array.isArray(o.text) ? o.text.join('') : (o.text ?? '')))
    .join('\n');
}

const analyse = (f: Formulation, d: Series, g: Series): Finding[] =>
  analyzeRun({ root: '/r', name: 'r', series: [d, g], samples: [], errors: [], config: {}, formulation: f } satisfies Run, []);
const text = (fs: Finding[]) => fs.map((f) => `[${f.severity}] ${f.kind} ${f.start}-${f.end}: ${f.message}`).join('\n');
const kinds = (fs: Finding[]) => fs.map((f) => f.kind);
const sum = (c: Clue | null) => [c?.lossType, c?.dTerms];

describe('wild runs: the formulation the code states (README "Loss formulation")', { skip }, () => {
  test('kimjy99-lsgan-mnist: LSGAN, 0.5·MSE terms, D summed, G 0.5·MSE', async () => {
    const c = await clueOf('kimjy99-lsgan-mnist', 'LSGAN.ipynb', ['Loss_D'], ['Loss_G']);
    assert.deepEqual([...sum(c), c?.lsganScale], ['lsgan', 'sum', { d: 0.5, g: 0.5 }]);
    const ref = referenceOf(decideFormulation({ code: c, values: () => null }));
    assert.deepEqual([ref.dChance, ref.gChance], [0.25, 0.125], 'the README: a D at 0.5 everywhere gives Loss_D 0.25 and Loss_G 0.125');
  });

  test('BCE summed: mohamed-hazem (Keras from logits), janghana GAN_MNIST_2, milenabruseva, whalsey and andrewbrown (DCGAN-tensorflow), owren (TF2)', async () => {
    assert.deepEqual(sum(await clueOf('mohamed-hazem-Conditional-MNIST-GAN', 'conditional_gan.ipynb', ['d_loss'])), ['bce', 'sum']);
    assert.deepEqual(sum(await clueOf('janghana-GAN', 'GAN_MNIST_2.ipynb', ['D Loss'])), ['bce', 'sum']);
    assert.deepEqual(sum(await clueOf('milenabruseva-thismovieposterdoesntexist', 'basic-sndcgan.ipynb', ['Loss_D'])), ['bce', 'sum']);
    assert.deepEqual(sum(await clueOf('whalsey-dl_project5_dcgan', '2018-11-15_04-34-29_out.log', ['d_loss'])), ['bce', 'sum']);
    assert.deepEqual(sum(await clueOf('andrewbrown1022-DCGAN', 'logs/events.out.tfevents.1550462175.ip-172-31-24-121', ['d_loss'])), ['bce', 'sum']);
    assert.deepEqual(sum(await clueOf('owren-colorization_gan', 'loss/wnet_finished_train.csv', [])), ['bce', 'sum']);
  });

  test('BCE averaged: janghana GAN_MNIST, HBGRR and Nabil (a Keras train_on_batch on a stacked batch), kushal, anish391 (0.5 * np.add)', async () => {
    assert.deepEqual(sum(await clueOf('janghana-GAN', 'GAN_MNIST.ipynb', ['D loss'])), ['bce', 'mean']);
    assert.deepEqual(sum(await clueOf('HBGRR557722-MnistGAN100', 'mnistGAN100.ipynb', ['d'])), ['bce', 'mean']);
    assert.deepEqual(sum(await clueOf('Nabil1907-Gan-Mnist-', 'slurm-23043.out', ['d'])), ['bce', 'mean']);
    assert.deepEqual(sum(await clueOf('kushal12345-GAN_keras', 'GAN_keras.ipynb', ['D loss'])), ['bce', 'mean']);
    for (const run of ['DCGAN', 'SA-DCGAN', 'SA-CGAN'])
      assert.deepEqual(sum(await clueOf(`anish391-CIFAR10-DCGAN/${run}`, 'fid.csv', ['Disc_Loss'])), ['bce', 'mean'], run);
  });

  test('WGAN: SinGAN with its gradient penalty, CryoGAN with penalty and drift, Ppasha9 (Keras), DominikFle (clipped critic)', async () => {
    const singan = await clueOf('harel147-Improved_SinGAN/TrainedModels', 'x.png', []);
    assert.deepEqual([singan?.lossType, singan?.penalties], ['wgan', ['gradient-penalty']]);
    const cryo = await clueOf('nidhinthomas-ai-CryoGAN/models', 'loss.log', []);
    assert.deepEqual([cryo?.lossType, cryo?.penalties], ['wgan', ['gradient-penalty', 'drift']]);
    const ppasha = await clueOf('Ppasha9-ganfasttraining/saved_models/conv_wgan_gp/checkpoints/Epoch_2460', 'critic_loss.npy', ['critic_loss']);
    assert.deepEqual([ppasha?.lossType, ppasha?.penalties], ['wgan', ['gradient-penalty']]);
    assert.equal((await clueOf('DominikFle-Conditional-WGAN-Solar-Generation/lightning_logs/version_2', 'metrics.csv', ['critic_loss']))?.lossType, 'wgan');
    // ojus1's loss is the pro_gan_pytorch package's default, not in the repository: the code says nothing.
    assert.equal(await clueOf('ojus1-Landscape_ProGAN/models', 'loss_0.log', []), null);
  });

  test('COSCI-GAN: BCE or WGAN-GP by a setting; the values (D from ln 2, G below 0) pick BCE, averaged, with a G that holds −γ·central D', async () => {
    const c = await clueOf(
      'wondongee-COSCI-GAN_mvfit/wandb/run-20240311_115924-p5eltm86',
      'run-p5eltm86.wandb',
      ['Discriminator_loss_0', 'Discriminator_loss_1', 'Discriminator_loss_2'],
      ['Generator_loss_0'],
    );
    assert.deepEqual(c?.alternatives?.map((a) => a.lossType).sort(), ['bce', 'wgan']);
    // The summary's numbers: D 0.693 → 0.009 → 0.70, G −2.79 → +8.2 → −2.78.
    const f = formulationOfSeries(
      [
        series('discriminator', [0.693, 0.69, 0.2, 0.009, 0.5, 0.7], 'Discriminator_loss_0'),
        series('generator', [-2.79, -2.7, 3, 8.2, -1, -2.78], 'Generator_loss_0'),
      ],
      { code: c },
    );
    assert.deepEqual([f.lossType, f.dTerms, f.gOtherTerms, f.source], ['bce', 'mean', true, 'code']);
    assert.equal(referenceOf(f).gChance, null, 'a G holding −γ·central D has no chance level');
  });
});

describe('wild runs: the findings on their own numbers do not contradict the README', { skip }, () => {
  test('kimjy99 (LSGAN, D ahead the whole time and slowly gaining): no "G too strong", no equilibrium', async () => {
    const { d, g } = parsed(notebookOutput('kimjy99-lsgan-mnist/LSGAN.ipynb'), /Loss_D: ([\d.]+)\tLoss_G: ([\d.]+)/g, 1, 2);
    assert.equal(d.values.length, 1800);
    const c = await clueOf('kimjy99-lsgan-mnist', 'LSGAN.ipynb', ['Loss_D'], ['Loss_G']);
    const fs = analyse(formulationOfSeries([d, g], { code: c }), d, g);
    assert.ok(!kinds(fs).some((k) => k === 'g-dominant' || k === 'equilibrium'), text(fs));
    // Read as BCE (what the print looks like), D ≈ 0.1 with G ≈ 0.3 would be judged against ln 2.
    assert.ok(!fs.some((f) => /ln 2|0\.693/.test(f.message)), text(fs));
  });

  test('mohamed-hazem (summed BCE): D wins over epochs 2–20, then the run recovers toward 2 ln 2 with no imbalance', async () => {
    const { d, g } = parsed(notebookOutput('mohamed-hazem-Conditional-MNIST-GAN/conditional_gan.ipynb', 34), /- g_loss: ([\d.]+) - d_loss: ([\d.]+)/g, 2, 1);
    assert.equal(d.values.length, 115);
    const c = await clueOf('mohamed-hazem-Conditional-MNIST-GAN', 'conditional_gan.ipynb', ['d_loss'], ['g_loss']);
    const f = formulationOfSeries([d, g], { code: c });
    assert.deepEqual([f.lossType, f.dTerms], ['bce', 'sum']);
    const fs = analyse(f, d, g);
    const won = fs.filter((x) => x.kind === 'd-dominant');
    assert.equal(won.length, 1, text(fs));
    assert.ok(won[0]!.start <= 3 && won[0]!.end >= 12 && won[0]!.end <= 30, text(fs));
    assert.ok(!fs.some((x) => (x.kind === 'd-dominant' || x.kind === 'g-dominant') && x.start > 30), text(fs));
  });

  test('kushal12345 (Keras BCE on a stacked batch): D collapsed at D ≈ 2.1, the generator "wins": G too strong', async () => {
    const { d, g } = parsed(notebookOutput('kushal12345-GAN_keras/GAN_keras.ipynb'), /\[D loss: ([\d.]+), acc: [\d.]+\]\s+\[A loss: ([\d.]+)/g, 1, 2);
    assert.equal(d.values.length, 2552);
    const c = await clueOf('kushal12345-GAN_keras', 'GAN_keras.ipynb', ['D loss'], ['A loss']);
    const fs = analyse(formulationOfSeries([d, g], { code: c }), d, g);
    const gd = fs.filter((x) => x.kind === 'g-dominant');
    assert.ok(gd.length >= 1 && gd.at(-1)!.end === d.values.length - 1, text(fs));
    assert.ok(!kinds(fs).includes('d-dominant') && !kinds(fs).includes('equilibrium'), text(fs));
  });

  test('owren (summed BCE + L1): D at chance for a summed D, no imbalance', async () => {
    const rows = readFileSync(at('owren-colorization_gan/loss/wnet_finished_train.csv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(',').map(Number));
    // Columns: gen_total_loss, gen_loss, l1_loss, disc_total_loss, disc_gen_loss, disc_real_loss.
    const d = series(
      'discriminator',
      rows.map((r) => r[3]!),
      'disc_total_loss',
    );
    const g = series(
      'generator',
      rows.map((r) => r[1]!),
      'gen_loss',
    );
    const c = await clueOf('owren-colorization_gan', 'loss/wnet_finished_train.csv', ['disc_total_loss']);
    const f = formulationOfSeries([d, g], { code: c });
    assert.deepEqual([f.lossType, f.dTerms, referenceOf(f).dChance?.toFixed(3)], ['bce', 'sum', '1.386']);
    const fs = analyse(f, d, g);
    assert.ok(!kinds(fs).some((k) => k === 'g-dominant' || k === 'd-dominant'), text(fs));
  });

  test('whalsey (DCGAN-tensorflow, summed): launch 1 near the balance point with D slowly gaining, launch 2 never "G too strong"', async () => {
    const c = await clueOf('whalsey-dl_project5_dcgan', '2018-11-15_04-34-29_out.log', ['d_loss'], ['g_loss']);
    for (const log of ['2018-11-15_02-20-47_out.log', '2018-11-15_04-34-29_out.log']) {
      const { d, g } = parsed(
        readFileSync(at(`whalsey-dl_project5_dcgan/${log}`), 'utf8'),
        /^Epoch: \[\s*\d+\/\s*\d+\] \[\s*\d+\/\s*\d+\] time: [\d.]+, d_loss: ([\d.e-]+), g_loss: ([\d.e-]+)/gm,
        1,
        2,
      );
      const f = formulationOfSeries([d, g], { code: c });
      assert.deepEqual([f.lossType, f.dTerms], ['bce', 'sum']);
      const fs = analyse(f, d, g);
      assert.ok(!kinds(fs).includes('g-dominant'), `${log}: ${text(fs)}`);
      // Launch 2 sits at D ≈ 0.55, G ≈ 1.2: D ahead, never at the summed reference.
      if (log.startsWith('2018-11-15_04')) assert.ok(!kinds(fs).includes('equilibrium'), text(fs));
    }
  });

  test('runs the readers on this branch read: the formulation on the loaded run', async () => {
    const load = async (rel: string) => {
      const locs = await discoverRuns(at(rel));
      assert.ok(locs.length, rel);
      return Promise.all(locs.filter((l) => l.lossFiles.length).map((l) => loadRun(l)));
    };
    for (const r of await load('AHelbo-autoGAN/checkpoints/mr2ct'))
      assert.deepEqual([r.formulation.lossType, r.formulation.dTerms, r.formulation.source], ['bce', 'mean', 'config']);
    for (const r of await load('Nabil1907-Gan-Mnist-'))
      assert.deepEqual([r.formulation.lossType, r.formulation.dTerms, r.formulation.source], ['bce', 'mean', 'code']);
    for (const r of await load('Ppasha9-ganfasttraining'))
      assert.deepEqual([r.formulation.lossType, r.formulation.penalties, r.formulation.source], ['wgan', ['gradient-penalty'], 'code']);
    for (const r of await load('DominikFle-Conditional-WGAN-Solar-Generation/lightning_logs')) assert.equal(r.formulation.lossType, 'wgan');
    const anish = await load('anish391-CIFAR10-DCGAN');
    assert.equal(anish.length, 3);
    for (const r of anish) assert.deepEqual([r.formulation.lossType, r.formulation.dTerms, r.formulation.source], ['bce', 'mean', 'code'], r.name);
  });
});
