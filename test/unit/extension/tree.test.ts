// The runs tree built from real inspections: health, descriptions, children, tooltips, commands.
import { formatStep } from '../../../src/core/analysis/format';
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { discoverRuns } from '../../../src/core/discover';
import { inspectRun, type Inspection } from '../../../src/core/inspect';
import type { Finding } from '../../../src/core/model';
import { childrenOf, viewOf } from '../../../src/extension/tree/treeModel';
import type { TreeNode } from '../../../src/extension/tree/nodes/node';
import { MAX_SAMPLE_ROWS } from '../../../src/extension/tree/nodes/sample';
import { runDescription, runHealth } from '../../../src/extension/tree/describe';
import type { RunEntry } from '../../../src/extension/runs/runEntry';
import { REAL_RUNS, realRunsSkip } from '../../support/realRuns';
import { formulationOf } from '../../../src/core/formulation';
import { md } from '../../support/markdown';

const realRuns = REAL_RUNS;
const skipReal = realRunsSkip();
const hasReal = !skipReal && existsSync(realRuns);

const runs = new Map<string, RunEntry>();
const byName = (prefix: string) => [...runs.values()].find((r) => r.name.startsWith(prefix))!;

before(async () => {
  if (!hasReal) return;
  for (const loc of await discoverRuns(realRuns)) runs.set(loc.root, { root: loc.root, name: loc.name, inspection: await inspectRun(loc) });
});

/** Every node of the tree, depth first. */
function walk(map: ReadonlyMap<string, RunEntry>, node?: TreeNode): TreeNode[] {
  return childrenOf(node, map).flatMap((c) => [c, ...walk(map, c)]);
}

test('one root row per real run, sorted by name, with health icons', { skip: skipReal }, () => {
  const roots = childrenOf(undefined, runs);
  assert.equal(roots.length, runs.size);
  const names = roots.map((r) => runs.get(r.runRoot)!.name);
  assert.deepEqual(
    names,
    [...names].sort((a, b) => a.localeCompare(b)),
  );
  assert.equal(runHealth(byName('liwenhan220')), 'warning');
  assert.equal(viewOf({ kind: 'run', runRoot: byName('liwenhan220').root }, runs)!.icon.id, 'warning');
  assert.equal(runHealth(byName('PrathamMahajan103')), 'ok');
  assert.deepEqual(viewOf({ kind: 'run', runRoot: byName('PrathamMahajan103').root }, runs)!.icon, { id: 'pass', color: 'testing.iconPassed' });
});

test('run description: steps and last D/G values', { skip: skipReal }, () => {
  const e = byName('liwenhan220');
  const ins = e.inspection!;
  const d = ins.run.series.find((s) => s.role === 'discriminator')!;
  assert.equal(runDescription(e).split(' · ')[0], '16,540 steps');
  assert.ok(runDescription(e).includes(`D ${Number(d.values[d.values.length - 1]!.toPrecision(4))}`));
  // WGAN-GP with n_critic=5: the longest series gives the step count.
  assert.match(runDescription(byName('PrathamMahajan103')), /^1,080 steps · D -?[\d.e+-]+ · G -?[\d.e+-]+$/);
});

test('children: findings (worst first), loss series with stats, samples with step range', { skip: skipReal }, () => {
  // The failure run its author published: D-dominant warnings, an info finding, 20 final samples.
  const e = byName('liwenhan220');
  const ins = e.inspection!;
  const groups = childrenOf({ kind: 'run', runRoot: e.root }, runs);
  assert.deepEqual(
    groups.map((g) => (g.kind === 'group' ? g.group : g.kind)),
    ['findings', 'series', 'samples'],
  );
  const findings = childrenOf(groups[0], runs).map((n) => viewOf(n, runs)!);
  assert.equal(findings.length, ins.findings.length);
  const severities = findings.map((f) => f.icon.id);
  assert.deepEqual(
    severities,
    [...severities].sort((a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b)),
  );
  const first = ins.findings.filter((f) => f.severity === 'warning').sort((a, b) => a.start - b.start)[0]!;
  assert.equal(findings[0]!.icon.id, 'warning');
  assert.equal(findings[0]!.label, 'D too strong');
  assert.equal(findings[0]!.description, `steps ${formatStep(first.start)}–${formatStep(first.end)} · ${first.message}`);
  assert.deepEqual(findings[0]!.command, {
    id: 'ganInspector.inspect',
    title: 'Inspect GAN run',
    args: [{ runRoot: e.root, focus: { start: first.start, end: first.end } }],
  });
  const series = childrenOf(groups[1], runs).map((n) => viewOf(n, runs)!);
  assert.deepEqual(
    series.map((s) => s.label),
    ['dloss', 'gloss'],
  );
  assert.match(series[0]!.description!, /^16540 values · last [-\d.e+]+ · min [-\d.e+]+ · max [-\d.e+]+$/);
  const samplesGroup = viewOf(groups[2]!, runs)!;
  const sm = ins.run.samples;
  assert.equal(samplesGroup.description, `20 · steps ${formatStep(sm[0]!.step)}–${formatStep(sm[19]!.step)}`);
  const sample = viewOf(childrenOf(groups[2], runs)[0]!, runs)!;
  assert.equal(sample.command!.id, 'vscode.open');
  assert.ok(existsSync(sample.command!.args[0] as string), 'the sample row opens a real image file');
});

