// A Jupyter notebook that trained a GAN is a run: its printed losses, cell by cell in execution
// order, and its inline images on the step printed just before them. Small notebooks written here
// as Jupyter writes them (test/support/notebooks.ts) pin each rule; the real ones of ../shared/wild-runs
// check them against what their README says in notebooks-wild.test.ts (the printed shapes the reader
// does not know yet are in notebooks-printed-shapes.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { discoverRuns } from '../../../../src/core/discover';
import { loadRun } from '../../../../src/core/run';
import { inspectPaths } from '../../../../src/core/inspect';
import { readNotebook } from '../../../../src/core/notebook/read';
import type { SkipReport } from '../../../../src/core/formats/skipped';
import { imageSourceOf, readImageBytes, runFolder } from '../../../../src/core/samples/imageSource';
import { isSafeRelativePath } from '../../../../src/protocol';
import { chartPng, greyGridPng, gridPng, hasPython, notebookRun, writeNotebook, type CellSpec } from '../../../support/notebooks';

const skip = hasPython ? false : 'python3 is needed to write the test notebooks';

/** PyTorch-GAN's print, `[Epoch e/E] [Batch b/B] [D loss: …] [G loss: …]`, every `every` batches: steps e × B + b. */
function lossLines(epochs: number[], batches: number, every: number, d = (s: number) => 0.7 - s / 1e5, g = (s: number) => 0.8 + s / 1e5): string {
  let out = '';
  for (const e of epochs)
    for (let b = 0; b < batches; b += every)
      out += `[Epoch ${e}/10] [Batch ${b}/${batches}] [D loss: ${d(e * batches + b).toFixed(6)}] [G loss: ${g(e * batches + b).toFixed(6)}]\n`;
  return out;
}

