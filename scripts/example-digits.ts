// The seeded randomness and the stroke-drawn MNIST-like digits of the example run, apart from its losses and story (make-example-run.ts).

export type Rng = () => number;

/** mulberry32: small, fast, good enough for pictures and noise. */
export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gauss(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

type Point = [number, number];

/** Points on an ellipse arc, angles in degrees, y pointing down (0° = right, 90° = down). */
function arc(cx: number, cy: number, rx: number, ry: number, from: number, to: number): Point[] {
  const n = Math.max(4, Math.ceil(Math.abs(to - from) / 20));
  return Array.from({ length: n + 1 }, (_, i) => {
    const a = ((from + ((to - from) * i) / n) * Math.PI) / 180;
    return [cx + rx * Math.cos(a), cy + ry * Math.sin(a)] as Point;
  });
}

/** A small stroke font: each digit is a few polylines in a unit box (MNIST keeps digits in the middle 20 of 28 px). */
export const DIGIT_STROKES: Point[][][] = [
  [arc(0.5, 0.5, 0.19, 0.31, 0, 360)],
  [
    [
      [0.41, 0.3],
      [0.53, 0.18],
      [0.49, 0.82],
    ],
  ],
  [[...arc(0.5, 0.35, 0.19, 0.17, 190, 390), [0.3, 0.82], [0.72, 0.82]]],
  [[...arc(0.47, 0.34, 0.18, 0.16, 200, 450)], [...arc(0.47, 0.65, 0.2, 0.17, 270, 520)]],
  [
    [
      [0.62, 0.82],
      [0.62, 0.18],
      [0.28, 0.62],
      [0.75, 0.62],
    ],
  ],
  [[[0.7, 0.18], [0.37, 0.18], [0.34, 0.46], ...arc(0.48, 0.62, 0.21, 0.2, 240, 505)]],
  [[[0.63, 0.18], [0.42, 0.4], [0.32, 0.62], ...arc(0.5, 0.64, 0.18, 0.18, 180, 540)]],
  [
    [
      [0.29, 0.18],
      [0.72, 0.18],
      [0.43, 0.82],
    ],
  ],
  [arc(0.5, 0.33, 0.15, 0.15, 0, 360), arc(0.5, 0.66, 0.19, 0.17, 0, 360)],
  [
    arc(0.5, 0.36, 0.17, 0.17, 0, 360),
    [
      [0.67, 0.38],
      [0.6, 0.82],
    ],
  ],
];

export const TILE = 28;

/** How a digit tile is drawn: the shape, the hand (affine jitter) and the generator's defects. */
interface Stroke {
  digit: number;
  angle: number;
  scale: number;
  shear: number;
  dx: number;
  dy: number;
  width: number;
  /** Random wobble of the stroke points, in unit-box units. */
  wobble: number;
  blur: number;
  noise: number;
  /** An extra stray stroke, the "hard to read" digits. */
  stray: boolean;
}

/** Renders one 28×28 tile (0..1 intensity) of a digit drawn with the given hand. */
export function renderDigit(s: Stroke, rng: Rng): Float32Array {
  const lines = DIGIT_STROKES[s.digit]!.map((line) => line.map(([x, y]) => [x + s.wobble * gauss(rng), y + s.wobble * gauss(rng)] as Point));
  if (s.stray) {
    const x = 0.3 + 0.4 * rng();
    const y = 0.2 + 0.6 * rng();
    lines.push([
      [x, y],
      [x + 0.3 * (rng() - 0.5), y + 0.3 * (rng() - 0.5)],
    ]);
  }
  const cos = Math.cos(s.angle);
  const sin = Math.sin(s.angle);
  const toPixels = ([x, y]: Point): Point => {
    const u = (x - 0.5) * s.scale;
    const v = (y - 0.5) * s.scale;
    return [TILE / 2 + s.dx + TILE * (cos * u - sin * v + s.shear * v), TILE / 2 + s.dy + TILE * (sin * u + cos * v)];
  };
  const segments: Array<[Point, Point]> = [];
  for (const line of lines) {
    const p = line.map(toPixels);
    for (let i = 1; i < p.length; i++) segments.push([p[i - 1]!, p[i]!]);
  }
  let tile: Float32Array = new Float32Array(TILE * TILE);
  const half = s.width / 2;
  for (let y = 0; y < TILE; y++) {
    for (let x = 0; x < TILE; x++) {
      let best = Infinity;
      for (const [[ax, ay], [bx, by]] of segments) {
        const ex = bx - ax;
        const ey = by - ay;
        const len2 = ex * ex + ey * ey || 1;
        const k = Math.min(1, Math.max(0, ((x + 0.5 - ax) * ex + (y + 0.5 - ay) * ey) / len2));
        const qx = ax + k * ex - x - 0.5;
        const qy = ay + k * ey - y - 0.5;
        best = Math.min(best, qx * qx + qy * qy);
      }
      tile[y * TILE + x] = Math.min(1, Math.max(0, half + 0.5 - Math.sqrt(best)));
    }
  }
  if (s.blur > 0) tile = blur(tile, s.blur);
  if (s.noise > 0) {
    for (let i = 0; i < tile.length; i++) {
      // Generator noise mostly sits on and around the strokes; the background stays near black.
      const amount = s.noise * (0.25 + tile[i]!);
      tile[i] = Math.min(1, Math.max(0, tile[i]! + amount * gauss(rng)));
    }
  }
  return tile;
}

/** Separable box blur repeated twice (about Gaussian) with radius from sigma. */
function blur(src: Float32Array, sigma: number): Float32Array {
  const r = Math.max(1, Math.round(sigma));
  let a = src;
  for (let pass = 0; pass < 2; pass++) {
    const h = new Float32Array(a.length);
    for (let y = 0; y < TILE; y++) {
      for (let x = 0; x < TILE; x++) {
        let sum = 0;
        for (let k = -r; k <= r; k++) sum += a[y * TILE + Math.min(TILE - 1, Math.max(0, x + k))]!;
        h[y * TILE + x] = sum / (2 * r + 1);
      }
    }
    const v = new Float32Array(a.length);
    for (let y = 0; y < TILE; y++) {
      for (let x = 0; x < TILE; x++) {
        let sum = 0;
        for (let k = -r; k <= r; k++) sum += h[Math.min(TILE - 1, Math.max(0, y + k)) * TILE + x]!;
        v[y * TILE + x] = (sum / (2 * r + 1)) * 1.6;
      }
    }
    a = v;
  }
  for (let i = 0; i < a.length; i++) a[i] = Math.min(1, a[i]!);
  return a;
}

/** A varied hand: each tile its own digit and pose. `quality` 0 (rough) .. 1 (clean). */
export function variedHand(rng: Rng, quality: number, digits: number[]): Stroke {
  const rough = 1 - quality;
  return {
    digit: digits[Math.floor(rng() * digits.length)]!,
    angle: (0.12 + 0.25 * rough) * gauss(rng),
    scale: 0.9 + 0.15 * rng() - 0.1 * rough * rng(),
    shear: (0.1 + 0.2 * rough) * gauss(rng),
    dx: (0.6 + 1.2 * rough) * gauss(rng),
    dy: (0.6 + 1.2 * rough) * gauss(rng),
    width: 2.7 + 1.0 * rng(),
    wobble: 0.012 + 0.05 * rough,
    blur: rough > 0.5 ? 1 : 0,
    noise: 0.03 + 0.12 * rough,
    stray: rng() < 0.2 * rough + 0.04,
  };
}

/** One mode, barely varied: the collapsed generator draws the same digit in every tile. */
export function collapsedHand(rng: Rng, digit: number, mode: Stroke): Stroke {
  return {
    ...mode,
    digit,
    dx: mode.dx + 0.25 * gauss(rng),
    dy: mode.dy + 0.25 * gauss(rng),
    width: mode.width + 0.1 * gauss(rng),
    wobble: 0.006,
  };
}
