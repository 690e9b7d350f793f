"""A StyleGAN-size JPEG sample grid for `npm run bench` (bench only, never a test fixture).

usage: python3 scripts/make-big-jpeg.py OUT_FILE [COLS ROWS TILE]

Writes one grid of COLS×ROWS tiles of TILE px (default 30×16 of 256 = 7680×4096) as PIL writes a
JPEG by default (baseline, 4:2:0, quality 90): each tile a smooth colour field plus noise with a
2-px dark border, like scripts/make-big-grids.py's PNGs. Needs numpy and PIL (Debian: python3-pil).
"""
import sys
import numpy as np
from PIL import Image

out = sys.argv[1]
cols, rows, tile = (int(a) for a in sys.argv[2:5]) if len(sys.argv) > 4 else (30, 16, 256)
rng = np.random.default_rng(2000)
yy, xx = np.mgrid[0:tile, 0:tile].astype(np.float32) / tile
img = np.zeros((rows * tile, cols * tile, 3), np.uint8)
for r in range(rows):
    for c in range(cols):
        fx, fy, ph = rng.uniform(0.5, 4, 3)
        base = 0.5 + 0.35 * np.sin(2 * np.pi * (fx * xx + ph)) * np.cos(2 * np.pi * fy * yy)
        colour = rng.uniform(0.3, 1.0, 3)
        t = base[..., None] * colour * 200 + rng.integers(0, 40, (tile, tile, 3))
        t[:2], t[-2:], t[:, :2], t[:, -2:] = 0, 0, 0, 0
        img[r * tile:(r + 1) * tile, c * tile:(c + 1) * tile] = np.clip(t, 0, 255).astype(np.uint8)
Image.fromarray(img).save(out, quality=90)
