// The WebAssembly kernel (assembly/digestKernel.ts → src/core/samples/digestKernel.wasm.ts): the
// committed bytes are what the source builds to, and what it computes is what plain JavaScript
// computes, to the bit (the decoder's other tests compare whole PNGs against pngjs + imageProfile).
import { UNIT_DIR } from '../../../support/dirs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { DIGEST_KERNEL_WASM } from '../../../../src/core/samples/digestKernel.wasm';
import { ScanlineKernel } from '../../../../src/core/samples/digestKernel';
import { DigestBuilder } from '../../../../src/core/samples/digest';
import { imageProfile } from '../../../../src/core/samples/layout';

test('the committed kernel is what assembly/digestKernel.ts builds to (npm run build:wasm)', async () => {
  const script = pathToFileURL(path.join(UNIT_DIR, '..', '..', 'scripts', 'build-wasm.mjs')).href;
  const { buildKernel } = (await import(script)) as { buildKernel: () => Promise<string> };
  assert.equal(await buildKernel(), DIGEST_KERNEL_WASM, 'src/core/samples/digestKernel.wasm.ts is stale: run `npm run build:wasm`');
});

/** The PNG spec's filters undone byte by byte, and decoding.ts's luma: the reference. */
function reference(line: Uint8Array, prev: Uint8Array, bpp: number): Uint8Array {
  const out = line.slice();
  for (let i = 1; i < out.length; i++) {
    const a = i > bpp ? out[i - bpp]! : 0;
    const b = prev[i]!;
    const c = i > bpp ? prev[i - bpp]! : 0;
    const p = a + b - c;
    const pa = Math.abs(p - a),
      pb = Math.abs(p - b),
      pc = Math.abs(p - c);
    const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    const add = [0, a, b, (a + b) >> 1, paeth][out[0]!]!;
    out[i] = (out[i]! + add) & 0xff;
  }
  return out;
}

test('scanlines: every filter, 1 to 8 bytes a pixel, the spec’s bytes; RGB luma as decoding.ts computes it', () => {
  const K = 1 / (255 * 255);
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 1, max: 70 }),
      fc.integer({ min: 0, max: 4 }),
      fc.uint8Array({ minLength: 600, maxLength: 600 }),
      (bpp, width, filter, noise) => {
        const length = 1 + width * bpp;
        const kernel = new ScanlineKernel(length, width);
        const prev = Uint8Array.from({ length }, (_, i) => (i === 0 ? 0 : noise[(i * 7) % 600]!));
        const line = Uint8Array.from({ length }, (_, i) => (i === 0 ? filter : noise[(i * 13 + 5) % 600]!));
        kernel.prev.set(prev);
        kernel.line.set(line);
        const want = reference(line, prev, bpp);
        if (bpp === 3) {
          kernel.unfilterRgb(length);
          for (let x = 0; x < width; x++) {
            const luma = Math.fround((0.299 * want[1 + 3 * x]! + 0.587 * want[2 + 3 * x]! + 0.114 * want[3 + 3 * x]!) * 255 * K);
            assert.equal(kernel.gray[x], luma, `luma of pixel ${x}`);
          }
        } else {
          kernel.unfilter(length, bpp);
        }
        assert.deepEqual(Array.from(kernel.line.subarray(0, length)), Array.from(want));
      },
    ),
    { numRuns: 400 },
  );
});

test('an unknown filter type is refused', () => {
  const kernel = new ScanlineKernel(7, 2);
  kernel.line.set([5, 1, 2, 3, 4, 5, 6]);
  assert.throws(() => kernel.unfilterRgb(7), /unknown scanline filter 5/);
  assert.throws(() => kernel.unfilter(7, 3), /unknown scanline filter 5/);
});

test('profile and downscaled copy: imageProfile’s numbers to the bit, and a plain box filter’s average', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 90 }),
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 0, max: 1e6 }),
      (width, height, factor, seed) => {
        // Flat bands and noise, so flat rows and columns, edges and spreads all occur.
        const gray = Float32Array.from({ length: width * height }, (_, i) => {
          const x = i % width,
            y = Math.floor(i / width);
          return (x + seed) % 7 === 0 || (y + seed) % 5 === 0 ? 0.25 : (((Math.sin(i * 12.9898 + seed) * 43758.5453) % 1) + 1) % 1;
        });
        const builder = new DigestBuilder(Math.ceil(width / factor) * Math.ceil(height / factor));
        builder.start(width, height);
        for (let y = 0; y < height; y++) builder.row(y, gray.subarray(y * width, (y + 1) * width));
        const d = builder.finish();
        const p = imageProfile({ width, height, gray });
        for (const key of ['rowFlat', 'colFlat', 'rowEdge', 'colEdge'] as const) assert.deepEqual(Array.from(d.profile[key]), Array.from(p[key]), key);
        for (const axis of ['rowAxis', 'colAxis'] as const) {
          for (const key of ['mean', 'spread', 'edge'] as const) assert.deepEqual(Array.from(d.profile[axis][key]), Array.from(p[axis][key]), `${axis}.${key}`);
        }
        const f = d.scale;
        const sw = Math.ceil(width / f);
        assert.equal(d.small.width, sw);
        assert.equal(d.small.height, Math.ceil(height / f));
        for (let sy = 0; sy < d.small.height; sy++) {
          for (let sx = 0; sx < sw; sx++) {
            // Row by row, each row's box pixels added left to right: the kernel's order.
            let sum = 0;
            let n = 0;
            for (let y = sy * f; y < Math.min(height, (sy + 1) * f); y++) {
              let rowSum = 0;
              for (let x = sx * f; x < Math.min(width, (sx + 1) * f); x++, n++) rowSum += gray[y * width + x]!;
              sum += rowSum;
            }
            assert.equal(d.small.gray[sy * sw + sx], Math.fround(sum / n), `small (${sx}, ${sy})`);
          }
        }
      },
    ),
    { numRuns: 150 },
  );
});
