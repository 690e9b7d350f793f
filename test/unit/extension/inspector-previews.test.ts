// The inspector never hands its webview a large grid as it is: while a run's grids are still being
// scored, a large sample is `pending` (a placeholder) and its preview is asked of the real worker
// (bundled as dist/worker.js and dist/decodeWorker.js are), ahead of the scoring queue and sharing
// its decode; a grid rewritten on disk gets a new preview.
import { UNIT_DIR } from '../../support/dirs';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { PNG } from 'pngjs';
import { DecodePool } from '../../../src/core/samples/decodePool';
import { PREVIEW_SIDE, previewPath } from '../../../src/core/samples/preview';
import { WorkerClient } from '../../../src/extension/worker/client';
import { PreviewQueue, previewOrder, shownImages, type WantedImage } from '../../../src/extension/inspector/previewQueue';
import { SamplePreviews } from '../../../src/extension/inspector/samplePreviews';
import { runSummary } from '../../../src/chart/runSummary';

/** Samples saved as files, as the panel gives them to shownImages. */
const filesOf = (root: string, paths: string[]) => paths.map((p) => ({ path: p, src: { file: path.join(root, ...p.split('/')) } }));
import { writeBigGrids } from '../../support/bigGrids';
import { formulationOf } from '../../../src/core/formulation';

const repoRoot = path.join(UNIT_DIR, '..', '..');
let tmp = '';
let dist = '';
let run = '';
let previewDir = '';
const grid = (step: number) => path.join(run, 'samples', `fakes${String(step).padStart(6, '0')}.png`);
const steps = [0, 200, 400, 600];

before(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'gan-inspector-previews-'));
  dist = path.join(tmp, 'dist');
  const build = (entry: string, out: string) =>
    esbuild.build({
      entryPoints: [path.join(repoRoot, entry)],
      outfile: path.join(dist, out),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'error',
    });
  await Promise.all([build('src/extension/worker/worker.ts', 'worker.js'), build('src/core/samples/decodeWorker.ts', 'decodeWorker.js')]);
  run = path.join(tmp, 'run');
  previewDir = path.join(tmp, 'previews');
  mkdirSync(path.join(run, 'samples'), { recursive: true });
  writeBigGrids(steps.map(grid), [1, 2, 3, 4]);
  // The losses, as a training script saves them; and one small sample shown as it is.
  execFileSync('python3', [
    '-c',
    'import numpy as np, sys; np.save(sys.argv[1] + "/d_loss.npy", 0.69 + 0.01 * np.random.default_rng(0).standard_normal(800)); np.save(sys.argv[1] + "/g_loss.npy", 0.69 + 0.01 * np.random.default_rng(1).standard_normal(800))',
    run,
  ]);
  const small = new PNG({ width: 256, height: 256 });
  small.data.fill(128);
  writeFileSync(path.join(run, 'samples', 'reals.png'), PNG.sync.write(small));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('while the grids are scored, the large ones are pending (never the original), and each preview arrives (the newest asked first)', async () => {
  const client = new WorkerClient(path.join(dist, 'worker.js'), [], undefined, previewDir);
  try {
    const [loc] = await client.discover(run);
    assert.ok(loc, 'the run is found');
    const previews = new SamplePreviews(previewDir, (f) => client.preview(f));
    let lossesAt = 0;
    const started = Date.now();
    const scored = client.inspect(loc, {}, { onLosses: () => (lossesAt = Date.now() - started) });
    // What the panel does as soon as the losses are in: the shown images, then the previews.
    await new Promise<void>((resolve) => {
      const wait = () => (lossesAt ? resolve() : setTimeout(wait, 10));
      wait();
    });
    const samples = steps.map((step) => ({ step, path: `samples/fakes${String(step).padStart(6, '0')}.png` }));
    const inspection = {
      run: {
        root: run,
        name: 'run',
        series: [],
        samples,
        references: [{ step: null, path: 'samples/reals.png' }],
        errors: [],
        config: {},
        formulation: formulationOf('unknown'),
      },
      findings: [],
      diversity: [],
    };
    const images = await shownImages(previews, [{ runId: 'run0', images: filesOf(run, [...samples.map((s) => s.path), 'samples/reals.png']) }]);
    for (const s of samples) {
      const shown = images.get(`run0\0${s.path}`)!;
      assert.equal(shown.pending, true, `${s.path} is large and has no preview yet`);
    }
    assert.deepEqual(
      images.get('run0\0samples/reals.png'),
      { file: path.join(run, 'samples', 'reals.png'), pending: false },
      'a small image is shown as it is',
    );
    const summary = runSummary(inspection, 'run0', (rel) => (images.get(`run0\0${rel}`)!.pending ? '' : `uri:${rel}`));
    for (const x of summary.samples) x.pending = images.get(`run0\0${x.path}`)!.pending;
    const order = previewOrder(summary, (p) => path.join(run, ...p.split('/')));
    assert.deepEqual(
      order.map((w) => w.path),
      [...samples].reverse().map((s) => s.path),
      'the newest step first (the gallery opens there)',
    );

    const posted: { image: WantedImage; file: string; ms: number }[] = [];
    let drained: (v: number) => void = () => undefined;
    const allMade = new Promise<number>((resolve) => (drained = resolve));
    const queue = new PreviewQueue(
      previews,
      (image, file) => posted.push({ image, file, ms: Date.now() - started }),
      (made) => drained(made),
    );
    queue.want(order);
    assert.equal(await allMade, 4);
    const inspected = await scored;
    const scoredAt = Date.now() - started;
    for (const { image, file } of posted) {
      const st = statSync(image.file);
      assert.equal(file, previewPath(previewDir, image.file, st.mtimeMs, st.size), `${image.path} is shown by its preview`);
      const png = PNG.sync.read(readFileSync(file));
      assert.equal(Math.max(png.width, png.height), PREVIEW_SIDE);
    }
    // (Here the scoring pass already decodes all four at once, so they arrive in its order; the
    // pool test below shows a preview going ahead of the files queued for scoring.)
    assert.equal(inspected.diversity.length, 4, 'the scoring pass went on');
    // Everything made, nothing pending any more: the next init sends only previews.
    const again = await shownImages(previews, [
      {
        runId: 'run0',
        images: filesOf(
          run,
          samples.map((s) => s.path),
        ),
      },
    ]);
    assert.ok([...again.values()].every((s) => !s.pending && s.file.startsWith(previewDir)));
    const bytes = (f: string) => statSync(f).size;
    console.log(
      `losses at ${lossesAt} ms; first preview at ${posted[0]!.ms} ms, all at ${posted.at(-1)!.ms} ms; scored at ${scoredAt} ms; per scrubber step ${(bytes(grid(600)) / 2 ** 20).toFixed(1)} MB before, ${(bytes(posted[0]!.file) / 2 ** 20).toFixed(2)} MB after`,
    );

    // The grid is rewritten on disk (a new mtime and size): its old preview no longer counts.
    const old = posted.find((p) => p.image.path.endsWith('fakes000600.png'))!.file;
    writeBigGrids([grid(600)], [9], { cols: 8, rows: 4, tile: 400 });
    const rewritten = (await shownImages(previews, [{ runId: 'run0', images: filesOf(run, ['samples/fakes000600.png']) }])).get(
      'run0\0samples/fakes000600.png',
    )!;
    assert.deepEqual(rewritten, { file: grid(600), pending: true });
    const fresh = await previews.request(grid(600));
    assert.notEqual(fresh, old);
    const made = PNG.sync.read(readFileSync(fresh));
    assert.deepEqual([made.width, made.height], [800, 400], 'the new grid is 3200×1600 (a factor of 4): its own preview');
    queue.dispose();
  } finally {
    client.dispose();
  }
});

