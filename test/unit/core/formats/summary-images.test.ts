// TensorBoard image summaries are samples at their steps, read where they are in the event file:
// TF1 / PyTorch `Summary.Image` and TF2's string tensors, scored like the same PNGs saved as files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { discoverRuns } from '../../../../src/core/discover';
import { loadRun } from '../../../../src/core/run';
import { inspectLoadedRun } from '../../../../src/core/inspect';
import { AppendCache } from '../../../../src/core/formats/appendCache';
import { readTfEvents, type FoundImage } from '../../../../src/core/formats/tfevents';
import { FORMATS } from '../../../../src/core/formats';
import { imageSourceOf, readImageBytes, runFolder } from '../../../../src/core/samples/imageSource';
import { DiversityCache } from '../../../../src/core/samples/cache';
import { isSafeRelativePath } from '../../../../src/protocol';
import { realRunsSkip, REAL_RUNS } from '../../../support/realRuns';
import { WILD_RUNS, gridPng, hasPython } from '../../../support/notebooks';
import { writeEvents, type SummaryEvent } from '../../../support/summaryImages';

const skip = hasPython ? false : 'python3 is needed to write the test event files';

function folder(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  test.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const losses = (step: number) => [
  { tag: 'loss/d', scalar: 0.7 - step / 100 },
  { tag: 'loss/g', scalar: 0.8 + step / 100 },
];

test('TF1 / PyTorch Summary.Image and TF2 image tensors become samples at their steps, with their bytes where the file has them', { skip }, async () => {
  const dir = folder('tb-img-');
  const grid = (step: number) => gridPng(step);
  const events: SummaryEvent[] = [];
  for (const step of [0, 100, 200]) {
    events.push({
      step,
      values: [
        ...losses(step),
        { tag: 'G/image', image: grid(step), width: 132, height: 132 },
        { tag: 'fake', images: [grid(step + 1), grid(step + 2)], width: 132, height: 132, plugin: step === 0 },
        { tag: 'real_images', image: grid(999), width: 132, height: 132 },
        { tag: 'loss_plot', image: grid(7), width: 132, height: 132 },
      ],
    });
  }
  // G's summary written twice at one step (DCGAN-tensorflow updates G twice): the last image counts.
  events.push({ step: 200, values: [{ tag: 'G/image', image: grid(555), width: 132, height: 132 }] });
  mkdirSync(path.join(dir, 'logs'));
  const file = path.join(dir, 'logs', 'events.out.tfevents.1700000000.host');
  writeEvents(file, events);

  const [loc] = await discoverRuns(dir);
  const run = await loadRun(loc!);
  assert.deepEqual(
    run.series.map((s) => [s.name, s.role]),
    [
      ['loss/d', 'discriminator'],
      ['loss/g', 'generator'],
    ],
  );
  // The run is the folder of the event file: paths start there.
  const rel = 'events.out.tfevents.1700000000.host';
  assert.equal(run.root, path.join(dir, 'logs'));
  const byPath = (a: [number, string], b: [number, string]) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1);
  assert.deepEqual(
    run.samples.map((s): [number, string] => [s.step, s.path]).sort(byPath),
    [0, 100, 200]
      .flatMap((step): [number, string][] => [
        [step, `${rel}#G/image@${step}.png`],
        [step, `${rel}#fake@${step}-1.png`],
        [step, `${rel}#fake@${step}.png`],
      ])
      .sort(byPath),
  );
  assert.deepEqual(
    run.references?.map((r) => [r.step, r.path]),
    [0, 100, 200].map((step) => [step, `${rel}#real_images@${step}.png`]),
  );
  const bytesOf = (p: string) =>
    readImageBytes(
      imageSourceOf(
        runFolder(run),
        run.samples.find((s) => s.path === p)!,
      ),
      p,
    );
  assert.deepEqual(Buffer.from(await bytesOf(`${rel}#G/image@100.png`)), Buffer.from(grid(100)));
  assert.deepEqual(Buffer.from(await bytesOf(`${rel}#fake@200-1.png`)), Buffer.from(grid(202)));
  assert.deepEqual(Buffer.from(await bytesOf(`${rel}#G/image@200.png`)), Buffer.from(grid(555)), 'the step written last');
  for (const s of run.samples) assert.ok(isSafeRelativePath(s.path), s.path);
});

