// Watching training in real VS Code: eval-corpus runs replayed into the open workspace while the
// extension watches (scripts/replay-run.ts writes them as their training scripts did). The NaN run
// shows in the status bar and the GAN Runs view as training, raises one notification naming the
// run, NaN/Inf and the step, whose Inspect opens the inspector zoomed to the finding; a healthy
// run (whose first grids look collapsed early on) trains and raises none; the old run the
// workspace opened with never does.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { agedCopy } from '../support/aged';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { e2eSuite, type PageElement } from './harness';
import { fileEventsArrive } from './fileEvents';
import { removeWorkspace } from './workspace';
import { repoRoot } from './vsix';
import { planReplay, replay, type ReplayWrite } from '../../scripts/replay-run';

declare const document: { getElementById(id: string): (PageElement & { dataset: Record<string, string | undefined> }) | null };

const corpus = join(repoRoot, 'test', 'corpus', 'runs');
const oldRun = 'old-run';
let workspace = '';
after(() => removeWorkspace(workspace));

/** The workspace opens with one run trained long ago (files an hour old): it must stay silent. */
function makeLiveWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gan-e2e-live-'));
  agedCopy(join(corpus, 'd-dominant'), join(dir, oldRun));
  return dir;
}

/** Replays a corpus run into the workspace: 6,000 steps in about 20 s, written every 250 ms. */
async function replayInto(name: string, folder: string): Promise<ReplayWrite[]> {
  const plan = await planReplay(join(corpus, name));
  return replay(plan, join(workspace, folder), { stepsPerSecond: 300, intervalMs: 250 });
}

e2eSuite(
  'e2e live runs: the status bar, the live icon, one alert per new finding',
  () => (workspace = makeLiveWorkspace()),
  (vs) => {
    test('replaying the NaN run: training in the status bar and GAN Runs, one notification with Inspect, which opens the inspector on the finding', async () => {
      await vs.showViewContainer('GAN Runs');
      await vs.settledRows('Runs', 1);
      await fileEventsArrive(vs, workspace, oldRun);
      const writing = replayInto('nan-divergence', 'nan-run');
      const status = vs.page.locator('.statusbar-item', { hasText: /GAN: 1 training/ }).first();
      await status.waitFor({ timeout: 30_000 });
      // Its row: the pulse once read (a spinner while its first grids are scored).
      let rows = await vs.treeRows('Runs', 2);
      for (let i = 0; i < 60 && rows.find((r) => r.text.includes('nan-run'))?.icon !== 'pulse'; i++) {
        await vs.page.waitForTimeout(250);
        rows = await vs.treeRows('Runs', 2);
      }
      const row = rows.find((r) => r.text.includes('nan-run'));
      assert.ok(row, `no nan-run row: ${rows.map((r) => r.text).join(' | ')}`);
      assert.equal(row.icon, 'pulse', `the live run's icon: ${row.icon}`);
      assert.match(row.text, /training/);
      assert.notEqual(rows.find((r) => r.text.includes(oldRun))?.icon, 'pulse', 'the old run is not live');
      await vs.screenshot('live-status-bar');

      const toast = vs.page.locator('.notification-toast', { hasText: 'NaN/Inf' }).first();
      await toast.waitFor({ timeout: 60_000 });
      const toastAt = Date.now();
      const writes = await writing;
      const message = (await toast.locator('.notification-list-item-message').innerText()).trim();
      await vs.screenshot('live-alert');
      assert.match(message, /nan-run/, message);
      assert.match(message, /NaN\/Inf at step 3,00\d/, message);
      const nanWritten = writes.find((w) => w.step >= 3000)!;
      console.log(`live alert ${toastAt - nanWritten.at} ms after the write that reached step 3,000: "${message}"`);
      const buttons = await toast.locator('.monaco-button').allInnerTexts();
      assert.ok(buttons.includes('Inspect') && buttons.includes('Mute this run'), `actions: ${buttons.join(', ')}`);
      const told = (await vs.notifications()).filter((n) => /NaN\/Inf/.test(n));
      assert.ok(told.length >= 1 && told.length <= 2, `one notification per NaN finding (D and G): ${told.join(' | ')}`);
      assert.ok(!(await vs.notifications()).some((n) => n.includes(oldRun)), 'the old run is silent');

      // D's NaN and G's Infinity are two findings, two notifications: mute the run from the second.
      const toasts = vs.page.locator('.notification-toast', { hasText: 'NaN/Inf' });
      if ((await toasts.count()) > 1) {
        await toasts.nth(1).locator('.monaco-button', { hasText: 'Mute this run' }).click();
        assert.ok(await vs.extensionLogLine(/live: nan-run\/result: muted/), 'Mute this run is logged');
      }
      await toasts.first().locator('.monaco-button', { hasText: 'Inspect' }).click();
      await vs.page.locator('.tabs-container .tab.active', { hasText: 'result' }).first().waitFor({ timeout: 45_000 });
      const frame = await vs.webviewFrame(async (f) => (await f.locator('#app[data-view-start]').count()) > 0 && (await vs.isFrameVisible(f)), 45_000);
      const view = await frame.evaluate(() => ({
        start: Number(document.getElementById('app')!.dataset.viewStart),
        end: Number(document.getElementById('app')!.dataset.viewEnd),
      }));
      await vs.screenshot('live-alert-inspect');
      // The finding (D's NaN from 3,001 or G's Infinity from 3,000, to the newest step when it was told).
      assert.ok(view.start >= 2900 && view.start <= 3001 && view.end < 5999, `the inspector is zoomed to the finding: ${JSON.stringify(view)}`);
    });

    test('replaying a healthy run: it trains, and no notification comes', async () => {
      await replayInto('healthy-bce-padded-rgb', 'healthy-run');
      // The last records need a read and a look too.
      await vs.page.waitForTimeout(5000);
      const rows = await vs.treeRows('Runs', 3);
      const row = rows.find((r) => r.text.includes('healthy-run'));
      assert.ok(row && row.icon === 'pulse', `the healthy run is live: ${row?.icon} ${row?.text}`);
      const after = await vs.notifications();
      await vs.screenshot('live-healthy');
      assert.deepEqual(
        after.filter((n) => /healthy-run|old-run/.test(n)),
        [],
        'no notification for the healthy run or the old one',
      );
      // Every alert is a line in the extension's log: the NaN run's two (G's Infinity, D's NaN), once each.
      const alerts = vs
        .extensionLog()
        .split('\n')
        .filter((l) => / live: /.test(l) && !/muted/.test(l));
      assert.equal(alerts.filter((l) => l.includes('live: nan-run/result: non-finite (error) at step 300')).length, 2, alerts.join('\n'));
      assert.deepEqual(
        alerts.filter((l) => /healthy-run|old-run/.test(l)),
        [],
        'nothing became news in the healthy run or the old one',
      );
    });
  },
);
