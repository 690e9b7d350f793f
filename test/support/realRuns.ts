// The real training runs in ../shared (never copied into the project). A test on them skips with a
// message when they are absent, and under CI=true fails instead: CI must never pass by skipping.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const repoRoot = path.join(__dirname, '..', '..');
export const REAL_RUNS = path.join(repoRoot, '..', 'shared', 'real-runs');
/** Runs as people really leave them: notebooks, console logs, W&B folders… (see its README). */
export const WILD_RUNS = path.join(repoRoot, '..', 'shared', 'wild-runs');
/** Copies of what the major GAN codebases write (see its README). */
export const CODEBASE_RUNS = path.join(repoRoot, '..', 'shared', 'codebase-runs');
const inCi = process.env.CI === 'true';
const reported = new Set<string>();

/**
 * The `skip` option of a test that reads `folder` (the real runs, or a folder in them): false when
 * it is there; a one-line reason when not. Under CI=true a missing folder is not skipped: the tests
 * run (and fail), and one more test fails saying which folder is missing.
 */
export function realRunsSkip(folder = REAL_RUNS): string | false {
  if (existsSync(folder)) return false;
  const reason = `${path.relative(repoRoot, folder)} is missing (the real runs live in ../shared, beside the project)`;
  if (!inCi) return reason;
  if (!reported.has(folder)) {
    reported.add(folder);
    test(`real runs are present: ${path.basename(folder)}`, () => {
      throw new Error(`${reason}; CI=true: real-run tests may not skip`);
    });
  }
  return false;
}
