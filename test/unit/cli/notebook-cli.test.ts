// `gan-inspect` on notebooks: one notebook, a folder of them (each a run, checkpoint copies none),
// one without losses (a one-line reason, exit 1), --json with the embedded samples' paths and
// --html with their images inside.
import { bundleForNode } from '../../support/bundles';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STANDALONE_DATA_ID, type StandaloneData } from '../../../src/protocol';
import { gridPng, hasPython, writeNotebook } from '../../support/notebooks';
import { bundleWebview } from '../../support/bundles';

const skip = hasPython ? false : 'python3 is needed to write the test notebooks';
let work = '';
let cli = '';

const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: work, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const lines = (epoch: number) => {
  let out = '';
  for (let b = 0; b < 100; b += 25)
    out += `[Epoch ${epoch}/3] [Batch ${b}/100] [D loss: ${(0.69 + epoch / 100).toFixed(4)}] [G loss: ${(0.7 - b / 1000).toFixed(4)}]\n`;
  return out;
};

before(async () => {
  if (!hasPython) return;
  work = mkdtempSync(join(tmpdir(), 'gan-nb-cli-'));
  cli = join(work, 'cli.js');
  await bundleForNode('src/cli/main.ts', cli);
  // The report inlines the webview app, looked up next to the CLI bundle as in dist/.
  await bundleWebview(join(work, 'webview.js'));
  mkdirSync(join(work, 'nbs', '.ipynb_checkpoints'), { recursive: true });
  const train = [
    { stream: 'stdout' as const, text: lines(0) },
    { png: gridPng(1) },
    { stream: 'stdout' as const, text: lines(1) },
    { png: gridPng(2) },
    { stream: 'stdout' as const, text: lines(2) },
    { png: gridPng(3) },
  ];
  writeNotebook(join(work, 'nbs', 'a.ipynb'), [{ count: 1, source: 'train(); show_images(generator(z))', outputs: train }]);
  writeNotebook(join(work, 'nbs', 'b.ipynb'), [{ count: 1, source: 'train()', outputs: [{ stream: 'stdout', text: lines(0) + lines(1) }] }]);
  copyFileSync(join(work, 'nbs', 'a.ipynb'), join(work, 'nbs', '.ipynb_checkpoints', 'a-checkpoint.ipynb'));
  writeNotebook(join(work, 'empty.ipynb'), [{ count: 1, source: 'print("hello")', outputs: [{ stream: 'stdout', text: 'hello\n' }] }]);
});

after(() => work && rmSync(work, { recursive: true, force: true }));

test('gan-inspect NOTEBOOK: the notebook is the run, its inline grids its samples', { skip }, () => {
  const r = run([join('nbs', 'a.ipynb')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Run a\.ipynb$/m);
  assert.match(r.stdout, new RegExp(`Notebook: ${join(work, 'nbs', 'a.ipynb').replace(/[.\\/]/g, '\\$&')}`));
  assert.match(r.stdout, /D discriminator D loss \(a\.ipynb\): 12 values, steps 0–275/);
  assert.match(r.stdout, /Samples: 3 images at 3 steps \(steps 75–275\)/);
});

test('gan-inspect FOLDER: one run per notebook, none for a checkpoint copy', { skip }, () => {
  const r = run(['nbs']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    [...r.stdout.matchAll(/^Run (.*)$/gm)].map((m) => m[1]),
    ['a.ipynb', 'b.ipynb'],
  );
});

test('a notebook without loss lines: exit 1 and one line saying why', { skip }, () => {
  const r = run(['empty.ipynb']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'gan-inspect: empty.ipynb: no training loss lines in the outputs of its cells\n');
});

test('--json names the embedded samples by notebook, cell and output; --html embeds their images', { skip }, () => {
  const r = run([join('nbs', 'a.ipynb'), '--json', '--html', 'report.html']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { runs: { root: string; samples: { step: number; path: string }[] }[] };
  assert.equal(doc.runs[0]!.root, join(work, 'nbs', 'a.ipynb'));
  assert.deepEqual(doc.runs[0]!.samples, [
    { step: 75, path: 'a.ipynb#cell0-out1.png' },
    { step: 175, path: 'a.ipynb#cell0-out3.png' },
    { step: 275, path: 'a.ipynb#cell0-out5.png' },
  ]);
  const html = readFileSync(join(work, 'report.html'), 'utf8');
  const m = new RegExp(`<script type="application/json" id="${STANDALONE_DATA_ID}">(.*?)</script>`, 's').exec(html)!;
  const data = JSON.parse(m[1]!) as StandaloneData;
  const uris = data.init.runs[0]!.samples.map((s) => s.uri);
  assert.deepEqual(
    uris.map((u) => Buffer.from(u.slice(u.indexOf(',') + 1), 'base64').equals(Buffer.from(gridPng(uris.indexOf(u) + 1)))),
    [true, true, true],
  );
});
