// The workspace the scenarios open: a temp copy of the bundled example run plus a run with a
// problem (D falls to ~0 while G climbs: a dominant discriminator), written as real .npy bytes.
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './vsix';
import { writeNpy } from '../support/npy';

export const exampleRun = process.env.GAN_E2E_EXAMPLE_RUN ?? join(repoRoot, 'examples', 'mnist-run');
/** Folder names inside the workspace. */
export const goodRun = 'mnist-run';
export const problemRun = 'collapsed-run';
export const problemSteps = 2000;

/** Deterministic noise so the problem run is the same bytes every time. */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** D collapses to ~0.001 after ~300 steps while G climbs past 10: the discriminator wins. */
export function problemLosses(steps: number): { d: Float64Array; g: Float64Array } {
  const rnd = noise(7);
  const d = new Float64Array(steps);
  const g = new Float64Array(steps);
  for (let i = 0; i < steps; i++) {
    const k = Math.min(1, i / 300);
    d[i] = Math.max(1e-4, 0.69 * (1 - k) + 0.001 * k + 0.02 * (1 - k) * rnd());
    g[i] = 0.7 + 11.5 * k + 0.3 * rnd() + i / steps;
  }
  return { d, g };
}

export function writeProblemRun(root: string, steps = problemSteps): void {
  const { d, g } = problemLosses(steps);
  writeNpy(join(root, 'result', 'discriminator_loss.npy'), d);
  writeNpy(join(root, 'result', 'generator_loss.npy'), g);
}

/** A fresh workspace folder under the OS temp dir; remove it with `rmSync(dir, {recursive: true})`. */
export function makeWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gan-e2e-ws-'));
  if (existsSync(exampleRun)) cpSync(exampleRun, join(dir, goodRun), { recursive: true });
  const problem = join(dir, problemRun);
  writeProblemRun(problem);
  writeFileSync(
    join(problem, 'train.py'),
    [
      'import numpy as np',
      '',
      'd_losses, g_losses = [], []',
      '# ... the training loop appends one loss per iteration ...',
      "np.save('./result/discriminator_loss.npy', np.array(d_losses))",
      "np.save('./result/generator_loss.npy', np.array(g_losses))",
      '',
    ].join('\n'),
  );
  return dir;
}

export function removeWorkspace(dir: string): void {
  if (dir && !process.env.GAN_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
}
