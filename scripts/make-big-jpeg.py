"""A StyleGAN-size JPEG sample grid for `npm run bench` (bench only, never a test fixture).

usage: python3 scripts/make-big-jpeg.py OUT_FILE [COLS ROWS TILE]

Writes one grid of COLS×ROWS tiles of TILE px (default 30×16 of 256 = 7680×4096) as PIL writes a
JPEG by default (baseline, 4:2:0, quality 90): each tile a smooth colour field plus noise with a
2-px dark border, like scripts/make-big-grids.py's PNGs. Needs numpy and PIL (Debian: python3-pil).
"""
import importlib.util
import os
import sys
import numpy as np
from PIL import Image

# The tiles of make-big-grids.py (its name has dashes, so it is loaded by path).
spec = importlib.util.spec_from_file_location("make_big_grids", os.path.join(os.path.dirname(os.path.abspath(__file__)), "make-big-grids.py"))
grids = importlib.util.module_from_spec(spec)
spec.loader.exec_module(grids)

out = sys.argv[1]
cols, rows, tile = (int(a) for a in sys.argv[2:5]) if len(sys.argv) > 4 else (30, 16, 256)
Image.fromarray(grids.grid_image(np.random.default_rng(2000), cols, rows, tile)).save(out, quality=90)
