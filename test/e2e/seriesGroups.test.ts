// A run that logs more than D and G (StyleGAN-style names: `Loss/…`, `Timing/…`, `Resources/…`,
// `Progress/…`) in real VS Code: the inspector shows D and G, the rest folded in groups; turning a
// bookkeeping series on draws it on its own axis, and that choice survives a window reload, as
// does turning it off again.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { e2eSuite, waitForChart, type VsCode } from './harness';
import { makeWorkspace, removeWorkspace } from './workspace';

declare const window: any;
declare const document: any;

const run = 'stylegan-like-run';
const SERIES = 'Timing/sec_per_kimg';
let workspace = '';
after(() => removeWorkspace(workspace));

/** A CSV as a logger of a StyleGAN-like training writes it: 80 ticks of losses, a penalty, timings, memory, augmentation. */
function writeRun(root: string): void {
  const header = [
    'kimg',
    'Loss/D/loss',
    'Loss/G/loss',
    'Loss/r1_penalty',
    'Timing/sec_per_kimg',
    'Timing/total_sec',
    'Resources/cpu_mem_gb',
    'Progress/augment',
  ];
  const rows = [header.join(',')];
  for (let i = 0; i < 80; i++) {
    const k = i * 4;
    const wobble = Math.sin(i * 1.7) * 0.03;
    rows.push(
      [
        k,
        0.2 + 0.6 * (1 - Math.exp(-i / 15)) + wobble,
        1.6 + 3 * Math.exp(-i / 10) + wobble,
        0.05 + wobble / 10,
        40 + 600 * Math.exp(-i / 3),
        40 * k,
        5.1 + i / 100,
        Math.min(0.4, i / 200),
      ]
        .map((v) => String(Number(v.toFixed(5))))
        .join(','),
    );
  }
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'stats.csv'), rows.join('\n') + '\n');
}

async function inspectorFrame(vs: VsCode, timeoutMs = 60_000): Promise<Frame> {
  await vs.page.locator('.tabs-container .tab.active', { hasText: run }).first().waitFor({ timeout: timeoutMs });
  return vs.webviewFrame(async (f) => (await f.locator('#loss-chart').count()) > 0 && (await vs.isFrameVisible(f)), timeoutMs);
}

/** The toggle of one series, its group's open state, and whether the chart draws it on the side axis. */
async function seriesState(frame: Frame): Promise<{ checked: boolean; groupOpen: boolean; drawnOnSide: boolean }> {
  return frame.evaluate((name) => {
    const box = [...document.querySelectorAll('vscode-checkbox[data-series]')].find((b: any) => b.label === name);
    const chart = window.ganInspector.chart.chart;
    return {
      checked: !!box?.checked,
      groupOpen: !box?.closest('.group-box')?.hidden,
      drawnOnSide: chart.data.datasets.some((d: any) => d.label === name && d.yAxisID === 'y2') && chart.options.scales.y2.display === true,
    };
  }, SERIES);
}

/** Clicks the series' checkbox as a user does (its id looked up by its label). */
async function clickSeries(frame: Frame): Promise<void> {
  const id = await frame.evaluate(
    (name) => [...document.querySelectorAll('vscode-checkbox[data-series]')].find((b: any) => b.label === name)?.getAttribute('data-series'),
    SERIES,
  );
  assert.ok(id, `no toggle for ${SERIES}`);
  await frame.locator(`vscode-checkbox[data-series="${id}"]`).click();
}

/** VS Code's own "Reload Window": it shuts the window down as a user's reload does, saving the editors and the webview's state. */
async function reload(vs: VsCode): Promise<Frame> {
  const navigated = vs.page.waitForEvent('framenavigated', { predicate: (f) => f === vs.page.mainFrame(), timeout: 60_000 });
  await vs.runCommand('Developer: Reload Window');
  await navigated;
  await vs.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  const tab = vs.page.locator('.tabs-container .tab', { hasText: run }).first();
  await tab.waitFor({ timeout: 60_000 });
  await tab.click();
  const frame = await inspectorFrame(vs);
  await waitForChart(frame, 300, 60_000);
  return frame;
}

e2eSuite(
  'e2e series groups: a bookkeeping series turned on and off survives a window reload',
  () => {
    workspace = makeWorkspace();
    writeRun(join(workspace, run));
    return workspace;
  },
  (vs) => {
    test('D and G shown, bookkeeping folded; a timing series turned on is drawn on its own axis and is still on after a reload', async () => {
      await vs.rightClickInExplorer(run);
      await vs.pickContextMenu('Inspect GAN run');
      let frame = await inspectorFrame(vs);
      await waitForChart(frame);
      const shown = await frame.evaluate(() => window.ganInspector.chart.chart.data.datasets.map((d: any) => d.label));
      assert.deepEqual([...new Set(shown)].sort(), ['Loss/D/loss', 'Loss/G/loss']);
      assert.deepEqual(await seriesState(frame), { checked: false, groupOpen: false, drawnOnSide: false });
      await vs.screenshot('series-groups-opened');

      await frame.locator('button.group-expand[data-group="run0:prefix:timing"]').click();
      const views = await frame.evaluate(() => window.ganInspector.stats.views);
      await clickSeries(frame);
      await frame.waitForFunction((v) => window.ganInspector.stats.views > v, views, { timeout: 20_000 });
      assert.deepEqual(await seriesState(frame), { checked: true, groupOpen: true, drawnOnSide: true });
      await vs.screenshot('series-groups-timing-on');

      frame = await reload(vs);
      await frame.waitForFunction(() => window.ganInspector.stats.views > 0);
      await vs.screenshot('series-groups-after-reload-on');
      assert.deepEqual(await seriesState(frame), { checked: true, groupOpen: true, drawnOnSide: true });
    });

    test('turned off again, it stays off after the next reload', async () => {
      let frame = await inspectorFrame(vs);
      const views = await frame.evaluate(() => window.ganInspector.stats.views);
      await clickSeries(frame);
      await frame.waitForFunction((v) => window.ganInspector.stats.views > v, views, { timeout: 20_000 });
      assert.deepEqual(await seriesState(frame), { checked: false, groupOpen: true, drawnOnSide: false });

      frame = await reload(vs);
      await frame.waitForFunction(() => window.ganInspector.stats.views > 0);
      await vs.screenshot('series-groups-after-reload-off');
      assert.deepEqual(await seriesState(frame), { checked: false, groupOpen: true, drawnOnSide: false });
    });
  },
);
