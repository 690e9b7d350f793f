// Sample images decoded to luma (PNG, JPEG, GIF; refused when too big or damaged), the score of
// their tiles, and the make_grid layout inferred from them (sample-diversity.test.ts scores runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import * as jpeg from 'jpeg-js';
import { decodeImage, imageFormat } from '../../../../src/core/samples/decoding';
import { cutTiles, diversityScore } from '../../../../src/core/samples/diversity';
import { imageProfile, inferLayout } from '../../../../src/core/samples/layout';
import { makeRng } from '../../../../scripts/example-digits';
import { makeGrid } from '../../../support/sampleGrids';
import { digitContent, grayPng, rgbaPng } from '../../../support/digitImages';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { GifWriter } = require('omggif') as {
  GifWriter: new (
    buf: Uint8Array,
    w: number,
    h: number,
    opts: object,
  ) => { addFrame(x: number, y: number, w: number, h: number, px: number[], opts: object): void; end(): number };
};

test('decodes an RGBA PNG to luma with alpha composited on black', () => {
  const bytes = rgbaPng(4, 2, (x, y) => (y === 0 ? [255, 255, 255, x * 85] : [255, 0, 0, 255]));
  assert.equal(imageFormat(bytes), 'png');
  const img = decodeImage(bytes, 'a.png');
  assert.equal(img.width, 4);
  assert.equal(img.height, 2);
  assert.deepEqual(
    Array.from(img.gray.slice(0, 4), (v) => Number(v.toFixed(3))),
    [0, 0.333, 0.667, 1],
  );
  assert.ok(Math.abs(img.gray[4]! - 0.299) < 1e-3, `pure red is luma 0.299, got ${img.gray[4]}`);
});

