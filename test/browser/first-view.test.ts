// The first view sent inside the init message (src/chart/firstView.ts), in real Chromium under the
// panel's CSP: when it is the view the chart would ask for, the page paints it without a request,
// pixel for pixel what the asked view paints; at fewer points than the chart's pixels it is drawn
// and the exact view asked after it; made for another smoothing, it is not drawn and the page asks.
// The open draws the chart's data once (range, data, findings and step set in one batch).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium, type Browser } from 'playwright-core';
import { inspectPaths, type Inspection } from '../../src/core/inspect';
import { runSummary } from '../../src/chart/runSummary';
import { firstViewRequest } from '../../src/chart/firstView';
import { PanelSeries } from '../../src/extension/inspector/data';
import type { FirstView, FromWebview, RunSummary } from '../../src/protocol';
import { LAUNCH, buildWebview, chromiumMissing, makeRun, type FixtureRun } from './fixture';
import { hostAsPanel, sampleDataUris, viewRequests, writePanelPage } from './panelPage';
import { STAND_IN } from './standIn';

declare const window: { ganInspector?: { stats: { views: number }; chartDraws: number } };

const skip = chromiumMissing();
const SMOOTHING = 0.6;

describe('the first view sent with init', { skip: skip ?? false }, () => {
  let run: FixtureRun;
  let inspection: Inspection;
  let summary: RunSummary;
  let url = '';
  let browser: Browser;

  before(async () => {
    buildWebview();
    run = await makeRun();
    inspection = (await inspectPaths([run.parent])).inspections[0]!;
    const uris = await sampleDataUris(inspection);
    summary = runSummary(inspection, 'run0', (rel) => uris.get(rel)!);
    url = await writePanelPage(run.parent);
    browser = await chromium.launch(LAUNCH);
  });
  after(async () => {
    await browser?.close();
    await run?.cleanup();
  });

  /** The first view as the panel makes it for the init message. */
  function pushedView(data: PanelSeries, width: number, smoothing: number): FirstView {
    const request = data.firstViewRequest([summary], width, smoothing)!;
    return { request, result: data.view(request) };
  }

  /** Opens the panel with `pushed` (made from the panel's data) in its init; what the page asked and painted. */
  async function open(pushed: (data: PanelSeries) => FirstView | undefined) {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const received: FromWebview[] = [];
    const data = new PanelSeries([{ runId: 'run0', inspection }]);
    const view = pushed(data);
    await hostAsPanel(page, data, received, (msg) =>
      msg.type === 'ready' ? { type: 'init', host: 'vscode', runs: [summary], settings: { smoothing: SMOOTHING }, l10n: undefined, view } : undefined,
    );
    await page.addInitScript(STAND_IN);
    await page.goto(url);
    await page.waitForFunction(() => (window.ganInspector?.stats.views ?? 0) > 0);
    // Room for a follow-up request and its answer.
    await page.waitForTimeout(600);
    const views = await page.evaluate(() => window.ganInspector!.stats.views);
    const draws = await page.evaluate(() => window.ganInspector!.chartDraws);
    const chart = await page.locator('#loss-chart').screenshot();
    await page.context().close();
    return { requests: viewRequests(received), views, draws, chart };
  }

  test('the pushed view at the chart width is painted without a request, as the asked view is', async () => {
    const asked = await open(() => undefined);
    assert.equal(asked.requests.length, 1);
    const req = asked.requests[0]!;
    // The host makes the request the page makes: D and G shown, the extra series off until chosen.
    const { seriesIds, start, end, smoothing } = firstViewRequest([summary], req.width, SMOOTHING);
    assert.deepEqual({ seriesIds: req.seriesIds, start: req.start, end: req.end, smoothing: req.smoothing }, { seriesIds, start, end, smoothing });
    assert.equal(seriesIds.length, 2);

    const pushed = await open((data) => pushedView(data, req.width, SMOOTHING));
    assert.equal(pushed.requests.length, 0, 'no view asked for');
    assert.equal(pushed.views, 1);
    assert.ok(pushed.chart.equals(asked.chart), 'the pushed view paints the chart the asked view paints');
    // The empty chart Chart.js draws when it is made, then range, data, findings and step in one draw.
    assert.equal(pushed.draws, 2, 'the open draws its data once');
  });

  test('a pushed view coarser than the chart is drawn, then the exact view is asked for', async () => {
    const width = (await open(() => undefined)).requests[0]!.width;
    const coarse = await open((data) => pushedView(data, Math.round(width * 0.7), SMOOTHING));
    assert.equal(coarse.requests.length, 1);
    assert.equal(coarse.requests[0]!.width, width);
    assert.equal(coarse.views, 2);
  });

  test('a pushed view of another smoothing is not drawn: the page asks for its own', async () => {
    const width = (await open(() => undefined)).requests[0]!.width;
    const other = await open((data) => pushedView(data, width, 0.2));
    assert.equal(other.requests.length, 1);
    assert.equal(other.requests[0]!.smoothing, SMOOTHING);
    assert.equal(other.views, 1);
  });
});
