// ONE table of hostile names, used as run folder names and loss file names in a real tree on disk,
// by the renderer tests of every tier (test/unit/extension/hostile-names.test.ts, test/browser/hostile-names.test.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { problemLosses } from '../e2e/workspace';
import { npyBytes } from './npy';

/** The table. A `/` cannot be in a file name: a run name with one is nested folders (see fsName). */
export const NAMES = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  `"quotes'`,
  '`backticks`',
  '**bold** _x_ [link](command:workbench.action.terminal.new)',
  '| pipe |',
  'a = b, c',
  'emoji 🎉',
  '中文資料夾',
  'run with spaces',
  '$(alert) &amp; \\',
  '# heading',
];

/**
 * Loss file names carry the name too. `/` and `\` become `¦`: a `/` cannot be in a file name, and
 * a `\` in one is kept by the readers when they name the series (see the test at the end).
 */
export const fileStem = (name: string) => name.replace(/[/\\]/g, '¦');
export const dFile = (name: string) => `${fileStem(name)}_d_loss.npy`;
export const gFile = (name: string) => `${fileStem(name)}_g_loss.npy`;

/** One run per name under `runsDir`: D falls to ~0 while G climbs, so every run has findings. */
export function writeHostileRuns(runsDir: string): void {
  const { d, g } = problemLosses(600);
  for (const name of NAMES) {
    const folder = join(runsDir, ...name.split('/'));
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, dFile(name)), npyBytes(d));
    writeFileSync(join(folder, gFile(name)), npyBytes(g));
    // A `(` in a name reads as `D(x)` (an output, not a loss), so no role is guessed: such runs
    // declare their files in gan-run.json, itself then holding hostile names.
    if (name.includes('(')) writeFileSync(join(folder, 'gan-run.json'), JSON.stringify({ discriminator: dFile(name), generator: gFile(name) }));
  }
}
