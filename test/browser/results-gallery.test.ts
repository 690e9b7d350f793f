// A run's results (images on no step: test outputs, a batch by position) in the inspector webview,
// under the panel's CSP in real headless Chromium: shown in their own section apart from the
// samples and the scrubber, a double-click opens the original, a hostile file name renders as text
// (no element, no script), and a stage's reference stands beside every sample of its stage.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inspectPaths, type Inspection } from '../../src/core/inspect';
import { PanelSeries } from '../../src/extension/inspector/data';
import { runSummary } from '../../src/chart/runSummary';
import type { FromWebview, RunSummary } from '../../src/protocol';
import { LAUNCH, SAMPLE_STEPS, chromiumMissing, makeRun, type FixtureRun } from './fixture';
import { hostAsPanel, writePanelPage } from './panelPage';
import { STAND_IN } from './standIn';

declare const window: any;
declare const document: any;

const skip = chromiumMissing();
// A file name is data from the user's disk: markup in it must stay text.
const HOSTILE_RESULT = 'test/<img src=x onerror=window.__pwned=5> <script>window.__pwned=6</script>_7.png';

describe("a run's results in the inspector webview", { skip: skip ?? false }, () => {
  let run: FixtureRun;
  let browser: Browser;
  let page: Page;
  let inspection: Inspection;
  let summary: RunSummary;
  const received: FromWebview[] = [];
  const dataUri = async (rel: string) => `data:image/png;base64,${(await readFile(path.join(inspection.run.root, ...rel.split('/')))).toString('base64')}`;

  before(async () => {
    run = await makeRun();
    inspection = (await inspectPaths([run.parent])).inspections[0]!;
    const data = new PanelSeries([{ runId: 'run0', inspection }]);
    const uris = new Map<string, string>();
    for (const s of inspection.run.samples) uris.set(s.path, await dataUri(s.path));
    const picture = uris.get(inspection.run.samples[0]!.path)!;
    summary = runSummary(inspection, 'run0', (rel) => uris.get(rel) ?? picture);
    summary.results = [
      { path: 'test/test_arange_0.png', uri: picture },
      { path: 'test/test_arange_11.png', uri: picture },
      { path: HOSTILE_RESULT, uri: picture },
    ];
    // A stage's own image (SinGAN's real_scale.png) beside every sample of its stage: steps 400–1200.
    summary.references = [{ step: 400, until: 1200, path: '1/real_scale.png', uri: picture }];
    const url = await writePanelPage(run.parent);
    browser = await chromium.launch(LAUNCH);
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await hostAsPanel(page, data, received, (msg) =>
      msg.type === 'ready' ? { type: 'init', host: 'vscode', runs: [summary], settings: { smoothing: 0.6 }, l10n: undefined } : undefined,
    );
    await page.addInitScript('window.__pwned = undefined;');
    await page.addInitScript(STAND_IN);
    await page.goto(url);
    await page.waitForFunction(() => window.ganInspector?.stats.views > 0);
  });

  after(async () => {
    await browser?.close();
    await run?.cleanup();
  });

  test('the results show in their own section, apart from the samples and never on the scrubber', async () => {
    const section = page.locator('section.results');
    await section.waitFor();
    assert.equal(await section.isVisible(), true);
    assert.match(await section.locator('h2').innerText(), /Results \(not on the step axis\)/);
    const captions = await page.evaluate(() => [...document.querySelectorAll('section.results figcaption')].map((c: any) => c.textContent));
    assert.deepEqual(captions, ['test_arange_0.png', 'test_arange_11.png', HOSTILE_RESULT.slice(HOSTILE_RESULT.lastIndexOf('/') + 1)]);
    const loaded = await page.evaluate(() => [...document.querySelectorAll('section.results img')].map((i: any) => i.complete && i.naturalWidth > 0));
    assert.deepEqual(loaded, [true, true, true]);
    // The scrubber steps through the samples only.
    assert.equal(await page.locator('#scrubber').getAttribute('max'), String(SAMPLE_STEPS.length - 1));
  });

  test('a hostile result name renders as text: no element made, no script run', async () => {
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'a name ran a script');
    assert.equal(await page.evaluate(() => document.querySelectorAll("section.results img[src='x'], section.results script, #app script").length), 0);
    const figure = await page.evaluate(
      (p) => [...document.querySelectorAll('section.results figure')].find((f: any) => f.title === p)?.querySelector('img').alt,
      HOSTILE_RESULT,
    );
    assert.equal(figure, `Result image ${HOSTILE_RESULT}`);
  });

  test('a double-click on a result opens the original', async () => {
    await page.locator('section.results img').nth(1).dblclick();
    await page.waitForFunction(() => window.__posted.some((m: any) => m.type === 'openSample'));
    assert.deepEqual(
      received.filter((m) => m.type === 'openSample'),
      [{ type: 'openSample', runId: 'run0', path: 'test/test_arange_11.png' }],
    );
  });

  test("a stage's reference stands beside every sample of its stage, and only there", async () => {
    const beside = async (step: number) => {
      await page.locator('#scrubber').evaluate((el: any, i: number) => {
        el.value = String(i);
        el.dispatchEvent(new Event('input'));
      }, SAMPLE_STEPS.indexOf(step));
      return page.evaluate(() => [...document.querySelectorAll('.gallery .reference-figure img')].map((i: any) => i.dataset.path));
    };
    assert.deepEqual(await beside(400), ['1/real_scale.png']);
    assert.deepEqual(await beside(1200), ['1/real_scale.png']);
    assert.deepEqual(await beside(1600), []);
    assert.deepEqual(await beside(0), []);
  });
});
