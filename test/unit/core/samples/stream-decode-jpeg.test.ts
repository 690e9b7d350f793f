// The streaming JPEG decoder (jpegRows.ts) against the whole-image decoder it replaces (jpeg-js, via
// decodeImage): the same pixels for every sampling, size, restart interval and component order;
// the same layouts and scores on grids; damaged and half-written files refused with one line; the
// preview of a large JPEG. JPEGs come from scripts/jpeg-writer.ts, jpeg-js's encoder and PIL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import * as path from 'node:path';
import fc from 'fast-check';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { decodeImage } from '../../../../src/core/samples/decoding';
import { imageProfile, inferLayout, layoutKey } from '../../../../src/core/samples/layout';
import { digestSampleFile } from '../../../../src/core/samples/digest';
import { cutDigestTiles, cutTiles, diversityScore } from '../../../../src/core/samples/diversity';
import { readJpegRows } from '../../../../src/core/samples/jpegRows';
import { PREVIEW_SIDE, currentPreview } from '../../../../src/core/samples/preview';
import { writeJpeg, type JpegSpec } from '../../../../scripts/jpeg-writer';
import { REAL_RUNS, realRunsSkip } from '../../../support/realRuns';
import { imageFolder, noiseGrid, sameArray } from '../../../support/sampleGrids';

const { dir, saved } = imageFolder('gan-stream-jpeg-', 'jpg');

/** Streams `file` through readJpegRows in pieces of `readSize` bytes: how, luma and RGBA rows. */
async function streamed(file: string, readSize = 1 << 20): Promise<{ how: string; gray: Float32Array; rgba: Uint8Array }> {
  const handle = await open(file);
  try {
    let w = 0;
    let gray = new Float32Array(0);
    let rgba = new Uint8Array(0);
    const how = await readJpegRows(
      handle,
      {
        start: (width, height) => {
          w = width;
          gray = new Float32Array(width * height);
          rgba = new Uint8Array(width * height * 4);
        },
        row: (y, g) => gray.set(g.subarray(0, w), y * w),
        colorRow: (y, c) => rgba.set(c.subarray(0, 4 * w), 4 * y * w),
      },
      { readSize, accept: (width, height) => assert.ok(width * height <= 4e7, 'too large') },
    );
    return { how, gray, rgba };
  } finally {
    await handle.close();
  }
}

/** Any baseline JPEG the writer makes: 1 or 3 components, sampling 1–4, restarts, any scan order, Adobe or not. */
const anyJpeg = fc
  .record({
    width: fc.integer({ min: 1, max: 70 }),
    height: fc.integer({ min: 1, max: 70 }),
    color: fc.boolean(),
    sampling: fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })), { minLength: 3, maxLength: 3 }),
    restart: fc.constantFrom(0, 0, 1, 2, 3, 7),
    order: fc.constantFrom('012', '201', '120').map((o) => [...o].map(Number)),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
    wild: fc.boolean(),
    adobe: fc.constantFrom(undefined, 0, 1),
  })
  .map(({ width, height, color, sampling, restart, order, seed, wild, adobe }): JpegSpec => {
    const coefficient = (c: number, by: number, bx: number, k: number) => {
      const h =
        Math.imul(seed ^ Math.imul(c + 1, 73856093) ^ Math.imul(by + 1, 19349663) ^ Math.imul(bx + 7, 83492791) ^ Math.imul(k + 3, 668265263), 2246822507) >>>
        0;
      if (k === 0) return (h % 121) - 60;
      // A third of the blocks flat (no AC coefficient), as in a grid's padding.
      if ((Math.imul(seed ^ Math.imul(by + 5, 19349663) ^ Math.imul(bx + 3, 83492791) ^ c, 2654435761) >>> 0) % 3 === 0) return 0;
      // A few huge coefficients (clamped pixels, wrapped sums) when wild.
      if (wild && h % 53 === 1) return ((h >>> 8) % 2047) - 1023;
      return h % 6 === 0 ? ((h >>> 8) % 41) - 20 : 0;
    };
    const quant = (c: number, k: number) => 1 + ((k * 7 + c * 3 + seed) % (wild ? 255 : 20));
    // One component: jpeg-js over-reads a last, partial restart interval (so fails) unless its sampling is 1×1.
    if (!color) return { width, height, sampling: [restart ? [1, 1] : sampling[0]!], coefficient, quant, restart };
    // Adobe's transform code 0 (RGB) too: jpeg-js, as called here, converts three components from YCbCr whatever it says.
    return { width, height, sampling, coefficient, quant, restart, scanOrder: order, ...(adobe === undefined ? {} : { adobe }) };
  });

