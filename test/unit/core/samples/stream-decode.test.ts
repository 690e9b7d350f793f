// The streaming sample decoder (pngRows.ts, digest.ts) against the whole-frame decoder it replaces
// (pngjs via decodeImage, imageProfile, cutTiles): the same pixels, profiles, layouts and scores on
// every kind of PNG, and bad files refused with one line, whatever their bytes.
import { UNIT_DIR } from '../../../support/dirs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { PNG } from 'pngjs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import fc from 'fast-check';
import * as esbuild from 'esbuild';
import { decodeImage } from '../../../../src/core/samples/decoding';
import { imageProfile, inferLayout, layoutKey } from '../../../../src/core/samples/layout';
import { digestBytes, digestSampleFile, DigestBuilder } from '../../../../src/core/samples/digest';
import { cutDigestTiles, cutTiles, diversityScore, sampleDiversity } from '../../../../src/core/samples/diversity';
import { DecodePool } from '../../../../src/core/samples/decodePool';
import { DiversityCache } from '../../../../src/core/samples/cache';
import type { Run } from '../../../../src/core/model';
import { PREVIEW_SIDE, previewPath, currentPreview } from '../../../../src/core/samples/preview';
import type { ImageSource } from '../../../../src/core/samples/imageSource';
import { chunk, writePng, type PngSpec } from '../../../../scripts/png-writer';
import { imageFolder, noiseGrid, sameArray } from '../../../support/sampleGrids';
import { formulationOf } from '../../../../src/core/formulation';

const { dir, saved } = imageFolder('gan-stream-decode-', 'png');

/** Any PNG the format allows, small, with pixels from a seed. */
const anyPng = fc
  .record({
    width: fc.integer({ min: 1, max: 40 }),
    height: fc.integer({ min: 1, max: 40 }),
    kind: fc.constantFrom(
      [0, 1],
      [0, 2],
      [0, 4],
      [0, 8],
      [0, 16],
      [2, 8],
      [2, 16],
      [3, 1],
      [3, 2],
      [3, 4],
      [3, 8],
      [4, 8],
      [4, 16],
      [6, 8],
      [6, 16],
    ) as fc.Arbitrary<[PngSpec['colorType'], PngSpec['depth']]>,
    interlaced: fc.boolean(),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
    filters: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 7 }),
    withTrns: fc.boolean(),
    idatSize: fc.constantFrom(undefined, 1, 7, 100),
  })
  .map(({ width, height, kind: [colorType, depth], interlaced, seed, filters, withTrns, idatSize }): PngSpec => {
    const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType];
    const max = colorType === 3 ? Math.min(2 ** depth, 12) - 1 : 2 ** depth - 1;
    // Few distinct values, so a tRNS colour actually occurs.
    const value = (x: number, y: number, c: number) => {
      const h = Math.imul(seed ^ Math.imul(x + 1, 73856093) ^ Math.imul(y + 1, 19349663) ^ Math.imul(c + 1, 83492791), 2654435761) >>> 0;
      return h % 3 === 0 ? max : (h >>> 8) % (max + 1);
    };
    const spec: PngSpec = {
      width,
      height,
      colorType,
      depth,
      interlaced,
      pixel: (x, y) => Array.from({ length: channels }, (_, c) => value(x, y, c)),
      filter: (r) => filters[r % filters.length]!,
    };
    if (idatSize) spec.idatSize = idatSize;
    if (colorType === 3) {
      spec.palette = Array.from({ length: max + 1 }, (_, i) => [(i * 37) & 255, (i * 91) & 255, (i * 53) & 255]);
      if (withTrns) spec.trns = Uint8Array.from({ length: Math.max(1, max - 1) }, (_, i) => (i * 71) & 255);
    } else if (withTrns && (colorType === 0 || colorType === 2)) {
      const trns = new Uint8Array(colorType === 0 ? 2 : 6);
      const sample = value(0, 0, 0);
      for (let i = 0; i < trns.length; i += 2) {
        trns[i] = sample >> 8;
        trns[i + 1] = sample & 255;
      }
      spec.trns = trns;
    }
    return spec;
  });

