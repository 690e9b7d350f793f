// Layout of sample grids whose tiles touch (no padding), on real grids: the labelled corpus's
// (test/corpus/runs, trained by scripts/eval/make-corpus.py) and the major codebases' outputs in
// ../shared/codebase-runs (Chainer's 10×10 preview, PGGAN's 7×4 fakes, PyTorch-GAN's bordered 5×5).
// And when no layout can be found, every view says so with the gan-run.json fix.
import { UNIT_DIR } from '../../../support/dirs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { imageProfile, inferLayout } from '../../../../src/core/samples/layout';
import { decodeImage } from '../../../../src/core/samples/decoding';
import { inspectPaths } from '../../../../src/core/inspect';
import { toJsonReport } from '../../../../src/core/report/json';
import { renderTextReport } from '../../../../src/core/report/text';
import { renderMarkdownReport } from '../../../../src/core/report/markdown';
import { viewOf } from '../../../../src/extension/tree/treeModel';
import type { RunEntry } from '../../../../src/extension/runs/runEntry';
import { realRunsSkip } from '../../../support/realRuns';

const repoRoot = path.join(UNIT_DIR, '..', '..');
const corpus = path.join(repoRoot, 'test', 'corpus', 'runs');
const shared = path.join(repoRoot, '..', 'shared', 'codebase-runs');
const noShared = realRunsSkip(shared);

const layoutOf = (...files: string[]) => {
  const l = inferLayout(files.map((f) => imageProfile(decodeImage(readFileSync(f), path.basename(f)))));
  return { rows: l.rows.count, cols: l.cols.count, size: [l.rows.size, l.cols.size], source: l.source };
};

test('corpus: touching grids of 5×5 × 28 px, 8×8 × 16 px, 6×6 × 24 px RGB, 4×7 × 32 px, 10×10 × 16 px RGB', () => {
  const cases: Array<[string, number, number, number]> = [
    ['healthy-bce-tutorial/result/image/3850.png', 5, 5, 28],
    ['healthy-hinge/progress/step_2750.png', 8, 8, 16],
    ['healthy-lsgan/fake_2750.png', 6, 6, 24],
    ['d-dominant/fakes002750.png', 4, 7, 32],
    ['collapse-from-start/preview/image00002750.png', 10, 10, 16],
  ];
  for (const [file, rows, cols, px] of cases) {
    const got = layoutOf(path.join(corpus, file));
    assert.deepEqual([got.rows, got.cols, got.source], [rows, cols, 'periodic'], file);
    // Tiles are the grid's cells (or cut inside them where flat columns separate the digits).
    for (const size of got.size) assert.ok(size <= px && size >= px - 4, `${file}: tile size ${got.size}`);
  }
});

test("corpus: every grid alone (about 550 images over 22 runs) gives its run's layout (blank grids after a NaN excepted)", () => {
  const wrong: string[] = [];
  let seen = 0;
  for (const run of readdirSync(corpus)) {
    const truth = JSON.parse(readFileSync(path.join(corpus, run, 'truth.json'), 'utf8'));
    const dead: number | null = truth.losses.firstNonFinite;
    const pngs = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? pngs(path.join(dir, e.name)) : e.name.endsWith('.png') ? [path.join(dir, e.name)] : [],
      );
    for (const file of pngs(path.join(corpus, run))) {
      // The name's last number is the step (`epoch007_fake_B.png`: junyanz's epoch, the axis its truth uses).
      const step = Number(/(\d+)\D*\.png$/.exec(path.basename(file))![1]);
      if (dead !== null && step > dead) continue;
      seen++;
      const got = layoutOf(file);
      if (got.rows !== truth.layout.rows || got.cols !== truth.layout.cols)
        wrong.push(`${path.relative(corpus, file)}: ${got.rows}×${got.cols} (${got.source})`);
    }
  }
  assert.ok(seen >= 500, `${seen} images`);
  assert.deepEqual(wrong, []);
});

