// The GAN Runs view: every run with its health, and live refresh while "training" rewrites a loss file.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { e2eSuite, waitForChart, type PageElement } from './harness';

declare const document: { body: PageElement };
import { exampleRun, goodRun, makeWorkspace, problemLosses, problemRun, problemSteps, removeWorkspace } from './workspace';
import { writeNpy } from '../support/npy';
import { existsSync } from 'node:fs';

let workspace = '';
after(() => removeWorkspace(workspace));

const steps = (n: number) => new RegExp(`(?<![\\d,])${Math.floor(n / 1000)}[,.\u202f\u00a0 ]?${String(n % 1000).padStart(3, '0')}(?![\\d,])`);

e2eSuite(
  'e2e GAN Runs view: runs with their health, live refresh',
  () => (workspace = makeWorkspace()),
  (vs) => {
    test('the view lists the runs, the problem run with a warning or error icon', async () => {
      await vs.showViewContainer('GAN Runs');
      // A run shows a spinner while it is read and analysed; its health icon follows.
      const rows = await vs.settledRows('Runs', existsSync(exampleRun) ? 2 : 1);
      await vs.screenshot('runs-view');
      console.log(`runs view: ${rows.map((r) => `[${r.icon}] ${r.text}`).join(' | ')}`);
      const problem = rows.find((r) => r.text.includes(problemRun));
      assert.ok(problem, `no ${problemRun} row: ${rows.map((r) => r.text).join(' | ')}`);
      assert.match(problem.icon, /warning|error/, `health icon of ${problemRun}: ${problem.icon || '(none)'}`);
      assert.match(problem.text + problem.ariaLabel, steps(problemSteps), `no step count for ${problemRun}: ${problem.text}`);
      if (existsSync(exampleRun))
        assert.ok(
          rows.some((r) => r.text.includes(goodRun)),
          `no ${goodRun} row`,
        );
    });

    test('expanding the problem run shows its series and findings', async () => {
      const row = vs.treeRow('Runs', problemRun);
      if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
      const rows = await vs.treeRows('Runs', 3);
      await vs.screenshot('runs-view-expanded');
      const children = rows
        .filter((r) => r.level > 1)
        .map((r) => r.text)
        .join(' | ');
      assert.match(children, /discriminator/i, `children: ${children}`);
      assert.match(children, /discriminator won|dominan|stuck|saturat/i, `no finding among: ${children}`);
    });

    test('clicking a finding opens the inspector on that run', async () => {
      await vs.treeRow('Runs', 'D too strong').click();
      await vs.page.locator('.tabs-container .tab.active', { hasText: problemRun }).first().waitFor({ timeout: 45_000 });
      const frame = await vs.webviewFrame(async (f) => (await f.locator('canvas').count()) > 0 && (await vs.isFrameVisible(f)), 45_000);
      const pixels = await waitForChart(frame);
      await vs.screenshot('runs-view-finding-opens-inspector');
      assert.ok(pixels.coloured >= 300, `the chart shows no curve (${JSON.stringify(pixels)})`);
      assert.match(await frame.evaluate(() => document.body.innerText), steps(problemSteps - 1));
    });

    test('overwriting the loss files with longer ones updates the view and the open inspector within seconds', async () => {
      const longer = 5000;
      const { d, g } = problemLosses(longer);
      const started = Date.now();
      // As training does: rewrite the files in place while VS Code watches.
      writeNpy(join(workspace, problemRun, 'result', 'discriminator_loss.npy'), d);
      writeNpy(join(workspace, problemRun, 'result', 'generator_loss.npy'), g);
      let rows = await vs.treeRows('Runs');
      const deadline = started + 15_000;
      while (!rows.some((r) => r.text.includes(problemRun) && steps(longer).test(r.text + r.ariaLabel)) && Date.now() < deadline) {
        await vs.page.waitForTimeout(250);
        rows = await vs.treeRows('Runs');
      }
      const treeSeconds = (Date.now() - started) / 1000;
      const frame = await vs.webviewFrame(async (f) => (await f.locator('canvas').count()) > 0 && (await vs.isFrameVisible(f)));
      const inspectorUpdated = await frame
        .waitForFunction((re) => new RegExp(re).test(document.body.innerText), steps(longer - 1).source, { timeout: Math.max(1000, deadline - Date.now()) })
        .then(() => true)
        .catch(() => false);
      const inspectorSeconds = (Date.now() - started) / 1000;
      await vs.screenshot('runs-view-live-refresh');
      const row = rows.find((r) => r.text.includes(problemRun));
      console.log(
        `live refresh: tree "${row?.text}" after ${treeSeconds.toFixed(1)} s; inspector ${inspectorUpdated ? 'updated' : 'NOT updated'} after ${inspectorSeconds.toFixed(1)} s`,
      );
      const errors = (await vs.notifications()).filter((n) => /error|fail|cannot|could not/i.test(n));
      assert.match(`${row?.text} ${row?.ariaLabel}`, steps(longer), `the view still shows: ${row?.text}`);
      assert.ok(treeSeconds <= 10, `the view took ${treeSeconds.toFixed(1)} s to update`);
      assert.ok(inspectorUpdated, 'the open inspector still shows the old steps');
      assert.deepEqual(errors, [], 'an error flashed at the user during the rewrite');
    });
  },
);
