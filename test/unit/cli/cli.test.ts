import { bundleForNode, bundleWebview } from '../../support/bundles';
import { UNIT_DIR } from '../../support/dirs';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { samplesSummary } from '../../../src/core/report/text';
import { PNG } from 'pngjs';

const repoRoot = join(UNIT_DIR, '..', '..');
let work: string;
let cli: string;

// The CLI bundle exactly as esbuild.config.mjs builds dist/cli.js, but into a private folder so
// test files running in parallel never read a half-written bundle.
async function buildCli(outdir: string): Promise<string> {
  const outfile = join(outdir, 'cli.js');
  await bundleForNode('src/cli/main.ts', outfile, { banner: { js: '#!/usr/bin/env node' } });
  return outfile;
}

const run = (args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: work, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

function png(file: string, seed: number) {
  const img = new PNG({ width: 32, height: 32 });
  for (let i = 0; i < img.data.length; i += 4) {
    const v = (i * 7 + seed * 31) % 256;
    img.data[i] = img.data[i + 1] = img.data[i + 2] = v;
    img.data[i + 3] = 255;
  }
  writeFileSync(file, PNG.sync.write(img));
}

const EVIL = '`<script>x*y|z`_d_loss.npy';

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'gan-cli-'));
  cli = await buildCli(work);
  const script = `
import numpy as np, os, sys
w = sys.argv[1]
os.makedirs(f'{w}/good/result/image'); os.makedirs(f'{w}/broken'); os.makedirs(f'{w}/empty'); os.makedirs(f'{w}/evil')
i = np.arange(200.0)
np.save(f'{w}/good/result/discriminator_loss.npy', 0.69 + 0.05 * np.sin(i))
g = 0.9 + 0.05 * np.cos(i); g[150] = np.nan
np.save(f'{w}/good/result/generator_loss.npy', g)
np.save(f'{w}/evil/${EVIL.replace(/`/g, '`')}', np.full(10, 0.5))
np.save(f'{w}/evil/g_loss.npy', np.full(10, 0.5))
`;
  execFileSync('python3', ['-c', script, work]);
  for (const s of [0, 100, 200]) png(join(work, 'good', 'result', 'image', `${s}.png`), s);
  writeFileSync(join(work, 'good', 'result', 'damaged_loss.npy'), Buffer.from('\x93NUMPY\x09\x00', 'latin1'));
  writeFileSync(join(work, 'broken', 'd_loss.npy'), 'not numpy at all');
  writeFileSync(join(work, 'notes.txt'), 'hello');
});

after(() => rmSync(work, { recursive: true, force: true }));

test('--json prints exactly one document in the contract shape', () => {
  const r = run(['good', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(doc), ['version', 'runs']);
  assert.equal(doc.version, 1);
  assert.equal(doc.runs.length, 1);
  const runDoc = doc.runs[0];
  for (const key of ['root', 'series', 'samples', 'findings', 'errors']) assert.ok(key in runDoc, key);
  assert.equal(runDoc.root, join(work, 'good', 'result'));
  const d = runDoc.series.find((s: { role: string }) => s.role === 'discriminator');
  assert.deepEqual(Object.keys(d).sort(), ['column', 'firstStep', 'lastStep', 'length', 'name', 'role', 'source', 'stats']);
  assert.deepEqual([d.name, d.source, d.column, d.length, d.firstStep, d.lastStep], ['discriminator_loss', 'discriminator_loss.npy', null, 200, 0, 199]);
  assert.deepEqual(Object.keys(d.stats).sort(), ['first', 'last', 'max', 'mean', 'min', 'nonFinite']);
  assert.equal(d.stats.first, 0.69);
  const g = runDoc.series.find((s: { role: string }) => s.role === 'generator');
  assert.equal(g.stats.nonFinite, 1);
  assert.equal(typeof g.stats.mean, 'number');
  assert.deepEqual(
    runDoc.samples,
    [0, 100, 200].map((s) => ({ step: s, path: `image/${s}.png` })),
  );
  assert.equal(runDoc.errors.length, 1);
  assert.deepEqual(Object.keys(runDoc.errors[0]).sort(), ['message', 'source']);
  assert.equal(runDoc.errors[0].source, 'damaged_loss.npy');
  assert.match(runDoc.errors[0].message, /^damaged_loss\.npy: /);
  for (const f of runDoc.findings) {
    assert.deepEqual(
      Object.keys(f)
        .filter((k) => k !== 'advice')
        .sort(),
      ['end', 'evidence', 'kind', 'message', 'series', 'severity', 'start'],
    );
    assert.ok(
      ['non-finite', 'saturated', 'exploding', 'd-dominant', 'g-dominant', 'equilibrium', 'plateau', 'oscillation', 'mode-collapse'].includes(f.kind),
      f.kind,
    );
  }
});

test('default text summary: series, lengths, steps, samples, errors', () => {
  const r = run(['good']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Run result/);
  assert.match(r.stdout, /D discriminator +discriminator_loss\.npy: 200 values, steps 0–199, last /);
  assert.match(r.stdout, /G generator +generator_loss\.npy: 200 values, steps 0–199, last /);
  assert.match(r.stdout, /Samples: 3 images at 3 steps \(steps 0–200\)/);
  assert.equal(samplesSummary([{ step: 10_000, path: 'preview/image00010000.png' }]), '1 image (step 10,000)');
  assert.match(r.stdout, /✖ damaged_loss\.npy: /);
});

test('the text summary tells how the samples were scored: steps, tiles a step, diversity at the first and last step', () => {
  const r = run([join(repoRoot, 'examples', 'mnist-run')]);
  assert.equal(r.code, 0, r.stderr);
  // The tutorial's 5×5 grids, 150 of them; noise at step 0 is diverse, the late samples less so.
  const m = /150 steps scored, 25 tiles each; tile diversity (\d\.\d{3}) at step 0, (\d\.\d{3}) at step 29,800/.exec(r.stdout);
  assert.ok(m, r.stdout);
  assert.ok(Number(m[1]) > Number(m[2]), `${m[1]} → ${m[2]}`);
  const md = run([join(repoRoot, 'examples', 'mnist-run'), '--markdown']);
  assert.match(md.stdout, /\n {2}- 150 steps scored, 25 tiles each; tile diversity /);
});

test('--markdown escapes untrusted file names', () => {
  const r = run(['evil', '--markdown']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!r.stdout.includes('<script>'), 'no raw HTML');
  assert.ok(r.stdout.includes('&lt;script&gt;'));
  const row = r.stdout.split('\n').find((l) => l.includes('script'))!;
  assert.ok(row.startsWith('| '));
  // Every | inside a cell is escaped, so the row keeps its 7 cells.
  assert.equal(row.split(/(?<!\\)\|/).length - 2, 7, row);
  assert.ok(!/(?<!\\)[`*]/.test(row), row);
});

