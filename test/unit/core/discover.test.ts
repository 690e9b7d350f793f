import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverRuns, type RunLocation } from '../../../src/core/discover';

let root: string;
const put = (rel: string, content = 'x') => {
  const abs = join(root, ...rel.split('/'));
  mkdirSync(join(abs, '..'), { recursive: true });
  writeFileSync(abs, content);
};
const byName = (runs: RunLocation[]) => new Map(runs.map((r) => [r.name, r]));

before(() => {
  root = mkdtempSync(join(tmpdir(), 'gan-discover-'));
  put('result/discriminator_loss.npy');
  put('result/generator_loss.npy');
  for (const s of [0, 400, 1600, 29800]) put(`result/image/${s}.png`);
  put('result/losses.png');
  put('runs/a/d_loss.npy');
  put('runs/b/metrics.csv', 'step,d_loss,g_loss\n0,0.7,0.6\n');
  put('lightning_logs/version_0/metrics.csv', 'epoch,step,critic_loss,generator_loss\n0,49,-0.01,0.02\n');
  put('lightning_logs/version_1/metrics.csv', 'epoch,step,critic_loss,generator_loss\n1,99,-0.01,0.02\n');
  put('lightning_logs/version_1/hparams.yaml');
  put('cgan/dloss.npy');
  for (const s of [10, 50]) for (let i = 0; i < 5; i++) put(`cgan/images${s}/pic${i}.png`);
  put('split/results/discriminator_loss.npy');
  put('split/results/generator_loss.npy');
  put('split/src/gan_fashion_images/005.png');
  put('split/src/gan_fashion_images/010.png');
  put('gallery/epoch_1.png');
  put('gallery/epoch_2.png');
  put('configured/gan-run.json', '{}');
  // Never runs.
  put('node_modules/pkg/d_loss.npy');
  put('.git/objects/d_loss.npy');
  put('venv/lib/d_loss.npy');
  put('.venv/lib/d_loss.npy');
  put('myenv/pyvenv.cfg', 'home = /usr/bin');
  put('myenv/lib/d_loss.npy');
  put('__pycache__/d_loss.npy');
  put('x/site-packages/d_loss.npy');
  put('a/b/c/d/e/f/g/h/d_loss.npy'); // depth 8: beyond the default 6
  // Links: a loop back to the root, a link to a run (seen once), a dangling one.
  symlinkSync(root, join(root, 'loop'));
  symlinkSync(join(root, 'runs'), join(root, 'runs-link'));
  symlinkSync(join(root, 'nowhere'), join(root, 'dangling'));
  symlinkSync(join(root, 'nowhere.npy'), join(root, 'result', 'dangling_loss.npy'));
});

after(() => {
  try {
    chmodSync(join(root, 'locked'), 0o755);
  } catch {
    // already gone
  }
  rmSync(root, { recursive: true, force: true });
});

test('finds nested runs and attaches sample folders to them', async () => {
  const runs = byName(await discoverRuns(root));
  assert.deepEqual([...runs.keys()].sort(), [
    'cgan',
    'configured',
    'gallery',
    'lightning_logs/version_0',
    'lightning_logs/version_1',
    'result',
    'runs/a',
    'runs/b',
    'split',
  ]);
  const result = runs.get('result')!;
  assert.equal(result.root, join(root, 'result'));
  assert.deepEqual(result.lossFiles, ['discriminator_loss.npy', 'generator_loss.npy']);
  assert.deepEqual(result.sampleFiles, ['image/0.png', 'image/400.png', 'image/1600.png', 'image/29800.png']);
  assert.deepEqual(runs.get('cgan')!.sampleFiles.length, 10);
  assert.equal(runs.get('cgan')!.sampleFiles[0], 'images10/pic0.png');
  assert.deepEqual(runs.get('runs/b')!.lossFiles, ['metrics.csv']);
  assert.deepEqual(runs.get('gallery')!, { root: join(root, 'gallery'), name: 'gallery', lossFiles: [], sampleFiles: ['epoch_1.png', 'epoch_2.png'] });
  assert.deepEqual(runs.get('configured')!.lossFiles, []);
});

test('losses and samples in sibling folders are one run rooted at their common folder', async () => {
  const split = byName(await discoverRuns(root)).get('split')!;
  assert.equal(split.root, join(root, 'split'));
  assert.deepEqual(split.lossFiles, ['results/discriminator_loss.npy', 'results/generator_loss.npy']);
  assert.deepEqual(split.sampleFiles, ['src/gan_fashion_images/005.png', 'src/gan_fashion_images/010.png']);
});

