// The training code beside a run as a source of its loss formulation, on small projects written as
// people write them: PyTorch, Keras, TensorFlow; sums, means, penalties, branches chosen by a setting,
// and scripts that belong to another run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { trainingCodeOf } from '../../../../src/core/code/trainingCode';
import { codeClue } from '../../../../src/core/formulation/code';
import { valuesClue } from '../../../../src/core/formulation/values';
import { decideFormulation } from '../../../../src/core/formulation';
import { series, tree } from '../../../support/formulation';

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
    {
      'gan.py':
        'adversarial_loss = torch.nn.BCELoss()\nreal_loss = adversarial_loss(discriminator(real_imgs), valid)\nfake_loss = adversarial_loss(discriminator(gen_imgs.detach()), fake)\nd_loss = (real_loss + fake_loss) / 2\n',
    },
    'images',
    '0.png',
    ['D loss'],
  );
  assert.deepEqual([pytorchGan?.lossType, pytorchGan?.dTerms], ['bce', 'mean']);
});

test('code: Keras train_on_batch on a stacked batch is a mean; 0.5 * np.add a mean; a loss function returning real + fake a sum', async () => {
  const stacked = await fromCode(
    {
      'mnist.py':
        "def define_d():\n    model.compile(loss='binary_crossentropy', optimizer=opt)\n    return model\nX, y = vstack((X_real, X_fake)), vstack((y_real, y_fake))\nd_loss, _ = d_model.train_on_batch(X, y)\nprint('>%d, %d/%d, d=%.3f, g=%.3f' % (i+1, j+1, b, d_loss, g_loss))\n",
    },
    'run',
    'slurm.out',
    ['d'],
  );
  assert.deepEqual([stacked?.lossType, stacked?.dTerms], ['bce', 'mean']);
  const halves = await fromCode(
    {
      'gan.py':
        "discriminator.compile(loss='binary_crossentropy')\nd_loss_real = discriminator.train_on_batch(imgs, valid)\nd_loss_fake = discriminator.train_on_batch(gen, fake)\nd_loss = 0.5 * np.add(d_loss_real, d_loss_fake)\n",
    },
    'run',
    'log.txt',
    ['d_loss'],
  );
  assert.deepEqual([halves?.lossType, halves?.dTerms], ['bce', 'mean']);
  // TensorFlow 2 (owren-colorization_gan): a function returns a tuple; the logged total is its first element.
  const tuple = await fromCode(
    {
      'source/config.py': 'cross_entropy = tf.keras.losses.BinaryCrossentropy(from_logits=False)\n',
      'source/train.py':
        'def discriminator_loss(real_out, gen_out):\n    """The total loss of the discriminator."""\n    gen_loss = cross_entropy(tf.zeros_like(gen_out), gen_out)\n    real_loss = cross_entropy(tf.ones_like(real_out), real_out)\n    total_loss = real_loss + gen_loss\n    return total_loss, gen_loss, real_loss\n\ndisc_total_loss, disc_gen_loss, disc_real_loss = discriminator_loss(a, b)\n',
    },
    '',
    'loss/train.csv',
    [],
  );
  assert.deepEqual([tuple?.lossType, tuple?.dTerms], ['bce', 'sum']);
});

test('code: TensorFlow sigmoid cross-entropy means summed (DCGAN-tensorflow)', async () => {
  const tf = await fromCode(
    {
      'model.py':
        'self.d_loss_real = tf.reduce_mean(\n  tf.nn.sigmoid_cross_entropy_with_logits(logits=self.D_logits, labels=tf.ones_like(self.D)))\nself.d_loss_fake = tf.reduce_mean(\n  tf.nn.sigmoid_cross_entropy_with_logits(logits=self.D_logits_, labels=tf.zeros_like(self.D_)))\nself.d_loss = self.d_loss_real + self.d_loss_fake\nself.d_loss_sum = scalar_summary("d_loss", self.d_loss)\n',
    },
    'logs',
    'events.out.tfevents.1',
    ['d_loss'],
  );
  assert.deepEqual([tf?.lossType, tf?.dTerms], ['bce', 'sum']);
});