test('every colour type, bit depth, filter, interlacing and tRNS: the same luma and layout profile as pngjs + imageProfile', async () => {
  await fc.assert(
    fc.asyncProperty(anyPng, async (spec) => {
      const bytes = writePng(spec);
      const whole = decodeImage(bytes, 'x.png');
      const streamed = await digestSampleFile(saved(bytes), 'x.png');
      assert.equal(streamed.scale, 1);
      sameArray(streamed.small.gray, whole.gray, 'gray');
      const p = imageProfile(whole);
      sameArray(streamed.profile.rowFlat, p.rowFlat, 'rowFlat');
      sameArray(streamed.profile.colFlat, p.colFlat, 'colFlat');
      sameArray(streamed.profile.rowEdge, p.rowEdge, 'rowEdge');
      sameArray(streamed.profile.colEdge, p.colEdge, 'colEdge');
      for (const axis of ['rowAxis', 'colAxis'] as const) {
        for (const key of ['mean', 'spread', 'edge'] as const) sameArray(streamed.profile[axis][key], p[axis][key], `${axis}.${key}`);
      }
    }),
    { numRuns: 300 },
  );
});

/** A make_grid-style grid of noise-ish tiles as RGB rows. */
function gridSpec(rows: number, cols: number, tile: number, pad: number, seed: number, alike: number): PngSpec {
  return { ...noiseGrid(rows, cols, tile, pad, seed, alike), colorType: 2, depth: 8 };
}

test('small grids: the streaming path finds the same layout and the same diversity score as the whole-frame decoder', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 2, max: 7 }),
      fc.integer({ min: 8, max: 40 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 0, max: 1000 }),
      fc.double({ min: 0, max: 0.9, noNaN: true }),
      async (rows, cols, tile, pad, seed, alike) => {
        const bytes = writePng(gridSpec(rows, cols, tile, pad, seed, alike));
        const whole = decodeImage(bytes, 'g.png');
        const oldLayout = inferLayout([imageProfile(whole)]);
        const d = await digestSampleFile(saved(bytes), 'g.png');
        const newLayout = inferLayout([d.profile]);
        assert.equal(layoutKey(newLayout), layoutKey(oldLayout));
        const a = diversityScore(cutTiles(whole, oldLayout));
        const b = diversityScore(cutDigestTiles(d, newLayout));
        // Identical pixels: identical scores (both NaN for a single tile).
        assert.ok(Object.is(a, b) || Math.abs(a - b) <= 1e-12, `${a} vs ${b}`);
      },
    ),
    { numRuns: 60 },
  );
});

// The 7680×4096 grids of 256 px tiles are downscaled by 3 under the real budget: a 16 px score bin
// spans 5.3 pixels of the copy. Here the bins span 4 and 3.1 (harsher).
test('a grid larger than the downscale budget: same layout, tiles from the downscaled copy score within 0.02 of full resolution', () => {
  for (const [rows, cols, tile, pad, alike, scale] of [
    [4, 6, 128, 2, 0, 2],
    [3, 5, 150, 3, 0.7, 3],
    [2, 3, 256, 2, 0.3, 3],
  ] as const) {
    const bytes = writePng(gridSpec(rows, cols, tile, pad, 7, alike));
    const whole = decodeImage(bytes, 'big.png');
    const full = inferLayout([imageProfile(whole)]);
    assert.equal(full.rows.count * full.cols.count, rows * cols);
    const builder = new DigestBuilder(Math.ceil(whole.width / scale) * Math.ceil(whole.height / scale));
    builder.start(whole.width, whole.height);
    for (let y = 0; y < whole.height; y++) builder.row(y, whole.gray.subarray(y * whole.width, (y + 1) * whole.width));
    const d = builder.finish();
    assert.equal(d.scale, scale);
    assert.equal(layoutKey(inferLayout([d.profile])), layoutKey(full));
    const exact = diversityScore(cutTiles(whole, full));
    const approx = diversityScore(cutDigestTiles(d, full));
    assert.ok(Math.abs(exact - approx) <= 0.02, `${rows}×${cols}: ${exact} vs ${approx}`);
  }
});