test('the scanned folder itself is named by its folder name', async () => {
  const runs = await discoverRuns(join(root, 'result'));
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.name, 'result');
  assert.equal(runs[0]!.lossFiles.length, 2);
});

test('depth, exclusions, folder budget and abort', async () => {
  const deep = await discoverRuns(root, { maxDepth: 8 });
  assert.ok(deep.some((r) => r.name === 'a/b/c/d/e/f/g/h'));
  const shallow = await discoverRuns(root, { maxDepth: 1 });
  assert.deepEqual(shallow.map((r) => r.name).sort(), ['cgan', 'configured', 'gallery', 'result']);
  assert.deepEqual(shallow.find((r) => r.name === 'result')!.sampleFiles, [], 'result/image is one level too deep');
  const excluded = await discoverRuns(root, { exclude: ['runs', 'lightning_logs/version_1'] });
  assert.ok(!excluded.some((r) => r.name.startsWith('runs/') || r.name === 'lightning_logs/version_1'));
  assert.ok(excluded.some((r) => r.name === 'lightning_logs/version_0'));
  let seen = 0;
  await discoverRuns(root, { maxFolders: 5, onProgress: (n) => (seen = n) });
  assert.equal(seen, 5);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(discoverRuns(root, { signal: controller.signal }));
});

test('an unreadable folder is skipped, the rest still found', async (t) => {
  put('locked/d_loss.npy');
  chmodSync(join(root, 'locked'), 0o000);
  let readable = true;
  try {
    readdirSync(join(root, 'locked'));
  } catch {
    readable = false;
  }
  const runs = await discoverRuns(root);
  // As root, permissions do not stop reads: then the folder is simply a run like any other.
  if (readable) t.diagnostic('running as a user who can read mode-000 folders (root): only checking nothing breaks');
  assert.equal(
    runs.some((r) => r.name === 'locked'),
    readable,
  );
  assert.ok(runs.some((r) => r.name === 'result'));
  chmodSync(join(root, 'locked'), 0o755);
  rmSync(join(root, 'locked'), { recursive: true });
});

test('a missing root gives no runs', async () => {
  assert.deepEqual(await discoverRuns(join(root, 'does-not-exist')), []);
});

test('2,500 folders and a 10,000-image folder are scanned quickly', async (t) => {
  const big = mkdtempSync(join(tmpdir(), 'gan-discover-big-'));
  try {
    for (let i = 0; i < 50; i++) {
      for (let j = 0; j < 50; j++) {
        const dir = join(big, `exp${i}`, `trial${j}`);
        mkdirSync(dir, { recursive: true });
        if (j % 10 === 0) writeFileSync(join(dir, 'd_loss.npy'), 'x');
      }
    }
    const images = join(big, 'exp0', 'trial0', 'samples');
    mkdirSync(images);
    for (let i = 0; i < 10000; i++) writeFileSync(join(images, `${i}.png`), '');
    const started = performance.now();
    const runs = await discoverRuns(big);
    const ms = performance.now() - started;
    t.diagnostic(`scanned 2,552 folders and 10,000 images in ${ms.toFixed(0)} ms`);
    assert.equal(runs.length, 250);
    assert.equal(runs.find((r) => r.name === 'exp0/trial0')!.sampleFiles.length, 10000);
    assert.ok(ms < 10000, `took ${ms} ms`);
  } finally {
    rmSync(big, { recursive: true, force: true });
  }
});

test('a folder reached both directly and through a link is named by its real path', async () => {
  for (let i = 0; i < 5; i++) {
    const names = (await discoverRuns(root)).map((r) => r.name);
    assert.ok(names.includes('runs/a') && !names.some((n) => n.startsWith('runs-link') || n.startsWith('loop')), names.join(', '));
  }
});

test('image folders that are not samples (icons, screenshots) are left out', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gan-discover-icons-'));
  try {
    const file = (rel: string) => {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), 'x');
    };
    file('examples/mnist-run/result/discriminator_loss.npy');
    file('examples/mnist-run/result/image/400.png');
    file('media/icon-0.png');
    file('media/icon-1.png');
    file('test-results/e2e/dbg1.png');
    const runs = await discoverRuns(dir);
    assert.deepEqual(
      runs.map((r) => [r.name, r.sampleFiles]),
      [['examples/mnist-run/result', ['image/400.png']]],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
