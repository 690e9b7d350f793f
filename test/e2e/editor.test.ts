// In the editor: hovering the loss file's path literal in train.py shows the run's numbers, and the
// problem run's warnings are in the Problems panel on the line that saves the loss.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { e2eSuite, waitForChart } from './harness';
import { exampleRun, goodRun, makeWorkspace, problemRun, removeWorkspace } from './workspace';

let workspace = '';
after(() => removeWorkspace(workspace));

/** The first string literal naming a loss .npy in the example's train.py, as the user wrote it. */
function lossLiteral(): string {
  const trainPy = join(exampleRun, 'train.py');
  assert.ok(existsSync(trainPy), `the bundled example ${trainPy} is missing`);
  const m = /(['"])([^'"\n]*loss[^'"\n]*\.npy)\1/.exec(readFileSync(trainPy, 'utf8'));
  assert.ok(m, `${trainPy} names no *loss*.npy file in a string literal`);
  return m[2]!;
}

e2eSuite(
  'e2e editor: hover on a loss path and the Problems panel',
  () => (workspace = makeWorkspace()),
  (vs) => {
    test("hovering the loss file path in train.py shows the run's 30,000 steps", async () => {
      const literal = lossLiteral();
      await vs.openFileInEditor(`${goodRun}/train.py`);
      const hover = await vs.hoverText(literal, /30[,.\u202f\u00a0 ]?000/, 45_000).catch(async (e) => {
        await vs.screenshot('hover-train-py');
        throw e;
      });
      await vs.screenshot('hover-train-py');
      console.log(`hover: ${hover.replace(/\s+/g, ' ').slice(0, 200)}`);
      assert.match(hover, /30[,.\u202f\u00a0 ]?000/);
    });

    test('the "Inspect GAN run" button in the title of an open .npy file opens the inspector', async () => {
      await vs.openFileInEditor(`${problemRun}/result/generator_loss.npy`, { text: false });
      await vs.clickEditorTitleAction('Inspect GAN run');
      await vs.page.locator('.tabs-container .tab.active', { hasText: problemRun }).filter({ hasNotText: '.npy' }).first().waitFor({ timeout: 45_000 });
      const frame = await vs.webviewFrame(async (f) => (await f.locator('canvas').count()) > 0 && (await vs.isFrameVisible(f)), 45_000);
      const pixels = await waitForChart(frame);
      await vs.screenshot('npy-editor-title-inspect');
      assert.ok(pixels.coloured >= 300, `the chart shows no curve (${JSON.stringify(pixels)})`);
    });

    test("the problem run's warnings appear in the Problems panel", async () => {
      await vs.openFileInEditor(`${problemRun}/train.py`);
      const rows = await vs.problems(2, 45_000);
      await vs.screenshot('problems-panel');
      console.log(`problems: ${rows.join(' | ').slice(0, 400)}`);
      assert.ok(
        rows.some((r) => r.includes('train.py')),
        `no train.py in the Problems panel: ${rows.join(' | ')}`,
      );
      assert.ok(
        rows.some((r) => /warning|error/i.test(r) && /discriminator|dominan|saturat|G |generator/i.test(r)),
        `no GAN warning in: ${rows.join(' | ')}`,
      );
    });
  },
);
