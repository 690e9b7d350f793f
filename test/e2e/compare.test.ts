// Compare runs: two runs in one inspector, each in its own colours, opened the ways a user opens it —
// the command palette's "Compare GAN runs" with a pick of both runs, a multi-selection in the
// Explorer, and a multi-selection in the GAN Runs view. One set of runs is one panel.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { PNG } from 'pngjs';
import { e2eSuite, waitForChart, type VsCode } from './harness';
import { exampleRun, goodRun, makeWorkspace, problemLosses, problemRun, removeWorkspace } from './workspace';
import { writeNpy } from '../support/npy';

// Functions passed to frame.evaluate run in the webview page; the host tsconfig has no DOM types.
declare const document: any;
declare function getComputedStyle(el: unknown): { getPropertyValue(name: string): string };

let workspace = '';
after(() => removeWorkspace(workspace));

const bothRuns = [goodRun, problemRun];
const tabWithBoth = (vs: VsCode) => vs.page.locator('.tabs-container .tab', { hasText: goodRun }).filter({ hasText: problemRun });

/** The comparison's frame: its tab (naming both runs) is the active one and its visible webview has a canvas. */
async function compareFrame(vs: VsCode, timeoutMs = 60_000): Promise<Frame> {
  await vs.page.locator('.tabs-container .tab.active', { hasText: goodRun }).filter({ hasText: problemRun }).first().waitFor({ timeout: timeoutMs });
  return vs.webviewFrame(async (f) => (await f.locator('canvas').count()) > 0 && (await vs.isFrameVisible(f)), timeoutMs);
}

/** The series toggles of the inspector: id (`run0/1`…) and label (`run: series` when comparing). */
async function seriesLabels(frame: Frame): Promise<{ id: string; label: string }[]> {
  await frame.waitForFunction(() => document.querySelectorAll('vscode-checkbox[data-series]').length > 0, undefined, { timeout: 30_000 });
  return frame.evaluate(() =>
    [...document.querySelectorAll('vscode-checkbox[data-series]')].map((b: any) => ({
      id: String(b.getAttribute('data-series')),
      label: String(b.label ?? ''),
    })),
  );
}

type Rgb = [number, number, number];

