// Previews of StyleGAN-size grids (issue 16), on the 7680×4096 grids bench-grids.ts made under
// bench-results/inputs/grids-7680x4096: one preview made on its own (what the inspector asks for a
// grid the scoring has not reached, and what the HTML report embeds), the bytes the inspector's
// webview loads per scrubber step before (the grid) and after (its preview), and the HTML report of
// the 12 grids (all of them embedded as previews). Called by scripts/bench.ts after benchGrids.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { renderHtmlReport } from '../src/cli/htmlReport';
import type { Inspection } from '../src/core/inspect';
import { previewOf } from '../src/core/samples/previewFile';

type Record = (size: number | string, what: string, value: number, unit: string, target?: string) => void;

export async function benchPreviews(record: Record, outDir: string): Promise<void> {
  const dir = path.join(outDir, 'inputs', 'grids-7680x4096');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.png')).sort() : [];
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
  const inspection: Inspection = {
    run: { root: dir, name: 'grids', series: [], samples: files.map((f, i) => ({ step: i * 200, path: f })), errors: [], config: {}, lossType: 'unknown' },
    findings: [],
    diversity: [],
  };
  const t0 = performance.now();
  const html = await renderHtmlReport([inspection], { lang: 'en' });
  const ms = performance.now() - t0;
  writeFileSync(path.join(outDir, 'grids-report.html'), html);
  const embedded = (html.match(/data:image\/png;base64,/g) ?? []).length;
  record('previews', `HTML report of ${files.length} grids 7680×4096: time`, ms, 'ms');
  record('previews', `HTML report of ${files.length} grids 7680×4096: grids embedded (as previews)`, embedded, `of ${files.length}`);
  record('previews', `HTML report of ${files.length} grids 7680×4096: size`, html.length / 2 ** 20, 'MB');
}