test('fuzz: damaged, cut and spliced PNGs are refused with one line naming the file, or decoded as pngjs decodes them', async () => {
  const base = fc.tuple(anyPng, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.option(fc.nat()), fc.boolean());
  await fc.assert(
    fc.asyncProperty(base, async ([spec, flips, cut, fixCrc]) => {
      let bytes: Buffer = Buffer.from(writePng(spec));
      for (const [at, v] of flips) bytes[at % bytes.length] = v;
      if (cut !== null) bytes = bytes.subarray(0, cut % (bytes.length + 1));
      if (fixCrc) bytes = recrc(bytes);
      let expected: Float32Array | undefined;
      try {
        expected = decodeImage(bytes, 'f.png').gray;
      } catch {
        expected = undefined;
      }
      try {
        const d = await digestSampleFile(saved(bytes), 'f.png');
        // What decodes here also decodes in pngjs, to the same pixels.
        assert.ok(expected, 'decoded a file pngjs refuses');
        sameArray(d.small.gray, expected, 'gray');
      } catch (err) {
        assert.ok(err instanceof Error);
        assert.match(err.message, /^f\.png: /);
        assert.ok(!err.message.includes('\n'), err.message);
      }
    }),
    { numRuns: 400 },
  );
});

/** Rewrites every chunk's CRC, so damage reaches the decoder's later checks instead of the CRC. */
function recrc(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  let p = 8;
  while (p + 12 <= out.length) {
    const length = out.readUInt32BE(p);
    if (p + 12 + length > out.length) break;
    out.writeUInt32BE(zlib.crc32(out.subarray(p + 4, p + 8 + length)) >>> 0, p + 8 + length);
    p += 12 + length;
  }
  return out;
}