test('decodes a 16-bit grayscale PNG written byte by byte', () => {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(3, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr.set([16, 0, 0, 0, 0], 8);
  const row = Buffer.from([0, 0x00, 0x00, 0x80, 0x00, 0xff, 0xff]);
  const bytes = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(row)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  const img = decodeImage(bytes, 'deep.png');
  assert.deepEqual(
    Array.from(img.gray, (v) => Number(v.toFixed(2))),
    [0, 0.5, 1],
  );
});

test('decodes a JPEG made by jpeg-js', () => {
  const width = 16;
  const height = 16;
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set(i % width < 8 ? [0, 0, 0, 255] : [255, 255, 255, 255], i * 4);
  const bytes = jpeg.encode({ width, height, data }, 95).data;
  assert.equal(imageFormat(bytes), 'jpeg');
  const img = decodeImage(bytes, 'b.jpg');
  assert.equal(img.width, 16);
  assert.ok(img.gray[2 * width + 1]! < 0.1, 'left half is black');
  assert.ok(img.gray[2 * width + 14]! > 0.9, 'right half is white');
});

test('decodes the first frame of a GIF; the transparent colour is black', () => {
  const buf = new Uint8Array(1024);
  const writer = new GifWriter(buf, 3, 1, { palette: [0x000000, 0xffffff, 0x808080, 0x00ff00], loop: 0 });
  writer.addFrame(0, 0, 3, 1, [1, 2, 3], { transparent: 3 });
  writer.addFrame(0, 0, 3, 1, [0, 0, 0], {});
  const bytes = buf.slice(0, writer.end());
  assert.equal(imageFormat(bytes), 'gif');
  const img = decodeImage(bytes, 'c.gif');
  assert.deepEqual(
    Array.from(img.gray, (v) => Number(v.toFixed(2))),
    [1, 0.5, 0],
  );
});

test('refuses oversized, corrupt and non-image files with one line naming the file', () => {
  // A PNG header declaring 10000×5000 pixels: refused before anything is allocated.
  const header = Buffer.from(rgbaPng(1, 1, () => [0, 0, 0, 255]));
  header.writeUInt32BE(10_000, 16);
  header.writeUInt32BE(5_000, 20);
  assert.throws(
    () => decodeImage(header, 'run/huge.png'),
    (err: Error) => /^run\/huge\.png: .*10000×5000.*40 MP/.test(err.message) && !err.message.includes('\n'),
  );
  // A JPEG whose start-of-frame declares 9000×9000.
  const jpg = Buffer.from(jpeg.encode({ width: 8, height: 8, data: Buffer.alloc(256, 255) }, 90).data);
  const sof = jpg.indexOf(Buffer.from([0xff, 0xc0]));
  jpg.writeUInt16BE(9000, sof + 5);
  jpg.writeUInt16BE(9000, sof + 7);
  assert.throws(
    () => decodeImage(jpg, 'big.jpg'),
    (err: Error) => err.message.startsWith('big.jpg: image is 9000×9000 pixels'),
  );
  const truncated = rgbaPng(20, 20, () => [1, 2, 3, 255]).subarray(0, 60);
  assert.throws(
    () => decodeImage(truncated, 'cut.png'),
    (err: Error) => err.message.startsWith('cut.png: cannot decode PNG image') && !err.message.includes('\n'),
  );
  assert.throws(
    () => decodeImage(Buffer.from('not an image at all'), 'notes.png'),
    (err: Error) => err.message === 'notes.png: not a PNG, JPEG or GIF image',
  );
});

test('score: identical tiles 0, unrelated noise about sqrt(2)', () => {
  const rng = makeRng(3);
  const noise = () => Float32Array.from({ length: 28 * 28 }, () => rng());
  const image = (tiles: Float32Array[]) => {
    const grid = makeGrid(2, 2, 28, 2, 0, (r, c, x, y) => tiles[r * 2 + c]![y * 28 + x]!);
    return decodeImage(grayPng(grid.width, grid.height, grid.pixel), 'g.png');
  };
  const same = noise();
  const copies = image([same, same, same, same]);
  const layout = inferLayout([imageProfile(image([noise(), noise(), noise(), noise()]))]);
  assert.equal(layout.rows.count * layout.cols.count, 4);
  assert.ok(diversityScore(cutTiles(copies, layout)) < 0.01);
  const unrelated = diversityScore(cutTiles(image([noise(), noise(), noise(), noise()]), layout));
  assert.ok(Math.abs(unrelated - Math.SQRT2) < 0.12, `noise scores ${unrelated}`);
});

test('infers make_grid layouts: 8×8 of 32 px with black padding, 4×6 with white padding', () => {
  const g = makeGrid(8, 8, 32, 2, 0, digitContent(1, 32));
  const img = decodeImage(grayPng(g.width, g.height, g.pixel), 'grid.png');
  const layout = inferLayout([imageProfile(img)]);
  assert.equal(layout.source, 'separators');
  assert.equal(layout.rows.count, 8);
  assert.equal(layout.cols.count, 8);
  // Tiles are cut inside the padding: every tile lies within one cell.
  for (const s of layout.cols.starts) assert.ok((s - 2) % 34 >= 0 && ((s - 2) % 34) + layout.cols.size <= 32 + 1, `col start ${s}`);

  const w = makeGrid(4, 6, 28, 2, 1, digitContent(2));
  const white = inferLayout([imageProfile(decodeImage(grayPng(w.width, w.height, w.pixel), 'w.png'))]);
  assert.deepEqual([white.rows.count, white.cols.count], [4, 6]);
});

test('infers a matplotlib-style figure: white margins, uneven outer border, a title band above the grid', () => {
  const content = digitContent(12, 50);
  const tileAt = (v: number, from: number) => {
    for (let i = 0; i < 3; i++) if (v >= from + i * 65 && v < from + i * 65 + 50) return i;
    return -1;
  };
  const img = decodeImage(
    grayPng(230, 250, (x, y) => {
      if (y >= 6 && y < 14 && x >= 60 && x < 170) return (x >> 2) % 2 ? 0.1 : 0.9; // the title's text
      const r = tileAt(y, 40);
      const c = tileAt(x, 22);
      // Inverted digits (dark on light grey) inside a white figure.
      return r >= 0 && c >= 0 ? 0.85 - 0.8 * content(r, c, x - 22 - c * 65, y - 40 - r * 65) : 1;
    }),
    'figure.png',
  );
  const layout = inferLayout([imageProfile(img)]);
  assert.equal(layout.source, 'separators');
  assert.deepEqual([layout.rows.count, layout.cols.count], [3, 3]);
  assert.ok(layout.rows.starts[0]! >= 40 && layout.rows.starts[0]! < 50, `first row at ${layout.rows.starts[0]}, below the title`);
});

test('infers a grid without padding only from strong edges, and a single picture stays one tile', () => {
  // 3×3 tiles of 40 px of different smooth gradients, no padding (like liwenhan's JPEG grids).
  const rng = makeRng(5);
  const params = Array.from({ length: 9 }, () => [rng(), rng() - 0.5, rng() - 0.5]);
  const noPad = decodeImage(
    grayPng(120, 120, (x, y) => {
      const [base, gx, gy] = params[Math.floor(y / 40) * 3 + Math.floor(x / 40)]!;
      return base! + (gx! * (x % 40)) / 40 + (gy! * (y % 40)) / 40;
    }),
    'nopad.png',
  );
  const layout = inferLayout([imageProfile(noPad)]);
  assert.equal(layout.source, 'edges');
  assert.deepEqual([layout.rows.count, layout.cols.count], [3, 3]);

  // One digit filling the picture: bands of black above and below are margins, not a grid.
  const tileOf = digitContent(9, 64);
  const single = decodeImage(
    grayPng(64, 64, (x, y) => tileOf(0, 0, x, y)),
    'one.png',
  );
  const one = inferLayout([imageProfile(single)]);
  assert.equal(one.rows.count * one.cols.count, 1);
});

test('a configured grid overrides inference', () => {
  // Four tiles of pixel noise with no padding: nothing to infer from, so the configured 2×2 splits evenly.
  const rng = makeRng(4);
  const img = decodeImage(
    grayPng(56, 56, () => rng()),
    'cfg.png',
  );
  assert.equal(inferLayout([imageProfile(img)]).source, 'single');
  const layout = inferLayout([imageProfile(img)], { rows: 2, cols: 2 });
  assert.equal(layout.source, 'config');
  assert.deepEqual(layout.rows.starts, [0, 28]);
  assert.equal(layout.cols.size, 28);
  // Where inference finds the same counts, its rectangles (inside the padding) are kept.
  const g = makeGrid(2, 3, 28, 2, 0, digitContent(8));
  const padded = inferLayout([imageProfile(decodeImage(grayPng(g.width, g.height, g.pixel), 'p.png'))], { rows: 2, cols: 3 });
  assert.deepEqual([padded.rows.count, padded.cols.count], [2, 3]);
  assert.ok(padded.cols.starts[1]! >= 32, `second column starts after the padding: ${padded.cols.starts}`);
});
