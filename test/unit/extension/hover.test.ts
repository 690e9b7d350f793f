// The hover's text for path literals: path resolution, run matching, sparkline, and Markdown that
// stays inert whatever the file names are (rendered with markdown-it, HTML and autolinks on).
import { formatStep } from '../../../src/core/analysis/format';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { discoverRuns } from '../../../src/core/discover';
import { inspectRun, type Inspection } from '../../../src/core/inspect';
import { hoverMarkdown, namesSomethingIn, pathCandidates, seriesForPath } from '../../../src/extension/hover/hoverText';
import { matchRun } from '../../../src/extension/runs/runEntry';
import { commandLink, escapeMarkdown, sparkline } from '../../../src/extension/markdown';
import { formatNumber } from '../../../src/core/present';
import { REAL_RUNS, realRunsSkip } from '../../support/realRuns';
import { formulationOf } from '../../../src/core/formulation';
import { md, textOf } from '../../support/markdown';

const realRuns = REAL_RUNS;
const skipReal = realRunsSkip();
const hasReal = !skipReal && existsSync(realRuns);

const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[click](command:workbench.action.terminal.new)',
  '![x](http://evil.example/a.png)',
  '`code` *em* _u_ **b** ~~s~~',
  '# heading',
  '1. list',
  '| a | b |',
  'www.evil.example',
  'https://evil.example',
  '&amp; &#60;',
  '$(alert) \\$(x)',
  'name = 5, "quoted" \'single\'',
  '学习 🚀 emoji',
  'line\nbreak',
  '<a href="command:evil">x</a>',
];

test('escapeMarkdown keeps every hostile name as literal text', () => {
  for (const name of HOSTILE) {
    const html = md.render(escapeMarkdown(name));
    assert.doesNotMatch(html, /<(script|img|a|h1|ol|ul|table|code|em|strong|s|del)\b/, `${name} → ${html}`);
    assert.equal(textOf(html).trim(), name.replace(/\n/g, ' '), name);
  }
});

test('commandLink makes exactly one link to our command with JSON arguments', () => {
  const html = md.render(commandLink('Inspect [run] <b>', 'ganInspector.inspect', [{ runRoot: '/a b/(c)' }]));
  const links = [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
  assert.equal(links.length, 1);
  assert.ok(links[0]!.startsWith('command:ganInspector.inspect?'));
  const args = JSON.parse(decodeURIComponent(links[0]!.slice('command:ganInspector.inspect?'.length)));
  assert.deepEqual(args, [{ runRoot: '/a b/(c)' }]);
  assert.equal(textOf(html).trim(), 'Inspect [run] <b>');
});

test('sparkline: blocks follow the values, non-finite buckets show as !', () => {
  assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8), '▁▂▃▄▅▆▇█');
  assert.equal(sparkline([3, 3, 3], 8), '▄▄▄');
  assert.equal(sparkline([], 8), '');
  assert.equal(sparkline([0, NaN, 1], 3), '▁!█');
  const long = Float64Array.from({ length: 35000 }, (_, i) => Math.sin(i / 3000));
  const s = sparkline(long, 24);
  assert.equal([...s].length, 24);
  assert.match(s, /^[▁▂▃▄▅▆▇█]+$/);
});

test('formatNumber: compact, exponent at the extremes, words for non-finite', () => {
  assert.equal(formatNumber(0.693147), '0.6931');
  assert.equal(formatNumber(123456), '1.23e+5');
  assert.equal(formatNumber(0.00001234), '1.23e-5');
  assert.equal(formatNumber(NaN), 'NaN');
  assert.equal(formatNumber(-Infinity), '−∞');
  assert.equal(formatNumber(null), '–');
});

test('pathCandidates: relative to the file, then each workspace folder; absolute and ~ kept', () => {
  const dir = path.resolve('/ws/project/src');
  assert.deepEqual(pathCandidates('./result/d.npy', dir, [path.resolve('/ws/project'), path.resolve('/ws/project')]), [
    path.resolve('/ws/project/src/result/d.npy'),
    path.resolve('/ws/project/result/d.npy'),
  ]);
  assert.deepEqual(pathCandidates('/data/run/d.npy', dir, ['/ws']), [path.resolve('/data/run/d.npy')]);
  assert.deepEqual(pathCandidates('~/runs', undefined, [], '/home/u'), [path.resolve('/home/u/runs')]);
  assert.deepEqual(pathCandidates('../x', undefined, ['/ws/a']), [path.resolve('/ws/x')]);
});

test('matchRun: the deepest run root holding the path; siblings with a common prefix do not match', () => {
  const roots = [path.resolve('/ws/result'), path.resolve('/ws/result/sub'), path.resolve('/ws/result2')];
  assert.deepEqual(matchRun(path.resolve('/ws/result/sub/g.npy'), roots), { runRoot: roots[1], relative: 'g.npy' });
  assert.deepEqual(matchRun(path.resolve('/ws/result/image/400.png'), roots), { runRoot: roots[0], relative: 'image/400.png' });
  assert.deepEqual(matchRun(path.resolve('/ws/result'), roots), { runRoot: roots[0], relative: '' });
  assert.equal(matchRun(path.resolve('/ws/result_old/d.npy'), roots), undefined);
  assert.equal(matchRun(path.resolve('/ws'), roots), undefined);
});

