// Smoke: the packaged extension installs and activates in real VS Code, contributes
// "Inspect GAN run" to the Explorer context menu and the palette, and has its GAN Runs view.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { e2eSuite } from './harness';
import { makeWorkspace, problemRun, removeWorkspace } from './workspace';

let workspace = '';
let emptyWorkspace = '';
after(() => {
  removeWorkspace(workspace);
  removeWorkspace(emptyWorkspace);
});

e2eSuite(
  'e2e smoke: the extension installs and shows its entry points',
  () => (workspace = makeWorkspace()),
  (vs) => {
    test('the Explorer context menu of a run folder offers "Inspect GAN run"', async () => {
      const labels = await vs.rightClickInExplorer(problemRun);
      await vs.screenshot('smoke-explorer-context-menu');
      await vs.page.keyboard.press('Escape');
      assert.ok(labels.includes('Inspect GAN run'), `context menu: ${labels.join(' | ')}`);
    });

    test('the command palette lists "GAN: Inspect GAN run"', async () => {
      await vs.page.keyboard.press('F1');
      const input = vs.page.locator('.quick-input-widget .quick-input-box input');
      await input.fill('>GAN: Inspect');
      const items = await vs.quickPickItems();
      await vs.screenshot('smoke-command-palette');
      await vs.page.keyboard.press('Escape');
      assert.ok(
        items.some((i) => i.includes('GAN: Inspect GAN run')),
        `palette: ${items.join(' | ')}`,
      );
    });

    test('the GAN Runs view container opens and the extension activates without errors', async () => {
      await vs.showViewContainer('GAN Runs');
      const rows = await vs.treeRows('Runs');
      await vs.screenshot('smoke-gan-runs-view');
      assert.ok(rows.length > 0, 'the Runs view shows rows');
      const log = vs.extensionHostLog();
      const failure = /Activating extension .?gan-run-inspector[^\n]*failed[^\n]*/i.exec(log);
      assert.equal(failure, null, failure?.[0]);
    });

    test('in a workspace without runs the GAN Runs view says so and offers to inspect a folder', async () => {
      emptyWorkspace = mkdtempSync(join(tmpdir(), 'gan-e2e-empty-'));
      await vs.openFolder(emptyWorkspace);
      await vs.showViewContainer('GAN Runs');
      const welcome = await vs.viewWelcome('Runs', /no GAN run/i, 45_000);
      await vs.screenshot('smoke-gan-runs-welcome');
      assert.match(welcome, /Inspect a folder/);
    });
  },
);
