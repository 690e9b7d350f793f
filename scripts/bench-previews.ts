// Previews of StyleGAN-size grids (issue 16), on the 7680×4096 grids bench-grids.ts made under
// bench-results/inputs/grids-7680x4096: one preview made on its own (what the inspector asks for a
// grid the scoring has not reached, and what the HTML report embeds), the bytes the inspector's
// webview loads per scrubber step before (the grid) and after (its preview), and `gan-inspect --html`
// on the 12 grids (all of them embedded as previews). Called by scripts/bench.ts after benchGrids.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { previewOf } from '../src/core/samples/previewFile';
import { PEAK_MEMORY_HOOK } from './bench-grids';

type Record = (size: number | string, what: string, value: number, unit: string, target?: string) => void;

export async function benchPreviews(record: Record, outDir: string): Promise<void> {
  const dir = path.join(outDir, 'inputs', 'grids-7680x4096');
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.png'))
        .sort()
    : [];
  if (!files.length) {
    console.log('note: no 7680×4096 grids (made by the grid rows): previews not measured');
    return;
  }
  const first = path.join(dir, files[0]!);
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    bytes = (await previewOf(first))?.length ?? NaN;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  record('previews', 'preview of one 7680×4096 grid, made on its own (median of 3)', times[1]!, 'ms');
  record('previews', 'bytes the webview loads per scrubber step: the grid itself (before)', statSync(first).size / 2 ** 20, 'MB');
  record('previews', 'bytes the webview loads per scrubber step: its preview (after)', bytes / 2 ** 20, 'MB');
  // The report as a user makes it: scored and embedded by the built CLI in a fresh process, the
  // previews made in the scoring pass.
  const report = path.join(outDir, 'grids-report.html');
  const hook = path.join(outDir, 'inputs', 'maxrss.cjs');
  writeFileSync(hook, PEAK_MEMORY_HOOK);
  const t0 = performance.now();
  const cli = spawnSync(process.execPath, ['--require', hook, path.resolve('dist/cli.js'), dir, '--html', report], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ms = performance.now() - t0;
  if (cli.status !== 0 || !existsSync(report)) {
    console.log(`note: gan-inspect --html failed: ${cli.stderr.split('\n')[0]}`);
    return;
  }
  const html = readFileSync(report, 'utf8');
  const kb = Number(/maxrss-kb (\d+)/.exec(cli.stderr)?.[1] ?? NaN);
  const embedded = (html.match(/data:image\/png;base64,/g) ?? []).length;
  record('previews', `gan-inspect --html on ${files.length} grids 7680×4096: time`, ms, 'ms');
  record('previews', `gan-inspect --html on ${files.length} grids 7680×4096: peak memory`, kb / 1024, 'MB');
  record('previews', `gan-inspect --html on ${files.length} grids 7680×4096: grids embedded (as previews)`, embedded, `of ${files.length}`);
  record('previews', `gan-inspect --html on ${files.length} grids 7680×4096: size`, html.length / 2 ** 20, 'MB');
}
