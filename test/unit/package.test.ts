// The .vsix a user installs: only the bundles, media, manifest, docs and translations; no sources,
// tests, source maps or node_modules; under 3 MB.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { before, test } from 'node:test';
import { ensureVsix, listZip, readZipEntry } from '../e2e/vsix';

const allowed = [
  /^extension\/dist\/(extension|webview|worker)\.js$/,
  /^extension\/dist\/[\w.-]+\.css$/,
  /^extension\/dist\/codicon\.ttf$/,
  /^extension\/media\/[\w./-]+$/,
  /^extension\/package\.json$/,
  /^extension\/package\.nls(\.[\w-]+)?\.json$/,
  /^extension\/l10n\/bundle\.l10n(\.[\w-]+)?\.json$/,
  /^extension\/(readme|README)\.md$/,
  /^extension\/(LICENSE|LICENSE\.txt|license\.txt|license)$/,
  /^extension\/(CHANGELOG|changelog)\.md$/,
  /^extension\/SECURITY\.md$/,
  // vsce's own packaging metadata.
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
];
const forbidden = /(^|\/)(src|test|webview|scripts|node_modules|examples)\/|\.map$|\.ts$|tsconfig|esbuild/;

let vsix = '';
let names: string[] = [];
before(() => {
  vsix = ensureVsix();
  names = listZip(vsix).map((e) => e.name);
}, { timeout: 300_000 });

test('the .vsix holds only dist bundles, media, manifest, docs and l10n files', () => {
  const unexpected = names.filter((n) => !allowed.some((re) => re.test(n)));
  assert.deepEqual(unexpected, [], `unexpected files in the .vsix:\n${unexpected.join('\n')}`);
  const leaked = names.filter((n) => forbidden.test(n));
  assert.deepEqual(leaked, [], `sources, tests or source maps in the .vsix:\n${leaked.join('\n')}`);
});

test('the .vsix holds what the extension needs at run time', () => {
  for (const required of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/webview.js', 'extension/LICENSE.txt']) {
    assert.ok(names.includes(required) || (required.endsWith('LICENSE.txt') && names.some((n) => /^extension\/LICENSE/i.test(n))), `missing ${required}; has:\n${names.join('\n')}`);
  }
  assert.ok(names.some((n) => /^extension\/readme\.md$/i.test(n)), 'missing README.md');
  assert.ok(names.some((n) => /^extension\/changelog\.md$/i.test(n)), 'missing CHANGELOG.md');
  assert.ok(names.some((n) => /^extension\/l10n\/bundle\.l10n\.zh-tw\.json$/.test(n)), 'missing the zh-tw l10n bundle');
  // The manifest inside must be the one that points at the bundled entry point.
  const manifest = JSON.parse(readZipEntry(vsix, 'extension/package.json').toString('utf8')) as { main: string };
  assert.equal(manifest.main, './dist/extension.js');
});

test('the .vsix is under 3 MB', () => {
  const bytes = statSync(vsix).size;
  console.log(`.vsix: ${(bytes / 1024).toFixed(0)} KB (${bytes} bytes), ${names.length} files`);
  assert.ok(bytes < 3 * 1024 * 1024, `the .vsix is ${(bytes / 1024 / 1024).toFixed(2)} MB`);
});
