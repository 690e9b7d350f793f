/* eslint-disable @typescript-eslint/no-explicit-any -- package.json and its nls files are walked as untyped JSON */
// English and Traditional Chinese: every manifest string has an nls entry in both languages, every
// runtime string call has a zh-tw translation with the same placeholders, the manifest resolves to
// Chinese as VS Code resolves it, and the CLI and the extension's texts really come out in Chinese.
import { bundleForNode } from '../../support/bundles';
import { UNIT_DIR } from '../../support/dirs';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as l10n from '@vscode/l10n';
import { discoverRuns } from '../../../src/core/discover';
import { inspectRun, type Inspection } from '../../../src/core/inspect';
import { languageFromLocale, t, useBundle } from '../../../src/core/l10n';
import { hoverMarkdown } from '../../../src/extension/hover/hoverText';
import { runDescription } from '../../../src/extension/tree/describe';
import { kindLabel } from '../../../src/core/present';

const repoRoot = join(UNIT_DIR, '..', '..');
const readJson = (rel: string) => JSON.parse(readFileSync(join(repoRoot, rel), 'utf8'));
const pkg = readJson('package.json');
const nlsEn: Record<string, string> = readJson('package.nls.json');
const nlsZh: Record<string, string> = readJson('package.nls.zh-tw.json');
const bundle: Record<string, string> = readJson('l10n/bundle.l10n.zh-tw.json');

const CJK = /[\u4e00-\u9fff]/;
// Translations that are rightly the same as the English: file formats, symbols, placeholders only.
const SAME_IN_BOTH = new Set(['PNG', 'CSV', 'GIF', 'NaN/Inf', 'log1p', 'D {0}', 'G {0}']);

interface Extracted {
  strings: { text: string; file: string; line: number }[];
  dynamic: { file: string; line: number; code: string }[];
}
interface Extractor {
  extractFromSource(fileName: string, text: string): Extracted;
  placeholders(text: string): string[];
}

// The same extractor the maintainers run (`node scripts/l10n-strings.mjs`), run the same way.
const extracted: Extracted = JSON.parse(
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'l10n-strings.mjs'), '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
);
const runtimeStrings = [...new Set(extracted.strings.map((s) => s.text))];
let extractor: Extractor;

/** Every string value in a JSON tree, with its path. */
function strings(value: unknown, at = ''): { at: string; value: string }[] {
  if (typeof value === 'string') return [{ at, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, at ? `${at}.${k}` : k));
  return [];
}

/** package.json as VS Code shows it: every string that is exactly `%key%` replaced from the nls file. */
function resolveManifest(manifest: unknown, nls: Record<string, string>): any {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const m = /^%([\w.-]+)%$/.exec(v);
      return m && Object.prototype.hasOwnProperty.call(nls, m[1]!) ? nls[m[1]!] : v;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(manifest);
}

