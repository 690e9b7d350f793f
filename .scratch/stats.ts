import { readFileSync, readdirSync } from 'node:fs';
import { PNG } from 'pngjs';
import { digestBytes } from '/work/wt/notebooks/src/core/samples/digest';
import { inferLayout } from '/work/wt/notebooks/src/core/samples/layout';
for (const f of readdirSync('/tmp/nb/imgs').sort()) {
  if (!f.endsWith('.png')) continue;
  const bytes = readFileSync('/tmp/nb/imgs/' + f);
  const png = PNG.sync.read(bytes);
  const { width: w, height: h, data } = png;
  const counts = new Map<number, number>();
  for (let i = 0; i < w * h; i++) {
    const k = (data[4 * i]! << 16) | (data[4 * i + 1]! << 8) | data[4 * i + 2]!;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const bg = sorted[0]!;
  const top5 = sorted.slice(0, 5).reduce((s, x) => s + x[1], 0) / (w * h);
  // near-bg pixels: within 8 of bg
  const br = bg[0] >> 16, bgG = (bg[0] >> 8) & 255, bb = bg[0] & 255;
  let near = 0, sat = 0;
  for (let i = 0; i < w * h; i++) {
    const r = data[4 * i]!, g = data[4 * i + 1]!, b = data[4 * i + 2]!;
    if (Math.abs(r - br) + Math.abs(g - bgG) + Math.abs(b - bb) < 24) near++;
    if (Math.max(r, g, b) - Math.min(r, g, b) > 60) sat++;
  }
  const d = digestBytes(bytes, f);
  const lay = inferLayout([d.profile]);
  console.log(f.padEnd(40), `${w}x${h}`.padEnd(10), 'bg', (bg[1] / (w * h)).toFixed(2), 'near', (near / (w * h)).toFixed(2), 'top5', top5.toFixed(2), 'colors', counts.size, 'sat', (sat / (w * h)).toFixed(2), 'layout', lay.source, lay.rows?.starts?.length, lay.cols?.starts?.length);
}
