// Issue #13 in real VS Code: a workspace of runs of one length (five copies of a script's run, as
// .npy, and one as CSV) plus one of another length. Every row of the GAN Runs view is read (none
// "unreadable"), and comparing two equal-length runs paints both. The worker reads the runs of the
// view all at once and moves their arrays to the host; a shared step array once made one of them
// "An ArrayBuffer is detached and could not be cloned."
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { e2eSuite, waitForChart } from './harness';
import { writeNpy } from '../support/npy';
import { removeWorkspace } from './workspace';

let workspace = '';
after(() => removeWorkspace(workspace));

const LENGTH = 30_000;
const OTHER_LENGTH = 12_000;
/**
 * Copies of one script's run, told apart by their last values. Five, so that the view's reads (two
 * at a time) pair equal-length runs in the worker again and again.
 */
const npyRuns = [
  { name: 'alpha', d: 0.13, g: 2.9 },
  { name: 'beta', d: 0.23, g: 3.9 },
  { name: 'gamma', d: 0.33, g: 4.9 },
  { name: 'kappa', d: 0.63, g: 1.9 },
  { name: 'lambda', d: 0.73, g: 1.7 },
];
const csvRun = { name: 'delta', d: 0.43, g: 5.9 };
const otherRun = { name: 'epsilon', d: 0.53, g: 6.9 };

/** A healthy-looking curve ending at `last`: falls from 1.5× to it with a little wobble. */
function curve(n: number, last: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = last * (1 + 0.5 * Math.exp(-i / (n / 8))) + 0.01 * last * Math.sin(i / 37);
  out[n - 1] = last;
  return out;
}

function makeEqualLengthWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gan-e2e-equal-'));
  for (const run of [...npyRuns, otherRun]) {
    const n = run === otherRun ? OTHER_LENGTH : LENGTH;
    writeNpy(join(dir, run.name, 'result', 'discriminator_loss.npy'), curve(n, run.d));
    writeNpy(join(dir, run.name, 'result', 'generator_loss.npy'), curve(n, run.g));
  }
  const d = curve(LENGTH, csvRun.d);
  const g = curve(LENGTH, csvRun.g);
  const rows = ['step,d_loss,g_loss'];
  for (let i = 0; i < LENGTH; i++) rows.push(`${i},${d[i]},${g[i]}`);
  mkdirSync(join(dir, csvRun.name, 'logs'), { recursive: true });
  writeFileSync(join(dir, csvRun.name, 'logs', 'metrics.csv'), `${rows.join('\n')}\n`);
  return dir;
}

const stepsText = (n: number) => new RegExp(`(?<![\\d,])${Math.floor(n / 1000)}[,.\u202f\u00a0 ]?${String(n % 1000).padStart(3, '0')}(?![\\d,])`);
/** "D 0.13", "D 0.1300", "G 2.9", "G 2.900": the last value, in any of the view's roundings. */
const lastValue = (role: 'D' | 'G', v: number) => new RegExp(`${role} ${String(v).replace('.', '\\.')}0*(?!\\d)`);

e2eSuite(
  'e2e runs of equal length: every run read, two compared',
  () => (workspace = makeEqualLengthWorkspace()),
  (vs) => {
    test('every row of the GAN Runs view shows its steps and last values, none unreadable', async () => {
      await vs.showViewContainer('GAN Runs');
      const all = [...npyRuns, csvRun, otherRun];
      let rows = await vs.treeRows('Runs', all.length, 60_000);
      const deadline = Date.now() + 60_000;
      const settled = () =>
        all.every((run) => rows.some((r) => r.level === 1 && r.text.includes(run.name) && r.icon !== 'loading' && /steps|unreadable/i.test(r.text)));
      while (!settled() && Date.now() < deadline) {
        await vs.page.waitForTimeout(250);
        rows = await vs.treeRows('Runs');
      }
      await vs.screenshot('equal-lengths-runs-view');
      console.log(`equal lengths: ${rows.map((r) => `[${r.icon}] ${r.text}`).join(' | ')}`);
      for (const run of all) {
        const row = rows.find((r) => r.level === 1 && r.text.includes(run.name));
        assert.ok(row, `no ${run.name} row: ${rows.map((r) => r.text).join(' | ')}`);
        assert.doesNotMatch(row.text, /unreadable/i, `${run.name}: ${row.text} (${row.ariaLabel})`);
        assert.match(row.text, stepsText(run === otherRun ? OTHER_LENGTH : LENGTH), `${run.name} steps: ${row.text}`);
        assert.match(row.text, lastValue('D', run.d), `${run.name} D: ${row.text}`);
        assert.match(row.text, lastValue('G', run.g), `${run.name} G: ${row.text}`);
      }
    });

    test('comparing two equal-length runs paints both', async () => {
      const rows = [vs.treeRow('Runs', 'alpha'), vs.treeRow('Runs', 'beta')];
      await rows[0]!.click();
      await rows[1]!.click({ modifiers: ['Control'] });
      await rows[1]!.click({ button: 'right' });
      await vs.pickContextMenu('Compare selected runs');
      await vs.page.locator('.tabs-container .tab.active', { hasText: 'alpha' }).filter({ hasText: 'beta' }).first().waitFor({ timeout: 60_000 });
      const frame = await vs.webviewFrame(async (f) => (await f.locator('canvas').count()) > 0 && (await vs.isFrameVisible(f)), 60_000);
      const pixels = await waitForChart(frame, 600);
      const text = await frame.evaluate(() => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText);
      await vs.screenshot('equal-lengths-compare');
      assert.ok(pixels.coloured >= 600, `the chart shows too little (${JSON.stringify(pixels)})`);
      // The summary counts every point of the four series: 2 runs × D and G × 30,000.
      const points = text.replace(/[,.\u202f\u00a0 ](?=\d{3}\b)/g, '');
      assert.match(points, new RegExp(`\\b${4 * LENGTH}\\b points`), `the comparison does not hold both runs: ${text.slice(0, 400)}`);
      assert.doesNotMatch(text, /detached|could not be cloned/i);
    });
  },
);
