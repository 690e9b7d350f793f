// Roles of the names the major GAN codebases log: only a loss is D or G; multi-term losses keep
// their adversarial term; D halves are judged as one D; CycleGAN's two GANs both; loss types stated
// by the codebase. The last tests read the real copies in ../shared/codebase-runs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CODEBASE_RUNS, realRunsSkip } from '../../../support/realRuns';
import { pickMainPair } from '../../../../src/core/mainPair';
import { pairOf, roleClarity, roleOf } from '../../../../src/core/roles';
import { analyzeRun } from '../../../../src/core/analysis/index';
import { lossTypeOfGanMode, lossTypeOfStyleGanConfig } from '../../../../src/core/formulation/config';
import { discoverRuns } from '../../../../src/core/discover';
import { loadRun } from '../../../../src/core/run';
import type { Run, Series } from '../../../../src/core/model';
import { formulationOf } from '../../../../src/core/formulation';

export const codebaseRuns = CODEBASE_RUNS;
const present = existsSync(codebaseRuns);
// Skipped (with the reason) where the folder is absent, except under CI, where absence fails below.
const skip = realRunsSkip(CODEBASE_RUNS);

test('the codebase copies are there under CI', { skip: process.env.CI === 'true' ? false : 'only checked under CI=true' }, () => {
  assert.ok(present, `${codebaseRuns} is missing`);
});

test('bookkeeping beside the losses never gets a D or G role', () => {
  for (const name of [
    'Loss/D/loss/num',
    'Loss/G/loss/std',
    'TrainD/overflow_frequency',
    'TrainG/overflow_frequency',
    'TrainD/learning_rate',
    'TrainG/learning_rate',
    'Timing/Dmain',
    'Timing/Greg',
    'Progress/kimg',
    'num_gpus',
    'Resources/peak_gpu_mem_gb',
    'Loss/G/reg',
    'Loss/D/reg',
    'Loss/scores/fake',
    'Loss/signs/real',
    'G_L1',
    'cycle_A',
    'idt_B',
    'Loss/r1_penalty',
    'Loss/pl_penalty',
    'G loss/cycle',
    'G loss/identity',
    'G loss/pixel',
    'D(G(z))',
    'Metrics/fid50k_full',
  ])
    assert.equal(roleOf(name), 'other', name);
  for (const name of ['Loss/D/loss', 'D_A', 'D_B', 'D_real', 'D_fake', 'Loss_D', 'D loss', 'loss_dis']) assert.equal(roleOf(name), 'discriminator', name);
  for (const name of ['Loss/G/loss', 'G_A', 'G_B', 'G_GAN', 'Loss_G', 'G loss', 'G loss/adv', 'loss_gen']) assert.equal(roleOf(name), 'generator', name);
});

test('the adversarial term is clearer than a total G loss; pairs are read from A/B', () => {
  assert.ok(roleClarity('G loss/adv') > roleClarity('G loss'));
  assert.ok(roleClarity('G_GAN') > roleClarity('G'));
  assert.equal(pairOf('D_A'), 'A');
  assert.equal(pairOf('G_B'), 'B');
  assert.equal(pairOf('loss_G_A'), 'A');
  assert.equal(pairOf('Loss/D/loss'), null);
  assert.equal(pairOf('G_GAN'), null);
});

const series = (name: string, values: number[], source = 'loss_log.txt'): Series => ({
  name,
  role: roleOf(name),
  source,
  column: null,
  steps: Float64Array.from(values, (_, i) => i),
  values: Float64Array.from(values),
});

test('D_real and D_fake are judged together as one D: their mean, the halves kept as other', () => {
  const picked = pickMainPair([series('G_GAN', [1, 2, 3]), series('G_L1', [40, 30, 20]), series('D_real', [0.4, 0.2, 0]), series('D_fake', [0.6, 0.2, 0.002])]);
  const d = picked.filter((s) => s.role === 'discriminator');
  assert.equal(d.length, 1);
  assert.equal(d[0]!.name, '(D_real + D_fake) / 2');
  assert.deepEqual([...d[0]!.values], [0.5, 0.2, 0.001]);
  assert.deepEqual(
    picked.filter((s) => s.role === 'generator').map((s) => s.name),
    ['G_GAN'],
  );
  assert.equal(picked.find((s) => s.name === 'D_real')!.role, 'other');
  assert.equal(picked.find((s) => s.name === 'G_L1')!.role, 'other');
});