test('every sampling, size, restart interval and scan order: the RGB and luma of jpeg-js, row by row', async () => {
  await fc.assert(
    fc.asyncProperty(anyJpeg, fc.constantFrom(16, 100, 4096), async (spec, readSize) => {
      const bytes = writeJpeg(spec);
      const file = saved(bytes);
      const whole = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
      const got = await streamed(file, readSize);
      assert.equal(got.how, 'streamed');
      sameArray(got.rgba, whole.data, 'rgba');
      sameArray(got.gray, decodeImage(bytes, 'x.jpg').gray, 'gray');
      const d = await digestSampleFile(file, 'x.jpg');
      sameArray(d.small.gray, got.gray, 'digest gray');
      sameArray(d.profile.colEdge, imageProfile(decodeImage(bytes, 'x.jpg')).colEdge, 'colEdge');
    }),
    { numRuns: 250 },
  );
});

/** A python3 that has PIL (Debian's python3-pil is /usr/bin/python3's), or undefined. */
function pythonWithPil(): string | undefined {
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(python, ['-c', 'import PIL, numpy'], { stdio: 'ignore' });
      return python;
    } catch {
      // try the next
    }
  }
  return undefined;
}
const python = pythonWithPil();
const noPil = python ? false : process.env.CI === 'true' ? false : 'python3 with PIL and numpy (python3-pil) is not installed';

/** Writes JPEGs with PIL: noise over gradients at each given size, in each given mode. */
function pilJpegs(sizes: Array<[number, number]>, modes: string[]): Map<string, Buffer> {
  const out = mkdtempSync(path.join(dir, 'pil-'));
  const script = `
import sys, os, numpy as np
from PIL import Image
out = sys.argv[1]; os.makedirs(out, exist_ok=True)
sizes = [tuple(map(int, s.split('x'))) for s in sys.argv[2].split(',')]
for i, (w, h) in enumerate(sizes):
    rng = np.random.default_rng(i)
    a = (rng.random((h, w, 3)) * 90).astype(np.uint8) + np.linspace(0, 160, w, dtype=np.uint8)[None, :, None]
    im = Image.fromarray(a)
    for mode in sys.argv[3].split(','):
        name = f'{out}/{w}x{h}-{mode}.jpg'
        if mode == 'gray': im.convert('L').save(name, quality=85)
        elif mode == 'progressive': im.save(name, quality=90, progressive=True)
        else: im.save(name, quality=90, subsampling={'420': 2, '422': 1, '444': 0}[mode])
`;
  execFileSync(python!, ['-c', script, out, sizes.map(([w, h]) => `${w}x${h}`).join(','), modes.join(',')]);
  const files = new Map<string, Buffer>();
  for (const [w, h] of sizes) for (const mode of modes) files.set(`${w}x${h}-${mode}`, readFileSync(path.join(out, `${w}x${h}-${mode}.jpg`)));
  return files;
}

test('PIL JPEGs (4:2:0, 4:2:2, 4:4:4, gray) stream to jpeg-js pixels; progressive ones are decoded whole as before', { skip: noPil }, async () => {
  const sizes: Array<[number, number]> = [
    [1, 1],
    [7, 5],
    [16, 16],
    [17, 33],
    [63, 9],
    [130, 77],
  ];
  const files = pilJpegs(sizes, ['420', '422', '444', 'gray', 'progressive']);
  for (const [key, bytes] of files) {
    const file = saved(bytes);
    const got = await streamed(file, 512);
    if (key.endsWith('progressive')) {
      assert.equal(got.how, 'whole', key);
    } else {
      assert.equal(got.how, 'streamed', key);
      sameArray(got.rgba, jpeg.decode(bytes, { useTArray: true }).data, `${key} rgba`);
    }
    sameArray((await digestSampleFile(file, 'p.jpg')).small.gray, decodeImage(bytes, 'p.jpg').gray, `${key} gray`);
  }
});

