// The standalone HTML report of some inspections, opened in real headless Chromium with the chart's
// first view drawn: the one way the report tests open a report.
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderHtmlReport } from '../../src/cli/htmlReport';
import type { Inspection } from '../../src/core/inspect';
import { LAUNCH, buildWebview } from './fixture';

declare const window: { ganInspector?: { stats: { views: number } } };

export interface OpenReport {
  browser: Browser;
  page: Page;
  /** Uncaught errors of the page, as they happen. */
  pageErrors: string[];
}

/** Writes `report.html` of `inspections` into `dir` and opens it at `viewport` (CSS pixels). */
export async function openReport(dir: string, inspections: Inspection[], viewport = { width: 1280, height: 900 }): Promise<OpenReport> {
  buildWebview();
  const file = path.join(dir, 'report.html');
  await writeFile(file, await renderHtmlReport(inspections, { lang: 'en' }));
  const browser = await chromium.launch(LAUNCH);
  const page = await (await browser.newContext({ viewport })).newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => (window.ganInspector?.stats.views ?? 0) > 0);
  return { browser, page, pageErrors };
}