test('node ids are unique across the whole tree and stable between builds', { skip: skipReal }, () => {
  const ids = walk(runs).map((n) => viewOf(n, runs)!.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual(
    walk(runs).map((n) => viewOf(n, runs)!.id),
    ids,
  );
});

test('tooltips render with no link, image or HTML element', { skip: skipReal }, () => {
  for (const node of walk(runs).concat(childrenOf(undefined, runs))) {
    const tip = viewOf(node, runs)!.tooltip;
    if (!tip) continue;
    assert.doesNotMatch(md.render(tip), /<(a|img|script)\b/);
  }
});

test('a run not read yet is listed at once with a spinner and "reading…"; a failed read as an error with its reason', () => {
  const map = new Map<string, RunEntry>([
    ['/r/a', { root: '/r/a', name: 'a' }],
    ['/r/b', { root: '/r/b', name: 'b', failure: '/r/b: worker exited with code 1' }],
  ]);
  assert.deepEqual(
    childrenOf(undefined, map),
    [
      { kind: 'run', runRoot: '/r/a' },
      { kind: 'run', runRoot: '/r/b' },
    ],
    'every discovered run is a row',
  );
  const a = viewOf({ kind: 'run', runRoot: '/r/a' }, map)!;
  assert.equal(a.icon.id, 'loading~spin');
  assert.equal(a.description, 'reading…');
  assert.equal(a.collapsible, 'none');
  const b = viewOf({ kind: 'run', runRoot: '/r/b' }, map)!;
  assert.equal(b.icon.id, 'error');
  assert.equal(b.description, 'unreadable');
  assert.match(b.tooltip!, /worker exited/);
  assert.deepEqual(childrenOf({ kind: 'run', runRoot: '/r/a' }, map), []);
});

test('a folder of 10,000 images lists at most 200 rows, first and last included, plus a summary row', () => {
  const samples = Array.from({ length: 10000 }, (_, i) => ({ step: i * 10, path: `image/${i * 10}.png` }));
  const finding: Finding = {
    kind: 'mode-collapse',
    severity: 'error',
    start: 500,
    end: 900,
    series: ['samples'],
    message: 'Samples look alike.',
    evidence: { score: 0.01 },
  };
  const inspection: Inspection = {
    run: { root: '/r/big', name: 'big', series: [], samples, errors: [], config: {}, formulation: formulationOf('unknown') },
    findings: [finding],
    diversity: [],
  };
  const map = new Map<string, RunEntry>([['/r/big', { root: '/r/big', name: 'big', inspection }]]);
  assert.equal(runHealth(map.get('/r/big')!), 'error');
  const rows = childrenOf({ kind: 'group', runRoot: '/r/big', group: 'samples' }, map);
  assert.equal(rows.length, MAX_SAMPLE_ROWS + 1);
  const views = rows.map((r) => viewOf(r, map)!);
  assert.equal(views[0]!.label, 'step 0');
  assert.equal(views[MAX_SAMPLE_ROWS - 1]!.label, 'step 99990');
  assert.equal(views[MAX_SAMPLE_ROWS]!.label, '… 9800 more samples');
  assert.equal(runDescription(map.get('/r/big')!), '10,000 samples');
  // One image, one result: said in the singular.
  const one = (root: string, run: Partial<Inspection['run']>): RunEntry => ({
    root,
    name: root,
    inspection: { run: { ...inspection.run, root, samples: [], ...run }, findings: [], diversity: [] },
  });
  assert.equal(runDescription(one('/r/one', { samples: [{ step: 3, path: 'image/3.png' }] })), '1 sample');
  assert.equal(runDescription(one('/r/result', { results: [{ path: 'final.png' }] })), '1 result');
  assert.equal(runDescription(one('/r/two', { results: [{ path: 'a.png' }, { path: 'b.png' }] })), '2 results');
});
