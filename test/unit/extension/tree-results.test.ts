// The runs tree shows a run's results (images on no step) in a group of their own, beside the
// samples, each row opening its image; a hostile file name stays text in the tooltip.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { discoverRuns } from '../../../src/core/discover';
import { inspectRun } from '../../../src/core/inspect';
import { childrenOf, viewOf } from '../../../src/extension/tree/treeModel';
import type { RunEntry } from '../../../src/extension/runs/runEntry';
import { md } from '../../support/markdown';

const hostile = 'test_[x](javascript:alert(1))<img src=x onerror=alert(1)>_3.png';
let root: string;
const runs = new Map<string, RunEntry>();

before(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'gan-tree-results-'));
  const dir = path.join(root, 'dcgan', 'samples');
  mkdirSync(dir, { recursive: true });
  const png = new PNG({ width: 8, height: 8 });
  png.data.fill(128);
  for (const name of ['train_00_0099.png', 'train_00_0199.png', 'train_01_0099.png', 'test_arange_0.png', 'test_arange_11.png', hostile])
    writeFileSync(path.join(dir, name), PNG.sync.write(png));
  for (const loc of await discoverRuns(root)) runs.set(loc.root, { root: loc.root, name: loc.name, inspection: await inspectRun(loc) });
});

after(() => rmSync(root, { recursive: true, force: true }));

test('results have their own group beside the samples, and each row opens its image', () => {
  assert.equal(runs.size, 1);
  const entry = [...runs.values()][0]!;
  const groups = childrenOf({ kind: 'run', runRoot: entry.root }, runs);
  assert.deepEqual(
    groups.map((g) => (g.kind === 'group' ? g.group : g.kind)),
    ['samples', 'results'],
  );
  const group = viewOf(groups[1]!, runs)!;
  assert.equal(group.label, 'Results (not on the step axis)');
  assert.equal(group.description, '3');
  const rows = childrenOf(groups[1], runs).map((n) => viewOf(n, runs)!);
  assert.deepEqual(rows.map((r) => r.label).sort(), ['test_arange_0.png', 'test_arange_11.png', hostile].sort());
  for (const row of rows) {
    assert.equal(row.command!.id, 'vscode.open');
    assert.ok((row.command!.args[0] as string).startsWith(entry.root));
    // The name is escaped: no link, image or element comes out of the tooltip.
    assert.doesNotMatch(md.render(row.tooltip!), /<(a|img|script)\b/);
  }
  // The run's tooltip says how many results it has (Markdown-escaped).
  assert.ok(viewOf({ kind: 'run', runRoot: entry.root }, runs)!.tooltip!.includes('- Results \\(not on the step axis\\)\\: 3'));
  // The samples group holds the training grids only, at epoch × batches-per-epoch + batch.
  const samples = childrenOf(groups[0], runs).map((n) => viewOf(n, runs)!);
  assert.deepEqual(
    samples.map((s) => s.description),
    ['train_00_0099.png', 'train_00_0199.png', 'train_01_0099.png'],
  );
  // Batches per epoch from the names: the largest batch (199) + its spacing (100).
  assert.deepEqual(
    entry.inspection!.run.samples.map((s) => s.step),
    [99, 199, 299 + 99],
  );
});
