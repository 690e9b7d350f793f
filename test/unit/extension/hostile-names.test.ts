// Names are data. ONE table of hostile names is used as run folder names and loss file names in a
// real tree on disk, then sent through every renderer: the CLI's text, --json and --markdown, the
// runs tree (labels and Markdown tooltips), the hover and the Problems messages (the HTML report in
// headless Chromium: test/browser/hostile-names.test.ts). Each must show the exact name as text and create nothing from it: no
// element, no link (the only link is our own `ganInspector.inspect` command), no script run.
import { bundleForNode } from '../../support/bundles';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectPaths, type Inspection } from '../../../src/core/inspect';
import { hoverMarkdown } from '../../../src/extension/hover/hoverText';
import { COMMANDS } from '../../../src/extension/ids';
import { problemsInSource } from '../../../src/extension/problems/problemsModel';
import { childrenOf, viewOf } from '../../../src/extension/tree/treeModel';
import type { TreeNode } from '../../../src/extension/tree/nodes/node';
import type { RunEntry } from '../../../src/extension/runs/runEntry';
import { npyBytes } from '../../support/npy';
import { problemLosses } from '../../e2e/workspace';
import { dFile, fileStem, gFile, NAMES, writeHostileRuns } from '../../support/hostileNames';
import { md, textOf, tagsOf, linksOf } from '../../support/markdown';

let work: string;
let runsDir: string;
let cli: string;
let inspections: Inspection[];
const byName = new Map<string, Inspection>();

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'gan-hostile-names-'));
  runsDir = join(work, 'runs');
  // D falls to ~0 while G climbs: every run has findings, so hover and Problems have text to show.
  writeHostileRuns(runsDir);
  // Private bundles, as cli.test.ts does, so parallel test files never read a half-written one.
  cli = join(work, 'cli.js');
  await bundleForNode('src/cli/main.ts', cli);
  const found = await inspectPaths([runsDir]);
  assert.deepEqual(found.problems, []);
  inspections = found.inspections;
  for (const ins of inspections) byName.set(ins.run.name, ins);
});

after(() => rmSync(work, { recursive: true, force: true }));

const runCli = (args: string[]) => {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: work, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};

test('the tree on disk: every hostile name is a run with both of its loss files read', () => {
  assert.deepEqual([...byName.keys()].sort(), [...NAMES].sort());
  for (const name of NAMES) {
    const run = byName.get(name)!.run;
    assert.deepEqual(run.errors, [], name);
    assert.deepEqual(
      run.series.map((s) => [s.role, s.source]).sort(),
      [
        ['discriminator', dFile(name)],
        ['generator', gFile(name)],
      ].sort(),
      name,
    );
    assert.ok(byName.get(name)!.findings.length > 0, `${name}: no findings`);
  }
});

test('CLI text: each name printed verbatim', () => {
  const out = runCli(['runs']);
  for (const name of NAMES) {
    assert.ok(out.split('\n').includes(`Run ${name}`), `Run ${name}`);
    assert.ok(out.includes(`${dFile(name)}: 600 values`), dFile(name));
  }
});

test('CLI --json: the exact names round-trip', () => {
  const doc = JSON.parse(runCli(['runs', '--json'])) as { runs: { root: string; series: { name: string; source: string }[] }[] };
  // A run is named by its folder: the root path carries the exact name.
  assert.deepEqual(doc.runs.map((r) => r.root).sort(), NAMES.map((name) => join(runsDir, ...name.split('/'))).sort());
  for (const r of doc.runs) {
    const name = r.root.slice(runsDir.length + 1);
    assert.deepEqual(r.series.map((s) => s.source).sort(), [dFile(name), gFile(name)].sort());
    assert.deepEqual(r.series.map((s) => s.name).sort(), [dFile(name), gFile(name)].map((f) => f.replace(/\.npy$/, '')).sort());
  }
});

test('CLI --markdown rendered by markdown-it: names are text, no element or link made from them', () => {
  const source = runCli(['runs', '--markdown']);
  const html = md.render(source);
  // Only the report's own structure; none of script, img, a, em, code-from-backticks-in-names…
  const allowed = new Set(['h1', 'h2', 'h3', 'p', 'ul', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'strong', 'code']);
  assert.deepEqual(
    [...tagsOf(html)].filter((tag) => !allowed.has(tag)),
    [],
  );
  assert.deepEqual(linksOf(html), []);
  // `code` only for the finding kinds the report itself puts in backticks.
  for (const m of html.matchAll(/<code>([^<]*)<\/code>/g)) assert.match(m[1]!, /^[a-z-]+$/);
  const text = textOf(html);
  for (const name of NAMES) {
    assert.ok(text.includes(`Run ${name}`), `heading for ${name}`);
    assert.ok(text.includes(dFile(name)), dFile(name));
  }
  // Each series row keeps its 7 cells whatever pipes the names hold.
  for (const row of html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)) assert.equal([...row[1]!.matchAll(/<t[dh]\b/g)].length, 7);
});

