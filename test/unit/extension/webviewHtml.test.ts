// The inspector's page: the app's script is written into the page (no trip through VS Code's
// resource loading), under a CSP that lets only that nonce'd script run.
import { UNIT_DIR } from '../../support/dirs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { inspectorPage } from '../../../src/extension/inspector/webviewHtml';

const repoRoot = path.join(UNIT_DIR, '..', '..');
const bundle = path.join(repoRoot, 'dist', 'webview.js');
const options = (scriptFile: string) => ({
  cspSource: 'https://ext.vscode-cdn.net',
  nonce: 'n0nce',
  lang: 'zh-tw',
  scriptFile,
  scriptUri: 'https://ext.vscode-cdn.net/dist/webview.js',
});

test('the built webview bundle is written into the page under a nonce, with a CSP allowing nothing else to run', () => {
  if (!existsSync(bundle)) execFileSync(process.execPath, ['esbuild.config.mjs'], { cwd: repoRoot });
  const page = inspectorPage(options(bundle));
  const scripts = [...page.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  assert.deepEqual(scripts, ['<script nonce="n0nce">'], 'one inline script, no src');
  assert.ok(page.includes("performance.mark('gan-inspector-script')"), 'the bundle text is in the page');
  // The element holds the whole bundle: nothing in it ends the element early.
  assert.equal(page.indexOf('</script>'), page.lastIndexOf('</script>'));
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(page)![1]!;
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-n0nce'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.match(page, /<html lang="zh-tw">/);
});

test('a bundle that holds "</script" or "<!--" is loaded from its URL instead of breaking the page', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gan-page-'));
  try {
    for (const [name, text] of [
      ['ends.js', 'const s = "</script><img src=x onerror=alert(1)>";'],
      ['comment.js', 'const s = "<!-- x";'],
    ] as const) {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      const page = inspectorPage(options(file));
      assert.ok(!page.includes(text), `${name}: not inlined`);
      assert.match(page, /<script nonce="n0nce" src="https:\/\/ext\.vscode-cdn\.net\/dist\/webview\.js"><\/script>/, name);
    }
    // A missing bundle too (the page then shows VS Code's own error for the URL, not a blank).
    assert.match(inspectorPage(options(path.join(dir, 'missing.js'))), /src="https:\/\/ext\.vscode-cdn\.net\/dist\/webview\.js"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
