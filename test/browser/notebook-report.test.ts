// The standalone HTML report of a notebook run in headless Chromium: the notebook's inline grids are
// embedded (data: URIs made from the base64 inside the notebook, nothing fetched) and show in the
// gallery as a saved grid would; a large inline image goes in as its preview.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inspectPaths } from '../../src/core/inspect';
import { renderHtmlReport } from '../../src/cli/htmlReport';
import { STANDALONE_DATA_ID, type StandaloneData } from '../../src/protocol';
import { PREVIEW_SIDE } from '../../src/core/samples/preview';
import { writePng } from '../../scripts/png-writer';
import { LAUNCH, SHOTS, buildWebview, chromiumMissing } from './fixture';
import { gridPng, hasPython, writeNotebook } from '../support/notebooks';
import { noiseGrid } from '../support/sampleGrids';

declare const document: {
  querySelector(s: string): { naturalWidth: number; complete: boolean; currentSrc: string; dataset: { path?: string } } | null;
  querySelectorAll(s: string): Iterable<{ naturalWidth: number; complete: boolean }>;
};
declare const window: { ganInspector?: { stats: { views: number } } };

const skip = chromiumMissing() ?? (hasPython ? false : 'python3 is needed to write the test notebook');

const lines = (epoch: number) => {
  let out = '';
  for (let b = 0; b < 100; b += 25)
    out += `[Epoch ${epoch}/3] [Batch ${b}/100] [D loss: ${(0.6 + epoch / 10).toFixed(4)}] [G loss: ${(0.9 - b / 1000).toFixed(4)}]\n`;
  return out;
};

describe('standalone report of a notebook run', { skip }, () => {
  let dir = '';
  let browser: Browser;
  let page: Page;
  let data: StandaloneData;
  const requests: string[] = [];

  before(async () => {
    buildWebview();
    dir = await mkdtemp(path.join(os.tmpdir(), 'gan-nb-report-'));
    const file = path.join(dir, 'GAN.ipynb');
    // The last grid is 2402 px wide: over PREVIEW_ABOVE, so it is embedded as its preview.
    const wide = writePng({ ...noiseGrid(2, 20, 118, 2, 7, 0), colorType: 2, depth: 8 });
    writeNotebook(file, [
      { count: 1, source: 'imgs = next(iter(dataloader))\nshow_images(imgs)', outputs: [{ png: gridPng(9) }] },
      {
        count: 2,
        source: 'train(); show_images(generator(z))',
        outputs: [
          { stream: 'stdout', text: lines(0) },
          { png: gridPng(1) },
          { stream: 'stdout', text: lines(1) },
          { png: gridPng(2) },
          { stream: 'stdout', text: lines(2) },
          { png: wide },
        ],
      },
    ]);
    const { inspections, problems } = await inspectPaths([file]);
    assert.deepEqual(problems, []);
    const html = await renderHtmlReport(inspections, { lang: 'en' });
    const m = new RegExp(`<script type="application/json" id="${STANDALONE_DATA_ID}">(.*?)</script>`, 's').exec(html)!;
    data = JSON.parse(m[1]!) as StandaloneData;
    const report = path.join(dir, 'report.html');
    await writeFile(report, html);
    await mkdir(SHOTS, { recursive: true });
    browser = await chromium.launch(LAUNCH);
    page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
    const url = pathToFileURL(report).href;
    await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : (requests.push(route.request().url()), route.abort())));
    await page.goto(url);
    await page.waitForFunction(() => (window.ganInspector?.stats.views ?? 0) > 0);
  });

  after(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the inline grids and the real batch are embedded from the notebook', () => {
    const run = data.init.runs[0]!;
    assert.deepEqual(
      run.samples.map((s) => s.path),
      ['GAN.ipynb#cell1-out1.png', 'GAN.ipynb#cell1-out3.png', 'GAN.ipynb#cell1-out5.png'],
    );
    assert.deepEqual(
      run.references.map((r) => [r.step, r.path]),
      [[null, 'GAN.ipynb#cell0-out0.png']],
    );
    const first = run.samples[0]!.uri;
    assert.equal(Buffer.from(first.slice(first.indexOf(',') + 1), 'base64').compare(Buffer.from(gridPng(1))), 0, 'the PNG the notebook holds, byte for byte');
    const wide = run.samples[2]!.uri;
    const width = Buffer.from(wide.slice(wide.indexOf(',') + 1), 'base64').readUInt32BE(16);
    assert.ok(width <= PREVIEW_SIDE, `the 2402 px grid as its preview (${width} px)`);
  });

  test('the gallery shows the newest grid and the reference beside it, fetching nothing', async () => {
    await page.waitForFunction(() => {
      const img = document.querySelector('.sample-figure.current img');
      return !!img && img.complete && img.naturalWidth > 0;
    });
    const shown = await page.evaluate(() => {
      const img = document.querySelector('.sample-figure.current img')!;
      return { w: img.naturalWidth, path: img.dataset.path, data: img.currentSrc.startsWith('data:image/png;base64,') };
    });
    assert.deepEqual(shown, { w: 801, path: 'GAN.ipynb#cell1-out5.png', data: true }, 'the preview: 2402 px shrunk by 3');
    const references = await page.evaluate(() => [...document.querySelectorAll('img.reference')].map((i) => i.complete && i.naturalWidth));
    assert.deepEqual(references, [132]);
    await page.screenshot({ path: path.join(SHOTS, 'notebook-report.png'), fullPage: true });
    assert.deepEqual(requests, []);
  });
});
