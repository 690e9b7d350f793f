"""StyleGAN-size sample grids for `npm run bench` (bench only, never a test fixture).

usage: python3 scripts/make-big-grids.py OUT_DIR COUNT [COLS ROWS TILE]

Writes OUT_DIR/fakesNNNNNN.png: COLS×ROWS tiles of TILE px (default 30×16 of 256 = 7680×4096), RGB,
each tile a smooth colour field plus noise with a 2-px dark border (make_grid-style padding), so the
files are large (~50 MB: the noise does not compress) and each grid differs (its own seed).
"""
import sys
import numpy as np
from PIL import Image

out, count = sys.argv[1], int(sys.argv[2])
cols, rows, tile = (int(a) for a in sys.argv[3:6]) if len(sys.argv) > 5 else (30, 16, 256)
for k in range(count):
    rng = np.random.default_rng(1000 + k)
    yy, xx = np.mgrid[0:tile, 0:tile].astype(np.float32) / tile
    img = np.zeros((rows * tile, cols * tile, 3), np.uint8)
    for r in range(rows):
        for c in range(cols):
            fx, fy, ph = rng.uniform(0.5, 4, 3)
            base = 0.5 + 0.35 * np.sin(2 * np.pi * (fx * xx + ph)) * np.cos(2 * np.pi * fy * yy)
            colour = rng.uniform(0.3, 1.0, 3)
            t = base[..., None] * colour * 200
            t = t + rng.integers(0, 40, (tile, tile, 3))
            t[:2], t[-2:], t[:, :2], t[:, -2:] = 0, 0, 0, 0
            img[r * tile:(r + 1) * tile, c * tile:(c + 1) * tile] = np.clip(t, 0, 255).astype(np.uint8)
    Image.fromarray(img).save(f"{out}/fakes{k * 200:06d}.png", compress_level=6)
    print(f"{out}/fakes{k * 200:06d}.png", flush=True)
