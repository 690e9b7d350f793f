// Each source of a run's loss formulation on small fixtures: the run's own config files, the values,
// and the order in which they are asked. The training code beside a run is in sources-code.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configFormulation, lossTypeOfSettings, lossTypeOfYaml } from '../../../../src/core/formulation/config';
import { valuesClue } from '../../../../src/core/formulation/values';
import { decideFormulation, formulationOfRun } from '../../../../src/core/formulation';
import { series, tree } from '../../../support/formulation';

test('config: junyanz gan_mode, StyleGAN2-ADA options, PGGAN config.txt, a W&B config.yaml and gan-run.json', async () => {
  const root = tree({
    'cyc/train_opt.txt': '----------------- Options ---------------\n               gan_mode: lsgan                         \n',
    'p2p/opt.txt': 'gan_mode: vanilla\n',
    'sg/training_options.json': '{"loss_kwargs": {"class_name": "training.loss.StyleGAN2Loss", "r1_gamma": 0.8}}',
    'pg/config.txt': "D_loss = {'func': 'loss.D_wgangp_acgan'}\nG_loss = {'func': 'loss.G_wgan_acgan'}\n",
    'wb/files/config.yaml': 'wandb_version: 1\ngan_mode:\n  desc: null\n  value: vanilla\nlr:\n  desc: null\n  value: 0.0002\n',
  });
  try {
    assert.deepEqual(await configFormulation(join(root, 'cyc'), {}, ['loss_log.txt']), {
      lossType: 'lsgan',
      dTerms: 'mean',
      lsganScale: { d: 1, g: 1 },
      from: 'train_opt.txt: gan_mode lsgan',
    });
    assert.equal((await configFormulation(join(root, 'p2p'), {}, []))?.lossType, 'bce');
    const sg = await configFormulation(join(root, 'sg'), {}, ['stats.jsonl']);
    assert.deepEqual([sg?.lossType, sg?.dTerms, sg?.penalties], ['bce', 'sum', ['r1']], 'softplus(D(fake)) + softplus(-D(real)): two terms summed');
    const pg = await configFormulation(join(root, 'pg'), {}, []);
    assert.deepEqual([pg?.lossType, pg?.penalties, pg?.from], ['wgan', ['gradient-penalty', 'drift'], 'config.txt: D_wgangp_acgan']);
    assert.deepEqual(await configFormulation(join(root, 'wb'), {}, []), { lossType: 'bce', from: 'files/config.yaml: gan_mode vanilla' });
    // gan-run.json wins over every option file.
    assert.deepEqual(await configFormulation(join(root, 'cyc'), { lossType: 'hinge', dTerms: 'sum' }, []), {
      lossType: 'hinge',
      dTerms: 'sum',
      from: 'gan-run.json: lossType hinge, dTerms sum',
    });
    assert.equal(await configFormulation(join(root, 'none'), {}, []), null);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  assert.deepEqual(lossTypeOfYaml('criterion: "WGAN-GP"   # {BCE, WGAN-GP}\n'), { type: 'wgan', key: 'criterion', value: 'WGAN-GP' });
  assert.equal(lossTypeOfYaml('G_type: "TCN"\nglr: 0.0001\n'), null);
});

test("config: a run's recorded settings (W&B's config.yaml as the format read it) are its config, at the top or one level down", async () => {
  assert.deepEqual(lossTypeOfSettings({ lr: 0.0002, gan_mode: 'lsgan' }), { type: 'lsgan', key: 'gan_mode', value: 'lsgan' });
  assert.deepEqual(lossTypeOfSettings({ model: 'sngan', training: { adv_loss: 'hinge', n_critic: 5 } }), {
    type: 'hinge',
    key: 'training.adv_loss',
    value: 'hinge',
  });
  assert.equal(lossTypeOfSettings({ G_type: 'LSTM', Gamma: 5, loss: 3 }), null);
  // The settings are read in place of the folder's config.yaml text (which would say vanilla here).
  const root = tree({ 'wb/files/config.yaml': 'wandb_version: 1\ngan_mode:\n  desc: null\n  value: vanilla\n' });
  try {
    assert.deepEqual(await configFormulation(join(root, 'wb'), {}, [], { gan_mode: 'wgangp' }), { lossType: 'wgan', from: 'config.yaml: gan_mode wgangp' });
    assert.equal(await configFormulation(join(root, 'wb'), {}, [], { lr: 0.1 }), null);
    // Option files the run also holds come first (junyanz's train_opt.txt beside a W&B run).
    writeFileSync(join(root, 'wb', 'train_opt.txt'), 'gan_mode: lsgan\n');
    assert.equal((await configFormulation(join(root, 'wb'), {}, [], { gan_mode: 'wgangp' }))?.lossType, 'lsgan');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('values: the start tells a BCE sum from a mean; negative D is a critic; the BCE tie tells LSGAN; hinge starts at 2 and 0', () => {
  const noise = (i: number) => 0.01 * Math.sin(i * 7.1);
  const n = 400;
  const mk = (f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i) + noise(i));
  const sum = valuesClue(
    series(
      'discriminator',
      mk((i) => 1.386 - (0.4 * i) / n),
    ),
    series(
      'generator',
      mk((i) => 0.7 + (0.6 * i) / n),
    ),
  );
  assert.deepEqual([sum?.lossType, sum?.dTerms], ['bce', 'sum']);
  const mean = valuesClue(
    series(
      'discriminator',
      mk((i) => 0.693 - (0.2 * i) / n),
    ),
    series(
      'generator',
      mk((i) => 0.69 + (0.6 * i) / n),
    ),
  );
  assert.deepEqual([mean?.lossType, mean?.dTerms], ['bce', 'mean']);
  // An epoch-averaged first value (D already strong) says nothing about the composition.
  const late = valuesClue(
    series(
      'discriminator',
      mk(() => 0.28),
    ),
    series(
      'generator',
      mk(() => 2.7),
    ),
  );
  assert.deepEqual([late?.lossType, late?.dTerms], ['bce', undefined]);
  const critic = valuesClue(
    series(
      'discriminator',
      mk((i) => 2 - (6 * i) / n),
    ),
    series(
      'generator',
      mk(() => 1),
    ),
  );
  assert.equal(critic?.lossType, 'wgan');
  // LSGAN: D ≈ 0.15 with G ≈ 0.25 is impossible for a cross-entropy; the D-won picture D ≈ 0, G ≈ 1 too.
  const ls = valuesClue(
    series(
      'discriminator',
      mk((i) => 0.25 - (0.1 * i) / n),
    ),
    series(
      'generator',
      mk(() => 0.25),
    ),
  );
  assert.deepEqual([ls?.lossType, ls?.dTerms, ls?.lsganScale], ['lsgan', 'mean', { d: 1, g: 1 }]);
  const ramp = (f: (i: number) => number) => Array.from({ length: n }, (_, i) => Math.max(0, f(i) + noise(i)));
  const won = valuesClue(
    series(
      'discriminator',
      ramp((i) => Math.max(0, 0.25 - i / 100)),
    ),
    series(
      'generator',
      ramp((i) => Math.min(1, 0.25 + i / 100)),
    ),
  );
  assert.equal(won?.lossType, 'lsgan');
  const hinge = valuesClue(
    series(
      'discriminator',
      mk((i) => 2 - (0.8 * i) / n),
    ),
    series(
      'generator',
      mk((i) => (i < 50 ? 0 : -0.3 + (i / n) * 0.9)),
    ),
  );
  assert.deepEqual([hinge?.lossType, hinge?.dTerms], ['hinge', 'sum']);
  // A D alone says too little.
  assert.equal(
    valuesClue(
      series(
        'discriminator',
        mk(() => 0.7),
      ),
      undefined,
    ),
    null,
  );
});

test('the order: config, then code, then the setting, then the values; the values keep the last word on what cannot be', async () => {
  const d = series('discriminator', [1.39, 1.3, 1.2, 1.25]);
  const g = series('generator', [0.7, 0.9, 1, 1.1]);
  const values = (c?: Parameters<typeof valuesClue>[2]) => valuesClue(d, g, c);
  assert.equal(
    decideFormulation({ config: { lossType: 'lsgan', from: 'a' }, code: { lossType: 'bce', from: 'b' }, settings: 'hinge', values }).lossType,
    'lsgan',
  );
  assert.equal(decideFormulation({ code: { lossType: 'hinge', from: 'b' }, settings: 'lsgan', values }).source, 'code');
  const set = decideFormulation({ settings: 'bce', values });
  assert.deepEqual([set.lossType, set.dTerms, set.source], ['bce', 'sum', 'settings'], 'the values fill in what the setting leaves open');
  assert.match(set.from, /^settings: ganInspector\.lossType bce; values: D starts at 1\.39 ≈ 2 ln 2/);
  const v = decideFormulation({ values });
  assert.deepEqual([v.lossType, v.dTerms, v.source], ['bce', 'sum', 'values']);
  // A declared BCE whose D goes negative cannot be one.
  const neg = decideFormulation({ config: { lossType: 'bce', from: 'gan-run.json: lossType bce' }, values, dNegative: true });
  assert.equal(neg.lossType, 'unknown');
  assert.match(neg.from, /goes negative/);
  // The D judged as the mean of its logged halves is a mean, whatever the code adds.
  assert.equal(decideFormulation({ code: { lossType: 'bce', dTerms: 'sum', from: 'x' }, values, dHalves: '(D_real + D_fake) / 2' }).dTerms, 'mean');
  const none = decideFormulation({ values: () => null });
  assert.deepEqual([none.lossType, none.source], ['unknown', 'none']);
  // A run read from disk: gan-run.json's dTerms fills in what the values cannot.
  const root = tree({ 'gan-run.json': '{"dTerms": "mean"}' });
  try {
    const f = await formulationOfRun(root, { dTerms: 'mean' }, ['d_loss.npy'], [series('discriminator', [0.3, 0.2]), series('generator', [2, 3])]);
    assert.deepEqual([f.lossType, f.dTerms], ['bce', 'mean']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
