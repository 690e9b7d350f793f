// Small fixtures for the formulation tests: a project's files written to a fresh temp folder, and a
// loss series from its values.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Series } from '../../src/core/model';

/** A fresh temp folder holding `files` (relative path → text); the caller removes it. */
export function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'gan-formulation-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

/** A series of `role` with `values` on steps 0, 1, 2, … */
export const series = (role: Series['role'], values: number[], name: string = role): Series => ({
  name,
  role,
  source: 'x',
  column: null,
  steps: Float64Array.from(values.map((_, i) => i)),
  values: Float64Array.from(values),
});
