// A large sample whose preview is still being made, in the webview app under the panel's CSP in real
// headless Chromium (#16): the gallery shows a placeholder (no image source at all: the original is
// never loaded), a double-click still opens the original, the GIF export waits for the preview, and
// the `sampleImage` message swaps the preview in.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Inspection } from '../../src/core/inspect';
import { runSummary } from '../../src/chart/runSummary';
import type { FromWebview } from '../../src/protocol';
import { SAMPLE_STEPS, chromiumMissing, makeRun, type FixtureRun } from './fixture';
import { deliverTo, openPanel } from './panelPage';

declare const window: any;
declare const document: any;

const skip = chromiumMissing();

describe('a pending sample preview in the inspector webview', { skip: skip ?? false }, () => {
  let run: FixtureRun;
  let browser: Browser;
  let page: Page;
  let inspection: Inspection;
  let received: FromWebview[];
  const newest = `image/${SAMPLE_STEPS.at(-1)}.png`;
  const dataUri = async (rel: string) => `data:image/png;base64,${(await readFile(path.join(inspection.run.root, ...rel.split('/')))).toString('base64')}`;

  before(async () => {
    run = await makeRun();
    ({ browser, page, inspection, received } = await openPanel(run, (inspected, uris) => {
      // As the panel sends it while the newest grid's preview is being made: no URI, pending.
      const summary = runSummary(inspected, 'run0', (rel) => (rel === newest ? '' : uris.get(rel)!));
      for (const s of summary.samples) if (s.path === newest) s.pending = true;
      return summary;
    }));
  });

  after(async () => {
    await browser?.close();
    await run?.cleanup();
  });

  test('the gallery opens on the newest step with a placeholder, not an image; a double-click still opens the original', async () => {
    const img = page.locator('.sample-figure.current img');
    await img.waitFor();
    const shown = await img.evaluate((i: any) => ({
      src: i.getAttribute('src'),
      pending: i.classList.contains('pending'),
      alt: i.alt,
      path: i.dataset.path,
      width: i.getBoundingClientRect().width,
    }));
    assert.deepEqual({ src: shown.src, pending: shown.pending, path: shown.path }, { src: null, pending: true, path: newest });
    assert.match(shown.alt, /Making a preview/);
    assert.ok(shown.width > 0, 'the placeholder takes its place on screen');
    // The host is told which pending sample is on screen, so it makes that preview next.
    assert.deepEqual(
      received.filter((m) => m.type === 'showingSample'),
      [{ type: 'showingSample', runId: 'run0', path: newest }],
    );
    await img.dblclick();
    await page.waitForFunction(() => window.__posted.some((m: any) => m.type === 'openSample'));
    assert.deepEqual(
      received.filter((m) => m.type === 'openSample'),
      [{ type: 'openSample', runId: 'run0', path: newest }],
    );
  });

  test('the GIF export waits for the preview, then encodes with it', async () => {
    await page.locator('#export-gif').click();
    await page.waitForFunction(() => /Waiting for 1 sample previews/.test(document.querySelector('.status')?.textContent ?? ''));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await page.evaluate(() => window.__posted.filter((m: any) => m.type === 'export').length), 0, 'no GIF before the preview');
    const preview = await dataUri(`image/${SAMPLE_STEPS[0]}.png`);
    await deliverTo(page, { type: 'sampleImage', runId: 'run0', path: newest, uri: preview });
    await page.waitForFunction((uri) => {
      const i = document.querySelector('.sample-figure.current img');
      return i.getAttribute('src') === uri && !i.classList.contains('pending') && i.complete && i.naturalWidth > 0;
    }, preview);
    await page.waitForFunction(() => window.__posted.some((m: any) => m.type === 'export'), undefined, { timeout: 15_000 });
    for (let i = 0; i < 100 && !received.some((m) => m.type === 'export'); i++) await new Promise((r) => setTimeout(r, 20));
    const gif = received.find((m) => m.type === 'export');
    assert.ok(gif && gif.type === 'export' && /\.gif$/.test(gif.name));
    const bytes = typeof gif.data === 'string' ? Buffer.from(gif.data) : Buffer.from(gif.data as ArrayBuffer);
    assert.equal(bytes.subarray(0, 6).toString('latin1'), 'GIF89a');
  });
});
