// The standalone report of a run with large sample grids (StyleGAN-size snapshots): each grid is
// embedded as its preview (at most PREVIEW_SIDE px, the same colours), not skipped for being over
// the report's image budget, and the embedded steps span the run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { coarseToFine, renderHtmlReport } from '../../../src/cli/htmlReport';
import type { Inspection } from '../../../src/core/inspect';
import { PREVIEW_SIDE, previewPath } from '../../../src/core/samples/preview';
import { imageSizeOf, previewOf } from '../../../src/core/samples/previewFile';
import { STANDALONE_DATA_ID, type StandaloneData } from '../../../src/protocol';
import { tileColour, writeBigGrids } from '../../support/bigGrids';
import { formulationOf } from '../../../src/core/formulation';

let dir = '';
const steps = [0, 200, 400, 600];
const seeds = [1, 2, 3, 4];

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'gan-report-previews-'));
  mkdirSync(path.join(dir, 'run'));
  writeBigGrids(
    steps.map((s) => path.join(dir, 'run', `fakes${String(s).padStart(6, '0')}.png`)),
    seeds,
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

const inspection = (): Inspection => ({
  run: {
    root: path.join(dir, 'run'),
    name: 'stylegan',
    series: [],
    samples: steps.map((step) => ({ step, path: `fakes${String(step).padStart(6, '0')}.png` })),
    errors: [],
    config: {},
    formulation: formulationOf('unknown'),
  },
  findings: [],
  diversity: [],
});

function embedded(html: string): StandaloneData {
  const m = new RegExp(`<script type="application/json" id="${STANDALONE_DATA_ID}">(.*?)</script>`, 's').exec(html);
  assert.ok(m, 'no data element');
  return JSON.parse(m[1]!) as StandaloneData;
}

test("every large grid of the run is embedded as its preview, with the grid's colours, inside the budget", async () => {
  const files = steps.map((s) => path.join(dir, 'run', `fakes${String(s).padStart(6, '0')}.png`));
  const total = files.reduce((n, f) => n + statSync(f).size, 0);
  assert.ok(total > 40 * 2 ** 20, `the grids (${(total / 2 ** 20).toFixed(0)} MB) are over the report's budget`);
  const script = path.join(dir, 'app.js');
  writeFileSync(script, '/* the app */');
  const started = Date.now();
  const html = await renderHtmlReport([inspection()], { lang: 'en', webviewScript: script });
  const ms = Date.now() - started;
  const samples = embedded(html).init.runs[0]!.samples;
  assert.deepEqual(
    samples.map((s) => s.step),
    steps,
    'every grid is in the report',
  );
  for (const [k, s] of samples.entries()) {
    assert.match(s.uri, /^data:image\/png;base64,/);
    const png = PNG.sync.read(Buffer.from(s.uri.slice(s.uri.indexOf(',') + 1), 'base64'));
    assert.equal(Math.max(png.width, png.height), PREVIEW_SIDE, `${s.path}: ${png.width}×${png.height}`);
    assert.equal(png.width, 2 * png.height, 'the aspect ratio is kept');
    // The middle of each tile has the tile's colour (its base plus the noise's mean), averaged
    // over 16×16 preview pixels so the noise is under 1 level.
    const tile = png.width / 8;
    for (const [r, c] of [
      [0, 0],
      [1, 5],
      [3, 7],
    ] as const) {
      const want = tileColour(seeds[k]!, r, c, 8);
      for (let ch = 0; ch < 3; ch++) {
        let sum = 0;
        for (let y = r * tile + tile / 2 - 8; y < r * tile + tile / 2 + 8; y++)
          for (let x = c * tile + tile / 2 - 8; x < c * tile + tile / 2 + 8; x++) sum += png.data[4 * (y * png.width + x) + ch]!;
        assert.ok(Math.abs(sum / 256 - want[ch]!) < 2, `${s.path} tile ${r},${c} channel ${ch}: ${sum / 256} vs ${want[ch]}`);
      }
    }
  }
  console.log(`report of ${steps.length} grids (${(total / 2 ** 20).toFixed(0)} MB of PNG): ${(html.length / 2 ** 20).toFixed(1)} MB of HTML in ${ms} ms`);
});

test("a small image has no preview; a header gives the size without decoding (a JPEG's after a long EXIF segment too)", async () => {
  const small = path.join(dir, 'small.png');
  const png = new PNG({ width: 64, height: 32 });
  png.data.fill(200);
  writeFileSync(small, PNG.sync.write(png));
  assert.deepEqual(await imageSizeOf(small), { format: 'png', width: 64, height: 32 });
  assert.equal(await previewOf(small), null);
  assert.deepEqual(await imageSizeOf(path.join(dir, 'run', 'fakes000000.png')), { format: 'png', width: 4096, height: 2048 });
  assert.equal(await imageSizeOf(path.join(dir, 'app.js')), null);
  // A JPEG whose start of frame comes after a 60 KB EXIF segment (cameras and some savers write one).
  const rgba = Buffer.alloc(3000 * 1500 * 4, 128);
  const jpg = jpeg.encode({ width: 3000, height: 1500, data: rgba }, 50).data;
  const exif = Buffer.alloc(60_004);
  exif.set([0xff, 0xe1]);
  exif.writeUInt16BE(60_002, 2);
  writeFileSync(path.join(dir, 'late.jpg'), Buffer.concat([jpg.subarray(0, 2), exif, jpg.subarray(2)]));
  writeFileSync(path.join(dir, 'plain.jpg'), jpg);
  assert.deepEqual(await imageSizeOf(path.join(dir, 'late.jpg')), { format: 'jpeg', width: 3000, height: 1500 });
  assert.deepEqual(await imageSizeOf(path.join(dir, 'plain.jpg')), { format: 'jpeg', width: 3000, height: 1500 });
});

test('a large JPEG grid gets a preview too, made in the pass that streams it', async () => {
  // Left half dark red, right half light blue: the preview keeps both, at most PREVIEW_SIDE wide.
  const w = 3000;
  const h = 1500;
  const rgba = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) rgba.set(i % w < w / 2 ? [120, 20, 20, 255] : [150, 190, 240, 255], 4 * i);
  const file = path.join(dir, 'fakes-grid.jpg');
  writeFileSync(file, jpeg.encode({ width: w, height: h, data: rgba }, 90).data);
  const bytes = await previewOf(file);
  assert.ok(bytes, 'no preview of a 3000×1500 JPEG');
  const png = PNG.sync.read(bytes);
  assert.ok(png.width <= PREVIEW_SIDE && png.width >= PREVIEW_SIDE / 2, `${png.width}×${png.height}`);
  assert.equal(png.width, 2 * png.height, 'the aspect ratio is kept');
  const at = (x: number, y: number) => Array.from(png.data.subarray(4 * (y * png.width + x), 4 * (y * png.width + x) + 3));
  for (const [x, want] of [
    [100, [120, 20, 20]],
    [900, [150, 190, 240]],
  ] as const) {
    at(x, 200).forEach((v, ch) => assert.ok(Math.abs(v - want[ch]!) <= 4, `pixel ${x}: ${at(x, 200)} vs ${want}`));
  }
});