test('runs tree: labels are the exact names, Markdown tooltips stay inert', () => {
  const runs = new Map<string, RunEntry>(inspections.map((ins) => [ins.run.root, { root: ins.run.root, name: ins.run.name, inspection: ins }]));
  const visit = (node: TreeNode | undefined, out: TreeNode[]) => {
    for (const child of childrenOf(node, runs)) {
      out.push(child);
      visit(child, out);
    }
    return out;
  };
  const nodes = visit(undefined, []);
  assert.deepEqual(
    nodes
      .filter((n) => n.kind === 'run')
      .map((n) => viewOf(n, runs)!.label)
      .sort(),
    [...NAMES].sort(),
  );
  let tooltips = 0;
  for (const node of nodes) {
    const view = viewOf(node, runs)!;
    if (!view.tooltip) continue;
    tooltips++;
    const html = md.render(view.tooltip);
    assert.deepEqual(
      [...tagsOf(html)].filter((tag) => !['p', 'ul', 'li', 'strong'].includes(tag)),
      [],
      view.tooltip,
    );
    assert.deepEqual(linksOf(html), []);
    const run = runs.get(node.runRoot)!;
    if (node.kind === 'run') assert.ok(textOf(html).includes(run.name), `tooltip shows ${run.name}`);
    if (node.kind === 'series') {
      const s = run.inspection!.run.series[node.index]!;
      assert.equal(view.label, s.name);
      assert.ok(textOf(html).includes(s.source), `tooltip shows ${s.source}`);
    }
    // A click runs our command or opens a file, nothing a name chose.
    if (view.command) assert.ok([COMMANDS.inspect, 'vscode.open'].includes(view.command.id), view.command.id);
  }
  assert.ok(tooltips >= NAMES.length * 4, `${tooltips} tooltips checked`);
});

test('hover Markdown: names as text, the one link is ganInspector.inspect with the exact run root', () => {
  for (const name of NAMES) {
    const ins = byName.get(name)!;
    for (const relative of ['', dFile(name)]) {
      const html = md.render(hoverMarkdown(ins, { runRoot: ins.run.root, relative }));
      assert.deepEqual(
        [...tagsOf(html)].filter((tag) => !['p', 'ul', 'li', 'strong', 'br', 'a'].includes(tag)),
        [],
        html,
      );
      const links = linksOf(html);
      assert.equal(links.length, 1, html);
      assert.ok(links[0]!.startsWith(`command:${COMMANDS.inspect}?`), links[0]);
      const args = JSON.parse(decodeURIComponent(links[0]!.slice(`command:${COMMANDS.inspect}?`.length).replace(/&amp;/g, '&')));
      assert.deepEqual(args, [{ runRoot: ins.run.root }]);
      const text = textOf(html);
      assert.ok(text.includes(`GAN run ${name}`), `${name} → ${text.slice(0, 200)}`);
      if (relative) assert.ok(text.includes(relative), relative);
    }
  }
});

/** A Python string literal for any text: double quotes, with `\` and `"` escaped. */
const pyString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

test('Problems messages: plain text naming the exact run, one line each', () => {
  const source = ['import numpy as np', ...NAMES.map((name) => `np.save(${pyString(`runs/${name}/${dFile(name)}`)}, d)`), ''].join('\n');
  const map = new Map(inspections.map((ins) => [ins.run.root, ins]));
  const problems = problemsInSource(source, work, [work], map);
  const named = new Set<string>();
  for (const p of problems) {
    const ins = map.get(p.runRoot)!;
    assert.ok(p.message.startsWith(`GAN run ${ins.run.name}, `), p.message);
    assert.ok(!/[\r\n]/.test(p.message));
    // The squiggle sits on the literal that names this run's file.
    assert.ok(source.slice(p.start, p.end).includes(fileStem(ins.run.name).replace(/\\/g, '\\\\').replace(/"/g, '\\"')), source.slice(p.start, p.end));
    named.add(ins.run.name);
  }
  assert.deepEqual([...named].sort(), [...NAMES].sort(), 'every run got its problems');
});

test('gan-run.json naming files whose names hold `\\` or `#` picks exactly those files', async () => {
  const folder = join(work, 'declared');
  mkdirSync(folder);
  const { d, g } = problemLosses(100);
  writeFileSync(join(folder, 'x\\y(1)_d_loss.npy'), npyBytes(d));
  writeFileSync(join(folder, 'run #2 (g).npy'), npyBytes(g));
  writeFileSync(join(folder, 'gan-run.json'), JSON.stringify({ discriminator: 'x\\y(1)_d_loss.npy', generator: './run #2 (g).npy' }));
  const {
    inspections: [ins],
  } = await inspectPaths([folder]);
  assert.deepEqual(ins!.run.errors, []);
  assert.deepEqual(ins!.run.series.map((s) => [s.role, s.source]).sort(), [
    ['discriminator', 'x\\y(1)_d_loss.npy'],
    ['generator', 'run #2 (g).npy'],
  ]);
});

// Known gap, outside the files this suite may fix: the readers (formats/) and npy.ts name a series by the part
// after the last `/` or `\`, so on POSIX a file `a\b_d_loss.npy` shows as series `b_d_loss`. Inert
// (the source keeps the full name), but not the exact name.
test('a `\\` in a loss file name stays in the series name', async () => {
  const {
    inspections: [ins],
  } = await inspectPaths([join(work, 'declared')]);
  assert.deepEqual(ins!.run.series.map((s) => s.name).sort(), ['run #2 (g)', 'x\\y(1)_d_loss']);
});
