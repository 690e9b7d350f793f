// Issue #14 in real VS Code: a workspace of what the major GAN codebases wrote (copies of the
// committed outputs in ../shared/codebase-runs, made into a temp workspace at test time). With no
// gan-run.json, the GAN Runs view reads StyleGAN2-ADA's stats.jsonl means on kimg (not the batch
// counts), calls its broken FID broken, gives pix2pix's winning discriminator a warning, and never
// makes PGGAN's overflow counters into D and G.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { e2eSuite, type TreeRow } from './harness';
import { removeWorkspace } from './workspace';
import { CODEBASE_RUNS, realRunsSkip } from '../support/realRuns';

const RUNS = ['Hexanol777-RPG-SpriteGAN', 'mingxuanM-poke_pixel2pixel', 'nathantseng-PGGAN'];
const missing = RUNS.map((r) => realRunsSkip(join(CODEBASE_RUNS, r))).find(Boolean);

let workspace = '';
after(() => removeWorkspace(workspace));

function makeCodebaseWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gan-e2e-codebases-'));
  for (const run of RUNS) cpSync(join(CODEBASE_RUNS, run), join(dir, run), { recursive: true });
  return dir;
}

if (missing) {
  test('codebase runs in VS Code', { skip: missing }, () => {});
} else {
  e2eSuite(
    'e2e codebase runs: StyleGAN2-ADA, pix2pix, PGGAN read with no setup',
    () => (workspace = makeCodebaseWorkspace()),
    (vs) => {
      let rows: TreeRow[] = [];
      const row = (text: string) => rows.find((r) => r.level === 1 && r.text.includes(text));

      test('the GAN Runs view lists every run, read, with its health', async () => {
        await vs.showViewContainer('GAN Runs');
        rows = await vs.treeRows('Runs', 4, 60_000);
        const deadline = Date.now() + 90_000;
        const settled = () =>
          ['Hexanol777', 'poke_evol_pix2pix', 'poke_evol_mini_full_aug', 'nathantseng-PGGAN'].every((n) => row(n) && row(n)!.icon !== 'loading');
        while (!settled() && Date.now() < deadline) {
          await vs.page.waitForTimeout(250);
          rows = await vs.treeRows('Runs');
        }
        await vs.screenshot('codebases-runs-view');
        console.log(
          `codebase runs: ${rows
            .filter((r) => r.level === 1)
            .map((r) => `[${r.icon}] ${r.text}`)
            .join(' | ')}`,
        );
        for (const r of rows.filter((x) => x.level === 1)) assert.doesNotMatch(r.text, /unreadable/i, r.text);
      });

      test('StyleGAN2-ADA: D and G are the loss means (≈ 0.82 and 1.6, never the batch count 4,000), the broken FID is an error', async () => {
        const style = row('Hexanol777');
        assert.ok(style, 'no StyleGAN row');
        assert.match(style.text, /D 0\.8\d* · G 1\.6/, style.text);
        assert.doesNotMatch(style.text, /3992|4000|4,000/, style.text);
        assert.equal(style.icon, 'error', `the broken FID (values of 1e+57) is an error: ${style.icon}`);
        await vs.treeRow('Runs', 'Hexanol777').click();
        rows = await vs.treeRows('Runs', 5);
        const children = rows
          .filter((r) => r.level > 1)
          .map((r) => r.text)
          .join(' | ');
        assert.match(children, /metric broken|fid50k/i, children);
        // One copy of each metric: stats.jsonl and the TensorBoard events hold the same scalars.
        assert.doesNotMatch(children, /\bnum\b|\/std\b/, children);
      });

      test('pix2pix: the discriminator that wins (D_real 0.000, D_fake 0.001, G_GAN 7.8) gets a warning, not a green tick', async () => {
        const pix = row('poke_evol_pix2pix');
        assert.ok(pix, 'no pix2pix row');
        assert.match(pix.icon, /warning|error/, `${pix.text}: ${pix.icon}`);
        assert.match(pix.text, /G 8\.1/, pix.text);
      });

      test('PGGAN: the overflow counters are not D and G, so no "stuck at 0" error', async () => {
        const pggan = row('nathantseng-PGGAN');
        assert.ok(pggan, 'no PGGAN row');
        assert.notEqual(pggan.icon, 'error', pggan.text);
        assert.doesNotMatch(pggan.text, /D 0 · G 0/, pggan.text);
      });
    },
  );
}
