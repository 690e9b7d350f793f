// The inspector (standalone report, real headless Chromium) on a SinGAN-shaped printed log (#23):
// the iteration counter restarts at every scale, the scales are stacked on one axis, and the chart
// marks where each begins with a thin labelled line.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { inspectPaths } from '../../src/core/inspect';
import { chromiumMissing } from './fixture';
import { openReport } from './reportPage';

declare const window: any;

const skip = chromiumMissing();
const SHOTS = path.join(__dirname, '..', '..', 'test-results');

describe("a training with stages in the inspector: each stage's start marked", { skip: skip ?? false }, () => {
  let parent: string;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  before(async () => {
    parent = await mkdtemp(path.join(os.tmpdir(), 'gan-browser-stages-'));
    const root = path.join(parent, 'singan');
    await mkdir(root, { recursive: true });
    // SinGAN's training.py prints `scale %d:[%d/%d]` every 25 iterations, the losses after it.
    let log = '';
    for (let scale = 0; scale < 4; scale++) {
      for (let i = 0; i < 2000; i += 25)
        log += `scale ${scale}:[${i}/2000]\nerrD: ${(-1 + Math.exp(-i / 400) + 0.05 * Math.sin(i)).toFixed(4)} errG: ${(0.5 + 0.3 * Math.exp(-i / 300)).toFixed(4)}\n`;
    }
    await writeFile(path.join(root, 'train.log'), log);
    const { inspections } = await inspectPaths([parent]);
    assert.equal(inspections.length, 1);
    assert.deepEqual(
      inspections[0]!.run.stages?.map((s) => s.start),
      [0, 1976, 3952, 5928],
    );
    ({ browser, page, pageErrors } = await openReport(parent, inspections));
  });

  after(async () => {
    await browser?.close();
    if (parent) await rm(parent, { recursive: true, force: true });
  });

  test("a thin labelled line at each stage's first step, the curve whole across them", async () => {
    const marks = await page.evaluate(() => {
      const ch = (window as any).ganInspector.chart.chart;
      const all = ch.options.plugins.annotation.annotations;
      return Object.keys(all)
        .filter((k) => k.startsWith('stage-'))
        .map((k) => ({ x: all[k].xMin, label: all[k].label.content, width: all[k].borderWidth }));
    });
    assert.deepEqual(
      marks.map((m: { x: number; label: string }) => [m.x, m.label]),
      [
        [0, 'scale 0'],
        [1976, 'scale 1'],
        [3952, 'scale 2'],
        [5928, 'scale 3'],
      ],
    );
    assert.ok(marks.every((m: { width: number }) => m.width === 1));
    const points = await page.evaluate(() => (window as any).ganInspector.chart.chart.data.datasets.find((d: any) => d.label === 'errD')?.data.length ?? 0);
    assert.ok(points >= 320, `every scale drawn (${points} points)`);
    await page.screenshot({ path: path.join(SHOTS, 'stages-singan.png') });
    assert.deepEqual(pageErrors, []);
  });
});
