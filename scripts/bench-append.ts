// Live refresh of a run whose training script appends to a text loss file: a 1,000,000-row
// metrics.csv and a 1,000,000-line losses.jsonl, read whole (what every refresh cost before the
// append cache) and refreshed after 1,000 appended rows with the cache warm (what it costs now).
// Called by scripts/bench.ts; prints nothing itself.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AppendCache } from '../src/core/formats/appendCache';
import type { RunLocation } from '../src/core/discover';
import { inspectLoadedRun } from '../src/core/inspect';
import { loadRun } from '../src/core/run';

const ROWS = 1_000_000;
const APPENDED = 1_000;
const REFRESHES = 5;

type Record = (size: number | string, what: string, value: number, unit: string, target?: string) => void;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Losses as a training script logs them: six decimals, D near ln 2, G drifting. Deterministic. */
function losses(i: number): [string, string] {
  return [(0.69 + 0.05 * Math.sin(i / 97)).toFixed(6), (0.7 + 0.3 * Math.cos(i / 131)).toFixed(6)];
}
const FORMATS = {
  csv: { file: 'metrics.csv', header: 'step,d_loss,g_loss\n', row: (i: number) => `${i},${losses(i).join(',')}\n` },
  jsonl: { file: 'losses.jsonl', header: '', row: (i: number) => `{"step": ${i}, "d_loss": ${losses(i)[0]}, "g_loss": ${losses(i)[1]}}\n` },
};

function rows(row: (i: number) => string, from: number, to: number): string {
  const parts: string[] = [];
  for (let i = from; i < to; i++) parts.push(row(i));
  return parts.join('');
}

export async function benchAppend(record: Record, outDir: string): Promise<void> {
  for (const [name, format] of Object.entries(FORMATS)) {
    const root = path.join(outDir, 'inputs', `append-${name}`);
    mkdirSync(root, { recursive: true });
    const file = path.join(root, format.file);
    writeFileSync(file, format.header + rows(format.row, 0, ROWS));
    const loc: RunLocation = { root, name: `append-${name}`, lossFiles: [format.file], sampleFiles: [] };
    const label = `${name.toUpperCase()} (${ROWS.toLocaleString('en-US')} rows)`;

    // Whole read + inspection: what every live refresh cost before. One warm-up, then the median of three.
    const whole: number[] = [];
    for (let i = 0; i < 4; i++) {
      const t0 = performance.now();
      await inspectLoadedRun(await loadRun(loc));
      if (i > 0) whole.push(performance.now() - t0);
    }
    record(ROWS, `${label}: whole read + inspection`, median(whole), 'ms');

    // The cache warmed by a first read, then refreshes after each append of 1,000 rows.
    const appendCache = new AppendCache();
    await inspectLoadedRun(await loadRun(loc, { appendCache }));
    const refresh: number[] = [];
    const readOnly: number[] = [];
    let next = ROWS;
    for (let i = 0; i < REFRESHES; i++) {
      appendFileSync(file, rows(format.row, next, next + APPENDED));
      next += APPENDED;
      const t0 = performance.now();
      const run = await loadRun(loc, { appendCache });
      const t1 = performance.now();
      await inspectLoadedRun(run);
      refresh.push(performance.now() - t0);
      readOnly.push(t1 - t0);
      if (run.series[0]?.steps.length !== next) throw new Error(`${format.file}: the refresh has ${run.series[0]?.steps.length} steps, not ${next}`);
    }
    record(ROWS, `${label}: refresh after ${APPENDED.toLocaleString('en-US')} appended rows (cache warm), read + inspection`, median(refresh), 'ms');
    record(ROWS, `${label}: refresh after ${APPENDED.toLocaleString('en-US')} appended rows (cache warm), read alone`, median(readOnly), 'ms');
  }
}
