// Each kind of row in the runs tree is one module that knows its parent (src/extension/tree/nodes/):
// walking down from the roots and back up through parentOf meets every node's own parent, for every
// kind (runs with grouped and ungrouped series, more samples than rows, results, errors, findings),
// and the ids are unique. VS Code's reveal walks up this way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formulationOf } from '../../../src/core/formulation';
import type { Finding, Run, Series } from '../../../src/core/model';
import type { RunEntry } from '../../../src/extension/runs/runEntry';
import type { TreeNode } from '../../../src/extension/tree/nodes/node';
import { childrenOf, nodeId, parentOf, viewOf } from '../../../src/extension/tree/treeModel';

const series = (name: string, role: Series['role']): Series => {
  const steps = Float64Array.from({ length: 50 }, (_, i) => i);
  return { name, role, source: 'stats.jsonl', column: null, steps, values: steps.map((s) => 0.7 + Math.sin(s) / 10) };
};

function run(root: string, names: [string, Series['role']][], samples: number): Run {
  return {
    root,
    name: root.slice(1),
    series: names.map(([n, r]) => series(n, r)),
    samples: Array.from({ length: samples }, (_, i) => ({ step: i * 10, path: `image/${i * 10}.png` })),
    results: [{ path: 'test/a.png' }, { path: 'b.png' }],
    errors: [{ source: 'broken.npy', message: 'broken.npy: not an .npy file' }],
    config: {},
    formulation: formulationOf('bce'),
  };
}

const finding = (severity: Finding['severity'], start: number): Finding => ({
  kind: 'plateau',
  severity,
  start,
  end: start + 5,
  series: ['generator'],
  message: 'flat',
  evidence: { slope: 0 },
});

const runs = new Map<string, RunEntry>();
for (const r of [
  run(
    '/grouped',
    [
      ['Loss/D/loss', 'discriminator'],
      ['Loss/G/loss', 'generator'],
      ['Timing/sec_per_kimg', 'other'],
      ['Metrics/fid50k_full', 'metric'],
    ],
    450,
  ),
  run(
    '/plain',
    [
      ['d_loss', 'discriminator'],
      ['g_loss', 'generator'],
    ],
    3,
  ),
]) {
  runs.set(r.root, { root: r.root, name: r.name, inspection: { run: r, findings: [finding('info', 10), finding('error', 20)], diversity: [] } });
}
// A run still being read has a row and nothing under it.
runs.set('/reading', { root: '/reading', name: 'reading' });

function walk(node?: TreeNode): { node: TreeNode; parent?: TreeNode }[] {
  return childrenOf(node, runs).flatMap((c) => [{ node: c, parent: node }, ...walk(c)]);
}

test('every row of every kind names the row that lists it as its parent', () => {
  const all = walk();
  for (const { node, parent } of all) assert.deepEqual(parentOf(node, runs), parent, JSON.stringify(node));
  const kinds = new Set(all.map((n) => n.node.kind));
  assert.deepEqual([...kinds].sort(), ['error', 'finding', 'group', 'more', 'result', 'run', 'sample', 'series', 'seriesGroup']);
  // Series sit under their groups where a run has several, under "Loss series" where it has one.
  assert.ok(all.some(({ node, parent }) => node.kind === 'series' && node.runRoot === '/grouped' && parent?.kind === 'seriesGroup'));
  assert.ok(all.some(({ node, parent }) => node.kind === 'series' && node.runRoot === '/plain' && parent?.kind === 'group'));
  assert.deepEqual(childrenOf({ kind: 'run', runRoot: '/reading' }, runs), []);
});

test('every row has a unique id, the one its view carries, and a view', () => {
  const all = walk().map((n) => n.node);
  const ids = all.map(nodeId);
  assert.equal(new Set(ids).size, ids.length);
  for (const node of all) assert.equal(viewOf(node, runs)?.id, nodeId(node), JSON.stringify(node));
  // A row whose run is gone has no view (VS Code may still ask for it).
  assert.equal(viewOf({ kind: 'finding', runRoot: '/gone', index: 0 }, runs), undefined);
});
