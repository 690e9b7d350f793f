// The webview app as VS Code hosts it, in real headless Chromium under the panel's CSP, with a
// stand-in `acquireVsCodeApi` that records what the app posts and answers with the real host code
// (PanelSeries + runSummary on a real run read from disk).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inspectPaths, type Inspection } from '../../src/core/inspect';
import { viewBytes } from '../../src/chart/decimate';
import { PanelSeries, MAX_MESSAGE_BYTES } from '../../src/extension/inspector/data';
import { isSafeFileName, type FromWebview } from '../../src/protocol';
import { runSummary } from '../../src/chart/runSummary';
import { HOSTILE_NAME, LAUNCH, SHOTS, STEPS, chromiumMissing, countPainted, dragOnChart, makeRun, type FixtureRun } from './fixture';
import { hostAsPanel, sampleDataUris, viewRequests, writePanelPage } from './panelPage';
import { STAND_IN } from './standIn';

// Code inside page.evaluate runs in the browser; the host tsconfig has no DOM types.
declare const window: any;
declare const document: any;

const skip = chromiumMissing();

describe('inspector webview with a stand-in VS Code host', { skip: skip ?? false }, () => {
  let run: FixtureRun;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageUrl: string;
  let inspection: Inspection;
  let data: PanelSeries;
  const received: FromWebview[] = [];
  const largest = { bytes: 0 };
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];

  const sampleUris = () => sampleDataUris(inspection);

  /** Off to see what the app keeps of a saved state when the host's init carries no `restore`. */
  let hostSendsRestore = true;

  async function openPage(savedState?: unknown): Promise<Page> {
    const p = await context.newPage();
    p.on('pageerror', (e) => pageErrors.push(e.message));
    p.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
    });
    const uris = await sampleUris();
    await hostAsPanel(
      p,
      data,
      received,
      (msg) =>
        msg.type === 'ready'
          ? {
              type: 'init',
              host: 'vscode',
              runs: [runSummary(inspection, 'run0', (rel) => uris.get(rel)!)],
              settings: { smoothing: 0.6 },
              l10n: undefined,
              ...(hostSendsRestore ? { restore: { runRoot: inspection.run.root } } : {}),
            }
          : undefined,
      (view) => (largest.bytes = Math.max(largest.bytes, viewBytes(view.series))),
    );
    await p.addInitScript(`window.__savedState = ${JSON.stringify(savedState ?? null) ?? 'null'} ?? undefined;`);
    await p.addInitScript(STAND_IN);
    await p.goto(pageUrl);
    await p.waitForFunction(() => (window as any).ganInspector?.stats.views > 0);
    return p;
  }

  before(async () => {
    run = await makeRun();
    const { inspections } = await inspectPaths([run.parent]);
    inspection = inspections[0]!;
    data = new PanelSeries([{ runId: 'run0', inspection }]);
    pageUrl = await writePanelPage(run.parent);
    await mkdir(SHOTS, { recursive: true });
    browser = await chromium.launch(LAUNCH);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await openPage();
  });

  after(async () => {
    await browser?.close();
    await run?.cleanup();
  });

  const posted = (type: string) => received.filter((m) => m.type === type);

  test('waits with nothing but ready, then paints the chart from the host view', async () => {
    assert.equal(received[0]?.type, 'ready');
    const first = viewRequests(received)[0];
    assert.ok(first);
    assert.deepEqual(first.seriesIds.sort(), ['run0/1', 'run0/2'], "D and G are requested, the 'other' series is off by default");
    assert.equal(first.start, 0);
    assert.equal(first.end, STEPS - 1);
    const painted = (await page.evaluate(countPainted('#loss-chart'))) as number;
    assert.ok(painted > 5000, `only ${painted} painted pixels`);
    assert.ok(largest.bytes > 0 && largest.bytes <= MAX_MESSAGE_BYTES, `largest view ${largest.bytes} bytes`);
    await page.screenshot({ path: path.join(SHOTS, 'webview.png'), fullPage: true });
    assert.deepEqual(pageErrors, []);
  });

  test('findings are listed and shaded', async () => {
    assert.equal(await page.locator('#findings .findings > li').count(), inspection.findings.length);
    const boxes = await page.evaluate(
      () => Object.keys((window as any).ganInspector.chart.chart.options.plugins.annotation.annotations).filter((k) => k.startsWith('finding-')).length,
    );
    assert.equal(boxes, inspection.findings.length);
  });

  test('the scrubber and a chart click move the gallery', async () => {
    await page.locator('#scrubber').fill('2');
    assert.equal(await page.locator('.sample-figure.current img').getAttribute('data-step'), '800');
    await page.locator('#loss-chart').scrollIntoViewIfNeeded();
    const point = await page.evaluate(() => {
      const ch = (window as any).ganInspector.chart.chart;
      const box = ch.canvas.getBoundingClientRect();
      return { x: box.left + ch.scales.x.getPixelForValue(1590), y: box.top + (ch.chartArea.top + ch.chartArea.bottom) / 2 };
    });
    await page.mouse.click(point.x, point.y);
    await page.waitForFunction(() => document.querySelector('.sample-figure.current img')?.dataset.step === '1600');
  });

  test('zoom asks the host for finer data of the narrower range', async () => {
    const before = await page.evaluate(() => (window as any).__views().length);
    const box = await dragOnChart(page, 1000, 1300);
    await page.waitForFunction((n) => (window as any).__views().length > n, before);
    // Read where it was waited for: the host's copy arrives through an asynchronous binding.
    const last = await page.evaluate(() => (window as any).__views().at(-1));
    assert.ok(last);
    assert.ok(last.end - last.start < 400 && Math.abs(last.start - 1000) < 15, `asked for ${last.start}–${last.end}`);
    await page.waitForFunction(
      (id) => (window as any).ganInspector.views.lastId === id && Number(document.getElementById('app')!.dataset.viewEnd) < 1400,
      last.id,
    );
    await page.screenshot({ path: path.join(SHOTS, 'webview-zoomed.png'), fullPage: true });
    // The wheel zooms too.
    const n = await page.evaluate(() => (window as any).__views().length);
    await page.mouse.move((box.x0 + box.x1) / 2, box.y);
    await page.mouse.wheel(0, 300);
    await page.waitForFunction((k) => (window as any).__views().length > k, n);
  });

  test('y-axis modes and ignore-outliers change the chart', async () => {
    const yTitle = () => page.evaluate(() => (window as any).ganInspector.chart.chart.options.scales.y.title.text);
    await page.locator('#y-scale').click();
    await page.locator('#y-scale ul.options li', { hasText: 'log1p' }).click();
    await page.waitForFunction(() => (window as any).ganInspector.chart.chart.options.scales.y.title.text === 'log1p(loss)');
    const yMax = await page.evaluate(() => (window as any).ganInspector.chart.chart.scales.y.max);
    assert.ok(yMax < Math.log1p(5), `log1p range ${yMax}`);
    await page.locator('#y-scale').click();
    await page.locator('#y-scale ul.options li', { hasText: 'log scale' }).click();
    await page.waitForFunction(() => (window as any).ganInspector.chart.chart.scales.y.type === 'logarithmic');
    assert.equal(await yTitle(), 'loss (log scale)');
    await page.locator('#y-scale').click();
    await page.locator('#y-scale ul.options li', { hasText: /^\s*raw\s*$/ }).click();
    await page.waitForFunction(() => (window as any).ganInspector.chart.chart.scales.y.type === 'linear');
    const full = await page.evaluate(() => (window as any).ganInspector.chart.chart.scales.y.max);
    await page.locator('#ignore-outliers').click();
    await page.waitForFunction((m) => (window as any).ganInspector.chart.chart.scales.y.max < m, full);
    await page.screenshot({ path: path.join(SHOTS, 'webview-outliers.png'), fullPage: true });
    await page.locator('#ignore-outliers').click();
    await page.waitForFunction((m) => (window as any).ganInspector.chart.chart.scales.y.max >= m, full);
    assert.deepEqual(cspViolations, [], 'the app runs under the panel CSP without violations');
  });

  test('the smoothing slider asks for a re-smoothed view', async () => {
    await page.locator('#smoothing').fill('0.9');
    await page.waitForFunction(() => (window as any).__views().some((m: any) => m.smoothing === 0.9));
  });

  test('exports reach the host as files of the right type', async () => {
    const exportOf = async (button: string) => {
      const n = posted('export').length;
      await page.locator(button).click();
      await page.waitForFunction((k) => (window as any).__posted.filter((m: any) => m.type === 'export').length > k, n, { timeout: 15_000 });
      // The host side receives it through the binding a moment later.
      for (let i = 0; i < 100 && posted('export').length <= n; i++) await new Promise((r) => setTimeout(r, 20));
      const msg = posted('export').at(-1)!;
      assert.ok(msg.type === 'export' && isSafeFileName(msg.name), 'a plain, safe file name');
      return { name: msg.name, bytes: typeof msg.data === 'string' ? Buffer.from(msg.data) : Buffer.from(msg.data as ArrayBuffer) };
    };
    const png = await exportOf('#export-png');
    assert.match(png.name, /\.png$/);
    assert.deepEqual([...png.bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
    const csv = await exportOf('#export-csv');
    assert.equal(csv.bytes.toString().split('\n')[0], 'series,step,raw,smoothed');
    const md = await exportOf('#export-md');
    assert.match(md.bytes.toString(), /^# Findings for /);
    const gif = await exportOf('#export-gif');
    assert.equal(gif.bytes.subarray(0, 6).toString('latin1'), 'GIF89a');
    assert.match(gif.name, /\.gif$/);
  });

  test('a focus message from the host zooms to that step range', async () => {
    await page.evaluate((j) => (window as any).__deliver(j), JSON.stringify({ type: 'focus', start: 2000, end: 2100 }));
    await page.waitForFunction(() => (window as any).__views().some((m: any) => m.start === 2000 && m.end === 2100));
  });

  test('the findings are reachable with the keyboard alone', async () => {
    await page.locator('#reset-zoom').click();
    // The reset's own view request leaves after the app's 120 ms pause: it must be out and answered
    // before counting, or it is taken for the request Enter makes.
    await page.waitForFunction((full) => {
      const w = window as any;
      const views = w.__views();
      const last = views.at(-1);
      return last && last.end - last.start >= full && w.ganInspector.stats.views >= views.length;
    }, STEPS - 1);
    await page.locator('h1').click();
    let found = false;
    for (let i = 0; i < 80 && !found; i++) {
      await page.keyboard.press('Tab');
      found = await page.evaluate(() => document.activeElement?.classList.contains('finding') ?? false);
    }
    assert.ok(found, 'a finding button takes focus by Tab');
    const n = await page.evaluate(() => (window as any).__views().length);
    await page.keyboard.press('Enter');
    await page.waitForFunction((k) => (window as any).__views().length > k, n);
    const last = await page.evaluate(() => (window as any).__views().at(-1));
    assert.ok(last.end - last.start < STEPS - 1, 'Enter on a finding zooms to it');
  });

  test('a live refresh replaces the data and keeps the zoom', async () => {
    const before = await page.evaluate(() => {
      const x = (window as any).ganInspector.chart.chart.scales.x;
      return [x.min, x.max];
    });
    const summary = runSummary({ ...inspection, findings: [] }, 'run0', () => 'data:,');
    await page.evaluate(
      (j) => (window as any).__deliver(j),
      JSON.stringify({ type: 'refresh', host: 'vscode', runs: [{ ...summary, samples: [] }], settings: { smoothing: 0.6 }, l10n: undefined }),
    );
    await page.waitForFunction(() => document.querySelector('#findings')?.textContent.includes('No findings'));
    const after = await page.evaluate(() => {
      const x = (window as any).ganInspector.chart.chart.scales.x;
      return [x.min, x.max];
    });
    assert.deepEqual(after, before);
    // Back to the real data for the tests after this one.
    const real = runSummary(inspection, 'run0', () => 'data:,');
    const uris = await sampleUris();
    await page.evaluate(
      (j) => (window as any).__deliver(j),
      JSON.stringify({
        type: 'refresh',
        host: 'vscode',
        runs: [{ ...real, samples: real.samples.map((x) => ({ ...x, uri: uris.get(x.path)! })) }],
        settings: { smoothing: 0.6 },
        l10n: undefined,
      }),
    );
    await page.waitForFunction(() => document.querySelectorAll('#findings .findings > li').length > 0);
  });

  test('no diversity: the diversity track says why, with the gan-run.json fix (never an empty track with no word)', async () => {
    const [real, uris] = [runSummary(inspection, 'run0', () => 'data:,'), await sampleUris()];
    const samples = real.samples.map((x) => ({ ...x, uri: uris.get(x.path)! }));
    const note =
      'No grid of tiles was found in the sample images (96×96 px), so their diversity is not scored and mode collapse cannot be detected. If each image is a grid, give its layout in gan-run.json, e.g. "grid": {"rows": 5, "cols": 5}.';
    const deliver = (runs: unknown) =>
      page.evaluate(
        (j) => (window as any).__deliver(j),
        JSON.stringify({ type: 'refresh', host: 'vscode', runs, settings: { smoothing: 0.6 }, l10n: undefined }),
      );
    await deliver([{ ...real, samples, diversity: [], notes: [note] }]);
    await page.waitForFunction(() => !(document.querySelector('.diversity-note') as any)?.hidden);
    assert.equal(await page.locator('.diversity-note').innerText(), note);
    assert.equal(await page.locator('.diversity-box').isVisible(), false);
    await page.screenshot({ path: path.join(SHOTS, 'webview-no-grid-note.png') });
    await deliver([{ ...real, samples }]);
    await page.waitForFunction(() => (document.querySelector('.diversity-note') as any)?.hidden === true);
    assert.equal(await page.locator('.diversity-box').isVisible(), real.diversity.length > 0);
  });

  test('markup in names stays text', async () => {
    assert.equal(await page.locator('h1').innerText(), HOSTILE_NAME);
    assert.equal(await page.evaluate(() => document.querySelectorAll('img[src="x"], #app svg, #app script, #app b').length), 0);
    assert.equal(await page.evaluate(() => (window as any).__pwned), undefined);
  });

  test('a 10,000,000-step run paints, keeps its one spike and sends no message over 1 MB (npm run bench times the open)', async () => {
    const n = 10_000_000;
    const steps = new Float64Array(n);
    const d = new Float64Array(n);
    const g = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      steps[i] = i;
      d[i] = 0.69 + 0.3 * Math.exp(-i / 1e6) + 0.05 * Math.sin(i * 0.37);
      g[i] = 0.8 + 2 * Math.exp(-i / 5e5) + 0.2 * Math.sin(i * 0.011);
    }
    g[7_654_321] = 40; // one spike the envelope must keep
    const big: Inspection = {
      run: {
        ...inspection.run,
        series: [
          { name: 'discriminator_loss', role: 'discriminator', source: 'd.npy', column: null, steps, values: d },
          { name: 'generator_loss', role: 'generator', source: 'g.npy', column: null, steps, values: g },
        ],
      },
      findings: [],
      diversity: [],
    };
    const saved = { inspection, data, bytes: largest.bytes };
    inspection = big;
    data = new PanelSeries([{ runId: 'run0', inspection: big }]);
    largest.bytes = 0;
    // As the panel does: smooth while the webview starts (its page load overlaps this in VS Code).
    data.prewarm(0.6);
    try {
      const p = await openPage();
      await p.waitForFunction(() => {
        const c = document.querySelector('#loss-chart');
        const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < px.length; i += 400) if (px[i] > 0) return true;
        return false;
      });
      const yMax = await p.evaluate(() => (window as any).ganInspector.chart.chart.scales.y.max);
      await p.screenshot({ path: path.join(SHOTS, 'webview-10M.png') });
      await p.close();
      assert.ok(yMax >= 40, 'the single spike at step 7,654,321 sets the y range');
      assert.ok(largest.bytes <= MAX_MESSAGE_BYTES, `${largest.bytes} bytes`);
    } finally {
      inspection = saved.inspection;
      data = saved.data;
    }
  });

  test('UI state persists through getState/setState across a reload', async () => {
    const state = await page.evaluate(() => (window as any).__lastState);
    assert.equal(state.smoothing, 0.9);
    assert.equal(state.restore.runRoot, inspection.run.root, 'the serializer gets the run root back');
    assert.ok(state.range && state.range.end - state.range.start < STEPS - 1, 'the zoom is part of the state');
    const again = await openPage(state);
    assert.equal(await again.locator('#smoothing').inputValue(), '0.9');
    assert.equal(await again.locator('.sample-figure.current img').getAttribute('data-step'), String(state.step));
    const range = await again.evaluate(() => {
      const x = (window as any).ganInspector.chart.chart.scales.x;
      return [x.min, x.max];
    });
    assert.ok(Math.abs(range[0] - state.range.start) < 1e-6 && Math.abs(range[1] - state.range.end) < 1e-6, `${range}`);
    await again.close();
  });

  test("a comparison's run roots in the saved state survive a reload (the serializer reopens every run)", async () => {
    const restore = { runRoot: inspection.run.root, runRoots: [inspection.run.root, path.join(path.dirname(inspection.run.root), 'other-run')] };
    hostSendsRestore = false;
    try {
      const again = await openPage({ smoothing: 0.5, restore });
      await again.locator('#smoothing').fill('0.7'); // any change saves the state
      await again.waitForFunction(() => (window as any).__lastState?.smoothing === 0.7);
      assert.deepEqual((await again.evaluate(() => (window as any).__lastState)).restore, restore);
      await again.close();
    } finally {
      hostSendsRestore = true;
    }
  });
});
