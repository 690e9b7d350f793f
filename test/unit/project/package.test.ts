// The .vsix a user installs: only the bundles, media, manifest, docs, translations and the example
// run the walkthrough opens; no sources, tests, source maps or node_modules; under 3 MB.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { before, test } from 'node:test';
import { ensureVsix, listZip, readZipEntry, repoRoot } from '../../e2e/vsix';

const allowed = [
  /^extension\/dist\/(extension|webview|worker|decodeWorker)\.js$/,
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
  // The example run "Open the example GAN run" copies out: its losses, its sample grids, its script.
  /^extension\/examples\/mnist-run\/train\.py$/,
  /^extension\/examples\/mnist-run\/result\/(discriminator|generator)_loss\.npy$/,
  /^extension\/examples\/mnist-run\/result\/image\/\d+\.png$/,
  // vsce's own packaging metadata.
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
];
const forbidden = /(^|\/)(src|test|webview|scripts|node_modules)\/|\.map$|\.ts$|tsconfig|esbuild/;
// Of examples/, only the bundled run ships.
const otherExamples = /^extension\/examples\/(?!mnist-run\/)/;

let vsix = '';
let names: string[] = [];
before(
  () => {
    vsix = ensureVsix();
    names = listZip(vsix).map((e) => e.name);
  },
  { timeout: 300_000 },
);

test('the .vsix holds only dist bundles, media, manifest, docs and l10n files', () => {
  const unexpected = names.filter((n) => !allowed.some((re) => re.test(n)));
  assert.deepEqual(unexpected, [], `unexpected files in the .vsix:\n${unexpected.join('\n')}`);
  const leaked = names.filter((n) => forbidden.test(n));
  assert.deepEqual(leaked, [], `sources, tests or source maps in the .vsix:\n${leaked.join('\n')}`);
  assert.deepEqual(
    names.filter((n) => otherExamples.test(n)),
    [],
    'examples other than mnist-run in the .vsix',
  );
});

test('the .vsix holds the whole example run, byte for byte, so the walkthrough can open it', () => {
  const root = join(repoRoot, 'examples', 'mnist-run');
  const onDisk = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? onDisk(join(dir, e.name)) : [join(dir, e.name).split(sep).join('/')],
    );
  const files = onDisk('');
  const shipped = names.filter((n) => n.startsWith('extension/examples/mnist-run/')).map((n) => n.slice('extension/examples/mnist-run/'.length));
  assert.deepEqual(shipped.sort(), files.sort());
  assert.ok(files.includes('result/discriminator_loss.npy') && files.filter((f) => f.startsWith('result/image/')).length > 100, files.join(', '));
  for (const f of ['train.py', 'result/generator_loss.npy', 'result/image/29800.png']) {
    assert.ok(readZipEntry(vsix, `extension/examples/mnist-run/${f}`).equals(readFileSync(join(root, f))), `${f} differs in the .vsix`);
  }
});

test('the .vsix holds what the extension needs at run time', () => {
  for (const required of [
    'extension/package.json',
    'extension/dist/extension.js',
    'extension/dist/webview.js',
    'extension/dist/worker.js',
    'extension/dist/decodeWorker.js',
    'extension/LICENSE.txt',
  ]) {
    assert.ok(
      names.includes(required) || (required.endsWith('LICENSE.txt') && names.some((n) => /^extension\/LICENSE/i.test(n))),
      `missing ${required}; has:\n${names.join('\n')}`,
    );
  }
  assert.ok(
    names.some((n) => /^extension\/readme\.md$/i.test(n)),
    'missing README.md',
  );
  assert.ok(
    names.some((n) => /^extension\/changelog\.md$/i.test(n)),
    'missing CHANGELOG.md',
  );
  assert.ok(
    names.some((n) => /^extension\/l10n\/bundle\.l10n\.zh-tw\.json$/.test(n)),
    'missing the zh-tw l10n bundle',
  );
  // The manifest inside must be the one that points at the bundled entry point.
  const manifest = JSON.parse(readZipEntry(vsix, 'extension/package.json').toString('utf8')) as { main: string };
  assert.equal(manifest.main, './dist/extension.js');
});

test('the .vsix is under 3 MB', () => {
  const bytes = statSync(vsix).size;
  console.log(`.vsix: ${(bytes / 1024).toFixed(0)} KB (${bytes} bytes), ${names.length} files`);
  assert.ok(bytes < 3 * 1024 * 1024, `the .vsix is ${(bytes / 1024 / 1024).toFixed(2)} MB`);
});
