// Workspace Trust: the extension declares untrusted-workspace support because it only reads data.
// In Restricted Mode (trust on, folder not trusted) the user must see exactly what a trusted folder shows.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { e2eSuite, waitForChart, type PageElement } from './harness';
import { makeWorkspace, problemRun, removeWorkspace } from './workspace';

declare const document: { body: PageElement };

let workspace = '';
after(() => removeWorkspace(workspace));

e2eSuite(
  'e2e untrusted workspace: Restricted Mode changes nothing',
  () => (workspace = makeWorkspace()),
  (vs) => {
    test('the window really is in Restricted Mode', async () => {
      await vs.page.getByText('Restricted Mode').first().waitFor({ timeout: 60_000 });
      await vs.screenshot('untrusted-restricted-mode');
    });

    test('the GAN Runs view lists the runs with their health', async () => {
      await vs.showViewContainer('GAN Runs');
      const rows = await vs.settledRows('Runs', 2);
      await vs.screenshot('untrusted-runs-view');
      const problem = rows.find((r) => r.text.includes(problemRun));
      assert.ok(problem, `no ${problemRun} row: ${rows.map((r) => r.text).join(' | ')}`);
      assert.match(problem.icon, /warning|error/);
    });

    test('the hover and the inspector work as in a trusted folder', async () => {
      await vs.openFileInEditor('mnist-run/train.py');
      // The activity bar's own tooltip (from opening GAN Runs) must not pass for the editor's hover.
      await vs.page.mouse.move(700, 600);
      await vs.page.keyboard.press('Escape');
      await vs.page
        .locator('.monaco-hover:not(.hidden)')
        .first()
        .waitFor({ state: 'hidden', timeout: 5000 })
        .catch(() => {});
      const hover = await vs.hoverText('./result/discriminator_loss.npy', /30,000 steps/, 45_000);
      assert.match(hover, /30,000 steps/);
      await vs.rightClickInExplorer('mnist-run');
      await vs.pickContextMenu('Inspect GAN run');
      const frame = await vs.webviewFrame(async (f) => (await f.locator('canvas').count()) > 0 && (await vs.isFrameVisible(f)), 60_000);
      const pixels = await waitForChart(frame);
      await vs.screenshot('untrusted-inspector');
      assert.ok(pixels.coloured >= 300, `the chart shows no curve (${JSON.stringify(pixels)})`);
      assert.match(await frame.evaluate(() => document.body.innerText), /mode collapse/);
    });
  },
  { trusted: false },
);
