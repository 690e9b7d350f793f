// A StyleGAN-size run in real VS Code (#16): four 4096×2048 snapshot grids (about 24 MB of PNG
// each, written by numpy) and a reals.png as large, with D/G losses in .npy. The GAN Runs row shows
// the losses while the grids are scored and its health after; the inspector's scrubber and the
// reference beside it only ever load previews (at most 1024 px, never the original files); a
// double-click opens the original; a grid appended by "training" is the only one decoded again.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { e2eSuite, type TreeRow, type VsCode } from './harness';
import { removeWorkspace } from './workspace';
import { writeNpy } from '../support/npy';
import { writeBigGrids } from '../support/bigGrids';

interface Img {
  src: string;
  currentSrc: string;
  naturalWidth: number;
  naturalHeight: number;
  complete: boolean;
  className: string;
  dataset: { path?: string };
  textContent: string | null;
  dispatchEvent(e: unknown): boolean;
}
declare const document: { querySelector(s: string): (Img & { value: string }) | null; querySelectorAll(s: string): Iterable<Img> };
declare const performance: { getEntriesByType(type: string): { name: string; transferSize: number; encodedBodySize: number }[] };
declare const Event: new (type: string, init?: object) => unknown;

const RUN = 'stylegan-run';
const fakes = (step: number) => `fakes${String(step).padStart(6, '0')}.png`;
const steps = [0, 200, 400, 600];
let workspace = '';
after(() => removeWorkspace(workspace));

function makeWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gan-e2e-previews-'));
  const run = join(dir, RUN);
  mkdirSync(run);
  const n = 4000;
  const d = Float64Array.from({ length: n }, (_, i) => 0.6 + 0.1 * Math.sin(i / 50) + 0.02 * Math.cos(i * 1.7));
  const g = Float64Array.from({ length: n }, (_, i) => 0.8 + 0.1 * Math.cos(i / 40) + 0.02 * Math.sin(i * 1.3));
  writeNpy(join(run, 'd_loss.npy'), d);
  writeNpy(join(run, 'g_loss.npy'), g);
  writeBigGrids([...steps.map((s) => join(run, fakes(s))), join(run, 'reals.png')], [1, 2, 3, 4, 5]);
  return dir;
}

/** The run's row in the GAN Runs view, or undefined. */
async function runRow(vs: VsCode): Promise<TreeRow | undefined> {
  const rows = await vs.treeRows('Runs', 0, 5_000).catch(() => [] as TreeRow[]);
  return rows.find((r) => r.level === 1 && r.text.includes(RUN));
}

/** Every image resource the webview frame loaded so far (resource timing sees each fetch). */
async function loadedImages(frame: Frame): Promise<{ name: string; bytes: number }[]> {
  return frame.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((e) => /\.png(\?|$)/.test(e.name))
      .map((e) => ({ name: e.name, bytes: e.encodedBodySize || e.transferSize })),
  );
}

async function currentImage(frame: Frame): Promise<{ src: string; w: number; h: number; path: string }> {
  await frame.waitForFunction(
    () => {
      const img = document.querySelector('.sample-figure.current img');
      return !!img && !img.className.includes('pending') && img.complete && img.naturalWidth > 0;
    },
    undefined,
    { timeout: 60_000 },
  );
  return frame.evaluate(() => {
    const img = document.querySelector('.sample-figure.current img')!;
    return { src: img.currentSrc || img.src, w: img.naturalWidth, h: img.naturalHeight, path: img.dataset.path ?? '' };
  });
}