const links = (s: string) => [...s.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!).sort();
const codeSpans = (s: string) => [...s.matchAll(/`[^`]+`/g)].map((m) => m[0]).sort();

before(async () => {
  extractor = (await import(pathToFileURL(join(repoRoot, 'scripts', 'l10n-strings.mjs')).href)) as Extractor;
});

test('the extractor reads both quote styles, escapes, templates, multi-line and vscode.l10n.t calls, and nothing else', () => {
  const source = [
    "import { t } from '../../core/l10n';",
    't("He said \\"hi\\" to {0}", name);',
    "t('it\\'s {0}', x);",
    't(`template {0}`, y);',
    "t(\n  // why\n  'spread over lines',\n  z,\n);",
    "vscode.l10n.t('from the extension {0}', 1);",
    "l10n.t({ message: 'object form', args: [], comment: 'c' });",
    "// t('in a comment')",
    "/* t('in a block comment') */",
    'const s = "not a call: t(\'inside a string\')";',
    "foo.t('a method of something else');",
    "format('not t');",
    't(`dynamic ${x}`);',
    "const re = /t\\('regex'/;",
  ].join('\n');
  const { strings: found, dynamic } = extractor.extractFromSource('x.ts', source);
  assert.deepEqual(
    found.map((s) => s.text),
    ['He said "hi" to {0}', "it's {0}", 'template {0}', 'spread over lines', 'from the extension {0}', 'object form'],
  );
  assert.deepEqual(
    found.map((s) => s.line),
    [2, 3, 4, 5, 10, 11],
  );
  assert.equal(dynamic.length, 1);
  assert.match(dynamic[0]!.code, /dynamic/);
  assert.deepEqual(extractor.placeholders('{1} and {0} and {1}'), ['{0}', '{1}', '{1}']);
});

test('every %key% in package.json is in both nls files, and every nls key is used', () => {
  const used = new Set(strings(pkg).flatMap((s) => [...s.value.matchAll(/^%([\w.-]+)%$/g)].map((m) => m[1]!)));
  assert.ok(used.size >= 30, `only ${used.size} manifest keys`);
  for (const key of used) {
    assert.ok(typeof nlsEn[key] === 'string' && nlsEn[key].trim(), `package.nls.json has no "${key}"`);
    assert.ok(typeof nlsZh[key] === 'string' && nlsZh[key].trim(), `package.nls.zh-tw.json has no "${key}"`);
  }
  assert.deepEqual(
    Object.keys(nlsEn).filter((k) => !used.has(k)),
    [],
    'unused keys in package.nls.json',
  );
  assert.deepEqual(
    Object.keys(nlsZh).filter((k) => !used.has(k)),
    [],
    'unused keys in package.nls.zh-tw.json',
  );
});

test('no user-visible manifest string is left in English in package.json itself', () => {
  const c = pkg.contributes;
  const visible = [
    pkg.displayName,
    pkg.description,
    pkg.capabilities.untrustedWorkspaces.description,
    ...c.commands.flatMap((x: { title: string; category?: string }) => [x.title, x.category ?? '%%']),
    ...c.viewsContainers.activitybar.map((x: { title: string }) => x.title),
    ...Object.values(c.views)
      .flat()
      .flatMap((x: any) => [x.name, x.contextualTitle ?? '%%']),
    ...c.viewsWelcome.map((x: { contents: string }) => x.contents),
    c.configuration.title,
    ...Object.values(c.configuration.properties).flatMap((p: any) =>
      [p.description, p.markdownDescription, ...(p.enumDescriptions ?? [])].filter((x) => x !== undefined),
    ),
    ...c.walkthroughs.flatMap((w: any) => [w.title, w.description, ...w.steps.flatMap((s: any) => [s.title, s.description])]),
  ];
  for (const v of visible) assert.match(v, /^%[\w.-]+%$/, `not an nls reference: ${v}`);
});

test('zh-tw manifest strings are Chinese and keep every command link and code span of the English', () => {
  for (const [key, en] of Object.entries(nlsEn)) {
    const zh = nlsZh[key]!;
    if (en !== 'GAN') assert.match(zh, CJK, `${key} is not translated: ${zh}`);
    assert.deepEqual(links(zh), links(en), `${key}: links differ`);
    assert.deepEqual(codeSpans(zh), codeSpans(en), `${key}: code spans differ`);
    assert.equal(zh.split('\n').length, en.split('\n').length, `${key}: a button line was merged or split`);
  }
});

test('resolved with the zh-tw nls file as VS Code does, the commands, views and walkthrough are in Chinese', () => {
  const zh = resolveManifest(pkg, nlsZh);
  const en = resolveManifest(pkg, nlsEn);
  const title = (m: any, id: string) => m.contributes.commands.find((c: { command: string }) => c.command === id).title;
  // The command the Explorer context menu offers.
  const menuCommand = pkg.contributes.menus['explorer/context'][0].command;
  assert.equal(title(en, menuCommand), 'Inspect GAN run');
  assert.equal(title(zh, menuCommand), '檢查 GAN 訓練紀錄');
  for (const c of zh.contributes.commands) {
    assert.match(c.title, CJK, c.command);
    assert.equal(c.category, 'GAN');
  }
  assert.equal(en.contributes.viewsContainers.activitybar[0].title, 'GAN Runs');
  assert.match(zh.contributes.viewsContainers.activitybar[0].title, CJK);
  assert.match(zh.contributes.views.ganInspector[0].name, CJK);
  assert.match(zh.displayName, CJK);
  assert.match(zh.contributes.configuration.properties['ganInspector.liveRefresh'].description, CJK);
  assert.match(zh.contributes.configuration.properties['ganInspector.lossType'].enumDescriptions[0], CJK);
  const walkthrough = zh.contributes.walkthroughs[0];
  assert.equal(walkthrough.id, 'ganInspector.gettingStarted');
  assert.match(walkthrough.title, CJK);
  for (const s of walkthrough.steps) assert.match(`${s.title}${s.description}`, CJK, s.id);
  // Nothing is left as a %key% after resolution.
  for (const m of [en, zh])
    assert.deepEqual(
      strings(m).filter((s) => /^%[\w.-]+%$/.test(s.value)),
      [],
    );
});

test('the walkthrough: five steps, each with its Markdown media file, command buttons that exist', () => {
  const [w] = pkg.contributes.walkthroughs;
  assert.deepEqual(
    w.steps.map((s: { id: string }) => s.id),
    ['openRun', 'findings', 'samples', 'hover', 'thresholds'],
  );
  const declared = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
  for (const s of w.steps) {
    const md = readFileSync(join(repoRoot, s.media.markdown), 'utf8');
    assert.match(md, /^# /, s.media.markdown);
    for (const l of links(nlsEn[s.description.slice(1, -1)]!)) {
      const id = /^command:(ganInspector\.[\w.]+)/.exec(l)?.[1];
      if (id) assert.ok(declared.has(id), `${s.id} links to undeclared ${id}`);
    }
  }
  assert.ok(links(nlsEn['walkthrough.thresholds.description']!).includes('command:workbench.action.openSettings?%5B%22ganInspector%22%5D'));
  assert.ok(links(nlsEn['walkthrough.openRun.description']!).some((l) => l.startsWith('command:ganInspector.inspect')));
});

test('every runtime string call has a zh-tw translation with the same placeholders', () => {
  assert.ok(runtimeStrings.length > 200, `only ${runtimeStrings.length} strings extracted`);
  assert.deepEqual(
    extracted.dynamic.map((d) => `${d.file}:${d.line} ${d.code}`),
    [],
    'calls whose text is not a literal cannot be translated',
  );
  const missing = runtimeStrings.filter((s) => typeof bundle[s] !== 'string' || !bundle[s].trim());
  const where = (s: string) => extracted.strings.find((x) => x.text === s)!;
  assert.deepEqual(
    missing.map((s) => `${where(s).file}:${where(s).line} ${JSON.stringify(s)}`),
    [],
    'untranslated strings (add them to l10n/bundle.l10n.zh-tw.json)',
  );
  for (const s of runtimeStrings) {
    assert.deepEqual(extractor.placeholders(bundle[s]!), extractor.placeholders(s), `placeholders differ: ${s} → ${bundle[s]}`);
    if (!SAME_IN_BOTH.has(s)) assert.notEqual(bundle[s], s, `copied, not translated: ${s}`);
    if (/[a-z]{4}/i.test(s.replace(/\{\d+\}/g, '')) && !SAME_IN_BOTH.has(s))
      assert.match(bundle[s]!, /[\u4e00-\u9fff\uff1a\uff08]/, `no Chinese in ${bundle[s]}`);
  }
});

test('the zh-tw bundle has no stale keys (warns only: a removed string does no harm)', (t) => {
  const stale = Object.keys(bundle).filter((k) => !runtimeStrings.includes(k));
  if (stale.length) t.diagnostic(`stale zh-tw keys: ${stale.map((s) => JSON.stringify(s)).join(', ')}`);
  for (const v of Object.values(bundle)) assert.equal(typeof v, 'string');
});

test('the tutorial vocabulary is used for the GAN terms', () => {
  const expect: [string, string][] = [
    ['discriminator', '判別器'],
    ['generator', '生成器'],
    ['mode collapse', '模式崩潰'],
    ['oscillation', '震盪'],
    [
      'Both losses settled at the reference from step {0} to the end: D ≈ {1} and G ≈ {2} ({3}), the Nash equilibrium: D cannot tell real from fake.',
      '納許均衡',
    ],
    ['plateau', '停滯'],
    ['The gradients vanished: use LeakyReLU and BatchNorm layers and tune the learning rates.', '梯度消失'],
    ['Exploding gradients: add gradient clipping and weight regularisation, lower the learning rate, and use LeakyReLU and BatchNorm layers.', '梯度裁剪'],
    ['Exploding gradients: add gradient clipping and weight regularisation, lower the learning rate, and use LeakyReLU and BatchNorm layers.', '權重正規化'],
    [
      'Training diverged (exploding gradients): lower the learning rate, add gradient clipping and weight regularisation, and use LeakyReLU and BatchNorm layers.',
      '發散',
    ],
    [
      'Mode collapse comes from an imbalance between generator and discriminator: tune the learning rates and other parameters as for an imbalance, or switch to a Wasserstein GAN (WGAN-GP), which is far less prone to it.',
      '訓練失衡',
    ],
  ];
  for (const [en, word] of expect) {
    if (!runtimeStrings.includes(en)) continue; // the code changed its wording; the completeness test covers it
    assert.ok(bundle[en]!.includes(word), `${en} → ${bundle[en]} lacks ${word}`);
  }
});

test('extension-side strings resolve through @vscode/l10n config({ contents }) + t() to Chinese', () => {
  const extensionStrings = extracted.strings.filter((s) => s.file.startsWith(join('src', 'extension')));
  assert.ok(extensionStrings.length > 30, `only ${extensionStrings.length} extension strings`);
  // What the extension host does at activation with `vscode.l10n.bundle` (here: the zh-tw file).
  l10n.config({ contents: bundle });
  try {
    for (const { text } of extensionStrings) {
      const args = extractor.placeholders(text).map((_, i) => `«${i}»`);
      const out = l10n.t(text, ...args);
      if (!SAME_IN_BOTH.has(text))
        assert.notEqual(
          out,
          text.replace(/\{(\d+)\}/g, (_, i) => `«${i}»`),
          `not translated at runtime: ${text}`,
        );
      for (const a of args) assert.ok(out.includes(a), `${a} lost in ${out}`);
    }
    assert.equal(l10n.t('Inspect GAN run'), '檢查 GAN 訓練紀錄');
    assert.equal(l10n.t('{0} samples, steps {1}–{2}', 150, 0, 29800), '150 個樣本，第 0–29800 步');
  } finally {
    l10n.config({ contents: {} });
  }
  assert.equal(l10n.t('Inspect GAN run'), 'Inspect GAN run', 'English again without a bundle');
});

test('locales map to the languages shipped', () => {
  assert.equal(languageFromLocale('zh_TW.UTF-8'), 'zh-tw');
  assert.equal(languageFromLocale('zh-Hant'), 'zh-tw');
  assert.equal(languageFromLocale('en_US.UTF-8'), 'en');
  assert.equal(languageFromLocale(undefined), 'en');
});

// The example run, inspected and rendered by the extension's own tree and hover code with the
// zh-tw bundle loaded the way activate.ts loads `vscode.l10n.bundle`.
const exampleRun = join(repoRoot, 'examples', 'mnist-run');
let zhInspection: Inspection | undefined;

test('the extension tree and hover of the example run read in Chinese with the zh-tw bundle', async () => {
  useBundle(bundle);
  try {
    const [loc] = await discoverRuns(exampleRun);
    assert.ok(loc, 'the example run is found');
    zhInspection = await inspectRun(loc);
    const kinds = zhInspection.findings.map((f) => f.kind);
    assert.ok(kinds.includes('d-dominant') && kinds.includes('equilibrium'), kinds.join(', '));
    for (const f of zhInspection.findings) {
      assert.match(f.message, CJK, f.message);
      assert.match(f.advice ?? '', CJK, f.kind);
      assert.match(kindLabel(f.kind), CJK);
    }
    assert.ok(zhInspection.findings.some((f) => f.message.includes('納許均衡')));
    const entry = { root: loc.root, name: loc.name, inspection: zhInspection };
    assert.match(runDescription(entry), /步/);
    const hover = hoverMarkdown(zhInspection, { runRoot: loc.root, relative: 'discriminator_loss.npy' });
    assert.match(hover, /GAN 訓練紀錄/);
    assert.match(hover, /判別器從第/);
    assert.doesNotMatch(hover, /The discriminator won/);
  } finally {
    useBundle(undefined);
  }
  assert.equal(t('Inspect GAN run'), 'Inspect GAN run');
});

// The CLI bundle as esbuild.config.mjs builds dist/cli.js, into a private folder (no race on dist/).
let work = '';
let cli = '';
before(async () => {
  work = mkdtempSync(join(tmpdir(), 'gan-l10n-'));
  cli = join(work, 'cli.js');
  await bundleForNode('src/cli/main.ts', cli);
});
after(() => rmSync(work, { recursive: true, force: true }));

const runCli = (args: string[], env: Record<string, string>) => {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: repoRoot, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

function assertChineseReport(stdout: string) {
  assert.match(stdout, /判別器/);
  assert.match(stdout, /生成器/);
  assert.match(stdout, /訓練紀錄 /);
  assert.match(stdout, /診斷結果：/);
  assert.match(stdout, /判別器從第 [\d,]+ 步到第 [\d,]+ 步都佔上風/, 'the d-dominant finding in Chinese');
  assert.match(stdout, /樣本看起來都像同一張圖片的複製品/, 'the mode collapse finding in Chinese');
  assert.match(stdout, /納許均衡/, 'the equilibrium finding in Chinese');
  assert.doesNotMatch(stdout, /The discriminator won|Both losses settled|Findings:|Series:|Loss:/);
}

test('gan-inspect examples/mnist-run --lang zh-tw prints its report in Chinese', () => {
  const r = runCli(['examples/mnist-run', '--lang', 'zh-tw'], { LANG: 'en_US.UTF-8' });
  assert.equal(r.code, 0, r.stderr);
  assertChineseReport(r.stdout);
});

test('gan-inspect follows LANG=zh_TW.UTF-8 without --lang, and LANG=en_US or --lang en give English', () => {
  const zh = runCli(['examples/mnist-run'], { LANG: 'zh_TW.UTF-8' });
  assert.equal(zh.code, 0, zh.stderr);
  assertChineseReport(zh.stdout);
  const en = runCli(['examples/mnist-run'], { LANG: 'en_US.UTF-8' });
  assert.match(en.stdout, /The discriminator won/);
  assert.doesNotMatch(en.stdout, CJK);
  const forced = runCli(['examples/mnist-run', '--lang', 'en'], { LANG: 'zh_TW.UTF-8' });
  assert.match(forced.stdout, /Findings:/);
  assert.doesNotMatch(forced.stdout, CJK);
});

test('gan-inspect --help and usage errors are Chinese under zh-tw', () => {
  const help = runCli(['--help', '--lang', 'zh-tw'], {});
  assert.match(help.stdout + help.stderr, /用法：gan-inspect/);
  const bad = runCli(['--bogus'], { LANG: 'zh_TW.UTF-8' });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /未知的選項 --bogus/);
});
