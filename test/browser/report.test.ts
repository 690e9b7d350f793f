// The standalone HTML report in real headless Chromium: opened from disk, it must paint the chart,
// shade and list the findings, move the gallery with the scrubber and the chart, zoom, export the
// right file types, show hostile names as text, and fetch nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inspectPaths } from '../../src/core/inspect';
import { renderHtmlReport } from '../../src/cli/htmlReport';
import type { Inspection } from '../../src/core/inspect';
import {
  HOSTILE_NAME,
  HOSTILE_SERIES,
  LAUNCH,
  NAN_END,
  NAN_START,
  SHOTS,
  buildWebview,
  chromiumMissing,
  countPainted,
  dragOnChart,
  makeRun,
  type FixtureRun,
} from './fixture';

// Code inside page.evaluate runs in the browser; the host tsconfig has no DOM types.
declare const window: any;
declare const document: any;
declare function getComputedStyle(e: unknown): { backgroundColor: string };

const skip = chromiumMissing();

describe('standalone HTML report', { skip: skip ?? false }, () => {
  let run: FixtureRun;
  let browser: Browser;
  let page: Page;
  let reportUrl: string;
  let inspection: Inspection;
  const requests: string[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    buildWebview();
    run = await makeRun();
    const { inspections } = await inspectPaths([run.parent]);
    assert.equal(inspections.length, 1);
    inspection = inspections[0]!;
    const html = await renderHtmlReport(inspections, { lang: 'en' });
    const file = path.join(run.parent, 'report.html');
    await writeFile(file, html);
    reportUrl = pathToFileURL(file).href;
    await mkdir(SHOTS, { recursive: true });
    browser = await chromium.launch(LAUNCH);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // Every request the page makes, except the report itself, is recorded and refused.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url === reportUrl) return route.continue();
      requests.push(url);
      return route.abort();
    });
    page.on('request', (r) => {
      const url = r.url();
      if (url !== reportUrl && !url.startsWith('data:') && !url.startsWith('blob:')) requests.push(url);
    });
    await page.goto(reportUrl);
    await page.waitForFunction(() => (window as any).ganInspector?.stats.views > 0);
  });

  after(async () => {
    await browser?.close();
    await run?.cleanup();
  });

  test('paints the loss chart and fetches nothing from the network', async () => {
    const painted = (await page.evaluate(countPainted('#loss-chart'))) as number;
    assert.ok(painted > 5000, `only ${painted} painted pixels`);
    await page.screenshot({ path: path.join(SHOTS, 'report.png'), fullPage: true });
    assert.deepEqual([...new Set(requests)], []);
    assert.deepEqual(pageErrors, []);
  });

  test('findings are shaded on the chart and listed with evidence and advice', async () => {
    const kinds = inspection.findings.map((f) => f.kind);
    assert.ok(kinds.includes('non-finite'), `findings: ${kinds}`);
    const items = page.locator('#findings .findings > li');
    assert.equal(await items.count(), inspection.findings.length);
    const text = await page.locator('#findings').innerText();
    assert.match(text, /NaN\/Inf/);
    assert.match(text, /Try:/);
    const withEvidence = inspection.findings.filter((f) => Object.keys(f.evidence).length).length;
    assert.equal(await page.locator('#findings details.evidence-box dl').count(), withEvidence);
    await page.locator('#findings details.evidence-box summary').first().click();
    assert.match(await page.locator('#findings dl.evidence').first().innerText(), /\d/);
    // The pixel in the middle of each finding's range, near the top of the plot, carries its shade.
    for (const f of inspection.findings) {
      const rgba = await page.evaluate(
        ({ step }) => {
          const ch = (window as any).ganInspector.chart.chart;
          const a = ch.chartArea;
          const r = ch.currentDevicePixelRatio;
          const x = Math.round(ch.scales.x.getPixelForValue(step) * r);
          const y = Math.round((a.top + (a.bottom - a.top) * 0.05) * r);
          return [...ch.ctx.getImageData(x, y, 1, 1).data];
        },
        { step: (f.start + f.end) / 2 },
      );
      assert.ok(rgba[3]! > 20, `${f.kind} not shaded at ${(f.start + f.end) / 2}: ${rgba}`);
    }
    const gapKeys = await page.evaluate(() =>
      Object.keys((window as any).ganInspector.chart.chart.options.plugins.annotation.annotations).filter((k) => k.startsWith('gap-')),
    );
    assert.equal(gapKeys.length, 1, 'one NaN stretch → one gap marker');
  });

  test('the scrubber and a chart click move the gallery', async () => {
    await page.locator('#scrubber').fill('3');
    assert.equal(await page.locator('.sample-figure.current img').getAttribute('data-step'), '1200');
    assert.match(await page.locator('.sample-figure.current figcaption').innerText(), /step 1,200/);
    await page.locator('#loss-chart').scrollIntoViewIfNeeded();
    const point = await page.evaluate(() => {
      const ch = (window as any).ganInspector.chart.chart;
      const box = ch.canvas.getBoundingClientRect();
      return { x: box.left + ch.scales.x.getPixelForValue(2410), y: box.top + (ch.chartArea.top + ch.chartArea.bottom) / 2 };
    });
    await page.mouse.click(point.x, point.y);
    // Chart.js handles pointer events on the next animation frame.
    await page.waitForFunction(() => document.querySelector('.sample-figure.current img')?.dataset.step === '2400', null, { timeout: 5000 });
    const selected = await page.evaluate(() => (window as any).ganInspector.chart.chart.options.plugins.annotation.annotations.selected?.xMin);
    assert.equal(selected, 2400);
  });

  test('play walks the samples like the tutorial GIF; pin keeps one step beside the current one', async () => {
    const current = () => page.locator('.sample-figure.current img').getAttribute('data-step');
    await page.locator('#scrubber').fill('0');
    await page.locator('#pin').click();
    assert.equal(await page.locator('.sample-figure.compare').isVisible(), true);
    assert.equal(await page.locator('.sample-figure.compare img').getAttribute('data-step'), '0');
    await page.locator('#play').click();
    await page.waitForFunction(() => document.querySelector('.sample-figure.current img')?.dataset.step === '800', null, { timeout: 5000 });
    await page.locator('#play').click(); // pause
    const paused = await current();
    await page.waitForTimeout(900);
    assert.equal(await current(), paused, 'pause stops the walk');
    assert.equal(await page.locator('.sample-figure.compare img').getAttribute('data-step'), '0', 'the pinned step stays');
    await page.screenshot({ path: path.join(SHOTS, 'report-compare-steps.png'), fullPage: true });
    await page.locator('#pin').click();
    assert.equal(await page.locator('.sample-figure.compare').isVisible(), false);
  });

  test('a click on a finding zooms the chart to it and moves the gallery there', async () => {
    await page.locator('#findings button', { hasText: 'NaN/Inf' }).click();
    await page.waitForFunction(() => Number(document.getElementById('app')!.dataset.viewEnd) < 2500);
    const range = await page.evaluate(() => {
      const x = (window as any).ganInspector.chart.chart.scales.x;
      return { min: x.min, max: x.max };
    });
    assert.ok(range.min <= NAN_START && range.min > 1500, `min ${range.min}`);
    assert.ok(range.max >= NAN_END && range.max < 2500, `max ${range.max}`);
    assert.equal(await page.locator('.sample-figure.current img').getAttribute('data-step'), '2000');
    await page.screenshot({ path: path.join(SHOTS, 'report-finding-zoom.png'), fullPage: true });
    await page.locator('#reset-zoom').click();
    await page.waitForFunction(() => Number(document.getElementById('app')!.dataset.viewEnd) >= 2999);
  });

  test('drag-zoom decimates the narrower range again', async () => {
    const views = await page.evaluate(() => (window as any).ganInspector.stats.views);
    await dragOnChart(page, 500, 1000);
    await page.waitForFunction((n) => (window as any).ganInspector.stats.views > n, views);
    const app = await page.evaluate(() => ({ ...document.getElementById('app')!.dataset }));
    assert.ok(Math.abs(Number(app.viewStart) - 500) < 20 && Math.abs(Number(app.viewEnd) - 1000) < 20, JSON.stringify(app));
    await page.locator('#reset-zoom').click();
    await page.waitForFunction(
      () => Number(document.getElementById('app')!.dataset.viewStart) === 0 && Number(document.getElementById('app')!.dataset.viewEnd) >= 2999,
    );
  });

  async function download(button: string): Promise<{ name: string; bytes: Buffer }> {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(button).click()]);
    return { name: dl.suggestedFilename(), bytes: await readFile((await dl.path())!) };
  }

  test('exports are files of the right type', async () => {
    const png = await download('#export-png');
    assert.match(png.name, /\.png$/);
    assert.deepEqual([...png.bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
    const csv = await download('#export-csv');
    const lines = csv.bytes.toString('utf8').trim().split('\n');
    assert.equal(lines[0], 'series,step,raw,smoothed');
    assert.ok(
      lines.some((l) => l.startsWith('generator_loss,2000,NaN,NaN')),
      'NaN rows kept as NaN',
    );
    assert.ok(lines.length > 1000);
    const md = (await download('#export-md')).bytes.toString('utf8');
    assert.match(md, /^# Findings for evil &lt;img src=x onerror=window.\\_\\_pwned=1&gt;/);
    assert.ok(!md.includes('<img'), 'markup in names is escaped in Markdown');
    const gif = await download('#export-gif');
    assert.equal(gif.bytes.subarray(0, 6).toString('latin1'), 'GIF89a');
    assert.deepEqual([...new Set(requests)], []);
  });

  test('dark colour scheme: the fallback theme switches and the chart still paints', async () => {
    const dark = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
    try {
      const p = await dark.newPage();
      await p.goto(reportUrl);
      await p.waitForFunction(() => (window as any).ganInspector?.stats.views > 0);
      const bg = await p.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(bg, 'rgb(31, 31, 31)');
      assert.ok(((await p.evaluate(countPainted('#loss-chart'))) as number) > 5000);
      await p.screenshot({ path: path.join(SHOTS, 'report-dark.png'), fullPage: true });
    } finally {
      await dark.close();
    }
  });

  test('names with markup show as text: no element created, no script run', async () => {
    assert.equal(await page.evaluate(() => (window as any).__pwned), undefined);
    assert.equal(await page.locator('h1').innerText(), HOSTILE_NAME);
    assert.equal(await page.title(), `GAN run report: ${HOSTILE_NAME}`, 'the <title> is escaped text too');
    assert.equal(await page.evaluate(() => document.querySelectorAll('img[src="x"], #app svg, #app script, #app b').length), 0);
    const labels = await page.evaluate(() => [...document.querySelectorAll('vscode-checkbox[data-series]')].map((b) => (b as any).label));
    assert.ok(labels.includes(HOSTILE_SERIES), JSON.stringify(labels));
    // Turning the hostile series on (its group opened first) draws it with its name as text in the data table too.
    const group = await page.evaluate(() => document.querySelector('vscode-checkbox[data-series="run0/0"]').closest('.group-box').dataset.group);
    await page.locator(`button.group-expand[data-group="${group}"]`).click();
    await page.locator('vscode-checkbox[data-series="run0/0"]').click();
    // The table lists D and G first and stops at 2,000 rows: D and G off, so the hostile series' rows are in it.
    await page.locator('vscode-checkbox.group-toggle[data-group="run0:adversarial"]').click();
    await page.locator('#toggle-table').click();
    await page.waitForFunction((name) => [...document.querySelectorAll('.data-table th[scope=row]')].some((th) => th.textContent === name), HOSTILE_SERIES);
    assert.equal(await page.evaluate(() => document.querySelectorAll('img[src="x"], #app svg, #app b').length), 0);
    assert.equal(await page.evaluate(() => (window as any).__pwned), undefined);
    await page.screenshot({ path: path.join(SHOTS, 'report-table.png'), fullPage: true });
  });
});

// The bundled example run (the tutorial's MNIST GAN): a screenshot to look at, when it exists.
const example = path.resolve('examples/mnist-run');
describe(
  'report of the bundled example run',
  { skip: skip ?? (existsSync(path.join(example, 'result')) ? false : 'examples/mnist-run/result is not there yet') },
  () => {
    test('paints the chart, the diversity chart and the samples', async () => {
      buildWebview();
      const { inspections } = await inspectPaths([example]);
      assert.ok(inspections.length >= 1);
      const dir = await mkdtemp(path.join(os.tmpdir(), 'gan-example-'));
      const browser = await chromium.launch(LAUNCH);
      try {
        const file = path.join(dir, 'report.html');
        await writeFile(file, await renderHtmlReport(inspections, { lang: 'en' }));
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const external: string[] = [];
        page.on('request', (r) => {
          if (!r.url().startsWith('file:') && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) external.push(r.url());
        });
        await page.goto(pathToFileURL(file).href);
        await page.waitForFunction(() => (window as any).ganInspector?.stats.views > 0);
        await page.locator('#findings button', { hasText: 'mode collapse' }).first().click();
        await page.waitForFunction(() => Number(document.getElementById('app')!.dataset.viewEnd) < 20000);
        assert.ok(((await page.evaluate(countPainted('#loss-chart'))) as number) > 5000);
        assert.ok(((await page.evaluate(countPainted('#diversity-chart'))) as number) > 500, 'the diversity chart is drawn');
        await page.locator('#pin').click();
        await page.locator('#scrubber').fill('140');
        await page.screenshot({ path: path.join(SHOTS, 'report-mnist-example.png'), fullPage: true });
        assert.deepEqual(external, []);
      } finally {
        await browser.close();
        await rm(dir, { recursive: true, force: true });
      }
    });
  },
);

describe('report of two runs compared', { skip: skip ?? false }, () => {
  test('both runs are drawn against the same step axis, each in its own colours', async () => {
    buildWebview();
    const a = await makeRun();
    const b = await makeRun(1.6);
    const browser = await chromium.launch(LAUNCH);
    try {
      const { inspections } = await inspectPaths([a.parent, b.parent]);
      assert.equal(inspections.length, 2);
      const file = path.join(a.parent, 'compare.html');
      await writeFile(file, await renderHtmlReport(inspections, { lang: 'en' }));
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction(() => (window as any).ganInspector?.stats.views > 0);
      const datasets = await page.evaluate(() => (window as any).ganInspector.chart.chart.data.datasets.map((d: any) => [d.label, d.borderColor]));
      assert.equal(datasets.length, 8, 'raw + smoothed for D and G of two runs');
      assert.equal(new Set(datasets.filter((_: unknown, i: number) => i % 2 === 1).map((d: string[]) => d[1])).size, 4, 'four distinct line colours');
      assert.equal(await page.locator('#findings .findings > li').count(), inspections[0]!.findings.length + inspections[1]!.findings.length);
      await page.screenshot({ path: path.join(SHOTS, 'report-compare.png'), fullPage: true });
    } finally {
      await browser.close();
      await a.cleanup();
      await b.cleanup();
    }
  });
});
