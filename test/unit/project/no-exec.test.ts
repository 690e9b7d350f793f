// "Nothing executes or deserialises code, and nothing goes to the network" (SECURITY.md), checked on
// our sources and on the bundles that ship, third-party code included.
import { UNIT_DIR } from '../../support/dirs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const repoRoot = path.join(UNIT_DIR, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : /\.ts$/.test(name) ? [p] : [];
  });
}

const FORBIDDEN_IN_SOURCES: [RegExp, string][] = [
  [/\bchild_process\b/, 'shelling out'],
  [/(^|[^.\w])eval\s*\(/, 'eval'],
  [/\bnew\s+Function\s*\(/, 'new Function'],
  [/(^|[^.\w])fetch\s*\(/, 'network fetch'],
  [/\bXMLHttpRequest\b|\bWebSocket\b|\bnavigator\.sendBeacon\b/, 'network request'],
  [/from\s+'node:(https?|net|tls|dgram)'|require\('(node:)?(https?|net|tls|dgram)'\)/, 'network module'],
  [/\.innerHTML\s*=|insertAdjacentHTML|document\.write\s*\(/, 'markup from strings'],
];

test('our sources never shell out, evaluate code, touch the network or build markup from strings', () => {
  const files = [...sources(path.join(repoRoot, 'src')), ...sources(path.join(repoRoot, 'webview'))];
  assert.ok(files.length > 50, `found ${files.length} source files`);
  const hits: string[] = [];
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (/^\s*(\/\/|\*)/.test(line)) return;
      for (const [re, what] of FORBIDDEN_IN_SOURCES) if (re.test(line)) hits.push(`${path.relative(repoRoot, file)}:${i + 1}: ${what}: ${line.trim()}`);
    });
  }
  assert.deepEqual(hits, []);
});

test('the shipped bundles hold no child_process, eval or Function constructor, and fetch only in the unused l10n URI loader', async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'gan-noexec-'));
  try {
    const common = { bundle: true, logLevel: 'error' as const, write: true, minify: true };
    await esbuild.build({
      ...common,
      entryPoints: {
        extension: path.join(repoRoot, 'src/extension/activate.ts'),
        worker: path.join(repoRoot, 'src/extension/worker/worker.ts'),
        cli: path.join(repoRoot, 'src/cli/main.ts'),
      },
      outdir: out,
      platform: 'node',
      format: 'cjs',
      external: ['vscode'],
    });
    await esbuild.build({
      ...common,
      entryPoints: { webview: path.join(repoRoot, 'webview/main.ts') },
      outdir: out,
      platform: 'browser',
      format: 'iife',
      loader: { '.css': 'text', '.ttf': 'dataurl' },
    });
    for (const name of ['extension.js', 'worker.js', 'cli.js', 'webview.js']) {
      const code = readFileSync(path.join(out, name), 'utf8');
      assert.doesNotMatch(code, /child_process/, `${name} uses child_process`);
      assert.doesNotMatch(code, /[^.\w$]eval\(/, `${name} calls eval`);
      assert.doesNotMatch(code, /new Function\(|[^.\w$]Function\(/, `${name} builds a Function`);
      // @vscode/l10n can load a bundle from a URI; we only ever hand it contents, so that fetch never runs.
      const fetches = [...code.matchAll(/[^.\w$]fetch\(/g)].length;
      assert.ok(fetches <= 1, `${name} has ${fetches} fetch calls`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
