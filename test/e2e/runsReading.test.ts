// A workspace of every real run in ../shared (real-runs and codebase-runs, copied into a temp
// workspace at test time) in real VS Code (#16): the GAN Runs view lists every discovered run at
// once, the ones still being read with a spinner and "reading…", and each turns into its normal
// row (its health, D and G) when read — the slow image-only runs seconds after the others.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { discoverRuns } from '../../src/core/discover';
import { DEFAULT_SETTINGS } from '../../src/extension/settings';
import { e2eSuite, type TreeRow } from './harness';
import { removeWorkspace } from './workspace';
import { CODEBASE_RUNS, REAL_RUNS, realRunsSkip } from '../support/realRuns';

const missing = realRunsSkip(REAL_RUNS) || realRunsSkip(CODEBASE_RUNS);
let workspace = '';
after(() => removeWorkspace(workspace));

function makeSharedWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gan-e2e-shared-runs-'));
  cpSync(REAL_RUNS, join(dir, 'real-runs'), { recursive: true });
  cpSync(CODEBASE_RUNS, join(dir, 'codebase-runs'), { recursive: true });
  return dir;
}

if (missing) {
  test('shared runs in VS Code', { skip: missing }, () => {});
} else {
  e2eSuite(
    'e2e GAN Runs view: every run of a large workspace shows at once, reading first',
    () => (workspace = makeSharedWorkspace()),
    (vs) => {
      test('every discovered run is a row from the first moment; each turns into its normal row when read', async () => {
        // Discovered with the extension's default scan settings, as the view does.
        const { maxDepth, exclude, maxFolders } = DEFAULT_SETTINGS;
        const expected = (await discoverRuns(workspace, { maxDepth, exclude, maxFolders })).length;
        await vs.showViewContainer('GAN Runs');
        const runs = (rows: TreeRow[]) => rows.filter((r) => r.level === 1);
        let rows = runs(await vs.treeRows('Runs', 1, 90_000));
        const first = rows;
        const reading = new Set(first.filter((r) => r.icon === 'loading').map((r) => r.text.replace(/reading….*$/, '')));
        const deadline = Date.now() + 120_000;
        while (rows.some((r) => r.icon === 'loading') && Date.now() < deadline) {
          await vs.page.waitForTimeout(200);
          rows = runs(await vs.treeRows('Runs'));
          assert.ok(rows.length >= first.length, `rows went away while reading: ${rows.length} after ${first.length}`);
        }
        await vs.screenshot('shared-runs-view');
        console.log(
          `first snapshot: ${first.length} rows, ${reading.size} reading; discovered ${expected}; at the end: ${rows.map((r) => `[${r.icon}] ${r.text}`).join(' | ')}`,
        );
        assert.equal(first.length, expected, `the first rows shown: ${first.map((r) => `[${r.icon}] ${r.text}`).join(' | ')}`);
        assert.ok(
          first.some((r) => r.icon === 'loading' && /reading…/.test(r.text)),
          'some runs were shown while still being read',
        );
        assert.equal(rows.length, expected);
        assert.ok(
          rows.every((r) => r.icon !== 'loading' && !/reading…/.test(r.text)),
          rows
            .filter((r) => r.icon === 'loading')
            .map((r) => r.text)
            .join(' | '),
        );
      });
    },
  );
}
