// Writes the bundled example run in the tutorial's layout (see ../shared/notes/gan-diagnostics.md):
//   result/discriminator_loss.npy, result/generator_loss.npy   float64, one value per iteration
//   result/image/<step>.png                                     5×5 sample grids every 200 iterations
//   train.py                                                    the (never run) script that "wrote" them
// The story it tells: noise at 0, shapes forming by 400, the discriminator wins and the generator
// collapses to "0" at 1,600 and to "1" from 5,000 to 10,000, recovers, and both losses settle at
// ln 2 ≈ 0.693 from about 15,000. Deterministic (seeded), pure TypeScript (no numpy needed).
//
// Usage: node --import tsx scripts/make-example-run.ts [outDir]   (default examples/mnist-run)
// Tests import the functions below (and the digits of example-digits.ts) to build synthetic runs in a temp folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { npyBytes } from '../test/support/npy';
import { collapsedHand, gauss, makeRng, renderDigit, TILE, variedHand, type Rng } from './example-digits';

// ---------------------------------------------------------------- losses

/** Smooth 0→1 between a and b. */
function ramp(t: number, a: number, b: number): number {
  const x = Math.min(1, Math.max(0, (t - a) / (b - a)));
  return x * x * (3 - 2 * x);
}

/**
 * Per-iteration BCE losses (D averaged over real and fake): unstable early with large generator
 * spikes, the discriminator winning during the collapse (D low, G high and swinging), then both
 * settling on ln 2 plus batch noise from about `settle` (15,000 of 30,000).
 */
export function exampleLosses(iterations: number, rng: Rng): { discriminator: Float64Array; generator: Float64Array } {
  const d = new Float64Array(iterations);
  const g = new Float64Array(iterations);
  const ln2 = Math.LN2;
  const scale = iterations / 30_000;
  const [early, collapse, recover, settle] = [1_600 * scale, 2_000 * scale, 10_000 * scale, 15_000 * scale];
  let dWalk = 0;
  let gWalk = 0;
  for (let i = 0; i < iterations; i++) {
    // How far training is from chaos (0) to equilibrium (1).
    const calm = ramp(i, recover, settle);
    const dominance = ramp(i, 200 * scale, collapse) * (1 - calm);
    const dBase = ln2 - 0.5 * dominance;
    const gBase = ln2 + 3.3 * dominance + 1.4 * ramp(i, 0, early) * (1 - ramp(i, early, collapse)) * (1 - calm);
    // Slow swings of the adversarial game, fading as it settles.
    const swing = (1 - calm) * (0.6 + 0.4 * Math.sin(i / (700 * scale)));
    dWalk = 0.995 * dWalk + 0.012 * gauss(rng);
    gWalk = 0.995 * gWalk + 0.08 * gauss(rng);
    let dv = dBase + swing * (0.08 * Math.sin(i / (90 * scale)) + dWalk) + (0.03 + 0.05 * (1 - calm)) * gauss(rng);
    let gv = gBase + swing * (0.9 * Math.sin(i / (130 * scale)) + gWalk) + (0.06 + 0.4 * (1 - calm)) * gauss(rng);
    // Generator spikes when the discriminator suddenly wins a batch: frequent early, gone at equilibrium.
    if (rng() < 0.004 * (1 - calm)) gv += 4 + 8 * rng();
    if (rng() < 0.001 * (1 - calm)) dv += 0.5 + rng();
    d[i] = Math.max(0.01, dv);
    g[i] = Math.max(0.01, gv);
  }
  return { discriminator: d, generator: g };
}

export const PAD = 2;
export const GRID = 5;
export const GRID_PIXELS = GRID * TILE + (GRID + 1) * PAD;

export interface ExampleOptions {
  /** Training iterations (default 30,000). */
  iterations?: number;
  /** Iterations between sample grids (default 200). */
  every?: number;
  seed?: number;
  /** Tell the tutorial's mode-collapse story (default true); false gives a diverse run throughout. */
  collapse?: boolean;
}

/**
 * The 5×5 sample grid (make_grid layout: 2 px black padding) saved at `step`, as 8-bit gray.
 * Quantised to 16 levels so the 150 bundled grids stay under 0.8 MB.
 */
export function renderGrid(step: number, opts: ExampleOptions = {}): Uint8Array {
  const iterations = opts.iterations ?? 30_000;
  const rng = makeRng(((opts.seed ?? 7) * 100_003 + step) >>> 0);
  const at = step / iterations;
  const collapse = opts.collapse ?? true;
  const out = new Uint8Array(GRID_PIXELS * GRID_PIXELS);
  // The one shape a collapsed generator keeps drawing, fixed per mode so the grids agree over time.
  const modeRng = makeRng((opts.seed ?? 7) + (at < 5_000 / 30_000 ? 1 : 2));
  const mode = { ...variedHand(modeRng, 0.7, [0]), angle: 0.05, shear: 0.05, dx: 0, dy: 0, stray: false, noise: 0.04 };
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      let tile: Float32Array;
      if (step === 0) {
        // Untrained generator: tanh outputs around the middle, pixel noise.
        tile = Float32Array.from({ length: TILE * TILE }, () => Math.min(1, Math.max(0, 0.5 + 0.22 * gauss(rng))));
      } else if (at < 1_600 / 30_000 || !collapse) {
        const quality = collapse ? Math.min(1, at / (1_600 / 30_000)) * 0.45 : Math.min(1, 0.3 + at);
        const hand = variedHand(rng, quality, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        if (collapse) {
          // Forming: thick, blurred blobs that only hint at digits.
          hand.blur = 2 - Math.round(quality * 2);
          hand.width += 2 * (1 - quality);
          hand.wobble = 0.08 * (1 - quality);
          hand.noise = 0.3 * (1 - quality) + 0.05;
        }
        tile = renderDigit(hand, rng);
      } else if (at <= 10_000 / 30_000) {
        tile = renderDigit(collapsedHand(rng, at < 5_000 / 30_000 ? 0 : 1, mode), rng);
      } else {
        // Recovery: other digits come back; rough until the losses settle, then cleaner and cleaner.
        const quality = 0.35 + 0.65 * Math.min(1, (at - 1 / 3) / (2 / 3));
        const digits = at < 15_000 / 30_000 ? [1, 1, 7, 4, 9, 2, 7] : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        tile = renderDigit(variedHand(rng, quality, digits), rng);
      }
      const x0 = PAD + c * (TILE + PAD);
      const y0 = PAD + r * (TILE + PAD);
      for (let y = 0; y < TILE; y++) {
        for (let x = 0; x < TILE; x++) out[(y0 + y) * GRID_PIXELS + x0 + x] = Math.round(tile[y * TILE + x]! * 15) * 17;
      }
    }
  }
  return out;
}

