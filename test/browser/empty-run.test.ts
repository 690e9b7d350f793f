// A run that holds nothing yet (its loss files empty: a run just started, or one that crashed before
// its first record) in the standalone report, in real Chromium: the page says there is nothing to
// plot and that nothing could be judged, and lists what could not be read. Never an empty 0–1
// chart with "nothing looks wrong".
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { inspectPaths } from '../../src/core/inspect';
import { renderHtmlReport } from '../../src/cli/htmlReport';
import { LAUNCH, SHOTS, buildWebview, chromiumMissing } from './fixture';
import { writeNpy } from '../support/npy';

declare const document: any;

const skip = chromiumMissing();

describe('a run with no values yet', { skip: skip ?? false }, () => {
  let dir = '';
  let browser: Browser;

  before(async () => {
    buildWebview();
    dir = mkdtempSync(path.join(os.tmpdir(), 'gan-empty-run-'));
    mkdirSync(path.join(dir, 'result'));
    writeNpy(path.join(dir, 'result', 'discriminator_loss.npy'), []);
    writeNpy(path.join(dir, 'result', 'generator_loss.npy'), []);
    browser = await chromium.launch(LAUNCH);
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('says there is nothing to plot and nothing judged, and names what could not be read', async () => {
    const { inspections } = await inspectPaths([dir]);
    assert.equal(inspections.length, 1);
    const file = path.join(dir, 'report.html');
    writeFileSync(file, await renderHtmlReport(inspections, { lang: 'en' }));
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('.findings-panel .empty');
    const shown = await page.evaluate(() => ({
      summary: document.querySelector('.summary').textContent,
      empty: document.querySelector('.chart-empty').hidden ? null : document.querySelector('.chart-empty').textContent,
      chartHidden: document.querySelector('.chart-box').hidden,
      hintHidden: document.querySelector('.hint').hidden,
      findings: document.querySelector('.findings-panel').textContent,
      errors: [...document.querySelectorAll('.read-errors li')].map((li: any) => li.textContent),
      // No grids, no diversity: its chart is never made (making one costs an open 12–30 ms).
      diversityChart: (globalThis as any).ganInspector.diversity.chart !== undefined,
    }));
    await page.screenshot({ path: path.join(SHOTS, 'empty-run.png') });
    assert.equal(shown.summary, 'No loss or metric values read yet');
    assert.match(shown.empty ?? '', /^Nothing to plot: no loss or metric values were read/);
    assert.equal(shown.chartHidden, true);
    assert.equal(shown.hintHidden, true);
    assert.equal(shown.diversityChart, false);
    assert.match(shown.findings, /No findings yet: the run holds no loss values or samples to judge/);
    assert.doesNotMatch(shown.findings, /nothing looks wrong/);
    assert.deepEqual(
      shown.errors.map((e: string) => e.replace(/:.*/, '')),
      ['discriminator_loss.npy', 'generator_loss.npy'],
    );
    assert.deepEqual(errors, []);
  });
});