function parseHex(hex: string): Rgb {
  const h = hex.trim().replace(/^#/, '');
  const full = h.length === 3 || h.length === 4 ? [...h.slice(0, 3)].map((c) => c + c).join('') : h.slice(0, 6);
  const n = parseInt(full, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * Pixels of the loss chart within a small distance of each colour: the smoothed curves are drawn in
 * exactly their run's colours, while the faint raw lines and finding bands are blended with the
 * background and stay away from them.
 */
async function colourCounts(frame: Frame, colours: Record<string, Rgb>): Promise<Record<string, number>> {
  const png = PNG.sync.read(await frame.locator('#loss-chart').screenshot());
  const counts: Record<string, number> = Object.fromEntries(Object.keys(colours).map((k) => [k, 0]));
  const d = png.data;
  for (let i = 0; i < d.length; i += 4) {
    for (const [name, [r, g, b]] of Object.entries(colours)) {
      if (Math.abs(d[i]! - r) <= 28 && Math.abs(d[i + 1]! - g) <= 28 && Math.abs(d[i + 2]! - b) <= 28) counts[name]!++;
    }
  }
  return counts;
}

/** Selects the rows with Ctrl+click (the first with a plain click), then right-clicks the last; returns the menu's labels. */
async function multiSelectAndRightClick(vs: VsCode, rows: import('playwright-core').Locator[]): Promise<string[]> {
  await rows[0]!.click();
  for (const row of rows.slice(1)) await row.click({ modifiers: ['Control'] });
  await rows[rows.length - 1]!.click({ button: 'right' });
  const items = vs.page.locator('.context-view .monaco-menu .action-item:not(.disabled) .action-label');
  await items.first().waitFor({ timeout: 15_000 });
  return items.evaluateAll((els) => els.map((e) => (e as { innerText: string }).innerText.trim()).filter(Boolean));
}

/**
 * Picks a context menu item and waits for the menu to close. A click that lands while the menu is
 * still settling (right after a webview had the focus) can be dropped; it is clicked again then.
 */
// The harness re-clicks a menu item the workbench dropped.
const pickMenuItem = (vs: VsCode, label: string) => vs.pickContextMenu(label);

e2eSuite(
  'e2e compare runs: two runs in one inspector',
  () => (workspace = makeWorkspace()),
  (vs) => {
    test('palette "Compare GAN runs", pick both runs: one inspector names both and paints both runs in their own colours', async () => {
      assert.ok(existsSync(exampleRun), `the bundled example run ${exampleRun} is missing`);
      await vs.runCommand('GAN: Compare GAN runs');
      const items = await vs.quickPickItems();
      for (const run of bothRuns)
        assert.ok(
          items.some((i) => i.includes(run)),
          `quick pick: ${items.join(' | ')}`,
        );
      // A multi-select pick: each row has a checkbox; ticking both and accepting opens one panel.
      await vs.pickQuickPick(goodRun);
      await vs.pickQuickPick(problemRun);
      // The rows of a multi-select pick are checkboxes to assistive technology: aria-checked says which are ticked.
      const ticked = await vs.page
        .locator('.quick-input-widget .quick-input-list .monaco-list-row')
        .evaluateAll((els) => els.filter((e) => (e as { getAttribute(n: string): string | null }).getAttribute('aria-checked') === 'true').length);
      await vs.screenshot('compare-quick-pick');
      assert.equal(ticked, 2, 'both runs ticked in the pick');
      await vs.page.locator('.quick-input-widget .quick-input-box input').press('Enter');

      const frame = await compareFrame(vs);
      const pixels = await waitForChart(frame, 600);
      const heading = await frame.locator('h1').first().innerText();
      const labels = await seriesLabels(frame);
      // Which run got the first colours is the pick's order: read it from the series ids. A run's
      // name is its path in the workspace (e.g. mnist-run/result).
      const runOf = (i: number) => {
        const name = labels.find((l) => l.id.startsWith(`run${i}/`))?.label.split(': ')[0] ?? '';
        return bothRuns.find((r) => name.startsWith(r)) ?? name;
      };
      const run0Colours = await frame.evaluate(() => ({
        d: getComputedStyle(document.body).getPropertyValue('--vscode-charts-blue').trim() || '#1a85ff',
        g: getComputedStyle(document.body).getPropertyValue('--vscode-charts-orange').trim() || '#d18616',
      }));
      const counts = await colourCounts(frame, {
        run0D: parseHex(run0Colours.d),
        run0G: parseHex(run0Colours.g),
        // webview/colors.ts: the second run's D and G pair.
        run1D: parseHex('#17becf'),
        run1G: parseHex('#bcbd22'),
      });
      const text = await frame.evaluate(() => document.body.innerText as string);
      await vs.screenshot('compare-inspector');
      console.log(`compare: heading "${heading}"; run0 = ${runOf(0)}, run1 = ${runOf(1)}; series ${labels.map((l) => l.label).join(' | ')}`);
      console.log(`compare: chart pixels ${JSON.stringify(pixels)}; in each run's colours ${JSON.stringify(counts)}`);

      for (const run of bothRuns) assert.ok(heading.includes(run), `the heading does not name ${run}: ${heading}`);
      assert.deepEqual([runOf(0), runOf(1)].sort(), [...bothRuns].sort(), `series labels: ${labels.map((l) => `${l.id}=${l.label}`).join(' | ')}`);
      for (const run of bothRuns)
        assert.ok(labels.filter((l) => l.label.startsWith(run)).length >= 2, `${run} has no D and G series: ${labels.map((l) => l.label).join(' | ')}`);
      // Each run's curves are on the chart in its own pair of colours. (A D loss stuck near 0 mostly
      // hides behind the x axis, so per colour only a little is asked; per run much more.)
      for (const run of ['run0', 'run1']) {
        const d = counts[`${run}D`]!;
        const g = counts[`${run}G`]!;
        assert.ok(d >= 15 && g >= 15 && d + g >= 300, `${run} (${runOf(Number(run.slice(3)))}) is hardly on the chart: ${JSON.stringify(counts)}`);
      }
      // Findings of a comparison say which run they belong to.
      for (const run of bothRuns) assert.ok(text.includes(run), `the findings do not name ${run}`);
      assert.match(text, /discriminator won|dominan|stuck|saturat|D too strong/i, 'the problem run shows no discriminator finding');
      const tabs = await tabWithBoth(vs).count();
      assert.equal(tabs, 1, 'one comparison tab');
      const blocked = vs.console.filter((m) => /Content Security Policy|Refused to/i.test(m.text));
      assert.deepEqual(
        blocked.map((m) => m.text.slice(0, 200)),
        [],
        'the webview CSP blocked something',
      );
    });

    test('the same two runs multi-selected in the Explorer: "Compare GAN runs" reveals the same panel', async () => {
      await vs.page.keyboard.press('Escape');
      // Another editor in front, so "reveals" is visible as the comparison becoming active again.
      await vs.openFileInEditor(`${problemRun}/train.py`);
      const rows = [await vs.explorerRow(goodRun), await vs.explorerRow(problemRun)];
      const labels = await multiSelectAndRightClick(vs, rows);
      await vs.screenshot('compare-explorer-menu');
      assert.ok(labels.includes('Compare GAN runs'), `context menu: ${labels.join(' | ')}`);
      await pickMenuItem(vs, 'Compare GAN runs');
      const frame = await compareFrame(vs);
      const pixels = await waitForChart(frame, 600);
      assert.ok(pixels.coloured >= 600, `the chart shows no curves (${JSON.stringify(pixels)})`);
      assert.equal(await tabWithBoth(vs).count(), 1, `tabs: ${(await vs.tabTitles()).join(' | ')}`);
    });

    test('"Inspect GAN run" on one of them still opens that run alone, in a panel of its own', async () => {
      await vs.page.keyboard.press('Escape');
      // A plain click first: with both folders still selected, the menu would compare them again.
      await (await vs.explorerRow(goodRun)).click();
      await vs.rightClickInExplorer(goodRun);
      await pickMenuItem(vs, 'Inspect GAN run');
      await vs.page.locator('.tabs-container .tab.active', { hasText: goodRun, hasNotText: problemRun }).first().waitFor({ timeout: 45_000 });
      const active = (await vs.tabTitles())[0] ?? '';
      const frame = await vs.webviewFrame(async (f) => (await f.locator('canvas').count()) > 0 && (await vs.isFrameVisible(f)), 45_000);
      const pixels = await waitForChart(frame);
      const heading = await frame.locator('h1').first().innerText();
      await vs.screenshot('compare-single-run-beside');
      assert.ok(active.includes(goodRun) && !active.includes(problemRun), `active tab: ${active}`);
      assert.ok(heading.includes(goodRun) && !heading.includes(problemRun), `heading: ${heading}`);
      assert.ok(pixels.coloured >= 300, `the chart shows no curve (${JSON.stringify(pixels)})`);
      assert.equal(await tabWithBoth(vs).count(), 1, 'the comparison is still there, once');
    });

    test('two runs multi-selected in the GAN Runs view: "Compare selected runs" reveals the comparison', async () => {
      await vs.page.keyboard.press('Escape');
      await vs.showViewContainer('GAN Runs');
      await vs.treeRows('Runs', 2, 60_000);
      const labels = await multiSelectAndRightClick(vs, [vs.treeRow('Runs', goodRun), vs.treeRow('Runs', problemRun)]);
      await vs.screenshot('compare-runs-view-menu');
      assert.ok(labels.includes('Compare selected runs'), `context menu: ${labels.join(' | ')}`);
      // The title bar offers the same action while two runs are selected.
      const titleAction = vs.page.locator('.pane-header .actions .action-label[aria-label^="Compare selected runs"]');
      await pickMenuItem(vs, 'Compare selected runs');
      await compareFrame(vs);
      assert.equal(await tabWithBoth(vs).count(), 1, `tabs: ${(await vs.tabTitles()).join(' | ')}`);
      assert.ok((await titleAction.count()) >= 1, 'no "Compare selected runs" action in the view title');
    });

    test('training rewrites one compared run: the comparison shows the longer run within seconds', async () => {
      const frame = await compareFrame(vs);
      const longer = 5000;
      const { d, g } = problemLosses(longer);
      const started = Date.now();
      writeNpy(join(workspace, problemRun, 'result', 'discriminator_loss.npy'), d);
      writeNpy(join(workspace, problemRun, 'result', 'generator_loss.npy'), g);
      // The summary counts every point of the 4 series: mnist-run's 2 × 30,000 plus the problem run's 2 × 5,000.
      const points = 2 * 30_000 + 2 * longer;
      const updated = await frame
        .waitForFunction((n) => new RegExp(`\\b${n}\\b points`).test(document.body.innerText.replace(/[,.\u202f\u00a0 ](?=\d{3}\b)/g, '')), points, {
          timeout: 20_000,
        })
        .then(
          () => true,
          () => false,
        );
      const seconds = (Date.now() - started) / 1000;
      const summary = await frame.locator('.summary').first().innerText();
      await vs.screenshot('compare-live-refresh');
      console.log(`compare live refresh: "${summary}" after ${seconds.toFixed(1)} s`);
      assert.ok(updated, `the comparison still shows: ${summary}`);
      assert.ok(seconds <= 15, `the comparison took ${seconds.toFixed(1)} s to update`);
    });

    test('after a window reload the comparison comes back with both runs', async () => {
      await vs.page.reload();
      await vs.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
      const tab = tabWithBoth(vs).first();
      await tab.waitFor({ timeout: 60_000 });
      await tab.click();
      const frame = await compareFrame(vs);
      const pixels = await waitForChart(frame, 600, 60_000);
      const heading = await frame.locator('h1').first().innerText();
      await vs.screenshot('compare-after-reload');
      for (const run of bothRuns) assert.ok(heading.includes(run), `the restored heading does not name ${run}: ${heading}`);
      assert.ok(pixels.coloured >= 600, `the restored chart shows no curves (${JSON.stringify(pixels)})`);
      assert.equal(await tabWithBoth(vs).count(), 1, `tabs: ${(await vs.tabTitles()).join(' | ')}`);
    });
  },
);
