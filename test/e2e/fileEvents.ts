// VS Code's file watcher can start many seconds after the window on a loaded machine, and no new
// run is found before it does. A file that is no run (a plot) makes the extension look for new
// runs, which reads `knownRun` again, once events arrive: the live scenarios wait for that.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VsCode } from './vscodePage';

export async function fileEventsArrive(vs: VsCode, workspace: string, knownRun: string): Promise<void> {
  const reads = () =>
    vs
      .extensionLog()
      .split('\n')
      .filter((l) => l.includes(`${knownRun}: `) && l.includes(' samples scored')).length;
  const before = reads();
  mkdirSync(join(workspace, 'notes'), { recursive: true });
  for (let i = 0; i < 120 && reads() === before; i++) {
    writeFileSync(join(workspace, 'notes', 'loss-plot.png'), String(i));
    await vs.page.waitForTimeout(1000);
  }
  assert.ok(reads() > before, 'no file event reached the extension in two minutes');
}
