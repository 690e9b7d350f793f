// What the main bench (bench.ts) measures with: the generated runs, the re-read of a grown run, a
// command's wall time and peak memory, and the tutorial's numpy + matplotlib script to compare with.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Inspection } from '../src/core/inspect';
import { npyBytes } from '../test/support/npy';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
/** Median of `reps` calls after one warm-up call (the JIT's first pass is not what a user waits on twice). */
export function writeRun(dir: string, n: number): void {
  mkdirSync(dir, { recursive: true });
  const d = new Float64Array(n);
  const g = new Float64Array(n);
  let s = 12345;
  const rnd = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5;
  for (let i = 0; i < n; i++) {
    const settle = Math.min(1, i / (n / 2));
    d[i] = 0.693 + (1 - settle) * 0.4 * Math.sin(i / (n / 50)) + 0.08 * rnd();
    g[i] = 0.693 + (1 - settle) * 3 * Math.abs(Math.sin(i / (n / 37))) + 0.1 * rnd();
  }
  writeFileSync(path.join(dir, 'discriminator_loss.npy'), npyBytes(d));
  writeFileSync(path.join(dir, 'generator_loss.npy'), npyBytes(g));
}

/** The inspection as a re-read after training appended `extra` steps (new arrays, earlier values equal). */
export function grownInspection(inspection: Inspection, extra: number): Inspection {
  const series = inspection.run.series.map((s) => {
    const n = s.values.length;
    const steps = new Float64Array(n + extra);
    const values = new Float64Array(n + extra);
    steps.set(s.steps);
    values.set(s.values);
    for (let i = n; i < n + extra; i++) {
      steps[i] = s.steps[n - 1]! + (i - n + 1);
      values[i] = 0.693 + 0.05 * Math.sin(i);
    }
    return { ...s, steps, values };
  });
  return { ...inspection, run: { ...inspection.run, series } };
}

/** Wall time (median of reps) and peak resident memory of a command, through GNU time. */
export function measureCommand(cmd: string, args: string[], reps = 3): { ms: number; peakMB: number } | undefined {
  if (!existsSync('/usr/bin/time')) return undefined;
  const times: number[] = [];
  let peak = 0;
  for (let i = 0; i < reps; i++) {
    const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.trim().split('\n').pop()}`);
    const [secs, kb] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
    times.push(secs! * 1000);
    peak = Math.max(peak, kb! / 1024);
  }
  return { ms: median(times), peakMB: peak };
}

export const TUTORIAL_PY = `
import sys, numpy as np, matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
d = np.load(sys.argv[1] + '/discriminator_loss.npy'); g = np.load(sys.argv[1] + '/generator_loss.npy')
d = np.log1p(d); g = np.log1p(g)
plt.title('Training Process of GAN'); plt.xlabel('Epochs'); plt.ylabel('Loss')
plt.plot(d, label='Discriminator loss'); plt.plot(g, label='Generator loss')
plt.legend(loc='best'); plt.grid(True); plt.savefig(sys.argv[2])
`;

/** A python3 that has numpy and matplotlib (Debian's, or the first on PATH), or undefined. */
export function pythonWithMatplotlib(): string | undefined {
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, ['-c', 'import numpy, matplotlib'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return undefined;
}
