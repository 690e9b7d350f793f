// Micro-benchmark of the loss diagnosis: two 10,000,000-step series (D and G) through analyzeRun.
// Target ≤ 150 ms on a 2-core machine. Run: node --import tsx scripts/bench-analysis.ts [steps]
import { analyzeRun } from '../src/core/analysis';
import type { Run, Series } from '../src/core/model';
import { formulationOf } from '../src/core/formulation';

const n = Number(process.argv[2] ?? 10_000_000);

// A deterministic noisy run: both losses fall towards ln 2 with noise and a late D collapse.
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
const rand = lcg(7);
const steps = new Float64Array(n);
const d = new Float64Array(n);
const g = new Float64Array(n);
for (let i = 0; i < n; i++) {
  const x = i / n;
  steps[i] = i;
  const noise = rand() + rand() + rand() - 1.5;
  d[i] = x < 0.7 ? 0.69 + 0.6 * Math.exp(-10 * x) + 0.1 * noise : 0.03 + 0.01 * noise;
  g[i] = x < 0.7 ? 0.7 + 2 * Math.exp(-10 * x) + 0.15 * noise : 6 + 2 * x + 0.5 * noise;
}
const series = (name: string, role: 'discriminator' | 'generator', values: Float64Array): Series => ({ name, role, source: name, column: null, steps, values });
const run: Run = {
  root: '/bench',
  name: 'bench',
  series: [series('d_loss', 'discriminator', d), series('g_loss', 'generator', g)],
  samples: [],
  errors: [],
  config: {},
  formulation: formulationOf('bce'),
};

const times: number[] = [];
let findings = 0;
for (let k = 0; k < 7; k++) {
  const t0 = performance.now();
  findings = analyzeRun(run, []).length;
  times.push(performance.now() - t0);
}
const sorted = [...times].sort((a, b) => a - b);
console.log(
  `analysis of two ${n.toLocaleString('en-US')}-step series: first ${times[0]!.toFixed(1)} ms, median ${sorted[3]!.toFixed(1)} ms, best ${sorted[0]!.toFixed(1)} ms (${findings} findings; target ≤ 150 ms)`,
);