test('a decompression bomb is refused: huge declared dimensions before inflating, extra data as soon as the rows are full', async () => {
  const header = (w: number, h: number) => {
    const b = Buffer.alloc(13);
    b.writeUInt32BE(w, 0);
    b.writeUInt32BE(h, 4);
    b[8] = 8;
    b[9] = 2;
    return b;
  };
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // 100000×100000 declared: refused from the header, before the (here absent) data.
  const huge = Buffer.concat([sig, chunk('IHDR', header(100000, 100000)), chunk('IDAT', zlib.deflateSync(Buffer.alloc(10))), chunk('IEND', Buffer.alloc(0))]);
  await assert.rejects(digestSampleFile(saved(huge), 'huge.png'), /^Error: huge\.png: image is 100000×100000 pixels, larger than the 40 MP limit$/);
  // Under the pixel limit but 40,000,000×1: refused by its side, before any per-column array.
  const thin = Buffer.concat([sig, chunk('IHDR', header(40_000_000, 1)), chunk('IDAT', zlib.deflateSync(Buffer.alloc(10))), chunk('IEND', Buffer.alloc(0))]);
  await assert.rejects(digestSampleFile(saved(thin), 'thin.png'), /^Error: thin\.png: image is 40000000×1 pixels, a side longer than the 65536 px limit$/);
  assert.throws(() => decodeImage(thin, 'thin.png'), /^Error: thin\.png: image is 40000000×1 pixels, a side longer than the 65536 px limit$/);
  // 10×10 declared, 200 MB of zeros compressed into 200 KB: stopped once the 10 rows are read.
  const bomb = Buffer.concat([
    sig,
    chunk('IHDR', header(10, 10)),
    chunk('IDAT', zlib.deflateSync(Buffer.alloc(200 * 2 ** 20), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  const before = process.memoryUsage().rss;
  await assert.rejects(digestSampleFile(saved(bomb), 'bomb.png'), /^Error: bomb\.png: cannot decode PNG image \(more image data than the image holds\)$/);
  assert.ok(process.memoryUsage().rss - before < 100 * 2 ** 20, 'the bomb was not inflated whole');
  // Over the byte cap: refused by its size, unread.
  const ok = writePng(gridSpec(2, 2, 8, 1, 1, 0));
  await assert.rejects(digestSampleFile(saved(ok), 'capped.png', 100), /^Error: capped\.png: file is 0 MB, over the 0 MB limit$/);
});

test('an image still being written is refused as truncated, and read once it is complete', async () => {
  const bytes = writePng({ ...gridSpec(3, 3, 20, 2, 3, 0), idatSize: 300 });
  const file = saved(bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  await assert.rejects(digestSampleFile(file, 'mid.png'), /^Error: mid\.png: cannot decode PNG image \(file is truncated\)$/);
  writeFileSync(file, bytes);
  const d = await digestSampleFile(file, 'mid.png');
  assert.equal(d.profile.height, bytes.readUInt32BE(20));
});

test('JPEG and GIF digests match the whole-frame decoder', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jpeg = require('jpeg-js') as typeof import('jpeg-js');
  const w = 37;
  const h = 23;
  const data = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) data.set([(i * 7) & 255, (i * 13) & 255, (i * 3) & 255, 255], i * 4);
  const bytes = jpeg.encode({ data, width: w, height: h }, 90).data;
  const whole = decodeImage(bytes, 'a.jpg');
  const d = digestBytes(bytes, 'a.jpg');
  // jpeg-js rounds RGB and RGBA output the same way: the luma is identical.
  sameArray(d.small.gray, whole.gray, 'gray');
  sameArray(d.profile.rowEdge, imageProfile(whole).rowEdge, 'rowEdge');
  assert.throws(() => digestBytes(bytes.subarray(0, 40), 'cut.jpg'), /^Error: cut\.jpg: cannot decode JPEG image/);
});

test('a DecodePool on worker threads gives the same digests and scores; a bad file fails alone', async () => {
  const workerFile = path.join(dir, 'decodeWorker.js');
  await esbuild.build({
    entryPoints: [path.resolve(UNIT_DIR, '../../src/core/samples/decodeWorker.ts')],
    outfile: workerFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'error',
  });
  const pool = new DecodePool(workerFile, { size: 2 });
  try {
    const runDir = path.join(dir, 'run');
    mkdirSync(path.join(runDir, 'samples'), { recursive: true });
    const samples = [];
    for (let i = 0; i < 8; i++) {
      const rel = `samples/fakes${String(i * 100).padStart(6, '0')}.png`;
      // Big enough together (> 4 MB raw is not needed: the pool is asked for directly below too).
      writeFileSync(path.join(runDir, rel), writePng(gridSpec(4, 5, 30, 2, i, i / 10)));
      samples.push({ step: i * 100, path: rel });
    }
    writeFileSync(path.join(runDir, 'samples/fakes000800.png'), Buffer.from('not an image at all'));
    samples.push({ step: 800, path: 'samples/fakes000800.png' });
    const one = path.join(runDir, samples[3]!.path);
    const viaPool = await pool.digest(one, 'x.png');
    const inline = await digestSampleFile(one, 'x.png');
    sameArray(viaPool.small.gray, inline.small.gray, 'gray');
    sameArray(viaPool.profile.colFlat, inline.profile.colFlat, 'colFlat');
    // What the periodic (touching-tile) layout needs crosses the thread too.
    sameArray(viaPool.profile.rowAxis.spread, inline.profile.rowAxis.spread, 'rowAxis.spread');
    sameArray(viaPool.profile.colAxis.mean, inline.profile.colAxis.mean, 'colAxis.mean');
    sameArray(viaPool.profile.colAxis.edge, inline.profile.colAxis.edge, 'colAxis.edge');
    await assert.rejects(pool.digest(path.join(runDir, 'samples/fakes000800.png'), 'bad.png'), /^Error: bad\.png: not a PNG, JPEG or GIF image$/);

    const run: Run = { root: runDir, name: 'r', series: [], samples, errors: [], config: {}, formulation: formulationOf('bce') };
    const errors: string[] = [];
    let asked = 0;
    const counting = { digest: (f: ImageSource, n: string) => (asked++, pool.digest(f, n)) };
    const pooled = await sampleDiversity(run, { pool: counting, cache: new DiversityCache(), onError: (p) => errors.push(p) });
    const alone = await sampleDiversity(run, { cache: new DiversityCache() });
    assert.deepEqual(pooled, alone);
    assert.equal(pooled.length, 8);
    assert.ok(pooled.every((p) => p.tiles === 20));
    assert.deepEqual(errors, ['samples/fakes000800.png']);
    // These files are small (under 4 MB together): digested on this thread, the pool not started.
    assert.equal(asked, 0);
  } finally {
    await pool.close();
  }
});

test('a large grid gets a colour preview in the same pass, found by file and mtime; a small one is shown as it is', async () => {
  const previews = path.join(dir, 'previews');
  // 2100×300 RGB: wider than PREVIEW_ABOVE; left half red, right half blue.
  const wide = writePng({ width: 2100, height: 300, colorType: 2, depth: 8, pixel: (x) => (x < 1050 ? [250, 0, 0] : [0, 0, 250]), filter: (r) => r % 5 });
  const file = saved(wide);
  const d = await digestSampleFile(file, 'wide.png', undefined, previews);
  assert.equal(d.profile.width, 2100);
  const shown = (await currentPreview(previews, file)) ?? file;
  assert.notEqual(shown, file);
  assert.equal(shown, previewPath(previews, file, statSync(file).mtimeMs, statSync(file).size));
  const png = PNG.sync.read(readFileSync(shown));
  assert.ok(png.width <= PREVIEW_SIDE && png.width > PREVIEW_SIDE / 2 && png.height === 100, `${png.width}×${png.height}`);
  assert.deepEqual([...png.data.subarray(0, 4)], [250, 0, 0, 255]);
  assert.deepEqual([...png.data.subarray(png.width * 4 - 4, png.width * 4)], [0, 0, 250, 255]);
  // The file changes (a new mtime): the old preview no longer counts.
  utimesSync(file, new Date(), new Date(Date.now() + 5000));
  assert.equal((await currentPreview(previews, file)) ?? file, file);
  // A small image gets none; without a folder nothing is written.
  const small = saved(writePng(gridSpec(2, 2, 20, 2, 1, 0)));
  await digestSampleFile(small, 'small.png', undefined, previews);
  assert.equal((await currentPreview(previews, small)) ?? small, small);
  assert.equal(readdirSync(previews).length, 1);
});

test('an interlaced grid gets the preview of the same image not interlaced: the box downscale of its colour on black', async () => {
  const previews = path.join(dir, 'previews-adam7');
  const width = 2300;
  const height = 170;
  const pixel = (x: number, y: number) => [(x * 7 + y) & 255, (x ^ (y * 3)) & 255, (y * 5) & 255, (x + y) % 3 === 0 ? 255 : (x * 11) & 255];
  const shown: Buffer[] = [];
  for (const interlaced of [true, false]) {
    const file = saved(writePng({ width, height, colorType: 6, depth: 8, interlaced, pixel }));
    await digestSampleFile(file, 'big.png', undefined, previews);
    assert.notEqual((await currentPreview(previews, file)) ?? file, file, `interlaced ${interlaced}: no preview`);
    shown.push(readFileSync((await currentPreview(previews, file)) ?? file));
  }
  assert.ok(shown[0]!.equals(shown[1]!), 'interlaced and plain previews differ');
  const png = PNG.sync.read(shown[0]!);
  const f = Math.ceil(width / PREVIEW_SIDE);
  assert.deepEqual([png.width, png.height], [Math.ceil(width / f), Math.ceil(height / f)]);
  for (let py = 0; py < png.height; py++) {
    for (let px = 0; px < png.width; px++) {
      const sums = [0, 0, 0];
      let n = 0;
      for (let y = py * f; y < Math.min(height, (py + 1) * f); y++) {
        for (let x = px * f; x < Math.min(width, (px + 1) * f); x++, n++) {
          const [r, g, b, a] = pixel(x, y) as [number, number, number, number];
          sums[0]! += r * a;
          sums[1]! += g * a;
          sums[2]! += b * a;
        }
      }
      const o = 4 * (py * png.width + px);
      for (let c = 0; c < 3; c++) if (png.data[o + c] !== Math.round(sums[c]! / (n * 255))) assert.fail(`(${px}, ${py}) channel ${c}: ${png.data[o + c]}`);
    }
  }
});

test('a decode worker that dies fails only its files, with a message, and the pool carries on', async () => {
  const broken = path.join(dir, 'brokenWorker.js');
  writeFileSync(broken, "throw new Error('worker could not start');\n");
  const pool = new DecodePool(broken, { size: 2 });
  try {
    const file = saved(writePng(gridSpec(2, 2, 10, 1, 1, 0)));
    const results = await Promise.allSettled([pool.digest(file, 'a.png'), pool.digest(file, 'b.png'), pool.digest(file, 'c.png')]);
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      assert.match(String((r as PromiseRejectedResult).reason), /worker could not start|exited/);
    }
  } finally {
    await pool.close();
  }
  await assert.rejects(pool.digest('x', 'x.png'), /decode pool closed/);
});
