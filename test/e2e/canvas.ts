// What the inspector's chart canvas shows, read from its pixels: a chart with axes but no curve
// is told apart from one with curves.
import type { Frame } from 'playwright-core';
import { PNG } from 'pngjs';
import { waitFor } from './codeServer';
/**

 * What a canvas shows: `painted` pixels differ from its most common colour (axes, grid and text
 * count), `coloured` pixels are strongly saturated (the series' lines; grey axes and the light
 * finding shades do not), so a chart with axes but no curve has painted > 0 and coloured ~ 0.
 */
export async function canvasPixels(frame: Frame, selector = 'canvas'): Promise<{ painted: number; coloured: number }> {
  const canvas = frame.locator(selector).first();
  await canvas.waitFor({ timeout: 20_000 });
  const png = PNG.sync.read(await canvas.screenshot());
  const counts = new Map<number, number>();
  const d = png.data;
  let coloured = 0;
  for (let i = 0; i < d.length; i += 4) {
    const key = (d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (Math.max(d[i]!, d[i + 1]!, d[i + 2]!) - Math.min(d[i]!, d[i + 1]!, d[i + 2]!) > 100) coloured++;
  }
  let background = 0;
  for (const n of counts.values()) background = Math.max(background, n);
  return { painted: d.length / 4 - background, coloured };
}

/** Waits (bounded) until the chart canvas in `frame` has curves on it; returns its pixel counts. */
export async function waitForChart(frame: Frame, minColoured = 300, timeoutMs = 30_000): Promise<{ painted: number; coloured: number }> {
  let last = { painted: 0, coloured: 0 };
  await waitFor('a chart with curves', timeoutMs, async () => {
    last = await canvasPixels(frame);
    return last.coloured >= minColoured;
  }).catch(() => {});
  return last;
}