test('a single loss file is inspected alone', () => {
  const r = run([join('good', 'result', 'generator_loss.npy'), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.runs.length, 1);
  assert.deepEqual(
    doc.runs[0].series.map((s: { role: string; source: string }) => [s.role, s.source]),
    [['generator', 'generator_loss.npy']],
  );
});

test('exit 1 with one stderr line per PATH that yielded nothing readable, no stack trace', () => {
  for (const [args, pattern] of [
    [['missing-folder'], /^gan-inspect: missing-folder: no such file or folder$/],
    [['empty'], /^gan-inspect: empty: no GAN run found/],
    [['broken'], /^gan-inspect: broken: nothing readable \(d_loss\.npy: /],
    [['notes.txt'], /^gan-inspect: notes\.txt: not a loss file/],
    [[join('broken', 'd_loss.npy')], /^gan-inspect: d_loss\.npy: /],
  ] as [string[], RegExp][]) {
    const r = run(args);
    assert.equal(r.code, 1, `${args}: ${r.stderr}`);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, pattern);
    assert.ok(!/\n\s+at /.test(r.stderr));
  }
});

test('a good PATH and a missing one: the report is printed and the exit is 1', () => {
  const r = run(['good', 'missing', '--json']);
  assert.equal(r.code, 1);
  assert.equal(JSON.parse(r.stdout).runs.length, 1);
  assert.deepEqual(r.stderr.trimEnd().split('\n'), ['gan-inspect: missing: no such file or folder']);
});

test('--json still prints one document when nothing was found', () => {
  const r = run(['empty', '--json']);
  assert.equal(r.code, 1);
  assert.deepEqual(JSON.parse(r.stdout), { version: 1, runs: [] });
});

test('usage errors exit 2', () => {
  for (const args of [['--bogus'], ['--json', '--markdown'], ['--lang', 'fr'], ['--html'], ['--json=yes'], ['--max-depth', 'x']]) {
    const r = run(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /^gan-inspect: /);
    assert.equal(r.stdout, '');
  }
});

test('--help and --version', () => {
  const help = run(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--json/);
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const version = run(['--version']);
  assert.equal(version.code, 0);
  assert.equal(version.stdout.trim(), pkg.version);
});

test('--lang and the locale pick the language', () => {
  const key = 'Usage: gan-inspect [PATH ...] [--json | --markdown] [--html FILE] [--lang en|zh-tw]';
  const bundlePath = join(repoRoot, 'l10n', 'bundle.l10n.zh-tw.json');
  const bundle = existsSync(bundlePath) ? JSON.parse(readFileSync(bundlePath, 'utf8')) : {};
  const expected: string = bundle[key] ?? key;
  assert.equal(run(['--help', '--lang', 'zh-tw']).stdout.split('\n')[0], expected);
  assert.equal(run(['--help'], { LANG: 'zh_TW.UTF-8' }).stdout.split('\n')[0], expected);
  assert.equal(run(['--help', '--lang', 'en'], { LANG: 'zh_TW.UTF-8' }).stdout.split('\n')[0], key);
});

test('--max-depth limits the search', () => {
  mkdirSync(join(work, 'deep', 'a', 'b'), { recursive: true });
  execFileSync('python3', ['-c', 'import numpy as np,sys; np.save(sys.argv[1], np.full(5,.7))', join(work, 'deep', 'a', 'b', 'd_loss.npy')]);
  assert.equal(run(['deep', '--max-depth', '1']).code, 1);
  assert.equal(run(['deep', '--max-depth=2']).code, 0);
});

test(
  '--html FILE writes one standalone report beside the text summary',
  { skip: !existsSync(join(repoRoot, 'webview', 'main.ts')) && 'no webview app yet' },
  async () => {
    // The report inlines the webview app, looked up next to the CLI bundle as in dist/.
    await bundleWebview(join(work, 'webview.js'));
    const out = join(work, 'report.html');
    const r = run(['good', '--html', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Run result/);
    assert.equal(r.stderr.trim(), `gan-inspect: HTML report written to ${out}`);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.ok(html.includes('discriminator_loss'));

    const bad = run(['good', '--html', join(work, 'no-such-folder', 'r.html')]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /cannot write the HTML report/);
    assert.equal(bad.stderr.trimEnd().split('\n').length, 1);
  },
);
