// Real VS Code (code-server 4.100.3) driven by headless Chromium, as a user would drive it.
// Recipe: ../shared/notes/vscode-e2e.md. One code-server per test file, started in `before`,
// stopped by its own process group in `after`; every move waits on a selector, never on a sleep.
import { after, afterEach, before, describe, test } from 'node:test';
import { missingPrerequisite, type SuiteOptions } from './codeServer';
import { VsCode } from './vscodePage';

export { VsCode, type PageElement, type TreeRow } from './vscodePage';
export { canvasPixels, waitForChart } from './canvas';
export { chromiumPath, codeServerBin, codeServerVersion, missingPrerequisite, screenshotDir, type SuiteOptions } from './codeServer';

const inCi = process.env.CI === 'true';

/**
 * A describe() block with one VS Code for all its tests. Outside CI a missing prerequisite skips
 * the block with what to install; under CI=true it is a failure with the same one-line reason.
 */
export function e2eSuite(name: string, workspace: () => string, body: (vs: VsCode) => void, opts: SuiteOptions = {}): void {
  const missing = missingPrerequisite();
  if (missing && inCi) {
    describe(name, () => {
      test('prerequisites', () => {
        throw new Error(missing);
      });
    });
    return;
  }
  if (missing) {
    // A skipped test (not just a skipped block) so the runner's summary counts it as skipped.
    describe(name, () => {
      test('real VS Code scenarios', { skip: missing }, () => {});
    });
    return;
  }
  describe(name, { timeout: 600_000 }, () => {
    const vs = new VsCode();
    before(async () => vs.start(workspace(), opts), { timeout: 420_000 });
    // What the user saw at the end of every scenario, passed or failed.
    afterEach(async (t) => {
      await vs.screenshot(`${slug(name)}--${slug(t.name)}`).catch(() => {});
    });
    after(async () => vs.stop(), { timeout: 60_000 });
    body(vs);
  });
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}
