// A synthetic GAN run on disk for the browser tests: D/G losses as real .npy files (with a NaN
// stretch in G), an extra series and the run folder named with markup, and PNG sample grids whose
// tiles collapse to one pattern late in training.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { npyBytes } from '../support/npy';

declare const window: any;

export const HOSTILE_NAME = 'evil <img src=x onerror=window.__pwned=1> <svg onload=window.__pwned=2> <script>window.__pwned=3';
export const HOSTILE_SERIES = '<img src=x onerror=window.__pwned=4> <b>bold';
export const STEPS = 3000;
export const NAN_START = 2000;
export const NAN_END = 2099;
export const SAMPLE_STEPS = [0, 400, 800, 1200, 1600, 2000, 2400, 2800];

/** A 4×4 grid of 16×16 tiles; `collapsed` makes every tile the same. */
export function gridPng(step: number, collapsed: boolean): Buffer {
  const tile = 16;
  const n = 4;
  const png = new PNG({ width: tile * n, height: tile * n });
  for (let ty = 0; ty < n; ty++) {
    for (let tx = 0; tx < n; tx++) {
      const seed = collapsed ? 7 : ty * n + tx + step;
      for (let y = 0; y < tile; y++) {
        for (let x = 0; x < tile; x++) {
          const i = ((ty * tile + y) * png.width + tx * tile + x) * 4;
          const on = (x * ((seed % 5) + 1) + y * ((seed % 3) + 1) + seed) % 7 < 3;
          const shade = Math.round((step / 2800) * 200);
          png.data[i] = on ? 255 : shade / 4;
          png.data[i + 1] = on ? 255 - shade / 2 : 0;
          png.data[i + 2] = on ? shade : 40;
          png.data[i + 3] = 255;
        }
      }
    }
  }
  return PNG.sync.write(png);
}

export interface FixtureRun {
  parent: string;
  root: string;
  cleanup(): Promise<void>;
}

/** `gScale` stretches the G loss, so two runs compared side by side differ. */
export async function makeRun(gScale = 1): Promise<FixtureRun> {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'gan-browser-'));
  const root = path.join(parent, HOSTILE_NAME);
  await mkdir(path.join(root, 'image'), { recursive: true });
  const d = new Float64Array(STEPS);
  const g = new Float64Array(STEPS);
  const extra = new Float64Array(STEPS);
  for (let i = 0; i < STEPS; i++) {
    const noise = Math.sin(i * 12.9898) * 43758.5453;
    const r = noise - Math.floor(noise) - 0.5;
    d[i] = 0.69 + 0.5 * Math.exp(-i / 400) + 0.08 * r;
    g[i] = (0.7 + 3 * Math.exp(-i / 300) + 0.25 * r + (i > 1500 ? (i - 1500) / 400 : 0)) * gScale;
    extra[i] = 0.5 + 0.1 * r;
  }
  for (let i = NAN_START; i <= NAN_END; i++) g[i] = Number.NaN;
  await writeFile(path.join(root, 'discriminator_loss.npy'), npyBytes(d));
  await writeFile(path.join(root, 'generator_loss.npy'), npyBytes(g));
  await writeFile(path.join(root, `${HOSTILE_SERIES}.npy`), npyBytes(extra));
  for (const step of SAMPLE_STEPS) await writeFile(path.join(root, 'image', `${step}.png`), gridPng(step, step >= 1600));
  return { parent, root, cleanup: () => rm(parent, { recursive: true, force: true }) };
}

export const CHROMIUM = '/usr/bin/chromium';

/** Skips (or, under CI, fails) when Debian's chromium is not installed. */
export function chromiumMissing(): string | null {
  if (existsSync(CHROMIUM)) return null;
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: the browser tests need Debian's chromium in CI`);
  return 'install chromium: apt-get install -y chromium';
}

export const LAUNCH = {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

/** Builds dist/webview.js with the project's build; other bundles failing (work in progress elsewhere) is tolerated. */
export function buildWebview(): string {
  const started = Date.now();
  const r = spawnSync(process.execPath, ['esbuild.config.mjs'], { encoding: 'utf8' });
  const out = path.resolve('dist/webview.js');
  if (!existsSync(out) || statSync(out).mtimeMs < started - 1000) {
    throw new Error(`dist/webview.js was not built: ${(r.stderr || r.stdout).split('\n').find((l) => l.includes('ERROR')) ?? r.status}`);
  }
  return out;
}

export const SHOTS = path.resolve('test-results/browser');

/** Non-blank pixels of a canvas (alpha > 0), counted in the page. */
export const countPainted = (selector: string) => `(() => {
  const c = document.querySelector(${JSON.stringify(selector)});
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
  return n;
})()`;

/** Where the loss chart starts, and how many checkboxes a user sees on the first screen (run in the page). */
export const firstScreen = `(() => {
  const onScreen = (e) => {
    const b = e.getBoundingClientRect();
    return b.width > 0 && b.height > 0 && b.bottom > 0 && b.top < innerHeight && getComputedStyle(e).visibility !== 'hidden';
  };
  return {
    chartTop: document.querySelector('#loss-chart').getBoundingClientRect().top,
    toggles: [...document.querySelectorAll('vscode-checkbox, input[type=checkbox]')].filter(onScreen).length,
  };
})()`;

/**
 * Drags across the loss chart from step `from` to step `to`, halfway up the plot: the zoom a user
 * makes. Returns where it went, in page pixels.
 */
export async function dragOnChart(page: Page, from: number, to: number): Promise<{ x0: number; x1: number; y: number }> {
  await page.locator('#loss-chart').scrollIntoViewIfNeeded();
  const box = await page.evaluate(
    ([a, b]) => {
      const ch = (window as any).ganInspector.chart.chart;
      const r = ch.canvas.getBoundingClientRect();
      return {
        x0: r.left + ch.scales.x.getPixelForValue(a),
        x1: r.left + ch.scales.x.getPixelForValue(b),
        y: r.top + (ch.chartArea.top + ch.chartArea.bottom) / 2,
      };
    },
    [from, to] as const,
  );
  await page.mouse.move(box.x0, box.y);
  await page.mouse.down();
  await page.mouse.move((box.x0 + box.x1) / 2, box.y, { steps: 5 });
  await page.mouse.move(box.x1, box.y, { steps: 5 });
  await page.mouse.up();
  return box;
}

/**
 * In the page: where the loss chart's first and last step sit on screen, and where the diversity
 * track puts the same steps (they must match: the track is read against the curve).
 */
export function stepAxisPixels(): { loss: number[]; diversity: number[]; shown: boolean } {
  const app = (globalThis as any).ganInspector;
  const loss = app.chart.chart;
  const div = app.diversity.chart;
  const { min, max } = loss.scales.x;
  const left = [loss.canvas.getBoundingClientRect().left, div.canvas.getBoundingClientRect().left];
  return {
    loss: [left[0] + loss.scales.x.getPixelForValue(min), left[0] + loss.scales.x.getPixelForValue(max)],
    diversity: [left[1] + div.scales.x.getPixelForValue(min), left[1] + div.scales.x.getPixelForValue(max)],
    shown: !div.canvas.closest('[hidden]'),
  };
}