e2eSuite(
  'e2e large sample grids: losses first, previews in the inspector, one decode per new grid',
  () => (workspace = makeWorkspace()),
  (vs) => {
    let frame: Frame;

    test('the GAN Runs row shows the losses while the grids are scored, then its health', async () => {
      await vs.showViewContainer('GAN Runs');
      const seen: TreeRow[] = [];
      const deadline = Date.now() + 120_000;
      for (;;) {
        const row = await runRow(vs);
        if (row && seen.at(-1)?.text !== row.text) seen.push(row);
        if (row && row.icon !== 'loading') break;
        assert.ok(Date.now() < deadline, `the run never got its health: ${seen.map((r) => `[${r.icon}] ${r.text}`).join(' → ')}`);
        await vs.page.waitForTimeout(50);
      }
      console.log(`GAN Runs row: ${seen.map((r) => `[${r.icon}] ${r.text}`).join(' → ')}`);
      const scoring = seen.find((r) => r.icon === 'loading' && /D 0\.\d+/.test(r.text) && /scoring 4 samples…/.test(r.text));
      assert.ok(scoring, `no row with the losses while the samples were scored: ${seen.map((r) => `[${r.icon}] ${r.text}`).join(' → ')}`);
      const last = seen.at(-1)!;
      assert.match(last.icon, /pass|warning|error/);
      assert.match(last.text, /D 0\.\d+/);
      assert.doesNotMatch(last.text, /scoring/);
      const line = await vs.extensionLogLine(new RegExp(`${RUN}: 4 samples scored in [\\d,]+ ms, 4 decoded, 0 unchanged`));
      assert.ok(line, `no scoring line in the extension's log:\n${vs.extensionLog().slice(-1500)}`);
      console.log(`extension log: ${line}`);
    });

    test("the inspector shows previews (at most 1024 px, not the original files), the reference's made on request", async () => {
      await vs.rightClickInExplorer(RUN);
      await vs.pickContextMenu('Inspect GAN run');
      await vs.page.locator('.tabs-container .tab.active', { hasText: RUN }).first().waitFor({ timeout: 45_000 });
      frame = await vs.webviewFrame(async (f) => (await f.locator('canvas').count()) > 0 && (await vs.isFrameVisible(f)), 45_000);
      const shown = await currentImage(frame);
      console.log(`scrubber image: ${shown.w}×${shown.h} ${shown.path}`);
      assert.equal(shown.path, fakes(600), 'the gallery opens on the newest step');
      assert.ok(Math.max(shown.w, shown.h) <= 1024 && shown.w > 0, `${shown.w}×${shown.h}`);
      assert.doesNotMatch(shown.src, new RegExp(`${RUN}|fakes`), 'the scrubber image is the preview, not the grid');
      // reals.png is never scored, so its preview is made only when the inspector asks: a placeholder first.
      await frame.waitForFunction(
        () => [...document.querySelectorAll('img.reference')].some((i) => !i.className.includes('pending') && i.complete && i.naturalWidth > 0),
        undefined,
        { timeout: 60_000 },
      );
      const reference = await frame.evaluate(() =>
        [...document.querySelectorAll('img.reference')].map((i) => ({ src: i.currentSrc || i.src, w: i.naturalWidth })),
      );
      assert.ok(
        reference.every((r) => r.w <= 1024 && !/reals\.png/.test(r.src)),
        JSON.stringify(reference),
      );
      const made = await vs.extensionLogLine(/sample previews made, the first in [\d,]+ ms/);
      console.log(`extension log: ${made}`);
      assert.ok(made, `no preview line in the log:\n${vs.extensionLog().slice(-1500)}`);
    });

    test('the scrubber steps through previews only; a double-click opens the original', async () => {
      for (const index of [0, 1, 2, 3]) {
        await frame.evaluate((i) => {
          const scrubber = document.querySelector('#scrubber')!;
          scrubber.value = String(i);
          scrubber.dispatchEvent(new Event('input', { bubbles: true }));
        }, index);
        await frame.waitForFunction((p) => document.querySelector('.sample-figure.current img')?.dataset.path === p, fakes(steps[index]!));
        const shown = await currentImage(frame);
        assert.ok(Math.max(shown.w, shown.h) <= 1024, `${shown.path}: ${shown.w}×${shown.h}`);
      }
      const loaded = await loadedImages(frame);
      console.log(`images the webview loaded: ${loaded.map((l) => `${l.name.split('/').pop()} ${(l.bytes / 1024).toFixed(0)} KB`).join(', ')}`);
      assert.ok(loaded.length >= 5, `${loaded.length} images loaded`);
      assert.deepEqual(
        loaded.filter((l) => /fakes\d+\.png|reals\.png/.test(l.name)).map((l) => l.name),
        [],
        'no original grid was loaded by the webview',
      );
      const original = statSync(join(workspace, RUN, fakes(600))).size;
      console.log(
        `per scrubber step: ${(original / 2 ** 20).toFixed(1)} MB original, previews ${loaded.map((l) => (l.bytes / 2 ** 20).toFixed(2)).join('/')} MB`,
      );

      await frame.locator('.sample-figure.current img').dblclick();
      await vs.page
        .locator('.tabs-container .tab', { hasText: fakes(600) })
        .first()
        .waitFor({ timeout: 30_000 })
        .catch(async () => {
          // The scrubber was left on the last index: the newest grid.
          throw new Error(`no editor for the original ${fakes(600)}: tabs ${(await vs.tabTitles()).join(' | ')}`);
        });
    });

    test('a grid appended by training is the only one decoded again, and the gallery shows its preview', async () => {
      // Written in place, as a training script does: a read may meet it half-written and retry.
      writeBigGrids([join(workspace, RUN, fakes(800))], [6]);
      await frame.waitForFunction(() => /\(\d of 5\)/.test(document.querySelector('.step-label')?.textContent ?? ''), undefined, { timeout: 90_000 });
      const lines = vs
        .extensionLog()
        .split('\n')
        .filter((l) => l.includes(`${RUN}: 5 samples scored`));
      console.log(`extension log:\n${lines.join('\n')}`);
      assert.ok(lines.length >= 1, `no refresh line in the log:\n${vs.extensionLog().slice(-1500)}`);
      // Each read decodes the new grid at most (0 when it met the half-written file again unchanged, or
      // when a later read — live refresh reads a growing run at least every second — finds all five
      // unchanged), never the four grids already read; one read decoded just that one.
      for (const line of lines) assert.match(line, /, [01] decoded, [45] unchanged since the last read$/);
      assert.ok(
        lines.some((l) => /, 1 decoded, 4 unchanged since the last read$/.test(l)),
        lines.join('\n'),
      );
      await frame.evaluate(() => {
        const scrubber = document.querySelector('#scrubber')!;
        scrubber.value = '4';
        scrubber.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await frame.waitForFunction((p) => document.querySelector('.sample-figure.current img')?.dataset.path === p, fakes(800));
      const shown = await currentImage(frame);
      assert.ok(Math.max(shown.w, shown.h) <= 1024, `${shown.w}×${shown.h}`);
      const loaded = await loadedImages(frame);
      assert.deepEqual(
        loaded.filter((l) => /fakes\d+\.png|reals\.png/.test(l.name)).map((l) => l.name),
        [],
        'no original grid was loaded by the webview',
      );
    });
  },
);
