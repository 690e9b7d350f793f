import { readFileSync, readdirSync } from 'node:fs';
import { PNG } from 'pngjs';
import { looksLikeChart } from '../src/core/notebook/images';
for (const f of readdirSync('/tmp/nb/imgs').filter((f) => f.startsWith('basic'))) {
  const b = readFileSync('/tmp/nb/imgs/' + f);
  let t0 = performance.now(); PNG.sync.read(b); const t1 = performance.now(); const c = looksLikeChart(b, 'png'); const t2 = performance.now();
  console.log(f, 'decode', (t1 - t0).toFixed(1), 'chart', (t2 - t1).toFixed(1), c);
}
