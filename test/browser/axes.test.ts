// The charts' axes in real Chromium (the standalone report of the fixture run). The diversity track
// is read against the loss curve, so a step must sit at the same pixel on both: with the side axis
// hidden, and with it shown (a metric beside the losses takes room at the right of the loss plot;
// the track keeps it too). A diverged run's loss labels (-4e10) fit the axis instead of being cut.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { inspectPaths } from '../../src/core/inspect';
import { chromiumMissing, makeRun, stepAxisPixels, type FixtureRun } from './fixture';
import { openReport } from './reportPage';

declare const window: any;

const skip = chromiumMissing();

describe('loss chart and diversity track share the step axis', { skip: skip ?? false }, () => {
  let run: FixtureRun;
  let browser: Browser;
  let page: Page;

  before(async () => {
    run = await makeRun();
    const { inspections } = await inspectPaths([run.parent]);
    ({ browser, page } = await openReport(run.parent, inspections));
  });
  after(async () => {
    await browser?.close();
    await run?.cleanup();
  });

  const setSide = (on: boolean) =>
    page.evaluate((show) => {
      const app = (window as any).ganInspector;
      app.chart.chart.options.scales.y2.display = show;
      app.chart.chart.update('none');
      app.diversity.setRightGutter(show);
    }, on);

  test('a diverged loss (G down to -1.9e10) gets y labels that fit the axis, with exponents', async () => {
    const diverged = await makeRun(-5e9);
    try {
      const { inspections } = await inspectPaths([diverged.parent]);
      const opened = await openReport(diverged.parent, inspections);
      const p = opened.page;
      const y = await p.evaluate(() => {
        const scale = (window as any).ganInspector.chart.chart.scales.y;
        const ctx = scale.ctx;
        ctx.save();
        ctx.font = scale._resolveTickFontOptions(0).string;
        const widths = scale.ticks.map((tk: any) => ctx.measureText(String(tk.label)).width);
        ctx.restore();
        return { labels: scale.ticks.map((tk: any) => String(tk.label)), widest: Math.max(...widths), room: scale.width - 22 };
      });
      await opened.browser.close();
      assert.ok(
        y.labels.some((l: string) => /^-\d(\.\d+)?e9$|^-\d(\.\d+)?e10$/.test(l)),
        `labels: ${y.labels.join(' | ')}`,
      );
      assert.ok(y.widest <= y.room, `widest label ${y.widest} px, room ${y.room} px: ${y.labels.join(' | ')}`);
    } finally {
      await diverged.cleanup();
    }
  });

  test('the same step at the same pixel, with and without the side axis', async () => {
    const xs = await page.evaluate(stepAxisPixels);
    assert.ok(xs.shown, 'the fixture run has a diversity track');
    for (const i of [0, 1])
      assert.ok(Math.abs(xs.loss[i]! - xs.diversity[i]!) < 2, `loss chart x ${xs.loss.join('–')} px, diversity ${xs.diversity.join('–')} px`);
    await setSide(true);
    const side = await page.evaluate(stepAxisPixels);
    await setSide(false);
    assert.ok(side.loss[1]! < xs.loss[1]! - 40, 'the side axis took room');
    for (const i of [0, 1])
      assert.ok(
        Math.abs(side.loss[i]! - side.diversity[i]!) < 2,
        `side axis: loss chart x ${side.loss.join('–')} px, diversity ${side.diversity.join('–')} px`,
      );
  });
});
