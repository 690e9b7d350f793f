// The inspector (standalone report, real headless Chromium) on a StyleGAN2-ADA-shaped run (#14):
// the FID gets its own axis on the right with its best snapshot marked, a click on the mark moves
// the gallery to that snapshot, and `reals.png` is shown beside the samples, never as one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { inspectPaths } from '../../src/core/inspect';
import { chromiumMissing, countPainted, gridPng } from './fixture';
import { openReport } from './reportPage';

declare const window: any;
declare const document: any;

const skip = chromiumMissing();
const KIMG = [0, 200, 400, 600, 800, 1000];
const FID = [418, 120, 60, 28.8, 35, 41];

describe('a StyleGAN run in the inspector: FID axis, best snapshot, references', { skip: skip ?? false }, () => {
  let parent: string;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  before(async () => {
    parent = await mkdtemp(path.join(os.tmpdir(), 'gan-browser-stylegan-'));
    const root = path.join(parent, '00000-sprites-auto1');
    await mkdir(root, { recursive: true });
    // training_loop.py's stats.jsonl (one tick every 4 kimg) and metric_main.py's report lines.
    const ticks: string[] = [];
    for (let k = 0; k <= 1000; k += 4) {
      const stat = (mean: number) => ({ num: 4000, mean, std: 0.3 });
      ticks.push(
        JSON.stringify({
          'Loss/D/loss': stat(0.8 + 0.1 * Math.sin(k / 37)),
          'Loss/G/loss': stat(1.6 + 0.2 * Math.cos(k / 53)),
          'Progress/kimg': { num: 1, mean: k + 0.032, std: 0 },
          'Timing/sec_per_tick': stat(150),
          timestamp: 1714469684 + k,
        }),
      );
    }
    await writeFile(path.join(root, 'stats.jsonl'), `${ticks.join('\n')}\n`);
    const reports = KIMG.map((k, i) =>
      JSON.stringify({
        results: { fid50k_full: FID[i] },
        metric: 'fid50k_full',
        total_time: 541.9,
        total_time_str: '9m 02s',
        num_gpus: 1,
        snapshot_pkl: `network-snapshot-${String(k).padStart(6, '0')}.pkl`,
        timestamp: 1714470115 + k,
      }),
    );
    await writeFile(path.join(root, 'metric-fid50k_full.jsonl'), `${reports.join('\n')}\n`);
    for (const k of KIMG) await writeFile(path.join(root, `fakes${String(k).padStart(6, '0')}.png`), gridPng(k * 2, false));
    await writeFile(path.join(root, 'reals.png'), gridPng(7, false));
    const { inspections } = await inspectPaths([parent]);
    assert.equal(inspections.length, 1);
    const run = inspections[0]!.run;
    assert.equal(run.stepUnit, 'kimg');
    assert.deepEqual(run.references, [{ step: null, path: 'reals.png' }]);
    assert.ok(inspections[0]!.findings.some((f) => f.kind === 'metric-worse'));
    ({ browser, page, pageErrors } = await openReport(parent, inspections));
  });

  after(async () => {
    await browser?.close();
    if (parent) await rm(parent, { recursive: true, force: true });
  });

  test('the FID is drawn on its own right-hand axis, with the kimg axis', async () => {
    const axes = await page.evaluate(() => {
      const ch = (window as any).ganInspector.chart.chart;
      const fid = ch.data.datasets.find((d: any) => d.label === 'Metrics/fid50k_full' && d.yAxisID === 'y2');
      return {
        metric: ch.scales.y2 && ch.options.scales.y2.display,
        loss: ch.scales.y.max,
        metricMax: ch.scales.y2?.max,
        xTitle: ch.options.scales.x.title.text,
        fid: !!fid,
      };
    });
    assert.equal(axes.fid, true, 'the FID is on the metric axis');
    assert.equal(axes.metric, true);
    assert.ok(axes.metricMax >= 418 && axes.loss < 10, `loss axis up to ${axes.loss}, metric axis up to ${axes.metricMax}`);
    assert.equal(axes.xTitle, 'kimg');
    assert.ok(((await page.evaluate(countPainted('#loss-chart'))) as number) > 5000);
    assert.deepEqual(pageErrors, []);
  });

  test('the best snapshot is marked, and a click on the mark moves the gallery to it; reals.png beside the sample', async () => {
    const mark = await page.evaluate(() => {
      const ch = (window as any).ganInspector.chart.chart;
      const key = Object.keys(ch.options.plugins.annotation.annotations).find((k) => k.startsWith('best-'));
      const a = key && ch.options.plugins.annotation.annotations[key];
      const box = ch.canvas.getBoundingClientRect();
      return a
        ? { step: a.xValue, value: a.yValue, x: box.left + ch.scales.x.getPixelForValue(a.xValue), y: box.top + ch.scales.y2.getPixelForValue(a.yValue) }
        : null;
    });
    assert.ok(mark, 'a best-snapshot mark');
    assert.equal(mark.step, 600);
    assert.equal(mark.value, 28.8);
    await page.locator('#scrubber').fill('0');
    assert.equal(await page.locator('.sample-figure.current img').getAttribute('data-step'), '0');
    await page.locator('#loss-chart').scrollIntoViewIfNeeded();
    const at = await page.evaluate(() => {
      const ch = (window as any).ganInspector.chart.chart;
      const box = ch.canvas.getBoundingClientRect();
      return { x: box.left + ch.scales.x.getPixelForValue(600), y: box.top + ch.scales.y2.getPixelForValue(28.8) };
    });
    await page.mouse.click(at.x, at.y);
    await page.waitForFunction(() => document.querySelector('.sample-figure.current img')?.dataset.step === '600', null, { timeout: 5000 });
    const references = await page.locator('.reference-figure figcaption').allInnerTexts();
    assert.deepEqual(references, ['reference · reals.png']);
    const samples = await page.evaluate(() => (window as any).ganInspector.gallery.sampleList.map((s: any) => s.path));
    assert.ok(!samples.includes('reals.png'));
  });
});
