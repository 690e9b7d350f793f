// package.json and its nls files say what the format registry says: the extension wakes for a
// workspace holding any format read (and only for names specific to runs), the Explorer offers
// "Inspect GAN run" on every file a format reads on sight, and the welcome view names every format.
// `node --import tsx scripts/manifest-formats.ts` rewrites them; this fails when they drift.
import { UNIT_DIR } from '../../../support/dirs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { FORMATS } from '../../../../src/core/formats';
import { explorerWhen, runFileNames, wakeGlobs, welcomeFormatList } from '../../../../src/core/formats/manifest';
import { globRegExp } from '../../../../src/core/formats/globs';
import { isImageFile } from '../../../../src/core/samples/naming';
import { useLanguage } from '../../../../src/core/l10n';
import { manifestTexts, WELCOME_KEY } from '../../../../scripts/manifest-formats';

const repoRoot = path.join(UNIT_DIR, '..', '..');
const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

test('package.json and package.nls*.json are what scripts/manifest-formats.ts writes from the registry', () => {
  for (const { file, now, wanted } of manifestTexts())
    assert.equal(now, wanted, `${file} drifted from the format registry: run node --import tsx scripts/manifest-formats.ts`);
});

test('the extension wakes for every format, by globs specific to runs, in one bounded search', () => {
  const events: string[] = pkg.activationEvents;
  const globs = events.filter((e) => e.startsWith('workspaceContains:')).map((e) => e.slice('workspaceContains:'.length));
  for (const f of [...FORMATS.files, ...FORMATS.folders]) for (const glob of f.wake) assert.ok(globs.includes(glob), `${f.id}: ${glob}`);
  // A file format with no glob of its own lives inside a run folder (its names are paths, MLflow's
  // `metrics/<key>`): the folder format's glob wakes for it.
  for (const f of FORMATS.files)
    assert.ok(f.wake.length > 0 || (f.names.every((n) => n.includes('/')) && FORMATS.folders.some((d) => d.wake.length > 0)), f.id);
  // VS Code puts every glob of an extension in ONE file search that stops at the first match
  // (its workspaceContains activation), so their number costs little; a generic glob would wake it for nothing.
  assert.ok(globs.length <= 20, `${globs.length} globs`);
  const generic = ['**/*.txt', '**/*.log', '**/*.out', '**/*.csv', '**/*.json', '**/*.jsonl', '**/*.yaml', '**/*.png', '**/*'];
  assert.deepEqual(
    globs.filter((g) => generic.includes(g)),
    [],
  );
  assert.deepEqual(globs, wakeGlobs());
  for (const ev of ['onLanguage:python', 'onView:ganInspector.runs', 'onCommand:ganInspector.inspect', 'onWebviewPanel:ganInspector.inspector'])
    assert.ok(events.includes(ev), ev);
});

test('a workspace without runs holds nothing a wake glob matches', () => {
  // What a web service, a data-analysis notebook project or a docs site keeps.
  const files = [
    'package.json',
    'src/index.ts',
    'logs/server.log',
    'npm-debug.log',
    'nohup.out',
    'data/iris.csv',
    'data/train.csv',
    'results.json',
    'notes.txt',
    'requirements.txt',
    'docs/readme.md',
    'build/output.log',
    'config.yaml',
    'analysis.ipynb',
    'images/logo.png',
    'log/app.log',
    'result/output.txt',
  ];
  const matchers = wakeGlobs().map((g) => [g, globRegExp(g)] as const);
  for (const file of files) for (const [glob, re] of matchers) assert.ok(!re.test(file), `${glob} wakes for ${file}`);
  // And each format's own examples do wake it.
  for (const f of [...FORMATS.files, ...FORMATS.folders])
    if (f.wake.length)
      assert.ok(
        f.examples.some((e) => f.wake.some((g) => globRegExp(g).test(e.replace(/\/$/, '/meta.yaml')))),
        f.id,
      );
});

test('the Explorer offers "Inspect GAN run" on the files formats read on sight and on sample images, not on any file', () => {
  const item = pkg.contributes.menus['explorer/context'].find((m: { command: string }) => m.command === 'ganInspector.inspect');
  assert.equal(item.when, explorerWhen());
  // The clause as VS Code evaluates it on a file's name.
  const m = /resourceFilename =~ \/(.+)\/i$/.exec(item.when)!;
  const offered = new RegExp(m[1]!, 'i');
  for (const f of FORMATS.files) {
    for (const example of f.examples) {
      const base = path.posix.basename(example);
      if (FORMATS.selectFormat(base)?.id === f.id) assert.ok(offered.test(base), `${f.id}: ${base}`);
    }
  }
  for (const name of ['fakes000120.png', 'epoch_5.JPG', 'progress.gif', 'train.log', 'events.out.tfevents.1.h', 'loss_log.txt', 'log'])
    assert.ok(offered.test(name), name);
  for (const name of ['README.md', 'train.py', 'notes.txt', 'package.json', 'model.pt']) assert.ok(!offered.test(name), name);
  // The image names are the ones sample naming reads.
  for (const name of ['a.png', 'a.jpg', 'a.jpeg', 'a.gif', 'a.bmp', 'a.webp']) assert.equal(offered.test(name), isImageFile(name), name);
});

test('the run files the watcher watches are the names each format reads on sight', () => {
  const names = runFileNames();
  for (const f of FORMATS.files) {
    for (const glob of f.names.filter((g) => !g.includes('/')))
      assert.ok(
        names.some((n) => n === glob || globRegExp(n).test(glob)),
        `${f.id}: ${glob}`,
      );
  }
});

test('the welcome view names every format, in English and in Traditional Chinese', () => {
  // The list is the welcome's first parenthesised text: a label with parentheses would end it early.
  for (const label of FORMATS.labels()) assert.doesNotMatch(label, /[()（）]/, label);
  const nls = (file: string) => JSON.parse(readFileSync(path.join(repoRoot, file), 'utf8'))[WELCOME_KEY] as string;
  for (const [language, file] of [
    ['en', 'package.nls.json'],
    ['zh-tw', 'package.nls.zh-tw.json'],
  ] as const) {
    useLanguage(language);
    try {
      const welcome = nls(file);
      assert.ok(welcome.includes(welcomeFormatList()), `${file}: ${welcome}`);
      for (const label of FORMATS.labels()) assert.ok(welcome.includes(label), `${file} names ${label}`);
    } finally {
      useLanguage('en');
    }
  }
});
