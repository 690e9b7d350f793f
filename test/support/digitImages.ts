// PNG pictures for the image tests: planes drawn as torchvision's save_image writes them, and
// stroke-drawn digit tiles (a diverse, trained-looking grid) to fill them.
import { PNG } from 'pngjs';
import { gauss, makeRng, renderDigit } from '../../scripts/example-digits';

export function rgbaPng(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) png.data.set(pixel(x, y), (y * width + x) * 4);
  }
  return PNG.sync.write(png);
}

/** A gray plane drawn as a PNG, like torchvision's save_image of a grayscale batch. */
export function grayPng(width: number, height: number, gray: (x: number, y: number) => number): Buffer {
  return rgbaPng(width, height, (x, y) => {
    const v = Math.round(Math.min(1, Math.max(0, gray(x, y))) * 255);
    return [v, v, v, 255];
  });
}

/** Digit tiles on black, each tile its own digit and pose (a diverse, trained-looking grid). */
export function digitContent(seed: number, tile = 28): (r: number, c: number, x: number, y: number) => number {
  const tiles = new Map<string, Float32Array>();
  const rng = makeRng(seed);
  return (r, c, x, y) => {
    const key = `${r},${c}`;
    let t = tiles.get(key);
    if (!t) {
      t = renderDigit(
        {
          digit: Math.floor(rng() * 10),
          angle: 0.2 * gauss(rng),
          scale: 0.95,
          shear: 0.1 * gauss(rng),
          dx: gauss(rng),
          dy: gauss(rng),
          width: 2.5,
          wobble: 0.02,
          blur: 0,
          noise: 0.02,
          stray: false,
        },
        rng,
      );
      tiles.set(key, t);
    }
    return t[Math.floor((y * 28) / tile) * 28 + Math.floor((x * 28) / tile)]!;
  };
}
