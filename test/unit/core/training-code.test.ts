// The training code beside a run: the project root is found from the run folder, its Python files
// and notebooks' code cells are read (bounded), and the files that name a loss file come first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filesNaming, projectRootOf, trainingCodeOf } from '../../../src/core/code/trainingCode';
import { realRunsSkip, WILD_RUNS } from '../../support/realRuns';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'gan-code-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

test('the project root is the git checkout above the run, else the nearest folder holding code', async () => {
  const root = tree({
    'proj/.git/HEAD': 'ref: refs/heads/main\n',
    'proj/src/gan/train.py': "np.savetxt('out/run1/loss.csv', np.c_[d, g])\n",
    'proj/out/run1/loss.csv': '1,2\n',
    'other/code/train.py': 'print(1)\n',
    'other/results/exp/a/b/d_loss.npy': '',
    'nocode/results/d_loss.npy': '',
  });
  try {
    assert.equal(await projectRootOf(join(root, 'proj/out/run1')), join(root, 'proj'));
    // No git: the nearest folder with code in it or one folder down.
    assert.equal(await projectRootOf(join(root, 'other/results/exp/a/b')), join(root, 'other'));
    // Never above the boundary, and null when no code is near.
    assert.equal(await projectRootOf(join(root, 'nocode/results'), join(root, 'nocode')), null);
    const code = await trainingCodeOf(join(root, 'proj/out/run1'));
    assert.deepEqual(
      code?.files.map((f) => f.rel),
      ['src/gan/train.py'],
    );
    assert.deepEqual(
      filesNaming(code!, 'loss.csv').map((f) => f.rel),
      ['src/gan/train.py'],
    );
    assert.deepEqual(filesNaming(code!, 'd_losses.npy'), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('notebooks give their code cells; environments and run outputs are not code', async () => {
  const nb = {
    cells: [
      { cell_type: 'markdown', source: ['# GAN'] },
      { cell_type: 'code', source: ['criterion = nn.BCELoss()\n', 'd_loss = real + fake'] },
    ],
  };
  const root = tree({ 'p/train.ipynb': JSON.stringify(nb), 'p/venv/lib/x.py': 'nope', 'p/wandb/run-1/files/code.py': 'nope', 'p/runs/d_loss.npy': '' });
  try {
    const code = await trainingCodeOf(join(root, 'p/runs'), { cache: new Map() });
    assert.deepEqual(
      code?.files.map((f) => f.rel),
      ['train.ipynb'],
    );
    assert.match(code!.files[0]!.text, /nn\.BCELoss\(\)\nd_loss = real \+ fake/);
    assert.doesNotMatch(code!.files[0]!.text, /# GAN/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('real runs: the code of the repository that wrote them', { skip: realRunsSkip(WILD_RUNS) }, async () => {
  const owren = join(WILD_RUNS, 'owren-colorization_gan');
  const code = await trainingCodeOf(join(owren, 'loss'));
  assert.equal(code?.root, owren);
  assert.ok(code!.files.some((f) => f.rel === 'source/main.py'));
  const ppasha = join(WILD_RUNS, 'Ppasha9-ganfasttraining');
  const deep = await trainingCodeOf(join(ppasha, 'saved_models/conv_wgan_gp/checkpoints/Epoch_2460'));
  assert.equal(deep?.root, ppasha);
  assert.ok(deep!.files.some((f) => f.rel === 'wgan_gp/wgan_gp.py'));
});