test('diversity scored on embedded grids equals the diversity of the same PNGs saved as files', { skip }, async () => {
  const events = folder('tb-div-');
  const files = folder('tb-div-files-');
  const grids = [0, 1, 2, 3].map((k) => gridPng(40 + k, k / 4));
  writeEvents(
    path.join(events, 'events.out.tfevents.1.host'),
    grids.map((g, k) => ({ step: k * 10, values: [...losses(k * 10), { tag: 'samples', image: g, width: 132, height: 132 }] })),
  );
  grids.forEach((g, k) => writeFileSync(path.join(files, `step_${k * 10}.png`), g));
  const embedded = await inspectLoadedRun(await loadRun((await discoverRuns(events))[0]!));
  const saved = await inspectLoadedRun(await loadRun((await discoverRuns(files))[0]!));
  assert.equal(embedded.run.samples.filter((s) => s.embedded).length, 4);
  assert.equal(saved.diversity.length, 4);
  assert.deepEqual(embedded.diversity, saved.diversity);
});

test('notebook and event-file grids score alike: the same PNG, embedded in a notebook, scores as the file', { skip }, async () => {
  const { writeNotebook } = await import('../../../support/notebooks');
  const dir = folder('nb-div-');
  const files = folder('nb-div-files-');
  const grids = [0, 1, 2].map((k) => gridPng(60 + k, k / 3));
  let text = '';
  const outputs = [];
  for (let k = 0; k < 3; k++) {
    text = `[Epoch ${k}/3] [Batch 0/10] [D loss: 0.5] [G loss: 0.7]\n[Epoch ${k}/3] [Batch 5/10] [D loss: 0.5] [G loss: 0.7]\n`;
    outputs.push({ stream: 'stdout' as const, text }, { png: grids[k]! });
  }
  writeNotebook(path.join(dir, 'nb.ipynb'), [{ count: 1, source: 'train()\nshow_images(generator(z))', outputs }]);
  grids.forEach((g, k) => writeFileSync(path.join(files, `step_${k * 10 + 5}.png`), g));
  const nb = await inspectLoadedRun(await loadRun((await discoverRuns(path.join(dir, 'nb.ipynb')))[0]!));
  const saved = await inspectLoadedRun(await loadRun((await discoverRuns(files))[0]!));
  assert.deepEqual(
    nb.run.samples.map((s) => s.step),
    [5, 15, 25],
  );
  assert.equal(nb.diversity.length, 3);
  assert.deepEqual(nb.diversity, saved.diversity);
});