test('SPADE / GauGAN names: a bare GAN is G, D_real with D_Fake is one D', () => {
  const picked = pickMainPair([
    series('GAN', [1, 2, 3]),
    series('GAN_Feat', [4, 5, 6]),
    series('VGG', [7, 8, 9]),
    series('D_Fake', [0.2, 0.4, 0.6]),
    series('D_real', [0.4, 0.6, 0.8]),
  ]);
  assert.deepEqual(
    picked
      .filter((s) => s.role !== 'other')
      .map((s) => `${s.role}:${s.name}`)
      .sort(),
    ['discriminator:(D_real + D_Fake) / 2', 'generator:GAN'],
  );
});

test('CycleGAN: both GANs keep their D and G, and both are diagnosed', () => {
  const n = 400;
  const flat = (v: number) => Array.from({ length: n }, () => v);
  const picked = pickMainPair([
    series('D_A', flat(0)),
    series('G_A', flat(0)),
    series('cycle_A', flat(1)),
    series('idt_A', flat(1)),
    series(
      'D_B',
      Array.from({ length: n }, (_, i) => 0.25 + 0.01 * Math.sin(i)),
    ),
    series(
      'G_B',
      Array.from({ length: n }, (_, i) => 0.3 + 0.01 * Math.cos(i)),
    ),
  ]);
  assert.deepEqual(
    picked.filter((s) => s.role !== 'other').map((s) => `${s.name}:${s.role}:${s.pair}`),
    ['D_A:discriminator:A', 'G_A:generator:A', 'D_B:discriminator:B', 'G_B:generator:B'],
  );
  const run = { root: '/x', name: 'x', series: picked, samples: [], errors: [], config: {}, formulation: formulationOf('lsgan') } as Run;
  const findings = analyzeRun(run, []);
  const stuck = findings.filter((f) => f.kind === 'saturated');
  assert.ok(stuck.length >= 2, 'the stuck pair A is found');
  assert.ok(
    stuck.every((f) => f.evidence.pair === 'A' && f.message.startsWith('GAN A:')),
    stuck.map((f) => f.message).join('\n'),
  );
});

test('loss types the codebases state', () => {
  assert.equal(lossTypeOfGanMode('               gan_mode: lsgan                         \n'), 'lsgan');
  assert.equal(lossTypeOfGanMode('gan_mode: vanilla\n'), 'bce');
  assert.equal(lossTypeOfGanMode('gan_mode: wgangp  \t[default: lsgan]\n'), 'wgan');
  assert.equal(lossTypeOfGanMode('name: x\n'), null);
  assert.equal(lossTypeOfStyleGanConfig('{"loss_kwargs": {"class_name": "training.loss.StyleGAN2Loss", "r1_gamma": 1}}'), 'bce');
  assert.equal(lossTypeOfStyleGanConfig("D_loss = {'func': 'loss.D_wgangp_acgan'}\nG_loss = {'func': 'loss.G_wgan_acgan'}"), 'wgan');
  assert.equal(lossTypeOfStyleGanConfig("D_loss = {'func': 'training.loss.D_logistic_simplegp'}"), 'bce');
});

async function runAt(rel: string): Promise<Run> {
  const root = join(codebaseRuns, rel);
  const loc = (await discoverRuns(root)).find((l) => l.root === root);
  assert.ok(loc, `${rel} is found as a run`);
  return loadRun(loc);
}

describe('roles on the real codebase copies', { skip }, () => {
  test('PGGAN: overflow frequencies and learning rates are no losses; the WGAN-GP critic scores raise no false alarm', async () => {
    const run = await runAt('nathantseng-PGGAN');
    assert.deepEqual(
      run.series.filter((s) => s.role === 'discriminator' || s.role === 'generator').map((s) => s.name),
      [],
    );
    assert.equal(run.formulation.lossType, 'wgan', 'config.txt names D_wgangp_acgan');
    assert.deepEqual(run.formulation.penalties, ['gradient-penalty', 'drift']);
    assert.match(run.formulation.from, /^config\.txt: D_wgangp_acgan/);
    const findings = analyzeRun(run, []);
    assert.deepEqual(
      findings.filter((f) => f.severity === 'error').map((f) => f.message),
      [],
    );
  });

  test('StyleGAN2-ADA: Loss/D/loss and Loss/G/loss, never a count; logistic loss is BCE', async () => {
    const run = await runAt('Hexanol777-RPG-SpriteGAN');
    const main = run.series.filter((s) => s.role === 'discriminator' || s.role === 'generator');
    assert.deepEqual(main.map((s) => s.name).sort(), ['Loss/D/loss', 'Loss/G/loss']);
    for (const s of main) assert.ok(Math.max(...s.values) < 100, `${s.name} holds losses, not batch counts`);
    assert.equal(run.formulation.lossType, 'bce');
    assert.equal(run.formulation.dTerms, 'sum', "StyleGAN2-ADA's Loss/D/loss adds its two softplus terms");
  });
});