test('previews the decode pool saved while scoring are embedded as they are, not made again', async () => {
  // A stand-in "preview" (8×4, one colour) where the pool would have saved fakes000200.png's.
  const previewDir = path.join(dir, 'previews');
  mkdirSync(previewDir, { recursive: true });
  const file = path.join(dir, 'run', 'fakes000200.png');
  const st = statSync(file);
  const saved = new PNG({ width: 8, height: 4 });
  saved.data.fill(77);
  writeFileSync(previewPath(previewDir, file, st.mtimeMs, st.size), PNG.sync.write(saved));
  const script = path.join(dir, 'app.js');
  writeFileSync(script, '/* the app */');
  const samples = embedded(await renderHtmlReport([inspection()], { lang: 'en', webviewScript: script, previewDir })).init.runs[0]!.samples;
  const sizes = samples.map((s) => {
    const png = PNG.sync.read(Buffer.from(s.uri.slice(s.uri.indexOf(',') + 1), 'base64'));
    return `${s.step}:${png.width}×${png.height}`;
  });
  // The saved one as it is; the others (nothing saved for them) made from the grids.
  assert.deepEqual(sizes, ['0:1024×512', '200:8×4', '400:1024×512', '600:1024×512']);
});

test('when the budget runs out, what was embedded still spans the run', () => {
  assert.deepEqual(coarseToFine(1), [0]);
  assert.deepEqual(coarseToFine(5), [0, 4, 2, 1, 3]);
  for (const n of [2, 3, 7, 200])
    assert.deepEqual(
      [...coarseToFine(n)].sort((a, b) => a - b),
      Array.from({ length: n }, (_, i) => i),
    );
});