/** 8-bit grayscale PNG bytes of a gray plane. */
export function grayPng(gray: Uint8Array, width: number, height: number): Buffer {
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  png.data = Buffer.from(gray);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, deflateLevel: 9 });
}

export const TRAIN_PY = `# Vanilla GAN on MNIST (PyTorch). Saves the losses and a 5x5 sample grid every 200 iterations.
import os
import numpy as np
import torch
import torch.nn as nn
from torchvision import datasets, transforms
from torchvision.utils import save_image

device = 'cuda' if torch.cuda.is_available() else 'cpu'
latent_dim, epochs, batch_size, lr = 100, 30000, 64, 2e-4
os.makedirs('./result/image', exist_ok=True)

loader = torch.utils.data.DataLoader(
    datasets.MNIST('./data', train=True, download=True,
                   transform=transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.5], [0.5])])),
    batch_size=batch_size, shuffle=True, drop_last=True)

generator = nn.Sequential(
    nn.Linear(latent_dim, 256), nn.LeakyReLU(0.2), nn.BatchNorm1d(256),
    nn.Linear(256, 512), nn.LeakyReLU(0.2), nn.BatchNorm1d(512),
    nn.Linear(512, 784), nn.Tanh()).to(device)
discriminator = nn.Sequential(
    nn.Linear(784, 512), nn.LeakyReLU(0.2),
    nn.Linear(512, 256), nn.LeakyReLU(0.2),
    nn.Linear(256, 1), nn.Sigmoid()).to(device)

bce = nn.BCELoss()
opt_g = torch.optim.Adam(generator.parameters(), lr=lr, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(discriminator.parameters(), lr=lr, betas=(0.5, 0.999))
fixed_z = torch.randn(25, latent_dim, device=device)
discriminator_loss, generator_loss = [], []


def save_data():
    np.save('./result/discriminator_loss.npy', np.array(discriminator_loss))
    np.save('./result/generator_loss.npy', np.array(generator_loss))


batches = iter(loader)
for epoch in range(epochs):
    try:
        real, _ = next(batches)
    except StopIteration:
        batches = iter(loader)
        real, _ = next(batches)
    real = real.view(batch_size, -1).to(device)
    ones = torch.ones(batch_size, 1, device=device)
    zeros = torch.zeros(batch_size, 1, device=device)

    fake = generator(torch.randn(batch_size, latent_dim, device=device))
    d_loss = (bce(discriminator(real), ones) + bce(discriminator(fake.detach()), zeros)) / 2
    opt_d.zero_grad()
    d_loss.backward()
    opt_d.step()

    g_loss = bce(discriminator(fake), ones)
    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()

    discriminator_loss.append(d_loss.item())
    generator_loss.append(g_loss.item())
    if epoch % 200 == 0:
        with torch.no_grad():
            samples = generator(fixed_z).view(25, 1, 28, 28)
        save_image(samples, f'./result/image/{epoch}.png', nrow=5, normalize=True)
        print(f'epoch {epoch}: d_loss {d_loss.item():.4f} g_loss {g_loss.item():.4f}')

save_data()
`;

/** Writes the whole run into `outDir`; returns what was written. */
export function writeExampleRun(outDir: string, opts: ExampleOptions = {}): { images: number; bytes: number } {
  const iterations = opts.iterations ?? 30_000;
  const every = opts.every ?? 200;
  const result = path.join(outDir, 'result');
  mkdirSync(path.join(result, 'image'), { recursive: true });
  let bytes = 0;
  const write = (file: string, data: Uint8Array | string) => {
    writeFileSync(file, data);
    bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
  };
  const losses = exampleLosses(iterations, makeRng(opts.seed ?? 7));
  write(path.join(result, 'discriminator_loss.npy'), npyBytes(losses.discriminator));
  write(path.join(result, 'generator_loss.npy'), npyBytes(losses.generator));
  let images = 0;
  for (let step = 0; step < iterations; step += every) {
    write(path.join(result, 'image', `${step}.png`), grayPng(renderGrid(step, opts), GRID_PIXELS, GRID_PIXELS));
    images++;
  }
  write(path.join(outDir, 'train.py'), TRAIN_PY);
  return { images, bytes };
}

if (/make-example-run\.[cm]?[tj]s$/.test(process.argv[1] ?? '')) {
  const outDir = process.argv[2] ?? path.join('examples', 'mnist-run');
  const started = Date.now();
  const { images, bytes } = writeExampleRun(outDir);
  console.log(`${outDir}: ${images} sample grids, ${(bytes / 1e6).toFixed(2)} MB in ${Date.now() - started} ms`);
}
