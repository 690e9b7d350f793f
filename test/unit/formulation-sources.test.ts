// Each source of a run's loss formulation on small fixtures: the run's own config files, the
// training code beside it (as people write it: PyTorch, Keras, TensorFlow; sums, means, penalties,
// branches), the values, and the order in which they are asked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainingCodeOf } from '../../src/core/code/trainingCode';
import { codeClue } from '../../src/core/formulation/code';
import { configFormulation, lossTypeOfSettings, lossTypeOfYaml } from '../../src/core/formulation/config';
import { valuesClue } from '../../src/core/formulation/values';
import { decideFormulation, formulationOfRun } from '../../src/core/formulation';
import type { Series } from '../../src/core/model';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'gan-formulation-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

/** What the code of a one-project tree says about the run in `run` whose loss file is `lossFile`. */
async function fromCode(files: Record<string, string>, run: string, lossFile: string, dNames: string[], gNames: string[] = []) {
  const root = tree({ ...files, [`${run}/${lossFile}`]: '' });
  try {
    const code = await trainingCodeOf(join(root, run));
    assert.ok(code, 'the project code is found');
    return await codeClue(code, { root: join(root, run), lossFiles: [lossFile], dNames, gNames });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const series = (role: Series['role'], values: number[], name: string = role): Series => ({ name, role, source: 'x', column: null, steps: Float64Array.from(values.map((_, i) => i)), values: Float64Array.from(values) });

test('config: junyanz gan_mode, StyleGAN2-ADA options, PGGAN config.txt, a W&B config.yaml and gan-run.json', async () => {
  const root = tree({
    'cyc/train_opt.txt': '----------------- Options ---------------\n               gan_mode: lsgan                         \n',
    'p2p/opt.txt': 'gan_mode: vanilla\n',
    'sg/training_options.json': '{"loss_kwargs": {"class_name": "training.loss.StyleGAN2Loss", "r1_gamma": 0.8}}',
    'pg/config.txt': "D_loss = {'func': 'loss.D_wgangp_acgan'}\nG_loss = {'func': 'loss.G_wgan_acgan'}\n",
    'wb/files/config.yaml': 'wandb_version: 1\ngan_mode:\n  desc: null\n  value: vanilla\nlr:\n  desc: null\n  value: 0.0002\n',
  });
  try {
    assert.deepEqual(await configFormulation(join(root, 'cyc'), {}, ['loss_log.txt']), { lossType: 'lsgan', dTerms: 'mean', lsganScale: { d: 1, g: 1 }, from: 'train_opt.txt: gan_mode lsgan' });
    assert.equal((await configFormulation(join(root, 'p2p'), {}, []))?.lossType, 'bce');
    const sg = await configFormulation(join(root, 'sg'), {}, ['stats.jsonl']);
    assert.deepEqual([sg?.lossType, sg?.dTerms, sg?.penalties], ['bce', 'sum', ['r1']], 'softplus(D(fake)) + softplus(-D(real)): two terms summed');
    const pg = await configFormulation(join(root, 'pg'), {}, []);
    assert.deepEqual([pg?.lossType, pg?.penalties, pg?.from], ['wgan', ['gradient-penalty', 'drift'], 'config.txt: D_wgangp_acgan']);
    assert.deepEqual(await configFormulation(join(root, 'wb'), {}, []), { lossType: 'bce', from: 'files/config.yaml: gan_mode vanilla' });
    // gan-run.json wins over every option file.
    assert.deepEqual(await configFormulation(join(root, 'cyc'), { lossType: 'hinge', dTerms: 'sum' }, []), { lossType: 'hinge', dTerms: 'sum', from: 'gan-run.json: lossType hinge, dTerms sum' });
    assert.equal(await configFormulation(join(root, 'none'), {}, []), null);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  assert.deepEqual(lossTypeOfYaml('criterion: "WGAN-GP"   # {BCE, WGAN-GP}\n'), { type: 'wgan', key: 'criterion', value: 'WGAN-GP' });
  assert.equal(lossTypeOfYaml('G_type: "TCN"\nglr: 0.0001\n'), null);
});

test("config: a run's recorded settings (W&B's config.yaml as the format read it) are its config, at the top or one level down", async () => {
  assert.deepEqual(lossTypeOfSettings({ lr: 0.0002, gan_mode: 'lsgan' }), { type: 'lsgan', key: 'gan_mode', value: 'lsgan' });
  assert.deepEqual(lossTypeOfSettings({ model: 'sngan', training: { adv_loss: 'hinge', n_critic: 5 } }), { type: 'hinge', key: 'training.adv_loss', value: 'hinge' });
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

test('code: PyTorch BCELoss summed (the DCGAN tutorial) and averaged (PyTorch-GAN)', async () => {
  const dcgan = await fromCode(
    {
      'train.py': [
        'criterion = nn.BCELoss()',
        'for i, data in enumerate(loader):',
        '    output = netD(real).view(-1)',
        '    errD_real = criterion(output, label)',
        '    output = netD(fake.detach()).view(-1)',
        '    errD_fake = criterion(output, label)',
        '    errD = errD_real + errD_fake',
        "    print('[%d/%d][%d/%d]\\tLoss_D: %.4f\\tLoss_G: %.4f' % (epoch, n, i, m, errD.item(), errG.item()))",
      ].join('\n'),
    },
    'out',
    'log.txt',
    ['Loss_D'],
  );
  assert.deepEqual([dcgan?.lossType, dcgan?.dTerms], ['bce', 'sum']);
  assert.match(dcgan!.from, /^train\.py: errD = errD_real \+ errD_fake, BCELoss/);
  const pytorchGan = await fromCode(
    { 'gan.py': 'adversarial_loss = torch.nn.BCELoss()\nreal_loss = adversarial_loss(discriminator(real_imgs), valid)\nfake_loss = adversarial_loss(discriminator(gen_imgs.detach()), fake)\nd_loss = (real_loss + fake_loss) / 2\n' },
    'images',
    '0.png',
    ['D loss'],
  );
  assert.deepEqual([pytorchGan?.lossType, pytorchGan?.dTerms], ['bce', 'mean']);
});

test('code: Keras train_on_batch on a stacked batch is a mean; 0.5 * np.add a mean; a loss function returning real + fake a sum', async () => {
  const stacked = await fromCode(
    { 'mnist.py': "def define_d():\n    model.compile(loss='binary_crossentropy', optimizer=opt)\n    return model\nX, y = vstack((X_real, X_fake)), vstack((y_real, y_fake))\nd_loss, _ = d_model.train_on_batch(X, y)\nprint('>%d, %d/%d, d=%.3f, g=%.3f' % (i+1, j+1, b, d_loss, g_loss))\n" },
    'run',
    'slurm.out',
    ['d'],
  );
  assert.deepEqual([stacked?.lossType, stacked?.dTerms], ['bce', 'mean']);
  const halves = await fromCode(
    { 'gan.py': "discriminator.compile(loss='binary_crossentropy')\nd_loss_real = discriminator.train_on_batch(imgs, valid)\nd_loss_fake = discriminator.train_on_batch(gen, fake)\nd_loss = 0.5 * np.add(d_loss_real, d_loss_fake)\n" },
    'run',
    'log.txt',
    ['d_loss'],
  );
  assert.deepEqual([halves?.lossType, halves?.dTerms], ['bce', 'mean']);
  // TensorFlow 2 (owren-colorization_gan): a function returns a tuple; the logged total is its first element.
  const tuple = await fromCode(
    {
      'source/config.py': 'cross_entropy = tf.keras.losses.BinaryCrossentropy(from_logits=False)\n',
      'source/train.py': 'def discriminator_loss(real_out, gen_out):\n    """The total loss of the discriminator."""\n    gen_loss = cross_entropy(tf.zeros_like(gen_out), gen_out)\n    real_loss = cross_entropy(tf.ones_like(real_out), real_out)\n    total_loss = real_loss + gen_loss\n    return total_loss, gen_loss, real_loss\n\ndisc_total_loss, disc_gen_loss, disc_real_loss = discriminator_loss(a, b)\n',
    },
    '',
    'loss/train.csv',
    [],
  );
  assert.deepEqual([tuple?.lossType, tuple?.dTerms], ['bce', 'sum']);
});

test('code: TensorFlow sigmoid cross-entropy means summed (DCGAN-tensorflow)', async () => {
  const tf = await fromCode(
    { 'model.py': 'self.d_loss_real = tf.reduce_mean(\n  tf.nn.sigmoid_cross_entropy_with_logits(logits=self.D_logits, labels=tf.ones_like(self.D)))\nself.d_loss_fake = tf.reduce_mean(\n  tf.nn.sigmoid_cross_entropy_with_logits(logits=self.D_logits_, labels=tf.zeros_like(self.D_)))\nself.d_loss = self.d_loss_real + self.d_loss_fake\nself.d_loss_sum = scalar_summary("d_loss", self.d_loss)\n' },
    'logs',
    'events.out.tfevents.1',
    ['d_loss'],
  );
  assert.deepEqual([tf?.lossType, tf?.dTerms], ['bce', 'sum']);
});

test('code: LSGAN — 0.5·MSE terms summed with 0.5·MSE for G, and junyanz GANLoss by its gan_mode default', async () => {
  const paper = await fromCode(
    { 'LSGAN.py': 'errD_real = 0.5 * torch.mean((output-label)**2)\nerrD_fake = 0.5 * torch.mean((output-label)**2)\nerrD = errD_real + errD_fake\nerrG = 0.5 * torch.mean((output-label)**2)\nD_losses.append(errD.item())\nG_losses.append(errG.item())\n' },
    'out',
    'log.txt',
    ['Loss_D'],
    ['Loss_G'],
  );
  assert.deepEqual([paper?.lossType, paper?.dTerms, paper?.lsganScale], ['lsgan', 'sum', { d: 0.5, g: 0.5 }]);
  const junyanz = await fromCode(
    {
      'options/base_options.py': "parser.add_argument('--gan_mode', type=str, default='lsgan', help='the type of GAN objective. [vanilla| lsgan | wgangp]')\n",
      'models/networks.py': "class GANLoss(nn.Module):\n    def __init__(self, gan_mode):\n        if gan_mode == 'lsgan':\n            self.loss = nn.MSELoss()\n        elif gan_mode == 'vanilla':\n            self.loss = nn.BCEWithLogitsLoss()\n        elif gan_mode in ['wgangp']:\n            self.loss = None\n",
      'models/cycle_gan_model.py': "self.criterionGAN = networks.GANLoss(opt.gan_mode).to(self.device)\ndef backward_D_basic(self, netD, real, fake):\n    loss_D_real = self.criterionGAN(netD(real), True)\n    loss_D_fake = self.criterionGAN(netD(fake.detach()), False)\n    loss_D = (loss_D_real + loss_D_fake) * 0.5\n    return loss_D\ndef backward_D_A(self):\n    self.loss_D_A = self.backward_D_basic(self.netD_A, self.real_B, fake_B)\n",
      'util/visualizer.py': "self.log_name = os.path.join(opt.checkpoints_dir, opt.name, 'loss_log.txt')\n",
    },
    'checkpoints/horse2zebra',
    'loss_log.txt',
    ['D_A'],
  );
  assert.deepEqual([junyanz?.lossType, junyanz?.dTerms], ['lsgan', 'mean']);
  assert.match(junyanz!.from, /--gan_mode default 'lsgan'/);
});

test('code: hinge relu(1 ± D) terms, a WGAN-GP critic with its penalty, and a Keras Wasserstein loss', async () => {
  const hinge = await fromCode({ 'train.py': 'd_loss = F.relu(1.0 - d_real).mean() + F.relu(1.0 + d_fake).mean()\nlosses.append(d_loss.item())\n' }, 'out', 'losses.csv', ['d_loss']);
  assert.deepEqual([hinge?.lossType, hinge?.dTerms], ['hinge', 'sum']);
  const wgan = await fromCode(
    { 'training.py': 'errD_real = -output.mean()\nerrD_fake = output.mean()\ngradient_penalty = functions.calc_gradient_penalty(netD, real, fake, opt.lambda_grad)\nerrD = errD_real + errD_fake + gradient_penalty\nerrD2plot.append(errD.detach())\n' },
    'out',
    'd.npy',
    [],
  );
  assert.deepEqual([wgan?.lossType, wgan?.penalties], ['wgan', ['gradient-penalty']]);
  const keras = await fromCode(
    { 'wgan_gp.py': "def wasserstein_loss(y_true, y_pred):\n    return K.mean(y_true * y_pred)\nself.critic_model.compile(loss=[wasserstein_loss, wasserstein_loss, partial_gp_loss])\ncritic_loss = self.critic_model.train_on_batch([image_batch, noise], [valid, fake, dummy])\nself.critic_loss_list.append(critic_loss[0])\nnp.save(os.path.join(d, 'critic_loss.npy'), self.critic_loss_list)\n" },
    'checkpoints/Epoch_10',
    'critic_loss.npy',
    ['critic_loss'],
  );
  assert.deepEqual([keras?.lossType, keras?.penalties], ['wgan', ['gradient-penalty']]);
});

test('code: a loss chosen by a setting leaves alternatives, and the values pick one', async () => {
  const clue = await fromCode(
    {
      'train.py': [
        "if criterion == 'BCE':",
        '    loss_function = nn.BCELoss()',
        'for i in range(n):',
        "    if criterion == 'WGAN-GP':",
        '        loss_D[i] = -torch.mean(D[i](real)) + torch.mean(D[i](fake))',
        '        loss_D[i] += lambda_gp * gradient_penalty',
        "    elif criterion == 'BCE':",
        '        loss_D[i] = loss_function(outputs_D[i], all_labels)',
        '    wandb.log({f"Discriminator_loss_{i}": loss_D[i]})',
      ].join('\n'),
    },
    'wandb/run-1',
    'run-1.wandb',
    ['Discriminator_loss_0'],
  );
  assert.equal(clue?.lossType, undefined);
  assert.deepEqual(clue?.alternatives?.map((a) => [a.lossType, a.dTerms ?? null]).sort(), [['bce', 'mean'], ['wgan', 'sum']]);
  // D ≥ 0 starting at ln 2 with a G below 0 (BCE − γ·central D): the BCE branch ran, its G holds other terms.
  const f = decideFormulation({ code: clue, values: (c) => valuesClue(series('discriminator', [0.69, 0.7, 0.3, 0.69]), series('generator', [-2.79, -2.6, 5, -2.7]), c) });
  assert.deepEqual([f.lossType, f.dTerms, f.gOtherTerms, f.source], ['bce', 'mean', true, 'code']);
});

test("code: a script that writes another run's existing files is that run's code, not this one's", async () => {
  const root = tree({
    '.git/HEAD': 'ref: refs/heads/main\n',
    'examples/mnist/train.py': "d_loss = (bce(D(real), ones) + bce(D(fake), zeros)) / 2\nbce = nn.BCELoss()\nnp.save('./result/discriminator_loss.npy', np.array(d_losses))\nd_losses.append(d_loss.item())\n",
    'examples/mnist/result/discriminator_loss.npy': '',
    'runs/mine/result/discriminator_loss.npy': '',
  });
  try {
    const code = await trainingCodeOf(join(root, 'runs/mine'));
    assert.equal(code?.root, root);
    assert.equal(await codeClue(code!, { root: join(root, 'runs/mine'), lossFiles: ['result/discriminator_loss.npy'], dNames: ['discriminator_loss'], gNames: [] }), null);
    // The example's own run is read from it.
    const own = await codeClue(code!, { root: join(root, 'examples/mnist'), lossFiles: ['result/discriminator_loss.npy'], dNames: ['discriminator_loss'], gNames: [] });
    assert.deepEqual([own?.lossType, own?.dTerms], ['bce', 'mean']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('values: the start tells a BCE sum from a mean; negative D is a critic; the BCE tie tells LSGAN; hinge starts at 2 and 0', () => {
  const noise = (i: number) => 0.01 * Math.sin(i * 7.1);
  const n = 400;
  const mk = (f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i) + noise(i));
  const sum = valuesClue(series('discriminator', mk((i) => 1.386 - (0.4 * i) / n)), series('generator', mk((i) => 0.7 + (0.6 * i) / n)));
  assert.deepEqual([sum?.lossType, sum?.dTerms], ['bce', 'sum']);
  const mean = valuesClue(series('discriminator', mk((i) => 0.693 - (0.2 * i) / n)), series('generator', mk((i) => 0.69 + (0.6 * i) / n)));
  assert.deepEqual([mean?.lossType, mean?.dTerms], ['bce', 'mean']);
  // An epoch-averaged first value (D already strong) says nothing about the composition.
  const late = valuesClue(series('discriminator', mk(() => 0.28)), series('generator', mk(() => 2.7)));
  assert.deepEqual([late?.lossType, late?.dTerms], ['bce', undefined]);
  const critic = valuesClue(series('discriminator', mk((i) => 2 - (6 * i) / n)), series('generator', mk(() => 1)));
  assert.equal(critic?.lossType, 'wgan');
  // LSGAN: D ≈ 0.15 with G ≈ 0.25 is impossible for a cross-entropy; the D-won picture D ≈ 0, G ≈ 1 too.
  const ls = valuesClue(series('discriminator', mk((i) => 0.25 - (0.1 * i) / n)), series('generator', mk(() => 0.25)));
  assert.deepEqual([ls?.lossType, ls?.dTerms, ls?.lsganScale], ['lsgan', 'mean', { d: 1, g: 1 }]);
  const ramp = (f: (i: number) => number) => Array.from({ length: n }, (_, i) => Math.max(0, f(i) + noise(i)));
  const won = valuesClue(series('discriminator', ramp((i) => Math.max(0, 0.25 - i / 100))), series('generator', ramp((i) => Math.min(1, 0.25 + i / 100))));
  assert.equal(won?.lossType, 'lsgan');
  const hinge = valuesClue(series('discriminator', mk((i) => 2 - (0.8 * i) / n)), series('generator', mk((i) => (i < 50 ? 0 : -0.3 + (i / n) * 0.9))));
  assert.deepEqual([hinge?.lossType, hinge?.dTerms], ['hinge', 'sum']);
  // A D alone says too little.
  assert.equal(valuesClue(series('discriminator', mk(() => 0.7)), undefined), null);
});

test('the order: config, then code, then the setting, then the values; the values keep the last word on what cannot be', async () => {
  const d = series('discriminator', [1.39, 1.3, 1.2, 1.25]);
  const g = series('generator', [0.7, 0.9, 1, 1.1]);
  const values = (c?: Parameters<typeof valuesClue>[2]) => valuesClue(d, g, c);
  assert.equal(decideFormulation({ config: { lossType: 'lsgan', from: 'a' }, code: { lossType: 'bce', from: 'b' }, settings: 'hinge', values }).lossType, 'lsgan');
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
