// A notebook that trained a GAN, in real VS Code: the GAN Runs view lists the notebook itself as a
// run, the Explorer's "Inspect GAN run" on the .ipynb opens the inspector, whose gallery loads the
// notebook's inline grids (extracted into the preview folder, never the notebook), a double-click
// opens the notebook, and hovering a loss path in one of its cells still shows that run's numbers.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { e2eSuite, waitForChart, type TreeRow } from './harness';
import { removeWorkspace } from './workspace';
import { writeNpy } from '../support/npy';
import { chartPng, gridPng, writeNotebook } from '../support/notebooks';

interface Img {
  src: string;
  currentSrc: string;
  naturalWidth: number;
  complete: boolean;
  className: string;
  dataset: { path?: string };
}
declare const document: { querySelector(s: string): Img | null };

const FOLDER = 'nb-run';
const NOTEBOOK = 'GAN.ipynb';
const LOSS_PATH = './result/discriminator_loss.npy';
let workspace = '';
after(() => removeWorkspace(workspace));

function lossLines(epoch: number): string {
  let out = '';
  for (let b = 0; b < 200; b += 20)
    out += `[Epoch ${epoch}/3] [Batch ${b}/200] [D loss: ${(0.6 + 0.05 * Math.sin(epoch * 10 + b)).toFixed(6)}] [G loss: ${(0.9 + 0.05 * Math.cos(b)).toFixed(6)}]\n`;
  return out;
}

function makeWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gan-e2e-notebook-'));
  const folder = join(dir, FOLDER);
  mkdirSync(join(folder, 'result'), { recursive: true });
  const n = 500;
  writeNpy(
    join(folder, 'result', 'discriminator_loss.npy'),
    Float64Array.from({ length: n }, (_, i) => 0.6 + 0.1 * Math.sin(i / 20)),
  );
  writeNpy(
    join(folder, 'result', 'generator_loss.npy'),
    Float64Array.from({ length: n }, (_, i) => 0.9 + 0.1 * Math.cos(i / 20)),
  );
  writeNotebook(join(folder, NOTEBOOK), [
    { count: 1, source: 'import numpy as np\nimport matplotlib.pyplot as plt', outputs: [] },
    {
      count: 2,
      source: `for epoch in range(3):\n    train_one_epoch()\n    show_images(generator(fixed_z))\nnp.save('${LOSS_PATH}', d_losses)`,
      outputs: [
        { stream: 'stdout', text: lossLines(0) },
        { png: gridPng(1) },
        { stream: 'stdout', text: lossLines(1) },
        { png: gridPng(2) },
        { stream: 'stdout', text: lossLines(2) },
        { png: gridPng(3, 0.9) },
      ],
    },
    { count: 3, source: 'plt.plot(d_losses)\nplt.plot(g_losses)', outputs: [{ png: chartPng() }] },
  ]);
  return dir;
}

async function notebookRow(rows: TreeRow[]): Promise<TreeRow | undefined> {
  return rows.find((r) => r.level === 1 && r.text.includes(NOTEBOOK));
}

