import { readFileSync, readdirSync } from 'node:fs';
import { PNG } from 'pngjs';
for (const f of readdirSync('/tmp/nb/imgs').sort()) {
  if (!f.endsWith('.png')) continue;
  const png = PNG.sync.read(readFileSync('/tmp/nb/imgs/' + f));
  const { width: w, height: h, data } = png;
  const counts = new Map<number, number>();
  for (let i = 0; i < w * h; i++) { const k = (data[4*i]! << 16) | (data[4*i+1]! << 8) | data[4*i+2]!; counts.set(k, (counts.get(k) ?? 0) + 1); }
  const bg = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  const br = bg >> 16, bgG = (bg >> 8) & 255, bb = bg & 255;
  const fg = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) fg[i] = Math.abs(data[4*i]! - br) + Math.abs(data[4*i+1]! - bgG) + Math.abs(data[4*i+2]! - bb) >= 48 ? 1 : 0;
  let n = 0, thin = 0;
  for (let y = 2; y < h - 2; y++) for (let x = 2; x < w - 2; x++) {
    if (!fg[y*w+x]) continue; n++;
    let c = 0; for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) c += fg[(y+dy)*w + x+dx]!;
    if (c <= 12) thin++;
  }
  // long lines: rows where a run of fg longer than 50% width
  let longRows = 0, longCols = 0;
  for (let y = 0; y < h; y++) { let run = 0, best = 0; for (let x = 0; x < w; x++) { run = fg[y*w+x] ? run + 1 : 0; best = Math.max(best, run); } if (best > 0.5 * w) longRows++; }
  for (let x = 0; x < w; x++) { let run = 0, best = 0; for (let y = 0; y < h; y++) { run = fg[y*w+x] ? run + 1 : 0; best = Math.max(best, run); } if (best > 0.5 * h) longCols++; }
  console.log(f.padEnd(40), 'fg', (n / (w*h)).toFixed(2), 'thin', (thin / Math.max(1,n)).toFixed(2), 'longRows', longRows, 'longCols', longCols);
}