test('codebase runs: Chainer preview 10×10 of 32 px, PGGAN fakes 7×4 of 256 px, PyTorch-GAN 5×5 with a 2 px border', { skip: noShared }, async () => {
  const chainer = layoutOf(path.join(shared, 'nat-chan-my-chainer-gan/result_dcgan32/preview/image00050000.png'));
  assert.deepEqual([chainer.rows, chainer.cols, chainer.size[0]], [10, 10, 32]);
  for (const f of ['fakes000000.png', 'fakes004307.png', 'fakes007600.png']) {
    const got = layoutOf(path.join(shared, 'nathantseng-PGGAN', f));
    assert.deepEqual([got.rows, got.cols, got.size[0], got.size[1]], [4, 7, 256, 256], f);
  }
  const heyl = layoutOf(path.join(shared, 'heyl333-PyTorch-GAN/implementations/gan/images/0.png'));
  assert.deepEqual([heyl.rows, heyl.cols], [5, 5]);
  // The whole pipeline, as the CLI runs it: every scored step has the grid's tile count (the
  // Chainer preview folder is found as samples; the layout is voted on by images over the run).
  const tilesOf = async (dir: string) => {
    const { inspections } = await inspectPaths([path.join(shared, dir)]);
    return inspections.filter((i) => i.diversity.length).map((i) => [i.run.name, [...new Set(i.diversity.map((d) => d.tiles))]]);
  };
  assert.deepEqual(await tilesOf('nathantseng-PGGAN'), [['nathantseng-PGGAN', [28]]]);
  assert.deepEqual(await tilesOf('nat-chan-my-chainer-gan'), [
    ['result_began', [100]],
    ['result_dcgan32', [100]],
  ]);
  assert.deepEqual(
    (await tilesOf('heyl333-PyTorch-GAN')).map(([, t]) => t),
    [[25]],
  );
});

test('codebase runs: single pictures (CycleGAN, pix2pix outputs) are not split into tiles', { skip: noShared }, async () => {
  // CycleGAN saves 8 pictures per epoch (real, fake, reconstruction, identity): reconstructions copy
  // their inputs by design, which is no partial collapse.
  const { inspections } = await inspectPaths([path.join(shared, 'layla-focalors-Cycle_GAN_NOA_fog2rain_checkpoint')]);
  assert.ok(inspections.some((i) => i.diversity.length > 0));
  assert.deepEqual(
    inspections.flatMap((i) => i.findings.filter((f) => f.kind === 'mode-collapse')),
    [],
  );
  for (const f of [
    'layla-focalors-Cycle_GAN_NOA_fog2rain_checkpoint/web/images/epoch002_fake_B.png',
    'layla-focalors-Cycle_GAN_NOA_fog2rain_checkpoint/web/images/epoch002_idt_A.png',
  ]) {
    const file = path.join(shared, f);
    if (!existsSync(file)) continue;
    const got = layoutOf(file);
    assert.equal(got.rows * got.cols, 1, `${f}: ${JSON.stringify(got)}`);
  }
});

/** A PNG of smooth noise blobs (no grid in it), 96×96. */
function blobPng(seed: number): Buffer {
  const png = new PNG({ width: 96, height: 96 });
  for (let y = 0; y < 96; y++) {
    for (let x = 0; x < 96; x++) {
      const v = 128 + 60 * Math.sin((x + seed * 13) / 17) * Math.cos((y - seed * 7) / 23) + 40 * Math.sin((x * y + seed) / 400);
      const i = (y * 96 + x) * 4;
      png.data[i] = png.data[i + 1] = png.data[i + 2] = Math.max(0, Math.min(255, Math.round(v)));
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

test('no layout found: the CLI text, the JSON notes and the tree tooltip say so, with the gan-run.json fix', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gan-nogrid-'));
  try {
    mkdirSync(path.join(dir, 'samples'));
    for (const step of [0, 100, 200, 300]) writeFileSync(path.join(dir, 'samples', `epoch_${step}.png`), blobPng(step));
    writeFileSync(
      path.join(dir, 'd_loss.csv'),
      'step,d_loss\n' + Array.from({ length: 50 }, (_, i) => `${i * 6},${(0.7 + 0.01 * Math.sin(i)).toFixed(4)}`).join('\n') + '\n',
    );
    const { inspections } = await inspectPaths([dir]);
    assert.equal(inspections.length, 1);
    const ins = inspections[0]!;
    assert.equal(ins.run.samples.length, 4);
    assert.deepEqual(ins.diversity, []);
    const fix = /no grid of tiles was found in the sample images \(96×96 px\).*"grid": \{"rows": 5, "cols": 5\}/i;
    assert.match(ins.run.notes?.[0] ?? '', fix);
    assert.match(renderTextReport(inspections), fix);
    assert.match(renderMarkdownReport(inspections), /No grid of tiles was found/);
    const json = toJsonReport(inspections);
    assert.match(json.runs[0]!.notes.join('\n'), fix);
    const entry: RunEntry = { root: ins.run.root, name: ins.run.name, inspection: ins };
    const tip = viewOf({ kind: 'run', runRoot: ins.run.root }, new Map([[ins.run.root, entry]]))!.tooltip!;
    assert.match(tip, /No grid of tiles was found/);

    // With the fix applied the grid is scored and the note is gone.
    writeFileSync(path.join(dir, 'gan-run.json'), JSON.stringify({ grid: { rows: 2, cols: 2 } }));
    const again = (await inspectPaths([dir])).inspections[0]!;
    assert.equal(again.diversity.length, 4);
    assert.ok(again.diversity.every((p) => p.tiles === 4));
    assert.deepEqual(again.run.notes ?? [], []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