test('the step the user looks at is made next: the queue takes it ahead of the others still waiting', async () => {
  const client = new WorkerClient(path.join(dist, 'worker.js'), [], undefined, path.join(tmp, 'previews-prefer'));
  try {
    const asked: string[] = [];
    const previews = new SamplePreviews(path.join(tmp, 'previews-prefer'), (f) => {
      asked.push(path.basename(f));
      return client.preview(f);
    });
    let drained: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (drained = resolve));
    const queue = new PreviewQueue(
      previews,
      () => undefined,
      () => drained(),
    );
    const wanted = [600, 400, 200, 0].map((s) => ({ runId: 'run0', path: `samples/fakes${String(s).padStart(6, '0')}.png`, file: grid(s) }));
    queue.want(wanted);
    // Two are being made; the user scrubs to the first step, the last in the list.
    queue.prefer('run0', 'samples/fakes000000.png');
    queue.prefer('run1', 'samples/fakes000200.png');
    await done;
    // The first two start together (either may reach the worker first); the preferred one is next.
    assert.deepEqual([...asked.slice(0, 2)].sort(), ['fakes000400.png', 'fakes000600.png']);
    assert.deepEqual(asked.slice(2), ['fakes000000.png', 'fakes000200.png']);
  } finally {
    client.dispose();
  }
});

test('the decode pool: a preview joins the decode already queued or running for its file, and goes ahead of the scoring queue', async () => {
  const pool = new DecodePool(path.join(dist, 'decodeWorker.js'), { size: 1, previewDir });
  try {
    const files = [0, 200, 400].map(grid);
    const done: string[] = [];
    const scoring = files.map((f) => pool.digest(f, path.basename(f)).then(() => done.push(`score ${path.basename(f)}`)));
    // One worker runs two files at once: the third waits in the queue.
    assert.equal(pool.pending, 3);
    const preview = pool.preview(files[2]!, 'x').then(() => done.push('preview'));
    assert.equal(pool.pending, 3, 'the preview joined the queued decode of its file instead of adding one');
    const alsoRunning = pool.preview(files[0]!, 'x');
    assert.equal(pool.pending, 3, 'and a running one');
    await Promise.all([...scoring, preview, alsoRunning]);
    assert.equal(done.indexOf('preview'), done.indexOf('score fakes000400.png') + 1, done.join(', '));
    const st = statSync(files[2]!);
    assert.ok(statSync(previewPath(previewDir, files[2]!, st.mtimeMs, st.size)).size > 0, 'made on the way');

    // A file nobody asked for yet goes before the files queued for scoring.
    const order: string[] = [];
    const queued = [0, 200, 400].map((s) => pool.digest(grid(s), 'x').then(() => order.push(`score ${s}`)));
    await new Promise((r) => setTimeout(r, 0));
    const urgent = pool.preview(grid(600), 'x').then(() => order.push('preview 600'));
    await Promise.all([...queued, urgent]);
    assert.ok(order.indexOf('preview 600') < order.indexOf('score 400'), order.join(', '));
  } finally {
    await pool.close();
  }
});
