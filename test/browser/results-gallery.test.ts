// A run's results (images on no step: test outputs, a batch by position) in the inspector webview,
// under the panel's CSP in real headless Chromium: shown in their own section apart from the
// samples and the scrubber, a double-click opens the original, a hostile file name renders as text
// (no element, no script), and a stage's reference stands beside every sample of its stage.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { runSummary } from '../../src/chart/runSummary';
import type { FromWebview, RunSummary } from '../../src/protocol';
import { SAMPLE_STEPS, chromiumMissing, makeRun, type FixtureRun } from './fixture';
import { openPanel } from './panelPage';

declare const window: any;
declare const document: any;

const skip = chromiumMissing();
// A file name is data from the user's disk: markup in it must stay text.
const HOSTILE_RESULT = 'test/<img src=x onerror=window.__pwned=5> <script>window.__pwned=6</script>_7.png';

describe("a run's results in the inspector webview", { skip: skip ?? false }, () => {
  let run: FixtureRun;
  let browser: Browser;
  let page: Page;
  let summary: RunSummary;
  let received: FromWebview[];

  before(async () => {
    run = await makeRun();
    const opened = await openPanel(
      run,
      (inspection, uris) => {
        const picture = uris.get(inspection.run.samples[0]!.path)!;
        summary = runSummary(inspection, 'run0', (rel) => uris.get(rel) ?? picture);
        summary.results = [
          { path: 'test/test_arange_0.png', uri: picture },
          { path: 'test/test_arange_11.png', uri: picture },
          { path: HOSTILE_RESULT, uri: picture },
        ];
        // A stage's own image (SinGAN's real_scale.png) beside every sample of its stage: steps 400–1200.
        summary.references = [{ step: 400, until: 1200, path: '1/real_scale.png', uri: picture }];
        return summary;
      },
      'window.__pwned = undefined;',
    );
    ({ browser, page, received } = opened);
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
