"""StyleGAN-size sample grids for `npm run bench` (bench only, never a test fixture).

usage: python3 scripts/make-big-grids.py OUT_DIR COUNT [COLS ROWS TILE]

Writes OUT_DIR/fakesNNNNNN.png: COLS×ROWS tiles of TILE px (default 30×16 of 256 = 7680×4096), RGB,
each tile a smooth colour field plus noise with a 2-px dark border (make_grid-style padding), so the
files are large (~50 MB: the noise does not compress) and each grid differs (its own seed).
Written with numpy + zlib (no imaging library needed); scanline filters vary by row (Paeth, Sub,
Up, Average) as an encoder's adaptive choice would.
"""
import struct
import sys
import zlib
import numpy as np



def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def filtered(img):
    """Each row filtered by type y % 4 → Paeth, Sub, Up, Average (filter bytes 4, 1, 2, 3)."""
    h, w, c = img.shape
    x = img.reshape(h, w * c).astype(np.int16)
    a = np.zeros_like(x); a[:, c:] = x[:, :-c]
    b = np.zeros_like(x); b[1:] = x[:-1]
    cc = np.zeros_like(x); cc[1:, c:] = x[:-1, :-c]
    p = a + b - cc
    pa, pb, pc = np.abs(p - a), np.abs(p - b), np.abs(p - cc)
    paeth = np.where((pa <= pb) & (pa <= pc), a, np.where(pb <= pc, b, cc))
    kinds = np.array([4, 1, 2, 3], np.uint8)[np.arange(h) % 4]
    pred = np.empty_like(x)
    pred[kinds == 4] = paeth[kinds == 4]
    pred[kinds == 1] = a[kinds == 1]
    pred[kinds == 2] = b[kinds == 2]
    pred[kinds == 3] = ((a + b) >> 1)[kinds == 3]
    res = ((x - pred) & 0xFF).astype(np.uint8)
    return np.concatenate([kinds[:, None], res], axis=1).tobytes()


def grid_image(rng, cols, rows, tile):
    """COLS×ROWS tiles of TILE px, each a smooth colour field plus noise with a 2-px dark border."""
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
    return img


def main():
    out, count = sys.argv[1], int(sys.argv[2])
    cols, rows, tile = (int(a) for a in sys.argv[3:6]) if len(sys.argv) > 5 else (30, 16, 256)
    for k in range(count):
        img = grid_image(np.random.default_rng(1000 + k), cols, rows, tile)
        h, w = img.shape[:2]
        head = chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
        data = zlib.compress(filtered(img), 6)
        name = f"{out}/fakes{k * 200:06d}.png"
        with open(name, "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n" + head)
            for at in range(0, len(data), 1 << 16):
                f.write(chunk(b"IDAT", data[at:at + (1 << 16)]))
            f.write(chunk(b"IEND", b""))
        print(name, flush=True)


if __name__ == "__main__":
    main()