/** A make_grid-style grid of varied tiles as RGBA, `alike` of them sharing one pattern. */
function gridRgba(rows: number, cols: number, tile: number, pad: number, seed: number, alike: number): { data: Buffer; width: number; height: number } {
  const { width, height, pixel } = noiseGrid(rows, cols, tile, pad, seed, alike);
  const data = Buffer.alloc(width * height * 4, 255);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(pixel(x, y), 4 * (y * width + x));
  return { data, width, height };
}

test('JPEG grids: the streamed digest finds the layout and the diversity score of the whole-image decoder', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 2, max: 6 }),
      fc.integer({ min: 8, max: 40 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 0, max: 1000 }),
      fc.double({ min: 0, max: 0.9, noNaN: true }),
      async (rows, cols, tile, pad, seed, alike) => {
        const bytes = jpeg.encode(gridRgba(rows, cols, tile, pad, seed, alike), 90).data;
        const whole = decodeImage(bytes, 'g.jpg');
        const oldLayout = inferLayout([imageProfile(whole)]);
        const file = saved(bytes);
        assert.equal((await streamed(file)).how, 'streamed');
        const d = await digestSampleFile(file, 'g.jpg');
        const newLayout = inferLayout([d.profile]);
        assert.equal(layoutKey(newLayout), layoutKey(oldLayout));
        const a = diversityScore(cutTiles(whole, oldLayout));
        const b = diversityScore(cutDigestTiles(d, newLayout));
        assert.ok(Object.is(a, b) || Math.abs(a - b) <= 1e-12, `${a} vs ${b}`);
      },
    ),
    { numRuns: 40 },
  );
});

/** The JPEG's segments up to the scan, and the rest (scan data and what follows). */
function segments(bytes: Buffer): { heads: Buffer[]; rest: Buffer } {
  const heads: Buffer[] = [];
  let p = 2;
  while (p + 4 <= bytes.length) {
    const length = bytes.readUInt16BE(p + 2);
    heads.push(bytes.subarray(p, p + 2 + length));
    if (bytes[p + 1] === 0xda) break;
    p += 2 + length;
  }
  return { heads, rest: bytes.subarray(p + 2 + bytes.readUInt16BE(p + 2)) };
}

test('fuzz: damaged, cut and spliced JPEGs are refused with one line naming the file, or decoded as jpeg-js decodes them', async () => {
  const donor = writeJpeg({
    width: 20,
    height: 12,
    sampling: [
      [2, 1],
      [1, 1],
      [1, 1],
    ],
    coefficient: (c, by, bx, k) => (k < 3 ? ((c * 7 + by * 3 + bx + k) % 9) - 4 : 0),
    restart: 2,
  });
  const damage = fc.tuple(
    anyJpeg,
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
    fc.option(fc.nat()),
    fc.option(fc.tuple(fc.nat(), fc.nat(), fc.boolean())),
  );
  await fc.assert(
    fc.asyncProperty(damage, async ([spec, flips, cut, splice]) => {
      let bytes = Buffer.from(writeJpeg(spec));
      if (splice) {
        // A segment of another JPEG put in place of (or before) one of this one's.
        const mine = segments(bytes);
        const theirs = segments(donor).heads;
        const at = splice[0] % mine.heads.length;
        const piece = theirs[splice[1] % theirs.length]!;
        mine.heads.splice(at, splice[2] ? 1 : 0, piece);
        bytes = Buffer.concat([Buffer.from([0xff, 0xd8]), ...mine.heads, mine.rest]);
      }
      for (const [at, v] of flips) bytes[at % bytes.length] = v;
      if (cut !== null) bytes = bytes.subarray(0, cut % (bytes.length + 1));
      let expected: Float32Array | undefined;
      try {
        expected = decodeImage(bytes, 'f.jpg').gray;
      } catch {
        expected = undefined;
      }
      const file = saved(bytes);
      // The reader alone, 64 bytes at a time: whatever it streams is jpeg-js's image.
      const alone = await streamed(file, 64).catch(() => undefined);
      if (alone?.how === 'streamed') {
        assert.ok(expected, 'streamed a file jpeg-js refuses');
        sameArray(alone.gray, expected, 'streamed gray');
      }
      try {
        const d = await digestSampleFile(file, 'f.jpg');
        assert.ok(expected, 'decoded a file jpeg-js refuses');
        sameArray(d.small.gray, expected, 'gray');
      } catch (err) {
        assert.ok(err instanceof Error);
        if (err.message.startsWith('decoded a file') || err.message.startsWith('gray')) throw err;
        assert.match(err.message, /^f\.jpg: /);
        assert.ok(!err.message.includes('\n'), err.message);
      }
    }),
    { numRuns: Number(process.env.FUZZ_RUNS ?? 500) },
  );
});

