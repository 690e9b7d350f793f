// The inspector webview, opened the two ways a user opens it: right-click on the run folder in the
// Explorer, and the command palette's quick pick of runs. It must paint the loss chart, show a
// sample image and name the findings.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { e2eSuite, waitForChart, type PageElement, type VsCode } from './harness';

declare const document: { body: PageElement; images: Iterable<{ complete: boolean; naturalWidth: number; getBoundingClientRect(): { width: number } }> };
import { exampleRun, goodRun, makeWorkspace, problemRun, removeWorkspace } from './workspace';

let workspace = '';
after(() => removeWorkspace(workspace));

/** The inspector's frame for a run: its tab is the active one and its visible webview has a canvas. */
async function inspectorFrame(vs: VsCode, run: string, timeoutMs = 45_000): Promise<Frame> {
  await vs.page.locator('.tabs-container .tab.active', { hasText: run }).first().waitFor({ timeout: timeoutMs });
  return vs.webviewFrame(async (f) => (await f.locator('canvas').count()) > 0 && (await vs.isFrameVisible(f)), timeoutMs);
}

/** Findings are named in the user's words; any of the engine's kinds counts. */
const findingWords = /equilibrium|mode collapse|dominan|discriminator won|generator won|stuck|saturat|explod|oscillat|non-finite|NaN/i;

e2eSuite(
  'e2e inspector: Explorer context menu and command palette open the inspector webview',
  () => (workspace = makeWorkspace()),
  (vs) => {
    test('right-click the example run folder, "Inspect GAN run": chart painted, a sample shown, findings named', async () => {
      assert.ok(existsSync(exampleRun), `the bundled example run ${exampleRun} is missing`);
      const labels = await vs.rightClickInExplorer(goodRun);
      assert.ok(labels.includes('Inspect GAN run'), `context menu: ${labels.join(' | ')}`);
      await vs.pickContextMenu('Inspect GAN run');
      const frame = await inspectorFrame(vs, goodRun);
      // Chart.js paints after layout and data arrive: wait until the canvas really has curves on it.
      const pixels = await waitForChart(frame);
      await vs.screenshot('inspector-from-explorer');
      // A sample shown = a laid-out <img> whose bytes arrived through the webview resource URI.
      const sample = frame.locator('img:visible').first();
      await sample.waitFor({ timeout: 30_000 });
      await frame.waitForFunction(() => [...document.images].some((i) => i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().width > 0), undefined, {
        timeout: 30_000,
      });
      await sample.scrollIntoViewIfNeeded();
      await vs.screenshot('inspector-sample-gallery');
      const text = await frame.evaluate(() => document.body.innerText);
      console.log(`inspector ${goodRun}: chart pixels painted ${pixels.painted}, in series colours ${pixels.coloured}`);
      assert.ok(pixels.coloured >= 300, `the chart shows no curve (${JSON.stringify(pixels)})`);
      assert.match(text, findingWords, 'the inspector names no finding');
      // A blocked script, style or image in the webview shows up as a CSP report in the console.
      const blocked = vs.console.filter((m) => /Content Security Policy|Refused to/i.test(m.text));
      for (const m of vs.console.filter((c) => /webview|vscode-cdn|vscode-resource/.test(c.url)))
        console.log(`webview console ${m.type}: ${m.text.slice(0, 200)}`);
      assert.deepEqual(
        blocked.map((m) => m.text.slice(0, 200)),
        [],
        'the webview CSP blocked something',
      );
      // The webview told the host it painted, and the host wrote how long the open took to its log
      // (the Output panel's "GAN Run Inspector" channel), naming the run.
      const painted = await vs.extensionLogLine(
        new RegExp(`\\[info\\] Inspector ${goodRun}\\S*: first chart painted [\\d,]+ ms after open \\(.*\\d+ series, [\\d,]+ points, [\\d,]+ drawn\\)`),
      );
      console.log(`extension log: ${painted}`);
      assert.ok(painted, `no "first chart painted" line for ${goodRun} in the extension's log:\n${vs.extensionLog().slice(-1000)}`);
    });

    test('a second "Inspect GAN run" on the same run reveals the existing panel', async () => {
      await vs.rightClickInExplorer(goodRun);
      await vs.pickContextMenu('Inspect GAN run');
      await inspectorFrame(vs, goodRun);
      const tabs = (await vs.tabTitles()).filter((t) => t.includes(goodRun));
      assert.equal(tabs.length, 1, `tabs: ${tabs.join(' | ')}`);
    });

    test('the command palette offers a quick pick of runs and opens the chosen one', async () => {
      await vs.runCommand('GAN: Inspect GAN run');
      const items = await vs.quickPickItems();
      await vs.screenshot('palette-quick-pick-of-runs');
      assert.ok(
        items.some((i) => i.includes(problemRun)),
        `quick pick: ${items.join(' | ')}`,
      );
      if (existsSync(exampleRun))
        assert.ok(
          items.some((i) => i.includes(goodRun)),
          `quick pick: ${items.join(' | ')}`,
        );
      await vs.pickQuickPick(problemRun);
      const frame = await inspectorFrame(vs, problemRun);
      await frame.waitForFunction(() => document.body.innerText.length > 0);
      const pixels = await waitForChart(frame);
      const text = await frame.evaluate(() => document.body.innerText);
      await vs.screenshot('inspector-from-palette');
      assert.ok(pixels.coloured >= 300, `the chart shows no curve (${JSON.stringify(pixels)})`);
      assert.match(text, /discriminator won|dominan|stuck|saturat/i, 'the problem run shows no discriminator finding');
    });
  },
);
