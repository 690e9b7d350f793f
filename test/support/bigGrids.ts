// Large sample grids as training scripts save them (written with python3 + numpy + zlib, the way
// torchvision's save_image output looks to a reader): COLS×ROWS tiles, each a known solid colour
// plus noise so the file is as large as a real snapshot grid's (the noise does not compress).
import { execFileSync } from 'node:child_process';

const SCRIPT = `
import struct, sys, zlib, json
import numpy as np
spec = json.loads(sys.argv[1])
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
cols, rows, tile = spec["cols"], spec["rows"], spec["tile"]
for path, seed in zip(spec["files"], spec["seeds"]):
    rng = np.random.default_rng(seed)
    img = np.empty((rows * tile, cols * tile, 3), np.uint8)
    for r in range(rows):
        for c in range(cols):
            colour = np.array([(37 * (r * cols + c) + 11 * seed) % 192, (91 * (r * cols + c) + 53 * seed) % 192, (53 * (r * cols + c) + 29 * seed) % 192], np.int16)
            noise = rng.integers(0, 64, (tile, tile, 3), dtype=np.int16)
            img[r * tile:(r + 1) * tile, c * tile:(c + 1) * tile] = (colour + noise).astype(np.uint8)
    h, w = img.shape[:2]
    raw = np.concatenate([np.zeros((h, 1), np.uint8), img.reshape(h, w * 3)], axis=1).tobytes()
    with open(path, "wb") as f:
        f.write(b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b""))
`;

export interface BigGridSpec {
  cols: number;
  rows: number;
  tile: number;
}

/** The mean colour of tile (r, c) of the grid written with `seed` (its base colour plus the noise's mean, 31.5). */
export function tileColour(seed: number, r: number, c: number, cols: number): [number, number, number] {
  const i = r * cols + c;
  return [((37 * i + 11 * seed) % 192) + 31.5, ((91 * i + 53 * seed) % 192) + 31.5, ((53 * i + 29 * seed) % 192) + 31.5];
}

/** Writes one grid per file (file k with seed seeds[k]); 4096×2048 RGB is about 19 MB. */
export function writeBigGrids(files: string[], seeds: number[], spec: BigGridSpec = { cols: 8, rows: 4, tile: 512 }): void {
  execFileSync('python3', ['-c', SCRIPT, JSON.stringify({ ...spec, files, seeds })], { stdio: ['ignore', 'ignore', 'inherit'] });
}
