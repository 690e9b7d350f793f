// Synthetic loss signals for the analysis tests: seeded noise, a D or G series drawn from a
// function of the step, a run of the two, and the kinds of findings it gets.
import { formulationOfSeries } from '../../src/core/formulation';
import type { Finding, LossType, Run, Series } from '../../src/core/model';

/** Seeded standard normal numbers (mulberry32 + Box–Muller), so every run of the test sees the same noise. */
export function normal(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
}

export function series(
  role: 'discriminator' | 'generator',
  n: number,
  f: (step: number) => number,
  name = role === 'discriminator' ? 'd_loss' : 'g_loss',
): Series {
  const steps = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    steps[i] = i;
    values[i] = f(i);
  }
  return { name, role, source: `${name}.npy`, column: null, steps, values };
}

export function run(d: Series, g: Series, lossType: LossType = 'unknown', thresholds?: Record<string, number>): Run {
  return {
    root: '/tmp/run',
    name: 'run',
    series: [d, g],
    samples: [],
    errors: [],
    config: thresholds ? { thresholds } : {},
    formulation: formulationOfSeries([d, g], lossType === 'unknown' ? {} : { settings: lossType }),
  };
}

export const kinds = (fs: Finding[]) => fs.map((f) => f.kind);
export const loud = (fs: Finding[]) => fs.filter((f) => f.severity !== 'info');