e2eSuite(
  'e2e notebook: a notebook is a run, its inline grids in the gallery',
  () => (workspace = makeWorkspace()),
  (vs) => {
    let frame: Frame;

    test('the GAN Runs view lists the notebook itself as a run, beside the folder run', async () => {
      await vs.showViewContainer('GAN Runs');
      const rows = await vs.settledRows('Runs', 2, 120_000);
      const row = await notebookRow(rows);
      console.log(
        `GAN Runs: ${rows
          .filter((r) => r.level === 1)
          .map((r) => `[${r.icon}] ${r.text}`)
          .join(' | ')}`,
      );
      assert.ok(row, `no row for ${NOTEBOOK}: ${rows.map((r) => r.text).join(' | ')}`);
      assert.match(row.text, /D 0\.\d+/);
      assert.ok(
        rows.some((r) => r.level === 1 && r.text.includes('result')),
        'the .npy run is listed too',
      );
    });

    test("Explorer → Inspect GAN run on the .ipynb: the gallery loads the notebook's grid from the preview folder", async () => {
      const menu = await vs.rightClickInExplorer(`${FOLDER}/${NOTEBOOK}`);
      assert.ok(menu.includes('Inspect GAN run'), `the menu of a notebook: ${menu.join(', ')}`);
      await vs.pickContextMenu('Inspect GAN run');
      await vs.page.locator('.tabs-container .tab.active', { hasText: NOTEBOOK }).first().waitFor({ timeout: 45_000 });
      frame = await vs.webviewFrame(async (f) => (await f.locator('canvas').count()) > 0 && (await vs.isFrameVisible(f)), 45_000);
      const pixels = await waitForChart(frame);
      assert.ok(pixels.coloured >= 100, `the chart shows no curve (${JSON.stringify(pixels)})`);
      await frame.waitForFunction(
        () => {
          const img = document.querySelector('.sample-figure.current img');
          return !!img && !img.className.includes('pending') && img.complete && img.naturalWidth > 0;
        },
        undefined,
        { timeout: 60_000 },
      );
      const shown = await frame.evaluate(() => {
        const img = document.querySelector('.sample-figure.current img')!;
        return { src: img.currentSrc || img.src, w: img.naturalWidth, path: img.dataset.path ?? '' };
      });
      await vs.screenshot('notebook-gallery');
      console.log(`gallery: ${shown.path} ${shown.w} px from ${shown.src.slice(-60)}`);
      assert.equal(shown.path, `${NOTEBOOK}#cell1-out5.png`, 'the newest step: the grid after the last loss lines');
      assert.equal(shown.w, 132, 'a 5×5 grid of 24 px tiles with 2 px padding');
      assert.match(shown.src, /embedded-[0-9a-f]+\.png/, 'extracted into the preview folder');
      const label = await frame.locator('.step-label').innerText();
      assert.match(label, /\(3 of 3\)/, `three samples, the chart not among them: ${label}`);
    });

    test('a double-click on the grid opens the notebook', async () => {
      await frame.locator('.sample-figure.current img').dblclick();
      await vs.page
        .locator('.tabs-container .tab', { hasText: NOTEBOOK })
        .filter({ hasNotText: 'GAN:' })
        .first()
        .waitFor({ timeout: 30_000 })
        .catch(async () => {
          throw new Error(`the notebook did not open: tabs ${(await vs.tabTitles()).join(' | ')}`);
        });
    });

    test("hovering a loss path in a notebook cell still shows that run's numbers", async () => {
      await vs.openFileInEditor(`${FOLDER}/${NOTEBOOK}`, { text: false });
      // The cells' editors live in the notebook editor, not in a text editor instance.
      const line = vs.page.locator('.notebook-editor .monaco-editor .view-line:visible', { hasText: 'discriminator_loss.npy' }).first();
      await line.waitFor({ timeout: 30_000 });
      // The cell is laid out a moment after it is in the page: wait until the text has a place on screen.
      const place = () =>
        line.evaluate((el, needle) => {
          const walker = (
            el as unknown as {
              ownerDocument: { createTreeWalker(n: unknown, f: number): { nextNode(): { textContent: string | null; length: number } | null } };
            }
          ).ownerDocument.createTreeWalker(el, 4);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const at = (n.textContent ?? '').indexOf(needle);
            if (at < 0) continue;
            const range = (
              el as unknown as {
                ownerDocument: {
                  createRange(): {
                    setStart(n: unknown, o: number): void;
                    setEnd(n: unknown, o: number): void;
                    getBoundingClientRect(): { x: number; y: number; width: number; height: number };
                  };
                };
              }
            ).ownerDocument.createRange();
            range.setStart(n, at + 3);
            range.setEnd(n, at + needle.length - 3);
            const r = range.getBoundingClientRect();
            return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
          }
          return null;
        }, 'discriminator_loss');
      let box = await place();
      for (let i = 0; i < 60 && (!box || box.x <= 0 || box.y <= 0); i++) {
        await vs.page.waitForTimeout(500);
        box = await place();
      }
      assert.ok(box && box.x > 0 && box.y > 0, `the loss path is on screen (${JSON.stringify(box)})`);
      console.log(`loss path at ${JSON.stringify(box)}`);
      // A cell's editor takes hovers once it has been entered (a click puts the cursor in it).
      await vs.page.mouse.click(box.x, box.y);
      const hover = vs.page.locator('.monaco-hover:not(.hidden) .monaco-hover-content').first();
      let text = '';
      for (let attempt = 0; attempt < 20 && !/500/.test(text); attempt++) {
        if (!(await hover.isVisible())) {
          await vs.page.mouse.move(box.x, box.y + 150);
          await vs.page.mouse.move(box.x, box.y);
          await hover.waitFor({ timeout: 3000 }).catch(() => {});
        }
        text = (await hover.isVisible()) ? (await hover.innerText()).trim() : '';
        if (!/500/.test(text)) await vs.page.waitForTimeout(500);
      }
      await vs.screenshot('notebook-hover');
      console.log(`hover: ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
      assert.match(text, /500/, "the hover names the run's 500 steps");
    });
  },
);