test('a JPEG still being written is refused as truncated and read once complete; huge dimensions are refused before decoding', async () => {
  const bytes = jpeg.encode(gridRgba(3, 3, 24, 2, 5, 0), 90).data;
  const file = saved(bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  await assert.rejects(
    digestSampleFile(file, 'mid.jpg'),
    /^Error: mid\.jpg: cannot decode JPEG image \(image data ends early \(truncated or still being written\)\)$/,
  );
  writeFileSync(file, bytes);
  assert.equal((await digestSampleFile(file, 'mid.jpg')).profile.width, 3 * 24 + 4 * 2);
  // 60000×60000 declared, baseline or progressive: refused from the frame header.
  for (const sof of [0xc0, 0xc2]) {
    const huge = Buffer.from(bytes);
    const at = segments(huge).heads.findIndex((s) => s[1] === 0xc0);
    const p =
      2 +
      segments(huge)
        .heads.slice(0, at)
        .reduce((n, s) => n + s.length, 0);
    huge[p + 1] = sof;
    huge.writeUInt16BE(60000, p + 5);
    huge.writeUInt16BE(60000, p + 7);
    await assert.rejects(digestSampleFile(saved(huge), 'huge.jpg'), /^Error: huge\.jpg: image is 60000×60000 pixels, larger than the 40 MP limit$/);
  }
  await assert.rejects(digestSampleFile(saved(bytes), 'capped.jpg', 100), /^Error: capped\.jpg: file is 0 MB, over the 0 MB limit$/);
});

test("a large JPEG gets a colour preview: at most 1024 px, the box downscale of jpeg-js's image", async () => {
  const previews = path.join(dir, 'previews');
  const width = 2500;
  const height = 700;
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const x = i % width;
    const y = Math.floor(i / width);
    rgba.set([(x * 255) / width, (y * 255) / height, (x ^ y) & 255, 255], 4 * i);
  }
  const bytes = jpeg.encode({ data: rgba, width, height }, 90).data;
  const file = saved(bytes);
  await digestSampleFile(file, 'big.jpg', undefined, previews);
  const shown = (await currentPreview(previews, file)) ?? file;
  assert.notEqual(shown, file, 'no preview was made');
  const png = PNG.sync.read(readFileSync(shown));
  const f = Math.ceil(width / PREVIEW_SIDE);
  assert.equal(png.width, Math.ceil(width / f));
  assert.equal(png.height, Math.ceil(height / f));
  const full = jpeg.decode(bytes, { useTArray: true }).data;
  for (let py = 0; py < png.height; py++) {
    for (let px = 0; px < png.width; px++) {
      for (let ch = 0; ch < 3; ch++) {
        let sum = 0;
        let n = 0;
        for (let y = py * f; y < Math.min(height, (py + 1) * f); y++)
          for (let x = px * f; x < Math.min(width, (px + 1) * f); x++, n++) sum += full[4 * (y * width + x) + ch]!;
        const got = png.data[4 * (py * png.width + px) + ch]!;
        if (got !== Math.round(sum / n)) assert.fail(`preview (${px}, ${py}) channel ${ch}: ${got} ≠ ${Math.round(sum / n)}`);
      }
    }
  }
});

test("the real runs' JPEG samples (a GAN's 4:2:0 snapshots) stream to jpeg-js's pixels", { skip: realRunsSkip() }, async () => {
  const folder = path.join(REAL_RUNS, 'liwenhan220-GAN_v1_failure', 'gen_img');
  const files = readdirSync(folder).filter((f) => f.endsWith('.jpg'));
  assert.ok(files.length >= 20, `${files.length} JPEGs`);
  for (const f of files) {
    const got = await streamed(path.join(folder, f), 4096);
    assert.equal(got.how, 'streamed', f);
    sameArray(got.rgba, jpeg.decode(readFileSync(path.join(folder, f)), { useTArray: true }).data, f);
  }
});