test('a live refresh of an event file that grows reads the new image summaries with the new records', { skip }, async () => {
  const dir = folder('tb-live-');
  const file = path.join(dir, 'events.out.tfevents.2.host');
  writeEvents(file, [{ step: 1, values: [...losses(1), { tag: 'G', image: gridPng(1), width: 132, height: 132 }] }]);
  const cache = new AppendCache();
  const info = () => {
    const st = statSync(file);
    return { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
  };
  const first = await cache.readFormat(file, 'events.out.tfevents.2.host', info());
  assert.deepEqual(
    first.images?.map((i) => i.step),
    [1],
  );
  // The next record, as the writer appends it (written whole elsewhere and its tail appended).
  const more = path.join(dir, 'more');
  writeEvents(more, [
    { step: 1, values: [...losses(1), { tag: 'G', image: gridPng(1), width: 132, height: 132 }] },
    { step: 2, values: [...losses(2), { tag: 'G', image: gridPng(2), width: 132, height: 132 }] },
  ]);
  const whole = readFileSync(more);
  appendFileSync(file, whole.subarray(statSync(file).size));
  const second = await cache.readFormat(file, 'events.out.tfevents.2.host', info());
  assert.equal(cache.lastRead(file)?.incremental, true, 'only the appended record was parsed');
  const whole2 = FORMATS.read('events.out.tfevents.2.host', readFileSync(file));
  assert.deepEqual(second.images, whole2.images, 'as a whole read gives them');
  assert.deepEqual(
    second.images?.map((i) => i.step),
    [1, 2],
  );
  const bytes = readFileSync(file).subarray(second.images![1]!.offset, second.images![1]!.offset + second.images![1]!.length);
  assert.deepEqual(Buffer.from(bytes), Buffer.from(gridPng(2)));
});

test(
  'andrewbrown1022 (real): G/image/0..2 are 64×64 PNG samples at the steps of the event file the losses come from',
  { skip: realRunsSkip(WILD_RUNS) },
  async () => {
    const dir = path.join(WILD_RUNS, 'andrewbrown1022-DCGAN');
    const logs = readdirSync(path.join(dir, 'logs')).filter((f) => f.startsWith('events.out.tfevents.'));
    // Four launches in one logs/ folder, holding 28, 18, 2 and 0 steps, each starting again at step 1.
    const stepsOf = (f: string) => {
      const images: FoundImage[] = [];
      const series = readTfEvents(readFileSync(path.join(dir, 'logs', f)), f, undefined, images);
      return { f, steps: new Set(series.flatMap((s) => [...s.steps])).size, images };
    };
    const files = logs.map(stepsOf).sort((a, b) => b.steps - a.steps);
    assert.deepEqual(
      files.map((x) => x.steps),
      [28, 18, 2, 0],
    );
    for (const x of files) assert.ok(x.images.every((i) => /^G\/image\/[012]$/.test(i.tag) && i.format === 'png'));
    const run = await loadRun((await discoverRuns(dir))[0]!);
    const main = run.series.find((s) => s.role === 'discriminator')!.source;
    const embedded = run.samples.filter((s) => s.embedded);
    assert.ok(embedded.length > 0);
    assert.ok(
      embedded.every((s) => s.embedded!.file === main),
      "other launches' images at the same steps are not mixed in",
    );
    const steps = [...new Set(embedded.map((s) => s.step))];
    assert.deepEqual(steps, [...new Set(run.series.find((s) => s.role === 'discriminator')!.steps)], 'an image set at every step of the losses');
    assert.ok(
      steps.every(
        (step) =>
          embedded
            .filter((s) => s.step === step)
            .map((s) => s.path.replace(/.*#/, ''))
            .join() === `G/image/0@${step}.png,G/image/1@${step}.png,G/image/2@${step}.png`,
      ),
    );
    const png = PNG.sync.read(Buffer.from(await readImageBytes(imageSourceOf(runFolder(run), embedded.at(-1)!), 'last')));
    assert.deepEqual([png.width, png.height], [64, 64]);
    // They are scored: three images per step.
    const scored = await inspectLoadedRun(run, { cache: new DiversityCache() });
    assert.ok(scored.diversity.some((d) => d.step === steps.at(-1)));
  },
);

test('tensorboard-example (real): scalars only, so no samples from it', { skip: realRunsSkip() }, async () => {
  const logs = path.join(REAL_RUNS, 'tensorboard-example', 'logs');
  const file = readdirSync(logs).find((f) => f.startsWith('events.out.tfevents.'))!;
  assert.deepEqual(FORMATS.read(file, readFileSync(path.join(logs, file))).images, []);
  assert.ok(existsSync(logs));
});

test('a tag is untrusted: whatever it holds, the sample path is a safe relative path the webview may send back', async () => {
  const { safeTag, summaryImages } = await import('../../../../src/core/formats/tfeventsImages');
  for (const tag of ['../../etc/passwd', 'a//b', '/abs', 'C:\\x', '..', '.', 'x\u0000y\u001f', 'é/ü <img src=x>', 'a/../b', `${'long/'.repeat(400)}end`]) {
    const [image] = summaryImages([{ tag, step: 3, index: 0, offset: 0, length: 10, format: 'png' }]);
    const samplePath = `logs/events.out.tfevents.1.h#${image!.name}.png`;
    assert.ok(isSafeRelativePath(samplePath), `${JSON.stringify(tag)} → ${samplePath}`);
    assert.ok(
      !safeTag(tag)
        .split('/')
        .some((seg) => seg === '..' || seg === '.' || seg === ''),
      tag,
    );
  }
});
