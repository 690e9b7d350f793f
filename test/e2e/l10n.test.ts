// Proof that real VS Code shows the extension in Traditional Chinese: code-server started with
// `--locale zh-tw` and an empty language pack declared in the profile (see SuiteOptions.locale).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { e2eSuite, waitForChart, type PageElement } from './harness';
import { goodRun, makeWorkspace, removeWorkspace } from './workspace';

declare const document: { body: PageElement };

const CJK = /[\u4e00-\u9fff]/;
const INSPECT_ZH = '檢查 GAN 訓練紀錄';
const CONTAINER_ZH = 'GAN 訓練紀錄';
const VIEW_ZH = '訓練紀錄';

let workspace = '';
after(() => removeWorkspace(workspace));

e2eSuite(
  'e2e l10n: real VS Code started with --locale zh-tw shows the extension in Traditional Chinese',
  () => (workspace = makeWorkspace()),
  (vs) => {
    test('the GAN Runs view container and view are titled in Chinese and its rows read in Chinese', async () => {
      // The activity bar item is named by the container title: its Chinese title is the proof.
      await vs.page.locator(`.part.activitybar .action-item a.action-label[aria-label^="${CONTAINER_ZH}"]`).first().waitFor({ timeout: 90_000 });
      await vs.showViewContainer(CONTAINER_ZH);
      const sidebarTitle = await vs.page.locator('.part.sidebar .composite.title h2').first().innerText();
      // Rows first say "讀取中…" (reading…); their steps follow once the runs are read.
      const rows = await vs.settledRows(VIEW_ZH, 2);
      await vs.screenshot('l10n-zh-runs-view');
      console.log(`sidebar title: ${sidebarTitle}; rows: ${rows.map((r) => r.text).join(' | ')}`);
      assert.match(sidebarTitle, new RegExp(CONTAINER_ZH, 'i'));
      const run = rows.find((r) => r.text.includes(goodRun));
      assert.ok(run, `no ${goodRun} row: ${rows.map((r) => r.text).join(' | ')}`);
      assert.match(run.text, /步/, `the run's description is not Chinese: ${run.text}`);
    });

    test(`right-click the run folder in the Explorer: the menu offers "${INSPECT_ZH}"`, async () => {
      const labels = await vs.rightClickInExplorer(goodRun);
      await vs.screenshot('l10n-zh-explorer-menu');
      console.log(`context menu: ${labels.join(' | ')}`);
      assert.ok(labels.includes(INSPECT_ZH), `context menu: ${labels.join(' | ')}`);
      assert.ok(!labels.includes('Inspect GAN run'), 'the English title is still shown');
    });

    test('the inspector it opens has Chinese labels and Chinese finding messages', async () => {
      await vs.pickContextMenu(INSPECT_ZH);
      const frame: Frame = await vs.webviewFrame(async (f) => (await f.locator('canvas').count()) > 0 && (await vs.isFrameVisible(f)), 60_000);
      const pixels = await waitForChart(frame);
      // Findings come from the worker, which reads with the same zh-tw bundle.
      await frame.waitForFunction(() => /判別器|納許均衡|模式崩潰/.test(document.body.innerText), undefined, { timeout: 30_000 });
      await vs.screenshot('l10n-zh-inspector');
      const text = await frame.evaluate(() => document.body.innerText);
      console.log(`inspector text: ${text.replace(/\s+/g, ' ').slice(0, 400)}`);
      assert.ok(pixels.coloured >= 300, `the chart shows no curve (${JSON.stringify(pixels)})`);
      for (const label of ['平滑', 'Y 軸', '樣本']) assert.ok(text.includes(label), `no "${label}" in the inspector`);
      assert.match(text, /判別器從第 [\d,]+ 步到第 [\d,]+ 步都佔上風/, 'the d-dominant finding is not in Chinese');
      assert.match(text, /納許均衡/, 'the equilibrium finding is not in Chinese');
      assert.doesNotMatch(text, /The discriminator won|Both losses settled|Smoothing/);
      assert.match(text, CJK);
    });
  },
  { locale: 'zh-tw' },
);
