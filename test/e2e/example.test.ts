// The walkthrough's first step, as a new user takes it: with no run of their own (an empty
// workspace), "Open the example GAN run" from the command palette copies the example that ships in
// the .vsix to the extension's storage and opens the inspector on it (chart painted, samples shown)
// with its train.py beside it, where the hover on the loss path works outside the workspace.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { e2eSuite, waitForChart, type PageElement, type VsCode } from './harness';

declare const document: { body: PageElement; images: Iterable<{ complete: boolean; naturalWidth: number; getBoundingClientRect(): { width: number } }> };

let workspace = '';
after(() => {
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

async function inspectorFrame(vs: VsCode): Promise<Frame> {
  return vs.webviewFrame(async (f) => (await f.locator('canvas').count()) > 0 && (await vs.isFrameVisible(f)), 60_000);
}

/** Files named `name` below `dir`. */
function find(dir: string, name: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? find(p, name) : n === name ? [p] : [];
  });
}

e2eSuite(
  'e2e example: "Open the example GAN run" from an empty workspace',
  () => (workspace = mkdtempSync(join(tmpdir(), 'gan-e2e-empty-'))),
  (vs) => {
    test('the palette command opens the inspector on the example: chart painted, sample gallery shown, train.py beside it', async () => {
      await vs.runCommand('GAN: Open the example GAN run');
      const frame = await inspectorFrame(vs);
      const pixels = await waitForChart(frame);
      console.log(`example inspector: chart pixels painted ${pixels.painted}, in series colours ${pixels.coloured}`);
      assert.ok(pixels.coloured >= 300, `the chart shows no curve (${JSON.stringify(pixels)})`);
      await frame.locator('.gallery img.sample:visible').first().waitFor({ timeout: 30_000 });
      await frame.waitForFunction(() => [...document.images].some((i) => i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().width > 0), undefined, {
        timeout: 30_000,
      });
      await vs.screenshot('example-opened');
      await frame.locator('.gallery').first().scrollIntoViewIfNeeded();
      await vs.screenshot('example-sample-gallery');
      const text = await frame.evaluate(() => document.body.innerText);
      assert.match(text, /equilibrium|discriminator won|mode collapse/i, 'the inspector names no finding');
      const tabs = await vs.tabTitles();
      assert.ok(
        tabs.some((t) => /train\.py/.test(t)),
        `no train.py tab: ${tabs.join(' | ')}`,
      );
      assert.ok(
        tabs.some((t) => /^GAN: /.test(t)),
        `no inspector tab: ${tabs.join(' | ')}`,
      );
      // Copied out of the (possibly read-only) extension folder into the extension's global storage.
      const profile = vs['profile'];
      const copies = find(join(profile, 'data', 'User', 'globalStorage'), 'train.py');
      assert.equal(copies.length, 1, `copies of train.py in global storage: ${copies.join(', ')}`);
      assert.ok(existsSync(join(copies[0]!, '..', 'result', 'image', '29800.png')), copies[0]);
    });

    test("in the example's train.py, outside the workspace, hovering the loss path shows the run's 30,000 steps", async () => {
      await vs.page.locator('.tabs-container .tab', { hasText: 'train.py' }).first().click();
      await vs.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: 20_000 });
      // The np.save lines sit below the fold of a short window: go to them first.
      await vs.page.keyboard.press('Control+G');
      await vs.page.keyboard.type('35');
      await vs.page.keyboard.press('Enter');
      const hover = await vs.hoverText('./result/discriminator_loss.npy', /discriminator_loss\s+30[,.\u202f\u00a0 ]?000 steps/, 45_000);
      await vs.screenshot('example-train-py-hover');
      console.log(`hover: ${hover.replace(/\s+/g, ' ').slice(0, 200)}`);
      // The run's own hover (not only the Problems squiggle's message): the series and its length.
      assert.match(hover, /discriminator_loss\s+30[,.\u202f\u00a0 ]?000 steps/);
    });

    test('running it again reuses the copy and reveals the same inspector', async () => {
      await vs.runCommand('GAN: Open the example GAN run');
      await inspectorFrame(vs);
      const tabs = (await vs.tabTitles()).filter((t) => /^GAN: /.test(t));
      assert.equal(tabs.length, 1, `inspector tabs: ${tabs.join(' | ')}`);
      assert.equal(find(join(vs['profile'], 'data', 'User', 'globalStorage'), 'train.py').length, 1);
    });

    test("the walkthrough's first step has the button, and it opens the example and ticks the step", async () => {
      await vs.runCommand('View: Close All Editors');
      await vs.page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: 20_000 });
      await vs.runCommand('Welcome: Open Walkthrough...');
      await vs.pickQuickPick('Get started with GAN Run Inspector');
      const step = vs.page.locator('.getting-started-step[data-step-id$="openRun"]').first();
      await step.waitFor({ timeout: 30_000 });
      const button = vs.page.locator('.gettingStartedContainer .monaco-button', { hasText: 'Open the example GAN run' }).first();
      await button.waitFor({ timeout: 30_000 });
      await vs.screenshot('example-walkthrough-step');
      await button.click();
      const frame = await inspectorFrame(vs);
      const pixels = await waitForChart(frame);
      assert.ok(pixels.coloured >= 300, `the chart shows no curve (${JSON.stringify(pixels)})`);
      // completionEvents: onCommand:ganInspector.openExample ticks the step.
      await vs.page.locator('.tabs-container .tab', { hasText: 'Walkthrough' }).first().click();
      await step.waitFor({ timeout: 20_000 });
      const checked = await step.locator('.codicon-getting-started-step-checked').count();
      await vs.screenshot('example-walkthrough-step-done');
      assert.ok(checked > 0, 'the walkthrough step is not ticked');
    });
  },
);
