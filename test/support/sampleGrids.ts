// Sample grids drawn in memory for the decoder and layout tests: the geometry of torchvision's
// make_grid (tiles with `pad` px around and between), the noise-ish tiles the streaming tests score
// (`alike` of them sharing one pattern: a partly collapsed generator), and where such test images
// are saved and compared.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';

/** A make_grid picture: rows×cols tiles of `tile` px with `pad` px of `padValue` around and between. */
export function makeGrid<T>(
  rows: number,
  cols: number,
  tile: number,
  pad: number,
  padValue: T,
  content: (r: number, c: number, x: number, y: number) => T,
): { width: number; height: number; pixel: (x: number, y: number) => T } {
  const width = cols * tile + (cols + 1) * pad;
  const height = rows * tile + (rows + 1) * pad;
  return {
    width,
    height,
    pixel: (x, y) => {
      const cx = x - pad;
      const cy = y - pad;
      const c = Math.floor(cx / (tile + pad));
      const r = Math.floor(cy / (tile + pad));
      const ix = cx - c * (tile + pad);
      const iy = cy - r * (tile + pad);
      if (cx < 0 || cy < 0 || r >= rows || c >= cols || ix >= tile || iy >= tile) return padValue;
      return content(r, c, ix, iy);
    },
  };
}

/** A make_grid of varied RGB tiles on black, `alike` (0..1) of them sharing one pattern. */
export function noiseGrid(
  rows: number,
  cols: number,
  tile: number,
  pad: number,
  seed: number,
  alike: number,
): { width: number; height: number; pixel: (x: number, y: number) => number[] } {
  return makeGrid(rows, cols, tile, pad, [0, 0, 0], (r, c, ix, iy) => {
    const who = ((r * cols + c) % Math.max(1, Math.round(rows * cols * (1 - alike)))) + seed;
    const v = 128 + 100 * Math.sin(((ix * (1 + (who % 5))) / tile) * 6 + who) * Math.cos(((iy * (1 + (who % 3))) / tile) * 5);
    return [v & 255, (v * 0.8) & 255, (255 - v) & 255];
  });
}

/**
 * A temporary folder for a test file's images, removed after its tests: `saved(bytes)` writes the
 * next image there and returns its path.
 */
export function imageFolder(prefix: string, ext: string): { dir: string; saved: (bytes: Uint8Array) => string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let fileNo = 0;
  const saved = (bytes: Uint8Array) => {
    const file = path.join(dir, `img${fileNo++}.${ext}`);
    writeFileSync(file, bytes);
    return file;
  };
  return { dir, saved };
}

/** Fails at the first element where `a` and `b` differ (exactly), naming it. */
export function sameArray(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) assert.fail(`${what}[${i}]: ${a[i]} ≠ ${b[i]}`);
}