function folder(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  test.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const TRAIN =
  'for epoch in range(2):\n    for i, (imgs, _) in enumerate(dataloader):\n        ...\n        print(f"[Epoch {epoch}/10] [Batch {i}/{len(dataloader)}] [D loss: {d_loss.item()}] [G loss: {g_loss.item()}]")\n        if i % 50 == 0: show_images(generator(fixed_z))';

test('a notebook that trained a GAN: losses from its streams, each inline image on the step printed before it', { skip }, async () => {
  const dir = folder('nb-train-');
  const file = path.join(dir, 'GAN.ipynb');
  writeNotebook(file, [
    { markdown: true, source: '# A GAN' },
    { count: 1, source: 'import torch', outputs: [{ stream: 'stderr', text: 'UserWarning: something\n' }] },
    { count: 2, source: 'imgs, _ = next(iter(dataloader))\nplt.imshow(make_grid(imgs))', outputs: [{ png: gridPng(9) }] },
    {
      count: 3,
      source: TRAIN,
      outputs: [
        { png: gridPng(1) }, // before any loss line: not a sample of a step
        { stream: 'stdout', text: lossLines([0], 100, 10) },
        { png: gridPng(2) },
        { stream: 'stdout', text: lossLines([1], 100, 10) },
        { png: gridPng(3), lines: true },
      ],
    },
    { count: 4, source: 'plt.plot(G_losses)\nplt.plot(D_losses)', outputs: [{ png: chartPng() }] },
    { count: 5, source: 'show_images(generator(torch.randn(25, 100)))', outputs: [{ png: gridPng(4), result: 5 }] },
  ]);
  const run = await notebookRun(file);
  assert.equal(run.root, file, 'the run is the notebook itself');
  assert.equal(run.folder, dir);
  assert.deepEqual(
    run.series.map((s) => [s.name, s.role, s.values.length, s.steps[0], s.steps.at(-1)]),
    [
      ['D loss', 'discriminator', 20, 0, 190],
      ['G loss', 'generator', 20, 0, 190],
    ],
  );
  // cell 3 is the fourth cell (a markdown cell first); its outputs 2 and 4 follow loss lines.
  assert.deepEqual(
    run.samples.map((s) => [s.step, s.path]),
    [
      [90, 'GAN.ipynb#cell3-out2.png'],
      [190, 'GAN.ipynb#cell3-out4.png'],
    ],
  );
  assert.deepEqual(
    run.references?.map((r) => [r.step, r.path]),
    [[null, 'GAN.ipynb#cell2-out0.png']],
    'the training data',
  );
  // The generator's output after training: a result, on no step, never scored.
  assert.deepEqual(
    run.results?.map((r) => r.path),
    ['GAN.ipynb#cell5-out0.png'],
  );
  for (const x of [...run.samples, ...(run.references ?? []), ...(run.results ?? [])]) assert.ok(isSafeRelativePath(x.path), x.path);
});

test("embedded image bytes equal the PNG the notebook holds, in both of nbformat's layouts", { skip }, async () => {
  const dir = folder('nb-bytes-');
  const file = path.join(dir, 'bytes.ipynb');
  const one = gridPng(5);
  const split = gridPng(6);
  writeNotebook(file, [{ count: 1, source: TRAIN, outputs: [{ stream: 'stdout', text: lossLines([0], 100, 25) }, { png: one }, { png: split, lines: true }] }]);
  const run = await notebookRun(file);
  assert.equal(run.samples.length, 2);
  const bytes = await Promise.all(run.samples.map((s) => readImageBytes(imageSourceOf(runFolder(run), s), s.path)));
  assert.deepEqual(Buffer.from(bytes[0]!), Buffer.from(one));
  assert.deepEqual(Buffer.from(bytes[1]!), Buffer.from(split));
  // A notebook saved again with other outputs: the old place holds no image any more, and it is said.
  writeNotebook(file, [{ count: 1, source: 'x', outputs: [{ stream: 'stdout', text: 'nothing\n'.repeat(5000) }] }]);
  await assert.rejects(
    readImageBytes(imageSourceOf(runFolder(run), run.samples[0]!), run.samples[0]!.path),
    /bytes\.ipynb#cell0-out1\.png: bytes\.ipynb changed since it was read/,
  );
});

test('execution order: a re-run cell replaces its output, so a cell shown later may have run earlier', { skip }, async () => {
  const dir = folder('nb-order-');
  // The grid cell ran (count 4) before the training cell was re-run (count 9): its image predates every loss line.
  writeNotebook(path.join(dir, 'rerun.ipynb'), [
    { count: 9, source: TRAIN, outputs: [{ stream: 'stdout', text: lossLines([0, 1], 100, 20) }] },
    { count: 4, source: 'show_images(generator(z))', outputs: [{ png: gridPng(1) }] },
  ]);
  const rerun = await notebookRun(path.join(dir, 'rerun.ipynb'));
  assert.deepEqual([...(rerun.references ?? []), ...(rerun.results ?? [])], [], 'an image from before the training is placed nowhere');
  // In the other order it was shown after the training: a result of the trained generator.
  writeNotebook(path.join(dir, 'after.ipynb'), [
    { count: 4, source: TRAIN, outputs: [{ stream: 'stdout', text: lossLines([0, 1], 100, 20) }] },
    { count: 9, source: 'show_images(generator(z))', outputs: [{ png: gridPng(1) }] },
  ]);
  assert.deepEqual(
    (await notebookRun(path.join(dir, 'after.ipynb'))).results?.map((r) => r.path),
    ['after.ipynb#cell1-out0.png'],
  );
});

test('execution order without counts (Colab saves none): document order, an uncounted cell after the counted one before it', { skip }, () => {
  const bytes = (cells: CellSpec[]) => {
    const dir = folder('nb-nocount-');
    writeNotebook(path.join(dir, 'n.ipynb'), cells);
    return readFileSync(path.join(dir, 'n.ipynb'));
  };
  const first = lossLines(
    [0],
    100,
    50,
    () => 1,
    () => 1,
  );
  const second = lossLines(
    [0],
    100,
    50,
    () => 2,
    () => 2,
  );
  // No counts at all: as the document goes; the second cell counts from 0 again, so it follows the first.
  const told: SkipReport = { skipped: null };
  const none = readNotebook(
    bytes([
      { source: TRAIN, outputs: [{ stream: 'stdout', text: first }] },
      { source: TRAIN, outputs: [{ stream: 'stdout', text: second }] },
    ]),
    'n.ipynb',
    told,
  );
  assert.deepEqual([...none.series[0]!.values], [1, 1, 2, 2]);
  assert.deepEqual([...none.series[0]!.steps], [0, 50, 100, 150]);
  assert.deepEqual(told.notes, ['cell 2 counts from 0 again: its steps are placed after those of cell 1, from 100 on.']);
  // Counts 7 and 3, and an uncounted cell after the one counted 7: 3 first, then 7, then the uncounted.
  const third = lossLines(
    [0],
    100,
    50,
    () => 3,
    () => 3,
  );
  const mixed = readNotebook(
    bytes([
      { count: 7, source: TRAIN, outputs: [{ stream: 'stdout', text: first }] },
      { source: TRAIN, outputs: [{ stream: 'stdout', text: third }] },
      { count: 3, source: TRAIN, outputs: [{ stream: 'stdout', text: second }] },
    ]),
    'n.ipynb',
  );
  assert.deepEqual([...mixed.series[0]!.values], [2, 2, 1, 1, 3, 3]);
});

test('a later cell that counts from the start again (a second fit) is placed after the first, with a note', { skip }, async () => {
  const dir = folder('nb-fit2-');
  writeNotebook(path.join(dir, 'fit.ipynb'), [
    { count: 24, source: TRAIN, outputs: [{ stream: 'stdout', text: lossLines([0, 1], 100, 10) }] },
    { count: 49, source: TRAIN, outputs: [{ stream: 'stdout', text: lossLines([0], 100, 10) }, { png: gridPng(2) }] },
  ]);
  const run = await notebookRun(path.join(dir, 'fit.ipynb'));
  const d = run.series.find((s) => s.role === 'discriminator')!;
  assert.equal(d.values.length, 30, 'both fits are kept');
  assert.deepEqual([d.steps[19], d.steps[20], d.steps.at(-1)], [190, 200, 290]);
  assert.deepEqual(
    run.samples.map((s) => s.step),
    [290],
    'the image after the second fit sits at its last step on the joined axis',
  );
  assert.deepEqual(run.notes, ['cell [49] counts from 0 again: its steps are placed after those of cell [24], from 200 on.']);
});

test('Colab truncation and ANSI colours: the banner is not a line of the log, and the run says the start is missing', { skip }, async () => {
  const dir = folder('nb-colab-');
  const kept = lossLines([7, 8], 100, 25);
  writeNotebook(path.join(dir, 'colab.ipynb'), [
    { source: TRAIN, outputs: [{ stream: 'stdout', text: `\x1b[1;30;43mStreaming output truncated to the last 5000 lines.\x1b[0m\n\x1b[32m${kept}\x1b[0m` }] },
  ]);
  const run = await notebookRun(path.join(dir, 'colab.ipynb'));
  const d = run.series.find((s) => s.role === 'discriminator')!;
  assert.equal(d.steps[0], 700, 'the visible part starts at epoch 7, as printed: not at 0');
  assert.equal(d.values.length, 8);
  assert.deepEqual(run.notes, ['Colab kept only the last 5000 lines of the output of cell 1: the training began before step 700, the first one shown.']);
});

test('stdout and stderr interleaved: a line split between outputs is read whole', { skip }, () => {
  const dir = folder('nb-streams-');
  const lines = lossLines([0], 100, 25).split('\n');
  writeNotebook(path.join(dir, 's.ipynb'), [
    {
      count: 1,
      source: TRAIN,
      outputs: [
        { stream: 'stdout', text: `${lines[0]}\n${lines[1]!.slice(0, 20)}` },
        { stream: 'stderr', text: 'NotOpenSSLWarning: urllib3 v2\n  warnings.warn(\n' },
        { stream: 'stdout', text: `${lines[1]!.slice(20)}\n${lines[2]}\r${lines[3]}\n` },
      ],
    },
  ]);
  const read = readNotebook(readFileSync(path.join(dir, 's.ipynb')), 's.ipynb');
  assert.deepEqual([...read.series[0]!.steps], [0, 25, 50, 75]);
});

test('charts are never samples: told by the code that draws them, or by their pixels when the drawing is elsewhere', { skip }, async () => {
  const dir = folder('nb-charts-');
  // A trainer from a library shows a grid and a loss chart after each epoch (as milenabruseva's does).
  writeNotebook(path.join(dir, 'lib.ipynb'), [
    {
      count: 3,
      source: 'trainer.train(G, D, loader, epochs=2, show_graphs=True)',
      outputs: [
        { stream: 'stderr', text: lossLines([0], 100, 50) },
        { png: gridPng(1) },
        { png: chartPng() },
        { stream: 'stderr', text: lossLines([1], 100, 50) },
        { png: gridPng(2) },
        { png: chartPng(610, 330) },
        { png: greyGridPng() },
      ],
    },
  ]);
  const run = await notebookRun(path.join(dir, 'lib.ipynb'));
  assert.deepEqual(
    run.samples.map((s) => s.path),
    ['lib.ipynb#cell0-out1.png', 'lib.ipynb#cell0-out4.png', 'lib.ipynb#cell0-out6.png'],
    'the grids, and grey digits on white, but no chart',
  );
});

test('a notebook without loss lines is not a run: discovery passes it over, and inspecting it says why', { skip }, async () => {
  const dir = folder('nb-none-');
  writeNotebook(path.join(dir, 'tutorial.ipynb'), [
    { count: 1, source: 'train(dataset, EPOCHS)', outputs: [{ png: gridPng(1) }, { stream: 'stdout', text: 'Time for epoch 1 is 3.2 sec\n' }] },
  ]);
  writeNotebook(path.join(dir, 'empty.ipynb'), [{ count: 1, source: 'print(1)', outputs: [{ stream: 'stdout', text: '1\n' }] }]);
  writeFileSync(path.join(dir, 'broken.ipynb'), '{"cells": [');
  assert.deepEqual(await discoverRuns(dir), []);
  const { inspections, problems } = await inspectPaths([path.join(dir, 'tutorial.ipynb'), path.join(dir, 'broken.ipynb')]);
  assert.equal(inspections.length, 0);
  assert.deepEqual(problems, [
    'tutorial.ipynb: no training loss lines in the outputs of its cells',
    'broken.ipynb: not a Jupyter notebook (not valid JSON (the file ends early at byte 11))',
  ]);
});

test('two notebooks in a folder are two runs; a checkpoint copy is none; images a notebook writes are its samples', { skip }, async () => {
  const dir = folder('nb-two-');
  const save = "save_image(G(fixed_z), f'generated_samples/epoch_{epoch}_batch_{i}.png', nrow=5)";
  writeNotebook(path.join(dir, 'a.ipynb'), [{ count: 1, source: `${TRAIN}\n${save}`, outputs: [{ stream: 'stdout', text: lossLines([0, 1], 100, 25) }] }]);
  writeNotebook(path.join(dir, 'b.ipynb'), [{ count: 1, source: TRAIN, outputs: [{ stream: 'stdout', text: lossLines([0], 100, 25) }] }]);
  mkdirSync(path.join(dir, '.ipynb_checkpoints'));
  copyFileSync(path.join(dir, 'a.ipynb'), path.join(dir, '.ipynb_checkpoints', 'a-checkpoint.ipynb'));
  mkdirSync(path.join(dir, 'generated_samples'));
  for (const name of ['epoch_0_batch_0.png', 'epoch_1_batch_0.png']) writeFileSync(path.join(dir, 'generated_samples', name), gridPng(3));
  const runs = await discoverRuns(dir);
  assert.deepEqual(
    runs.map((r) => [r.name, r.root, r.sampleFiles]),
    [
      ['a.ipynb', path.join(dir, 'a.ipynb'), ['generated_samples/epoch_0_batch_0.png', 'generated_samples/epoch_1_batch_0.png']],
      ['b.ipynb', path.join(dir, 'b.ipynb'), []],
    ],
  );
  const a = await loadRun(runs[0]!);
  assert.deepEqual(
    a.samples.map((s) => s.path),
    ['generated_samples/epoch_0_batch_0.png', 'generated_samples/epoch_1_batch_0.png'],
  );
  // Re-reading one notebook (a live refresh names its root) finds the same run.
  assert.deepEqual(await discoverRuns(path.join(dir, 'a.ipynb')), [{ ...runs[0]!, name: 'a.ipynb' }]);
});

test('nbformat 3 (worksheets, prompt_number, pyout with a png key) reads the same', { skip }, () => {
  const dir = folder('nb-v3-');
  const cells: CellSpec[] = [
    {
      count: 2,
      source: TRAIN,
      outputs: [
        { stream: 'stdout', text: lossLines([0], 100, 25) },
        { png: gridPng(4), result: 2 },
      ],
    },
  ];
  writeNotebook(path.join(dir, 'v3.ipynb'), cells, 3);
  writeNotebook(path.join(dir, 'v4.ipynb'), cells, 4);
  const v3 = readNotebook(readFileSync(path.join(dir, 'v3.ipynb')), 'n.ipynb');
  const v4 = readNotebook(readFileSync(path.join(dir, 'v4.ipynb')), 'n.ipynb');
  assert.deepEqual(v3.series, v4.series);
  assert.deepEqual(
    v3.images?.map((i) => [i.step, i.kind, i.name, i.format]),
    [[75, undefined, 'cell0-out1', 'png']],
  );
});

test('a large notebook (12 MB of base64 grids) is read without holding its images twice', { skip }, async (t) => {
  const dir = folder('nb-big-');
  const outputs: CellSpec['outputs'] = [];
  // Noise compresses to nothing: 60 images of about 150 KB.
  const noisy = (seed: number) => {
    const png = new PNG({ width: 224, height: 224 });
    let s = seed;
    for (let i = 0; i < png.data.length; i++) png.data[i] = i % 4 === 3 ? 255 : (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
    return PNG.sync.write(png);
  };
  for (let e = 0; e < 60; e++) outputs.push({ stream: 'stdout', text: lossLines([e], 100, 20) }, { png: noisy(e) });
  writeNotebook(path.join(dir, 'big.ipynb'), [{ count: 1, source: TRAIN, outputs }]);
  const bytes = readFileSync(path.join(dir, 'big.ipynb'));
  assert.ok(bytes.length > 12e6, `${bytes.length} bytes`);
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const read = readNotebook(bytes, 'big.ipynb');
  const ms = performance.now() - started;
  const heapGrew = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  assert.equal(read.images?.filter((i) => i.step !== null && !i.kind).length, 60);
  t.diagnostic(`a ${(bytes.length / 2 ** 20).toFixed(1)} MB notebook read in ${ms.toFixed(0)} ms, JS heap +${heapGrew.toFixed(1)} MB`);
  // The images stay in the file's bytes: the heap holds the text and the series, not 12 MB of strings.
  assert.ok(heapGrew < 12, `heap grew ${heapGrew.toFixed(1)} MB`);
  assert.ok(ms < 5000, `${ms.toFixed(0)} ms`);
});

/** fastprogress's display of fastai's training (NBMasterBar): a progress bar, then text2html_table's table (its stray `<tr>` too). */
function fastprogressHtml(rows: string[][]): string {
  const cell = (tag: string, c: string) => `      <${tag}>${c}</${tag}>\n`;
  let html =
    "<style>progress { width: 300px; }</style>\n    <div>\n      <progress value='30' class='' max='30' style='width:300px; height:20px; vertical-align: middle;'></progress>\n      100.00% [30/30 11:31&lt;00:00]\n    </div>\n";
  html +=
    '<table border="1" class="dataframe">\n  <thead>\n    <tr style="text-align: left;">\n' +
    rows[0]!.map((c) => cell('th', c)).join('') +
    '    </tr>\n  </thead>\n  <tbody>\n    <tr>\n';
  for (const row of rows.slice(1)) html += '    <tr>\n' + row.map((c) => cell('td', c)).join('') + '    </tr>\n';
  return html + '  </tbody>\n</table><p>';
}

test(
  "fastai's GANLearner in a notebook: the training table fastprogress shows as HTML is read as its console table; a pandas table is not",
  { skip },
  async () => {
    const dir = folder('nb-fastai-');
    const rows = [['epoch', 'train_loss', 'valid_loss', 'gen_loss', 'crit_loss', 'time']];
    for (let e = 0; e < 12; e++)
      rows.push([String(e), (1.4 - e / 100).toFixed(6), '#na#', (2 - e / 50).toFixed(6), (0.7 + e / 1000).toFixed(6), `00:${String(20 + e).padStart(2, '0')}`]);
    const plain = '<IPython.core.display.HTML object>';
    writeNotebook(path.join(dir, 'wgan.ipynb'), [
      { count: 1, source: 'learn = GANLearner.wgan(dls, generator, critic)', outputs: [] },
      { count: 2, source: 'learn.fit(12, 2e-4, wd=0)', outputs: [{ html: fastprogressHtml(rows), plain }] },
    ]);
    const run = await notebookRun(path.join(dir, 'wgan.ipynb'));
    const by = Object.fromEntries(run.series.map((s) => [s.name, s]));
    assert.deepEqual(Object.keys(by).sort(), ['crit_loss', 'gen_loss', 'train_loss']);
    assert.equal(by.crit_loss!.role, 'discriminator');
    assert.equal(by.gen_loss!.role, 'generator');
    assert.deepEqual(
      [...by.gen_loss!.steps],
      Array.from({ length: 12 }, (_, i) => i),
    );
    assert.equal(by.crit_loss!.values[11], 0.711);
    // The same table shown by pandas (`df.tail()`: no progress bar) is data read back, never a run.
    const pandas = fastprogressHtml(rows).replace(/[\s\S]*<\/div>\n/, '');
    writeNotebook(path.join(dir, 'table.ipynb'), [
      { count: 1, source: 'pd.read_csv("history.csv")', outputs: [{ html: pandas, plain: 'epoch  train_loss ...', result: 1 }] },
    ]);
    assert.deepEqual(await discoverRuns(path.join(dir, 'table.ipynb')), []);
  },
);