test('code: LSGAN — 0.5·MSE terms summed with 0.5·MSE for G, and junyanz GANLoss by its gan_mode default', async () => {
  const paper = await fromCode(
    {
      'LSGAN.py':
        'errD_real = 0.5 * torch.mean((output-label)**2)\nerrD_fake = 0.5 * torch.mean((output-label)**2)\nerrD = errD_real + errD_fake\nerrG = 0.5 * torch.mean((output-label)**2)\nD_losses.append(errD.item())\nG_losses.append(errG.item())\n',
    },
    'out',
    'log.txt',
    ['Loss_D'],
    ['Loss_G'],
  );
  assert.deepEqual([paper?.lossType, paper?.dTerms, paper?.lsganScale], ['lsgan', 'sum', { d: 0.5, g: 0.5 }]);
  const junyanz = await fromCode(
    {
      'options/base_options.py': "parser.add_argument('--gan_mode', type=str, default='lsgan', help='the type of GAN objective. [vanilla| lsgan | wgangp]')\n",
      'models/networks.py':
        "class GANLoss(nn.Module):\n    def __init__(self, gan_mode):\n        if gan_mode == 'lsgan':\n            self.loss = nn.MSELoss()\n        elif gan_mode == 'vanilla':\n            self.loss = nn.BCEWithLogitsLoss()\n        elif gan_mode in ['wgangp']:\n            self.loss = None\n",
      'models/cycle_gan_model.py':
        'self.criterionGAN = networks.GANLoss(opt.gan_mode).to(self.device)\ndef backward_D_basic(self, netD, real, fake):\n    loss_D_real = self.criterionGAN(netD(real), True)\n    loss_D_fake = self.criterionGAN(netD(fake.detach()), False)\n    loss_D = (loss_D_real + loss_D_fake) * 0.5\n    return loss_D\ndef backward_D_A(self):\n    self.loss_D_A = self.backward_D_basic(self.netD_A, self.real_B, fake_B)\n',
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
  const hinge = await fromCode(
    { 'train.py': 'd_loss = F.relu(1.0 - d_real).mean() + F.relu(1.0 + d_fake).mean()\nlosses.append(d_loss.item())\n' },
    'out',
    'losses.csv',
    ['d_loss'],
  );
  assert.deepEqual([hinge?.lossType, hinge?.dTerms], ['hinge', 'sum']);
  const wgan = await fromCode(
    {
      'training.py':
        'errD_real = -output.mean()\nerrD_fake = output.mean()\ngradient_penalty = functions.calc_gradient_penalty(netD, real, fake, opt.lambda_grad)\nerrD = errD_real + errD_fake + gradient_penalty\nerrD2plot.append(errD.detach())\n',
    },
    'out',
    'd.npy',
    [],
  );
  assert.deepEqual([wgan?.lossType, wgan?.penalties], ['wgan', ['gradient-penalty']]);
  const keras = await fromCode(
    {
      'wgan_gp.py':
        "def wasserstein_loss(y_true, y_pred):\n    return K.mean(y_true * y_pred)\nself.critic_model.compile(loss=[wasserstein_loss, wasserstein_loss, partial_gp_loss])\ncritic_loss = self.critic_model.train_on_batch([image_batch, noise], [valid, fake, dummy])\nself.critic_loss_list.append(critic_loss[0])\nnp.save(os.path.join(d, 'critic_loss.npy'), self.critic_loss_list)\n",
    },
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
  assert.deepEqual(clue?.alternatives?.map((a) => [a.lossType, a.dTerms ?? null]).sort(), [
    ['bce', 'mean'],
    ['wgan', 'sum'],
  ]);
  // D ≥ 0 starting at ln 2 with a G below 0 (BCE − γ·central D): the BCE branch ran, its G holds other terms.
  const f = decideFormulation({
    code: clue,
    values: (c) => valuesClue(series('discriminator', [0.69, 0.7, 0.3, 0.69]), series('generator', [-2.79, -2.6, 5, -2.7]), c),
  });
  assert.deepEqual([f.lossType, f.dTerms, f.gOtherTerms, f.source], ['bce', 'mean', true, 'code']);
});

test("code: a script that writes another run's existing files is that run's code, not this one's", async () => {
  const root = tree({
    '.git/HEAD': 'ref: refs/heads/main\n',
    'examples/mnist/train.py':
      "d_loss = (bce(D(real), ones) + bce(D(fake), zeros)) / 2\nbce = nn.BCELoss()\nnp.save('./result/discriminator_loss.npy', np.array(d_losses))\nd_losses.append(d_loss.item())\n",
    'examples/mnist/result/discriminator_loss.npy': '',
    'runs/mine/result/discriminator_loss.npy': '',
  });
  try {
    const code = await trainingCodeOf(join(root, 'runs/mine'));
    assert.equal(code?.root, root);
    assert.equal(
      await codeClue(code!, { root: join(root, 'runs/mine'), lossFiles: ['result/discriminator_loss.npy'], dNames: ['discriminator_loss'], gNames: [] }),
      null,
    );
    // The example's own run is read from it.
    const own = await codeClue(code!, {
      root: join(root, 'examples/mnist'),
      lossFiles: ['result/discriminator_loss.npy'],
      dNames: ['discriminator_loss'],
      gNames: [],
    });
    assert.deepEqual([own?.lossType, own?.dTerms], ['bce', 'mean']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
