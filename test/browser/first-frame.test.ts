// The page's first frame in real Chromium under the panel's CSP: the curves are painted before the
// lit components (the y-axis select, the checkboxes of the toolbar and the series chips) are
// defined (webview/components.ts), and defining them moves nothing: each kept box (style.css,
// :not(:defined)) is the size the component renders at, so the chart stays where it was painted.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runSummary } from '../../src/chart/runSummary';
import { chromiumMissing, makeRun, type FixtureRun } from './fixture';
import { openPanel } from './panelPage';

declare const window: { __paintedBeforeDefined: boolean | null };

const skip = chromiumMissing();

/**
 * Kept by the page: every frame's boxes (while any component is undefined) and, when the select is
 * defined, whether the curves' frame was already painted. A string: this file has no DOM types.
 */
const RECORDER = `window.__frames = []; window.__paintedBeforeDefined = null;
  customElements.whenDefined('vscode-single-select').then(() => {
    window.__paintedBeforeDefined = performance.getEntriesByName('gan-inspector-painted').length > 0;
  });
  window.__boxes = () => Object.fromEntries(
    [...document.querySelectorAll('#loss-chart, .toolbar, .series-panel, .layout, .button, vscode-checkbox, vscode-single-select')].map((e, i) => {
      const b = e.getBoundingClientRect();
      return [(e.id || e.className || e.tagName) + '#' + i, [b.left, b.top, b.width, b.height].map(Math.round).join(',')];
    }),
  );
  const tick = () => {
    if (document.getElementById('loss-chart') && !customElements.get('vscode-checkbox')) window.__frames.push(window.__boxes());
    if (!customElements.get('vscode-checkbox')) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);`;

describe('the first frame', { skip: skip ?? false }, () => {
  let run: FixtureRun;

  before(async () => {
    run = await makeRun();
  });
  after(async () => {
    await run?.cleanup();
  });

  for (const width of [1280, 720]) {
    test(`${width} px wide: the curves are painted first, and the components take the boxes kept for them`, async () => {
      // The init carries the first view, as the panel sends a small run's: the page paints it unasked.
      const { browser, page } = await openPanel(run, (inspection, uris) => runSummary(inspection, 'run0', (rel) => uris.get(rel)!), RECORDER, {
        width,
        firstView: true,
      });
      try {
        await page.waitForFunction(() => window.__paintedBeforeDefined !== null);
        assert.equal(await page.evaluate('window.__paintedBeforeDefined'), true, 'the components were defined before the curves were painted');

        const frames = (await page.evaluate('window.__frames')) as Record<string, string>[];
        assert.ok(frames.length > 0, 'no frame was seen before the components were defined');
        const before = frames.at(-1)!;
        // The components render in microtasks once defined: two frames later they are drawn.
        await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
        const defined = (await page.evaluate('window.__boxes()')) as Record<string, string>;
        assert.ok(
          Object.keys(before).some((k) => k.startsWith('VSCODE-CHECKBOX')) && Object.keys(before).some((k) => k.startsWith('y-scale')),
          Object.keys(before).join(' '),
        );
        assert.deepEqual(defined, before);
        // Defined, the components are the working ones: the select holds the y axis, the checkbox its label.
        assert.equal(await page.evaluate(`document.getElementById('y-scale').value`), 'raw');
        assert.ok(await page.evaluate(`!!document.getElementById('ignore-outliers').shadowRoot`));
      } finally {
        await browser.close();
      }
    });
  }
});
