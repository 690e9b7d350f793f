// Prints how long mode-collapse scoring takes: 150 sample grids of 152×152 PNG (the bundled
// example's layout), first from disk with a cold cache, then a refresh with a warm cache.
// Target (issue 3): ≤ 1 s cold. Usage: node --import tsx scripts/bench-images.ts
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sampleDiversity } from '../src/core/samples/diversity';
import { DiversityCache } from '../src/core/samples/cache';
import { detectModeCollapse } from '../src/core/analysis/modeCollapse';
import { DEFAULT_THRESHOLDS } from '../src/core/analysis/thresholds';
import type { Run } from '../src/core/model';
import { writeExampleRun } from './make-example-run';
import { formulationOf } from '../src/core/formulation';

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gan-bench-images-'));
  try {
    writeExampleRun(dir);
    const samples = Array.from({ length: 150 }, (_, i) => ({ step: i * 200, path: `result/image/${i * 200}.png` }));
    const run: Run = { root: dir, name: 'bench', series: [], samples, errors: [], config: {}, formulation: formulationOf('bce') };
    const rounds: number[] = [];
    let points = await sampleDiversity(run);
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      points = await sampleDiversity(run, { cache: new DiversityCache() });
      rounds.push(performance.now() - started);
    }
    const cache = new DiversityCache();
    await sampleDiversity(run, { cache });
    const warmStart = performance.now();
    await sampleDiversity(run, { cache });
    const warm = performance.now() - warmStart;
    const detectStart = performance.now();
    const findings = detectModeCollapse(points, DEFAULT_THRESHOLDS);
    const detect = performance.now() - detectStart;
    rounds.sort((a, b) => a - b);
    console.log(`mode-collapse scoring, 150 grids of 152×152 PNG (25 tiles each):`);
    console.log(`  cold cache: median ${rounds[2]!.toFixed(0)} ms, best ${rounds[0]!.toFixed(0)} ms (target ≤ 1000 ms)`);
    console.log(`  warm cache (live refresh): ${warm.toFixed(0)} ms`);
    console.log(
      `  detection over ${points.length} points: ${detect.toFixed(2)} ms, ${findings.length} finding(s): ${findings.map((f) => `${f.start}–${f.end}`).join(', ')}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
