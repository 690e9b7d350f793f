// Names are data, in the HTML report too: the hostile names of test/support/hostileNames.ts as run
// folders and loss files, rendered by the standalone report and opened in headless Chromium. The
// names must show as text, make no element, run no script and fetch nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspectPaths, type Inspection } from '../../src/core/inspect';
import { renderHtmlReport } from '../../src/cli/htmlReport';
import { NAMES, writeHostileRuns } from '../support/hostileNames';
import { chromiumMissing, LAUNCH } from './fixture';
import { bundleWebview } from '../support/bundles';

let work: string;
let webviewScript: string;
let inspections: Inspection[];

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'gan-hostile-report-'));
  writeHostileRuns(join(work, 'runs'));
  // A private bundle, so parallel test files never read a half-written one.
  webviewScript = join(work, 'webview.js');
  await bundleWebview(webviewScript);
  const found = await inspectPaths([join(work, 'runs')]);
  assert.deepEqual(found.problems, []);
  inspections = found.inspections;
});

after(() => rmSync(work, { recursive: true, force: true }));

const noChromium = chromiumMissing();

test('HTML report in headless Chromium: names shown as text, no element made, no script run, no request', { skip: noChromium ?? false }, async (t) => {
  const { chromium } = await import('playwright-core');
  const html = await renderHtmlReport(inspections, { lang: 'en', webviewScript });
  const file = join(work, 'report.html');
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const browser = await chromium.launch(LAUNCH);
  try {
    const page = await browser.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (r.url() !== url && !/^(data|blob):/.test(r.url())) requests.push(r.url());
    });
    // The names call alert(): if any of them ran, this records it.
    await page.addInitScript('window.__pwned = undefined; window.alert = (x) => { window.__pwned = String(x); };');
    await page.goto(url);
    await page.waitForFunction('document.querySelector("h1") && document.querySelector("h1").textContent.length > 0', undefined, { timeout: 20_000 });
    // Give late renders (findings, tooltips, legends) a moment to run their code too.
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate('window.__pwned'), undefined, 'a name ran a script');
    assert.equal(await page.evaluate('document.querySelectorAll("#app img[src=\'x\'], #app script, #app a, #app b, #app em, #app h1 *").length'), 0);
    // The app's own <strong> holds finding kinds; none may come from the `**bold**` name.
    assert.deepEqual(await page.evaluate('[...document.querySelectorAll("#app strong")].map((e) => e.textContent).filter((x) => /bold|link/.test(x))'), []);
    const title = (await page.evaluate('document.querySelector("h1").textContent')) as string;
    for (const name of NAMES) assert.ok(title.includes(name), `the title shows ${name}`);
    const body = (await page.evaluate('document.body.innerText')) as string;
    t.diagnostic(`report ${(html.length / 1024).toFixed(0)} KB, ${NAMES.length} runs, page errors: ${errors.length}`);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, []);
    assert.ok(body.length > 0);
  } finally {
    await browser.close();
  }
});
