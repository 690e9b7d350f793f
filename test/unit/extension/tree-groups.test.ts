// The runs tree groups a run's series as the inspector does (src/core/seriesGroups.ts): on the real
// StyleGAN2-ADA run, "Loss series" holds groups (D and G losses open, the rest folded), each series
// sits under exactly one group, and a series row's parent is its group (VS Code's reveal needs it).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { inspectPaths } from '../../../src/core/inspect';
import type { RunEntry } from '../../../src/extension/runs/runEntry';
import { childrenOf, viewOf } from '../../../src/extension/tree/treeModel';
import type { TreeNode } from '../../../src/extension/tree/nodes/node';
import { seriesParentOf } from '../../../src/extension/tree/nodes/series';
import { CODEBASE_RUNS, realRunsSkip } from '../../support/realRuns';

const styleGan = path.join(CODEBASE_RUNS, 'Hexanol777-RPG-SpriteGAN');
const skipReal = realRunsSkip(styleGan);

const runs = new Map<string, RunEntry>();
before(async () => {
  if (skipReal) return;
  const { inspections } = await inspectPaths([styleGan]);
  for (const ins of inspections) runs.set(ins.run.root, { root: ins.run.root, name: ins.run.name, inspection: ins });
});

test('the StyleGAN2-ADA run in the tree: series in groups, D and G open, bookkeeping folded', { skip: skipReal }, () => {
  const [entry] = [...runs.values()];
  const ins = entry!.inspection!;
  const seriesNode = childrenOf({ kind: 'run', runRoot: entry!.root }, runs).find((n) => n.kind === 'group' && n.group === 'series')!;
  const groups = childrenOf(seriesNode, runs);
  assert.ok(
    groups.every((g) => g.kind === 'seriesGroup'),
    JSON.stringify(groups),
  );
  const views = groups.map((g) => viewOf(g, runs)!);
  assert.equal(views[0]!.label, 'D and G losses');
  assert.equal(views[0]!.collapsible, 'expanded');
  assert.deepEqual(
    childrenOf(groups[0], runs)
      .map((n) => viewOf(n, runs)!.label)
      .sort(),
    ['Loss/D/loss', 'Loss/G/loss'],
  );
  const timing = groups[views.findIndex((v) => v.label === 'Timing')]!;
  assert.equal(viewOf(timing, runs)!.collapsible, 'collapsed');
  assert.ok(
    childrenOf(timing, runs)
      .map((n) => viewOf(n, runs)!.label)
      .includes('Timing/sec_per_kimg'),
  );
  // Every series exactly once, and each row's parent is the group that lists it.
  const rows = groups.flatMap((g) => childrenOf(g, runs).map((n) => ({ n: n as TreeNode & { kind: 'series' }, g })));
  assert.deepEqual(
    rows.map((r) => r.n.index).sort((a, b) => a - b),
    ins.run.series.map((_, i) => i),
  );
  for (const { n, g } of rows) assert.deepEqual(seriesParentOf(n, runs), g);
  assert.deepEqual(seriesParentOf(groups[0] as TreeNode & { kind: 'seriesGroup' }, runs), seriesNode);
  assert.equal(new Set(groups.map((g) => viewOf(g, runs)!.id)).size, groups.length, 'ids are unique');
});