let liwenhan: Inspection | undefined;
let asenaesra: Inspection | undefined;
before(async () => {
  if (!hasReal) return;
  const locs = await discoverRuns(realRuns);
  const loc = (name: string) => locs.find((l) => l.name.startsWith(name))!;
  liwenhan = await inspectRun(loc('liwenhan220'));
  asenaesra = await inspectRun(loc('asenaesra070'));
});

test('hover for a real loss file: length, last values, sparkline, findings with steps, one command link', { skip: skipReal }, () => {
  const ins = liwenhan!;
  const match = matchRun(path.join(ins.run.root, 'dloss.npy'), [ins.run.root])!;
  assert.ok(namesSomethingIn(ins, match.relative));
  const text = hoverMarkdown(ins, match);
  const html = md.render(text);
  const plain = textOf(html);
  assert.match(plain, /dloss/);
  assert.match(plain, /16,540 steps, last/);
  assert.match(plain, /[▁▂▃▄▅▆▇█]{24}/);
  assert.doesNotMatch(plain, /gloss 16540/, 'only the named file’s series');
  for (const f of ins.findings.filter((f) => f.severity === 'warning'))
    assert.ok(plain.includes(`steps ${formatStep(f.start)}–${formatStep(f.end)}`), `finding at ${f.start}`);
  const links = [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
  assert.equal(links.length, 1);
  assert.deepEqual(JSON.parse(decodeURIComponent(links[0]!.split('?')[1]!)), [{ runRoot: ins.run.root }]);
});

test('hover for a run folder and a sample folder of a real run', { skip: skipReal }, () => {
  const ins = asenaesra!;
  const root = ins.run.root;
  const folder = hoverMarkdown(ins, { runRoot: root, relative: '' });
  assert.match(textOf(md.render(folder)), /discriminator_loss 9,380 steps/);
  assert.equal(seriesForPath(ins, 'results/discriminator_loss.npy').length, 1);
  const images = hoverMarkdown(ins, { runRoot: root, relative: 'src/gan_fashion_images' });
  assert.match(textOf(md.render(images)), /10 samples, steps 5–50/);
  assert.ok(namesSomethingIn(ins, 'src/gan_fashion_images'));
  assert.ok(!namesSomethingIn(ins, 'src/model.pt'));
});

let tmp = '';
after(() => tmp && rmSync(tmp, { recursive: true, force: true }));

test('hover for a run whose folder and file names are hostile stays inert', async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'gan-hover-'));
  const runName = '<script>alert(1)<script> <b onmouseover=x> [x](command:evil) `a` *b* 学习 🚀';
  const runDir = path.join(tmp, runName);
  mkdirSync(runDir);
  const fileName = 'd_loss <img src=x onerror=alert(1)> [l](https:evil.example).npy';
  execFileSync('python3', [
    '-c',
    'import numpy as np, sys; np.save(sys.argv[1], np.linspace(1.0, 0.01, 300)); np.save(sys.argv[2], np.linspace(1, 5, 300))',
    path.join(runDir, fileName),
    path.join(runDir, 'g_loss.npy'),
  ]);
  const [loc] = await discoverRuns(tmp);
  assert.ok(loc);
  assert.equal(loc.root, runDir);
  const ins = await inspectRun(loc);
  assert.equal(ins.run.series.length, 2);
  for (const relative of ['', fileName]) {
    const html = md.render(hoverMarkdown(ins, { runRoot: runDir, relative }));
    assert.doesNotMatch(html, /<(script|img|b)\b/);
    const links = [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
    assert.equal(links.length, 1, html);
    assert.ok(links[0]!.startsWith('command:ganInspector.inspect?'));
    assert.ok(textOf(html).includes(runName), 'the run name shows as text');
  }
  assert.ok(textOf(md.render(hoverMarkdown(ins, { runRoot: runDir, relative: fileName }))).includes(fileName.replace(/\.npy$/, '')));
});

test('an unreadable file is named once in the hover: "d_loss.npy: file not found"', () => {
  const run = {
    root: '/ws/r',
    name: 'r',
    series: [],
    samples: [],
    config: {},
    formulation: formulationOf('unknown'),
    errors: [{ source: 'd_loss.npy', message: 'd_loss.npy: file not found' }],
  };
  const text = textOf(md.render(hoverMarkdown({ run, findings: [], diversity: [] }, { runRoot: '/ws/r', relative: '' })));
  assert.match(text, /d_loss\.npy: file not found/);
  assert.doesNotMatch(text, /d_loss\.npy: d_loss\.npy/);
});

test('command arguments are checked: forged or malformed ones are refused', async () => {
  const { asInspectArgs } = await import('../../../src/extension/inspectArgs');
  const root = path.resolve('/ws/result');
  assert.deepEqual(asInspectArgs({ runRoot: root }), { runRoot: root });
  assert.deepEqual(asInspectArgs({ runRoot: root, focus: { start: 90, end: 10 } }), { runRoot: root, focus: { start: 10, end: 90 } });
  assert.deepEqual(asInspectArgs({ runRoot: root, focus: { start: '1', end: 2 } }), { runRoot: root });
  assert.deepEqual(asInspectArgs({ runRoot: root, focus: { start: NaN, end: 2 } }), { runRoot: root });
  for (const bad of [undefined, null, 'x', 42, [], { runRoot: 'relative/path' }, { runRoot: 7 }, { root: root }])
    assert.equal(asInspectArgs(bad), undefined, JSON.stringify(bad));
});
