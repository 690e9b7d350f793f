// The manifest and the code agree: commands, settings, views, menus, activation, trust; settings
// are validated; the Disposable helper releases everything it was given.
import { UNIT_DIR } from '../../support/dirs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Disposable, DisposableSlot, disposeAll, toDisposable } from '../../../src/extension/dispose';
import { DEFAULT_SETTINGS, inspectOptions, readSettings } from '../../../src/extension/settings';
import { COMMANDS, CONTEXT_KEYS, INSPECTOR_VIEW_TYPE, RUNS_VIEW, SETTINGS_SECTION } from '../../../src/extension/ids';

const repoRoot = path.join(UNIT_DIR, '..', '..');
const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const extDir = path.join(repoRoot, 'src', 'extension');
const sourceFiles = (readdirSync(extDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));

test('every ganInspector command the code registers or links to is declared, and the reverse', () => {
  const declared = new Set<string>(pkg.contributes.commands.map((c: { command: string }) => c.command));
  const ids: Record<string, string> = COMMANDS;
  const registered = new Set(commandTable().map((name) => ids[name]));
  assert.deepEqual([...registered].sort(), [...declared].sort());
  assert.deepEqual(Object.values(COMMANDS).sort(), [...declared].sort(), 'ids.ts names exactly the declared commands');
  for (const group of Object.values(pkg.contributes.menus) as { command: string }[][]) {
    for (const item of group) assert.ok(declared.has(item.command), item.command);
  }
  const nls = JSON.parse(readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;
  for (const w of pkg.contributes.viewsWelcome) {
    // Contents are `%key%` references; check the text VS Code shows, which must still link our commands.
    const contents: string = w.contents.replace(/^%(.+)%$/, (_: string, key: string) => nls[key] ?? '');
    assert.ok(contents, `welcome text ${w.contents} resolves`);
    if (w.when === 'ganInspector.scanned')
      assert.ok(contents.includes('(command:ganInspector.inspectFolder)'), 'the no-runs welcome offers to inspect a folder');
    for (const m of contents.matchAll(/\(command:(ganInspector\.[\w.]+)/g)) assert.ok(declared.has(m[1]!), m[1]);
  }
});

/** The keys of the command table in commands.ts, in order, as written. */
function commandTable(): string[] {
  const code = readFileSync(path.join(extDir, 'commands.ts'), 'utf8');
  const table = /const handlers: \{ \[K in keyof typeof COMMANDS\]: Handler \} = \{\n([\s\S]*?)\n\s*\};/.exec(code);
  assert.ok(table, 'commands.ts holds the table typed by COMMANDS');
  return [...table[1]!.matchAll(/^\s*(\w+): /gm)].map((m) => m[1]!);
}

test('every contributed command is registered exactly once, in commands.ts, from its table', () => {
  const declared: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command);
  const ids: Record<string, string> = COMMANDS;
  const names = commandTable();
  assert.equal(new Set(names).size, names.length, 'one line per command');
  assert.deepEqual(names.map((n) => ids[n]).sort(), [...declared].sort());
  // One call, the loop over that table; no other file registers a command.
  const registering = sourceFiles.filter((f) => /registerCommand\(/.test(readFileSync(path.join(extDir, f), 'utf8')));
  assert.deepEqual(registering, ['commands.ts']);
  const code = readFileSync(path.join(extDir, 'commands.ts'), 'utf8');
  assert.equal(code.match(/registerCommand\(/g)!.length, 1);
  assert.match(code, /for \(const name of Object\.keys\(handlers\)[^\n]*registerCommand\(COMMANDS\[name\], handlers\[name\]\)/);
});

test('every setting the code reads is declared with a default equal to the code default', () => {
  const props = pkg.contributes.configuration.properties;
  const read = [...readFileSync(path.join(extDir, 'settings.ts'), 'utf8').matchAll(/get\('([\w.]+)'\)/g)].map((m) => `ganInspector.${m[1]}`);
  assert.deepEqual(read.sort(), Object.keys(props).sort());
  const defaults = readSettings((key) => props[`ganInspector.${key}`].default);
  assert.deepEqual(defaults, DEFAULT_SETTINGS);
});

test("ids are written once, in ids.ts, and are the manifest's", () => {
  // Any other quoted `ganInspector.` id in the extension's code would be a copy that can drift.
  for (const f of sourceFiles.filter((f) => f !== 'ids.ts')) {
    const code = readFileSync(path.join(extDir, f), 'utf8').replace(/^\s*(\/\/|\*|\/\*\*).*$/gm, '');
    assert.doesNotMatch(code, /['"`]ganInspector[.'"`]/, `${f} spells an id; use src/extension/ids.ts`);
  }
  assert.equal(pkg.contributes.views.ganInspector[0].id, RUNS_VIEW);
  assert.ok(pkg.activationEvents.includes(`onWebviewPanel:${INSPECTOR_VIEW_TYPE}`));
  assert.ok(Object.keys(pkg.contributes.configuration.properties).every((k: string) => k.startsWith(`${SETTINGS_SECTION}.`)));
  const whens = JSON.stringify(pkg.contributes);
  for (const key of Object.values(CONTEXT_KEYS)) assert.ok(whens.includes(key), `${key} is read by no when clause`);
});

test('the view, activation and trust declarations are in place', () => {
  assert.equal(pkg.main, './dist/extension.js');
  assert.deepEqual(pkg.extensionKind, ['workspace']);
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, true);
  for (const ev of ['onLanguage:python', 'workspaceContains:**/*.npy', 'onView:ganInspector.runs', 'onCommand:ganInspector.inspect'])
    assert.ok(pkg.activationEvents.includes(ev), ev);
  assert.ok(!pkg.activationEvents.includes('*'), 'never activates eagerly');
  // Titles may be `%key%` references resolved from package.nls.json, as VS Code does.
  const nls = JSON.parse(readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const title: string = pkg.contributes.viewsContainers.activitybar[0].title;
  assert.equal(
    title.replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? title),
    'GAN Runs',
  );
  assert.equal(pkg.contributes.views.ganInspector[0].id, 'ganInspector.runs');
  assert.ok(pkg.contributes.menus['explorer/context'].some((m: { command: string }) => m.command === 'ganInspector.inspect'));
  assert.ok(pkg.contributes.menus['editor/title'].some((m: { when: string }) => m.when.includes('.npy')));
});

test('settings: wrong types fall back to the defaults, numbers are clamped, thresholds keep numbers only', () => {
  const values: Record<string, unknown> = {
    'scan.include': ['runs', 3, '', 'outputs'],
    'scan.exclude': 'data',
    'scan.maxDepth': 1000,
    lossType: 'pickle',
    thresholds: { dDominantDMax: 0.2, evil: '1; rm -rf', nan: NaN },
    smoothing: -1,
    liveRefresh: 'yes',
    maxFileSizeMB: 64,
  };
  const s = readSettings((k) => values[k]);
  assert.deepEqual(s.include, ['runs', 'outputs']);
  assert.deepEqual(s.exclude, []);
  assert.equal(s.maxDepth, 32);
  assert.equal(s.lossType, 'auto');
  assert.deepEqual(s.thresholds, { dDominantDMax: 0.2 });
  assert.equal(s.smoothing, 0);
  assert.equal(s.liveRefresh, true);
  assert.deepEqual(inspectOptions(s), { thresholds: { dDominantDMax: 0.2 }, maxFileBytes: 64 * 1024 * 1024 });
  assert.deepEqual(inspectOptions({ ...s, lossType: 'wgan', thresholds: {} }), { lossType: 'wgan', maxFileBytes: 64 * 1024 * 1024 });
});

class Owner extends Disposable {
  add<T extends { dispose(): unknown }>(d: T): T {
    return this._register(d);
  }
}

test('Disposable releases everything registered, in reverse order, once', () => {
  const order: string[] = [];
  const owner = new Owner();
  owner.add(toDisposable(() => order.push('a')));
  owner.add(toDisposable(() => order.push('b')));
  const slot = owner.add(new DisposableSlot());
  slot.value = toDisposable(() => order.push('first'));
  slot.value = toDisposable(() => order.push('second'));
  assert.deepEqual(order, ['first']);
  owner.dispose();
  owner.dispose();
  assert.deepEqual(order, ['first', 'second', 'b', 'a']);
  owner.add(toDisposable(() => order.push('late')));
  assert.deepEqual(order.at(-1), 'late', 'registering after dispose disposes at once');
});

test('disposeAll keeps going when one dispose throws, then reports it', () => {
  const done: number[] = [];
  const list = [
    toDisposable(() => done.push(1)),
    {
      dispose: () => {
        throw new Error('x');
      },
    },
    toDisposable(() => done.push(3)),
  ];
  assert.throws(() => disposeAll(list), /x/);
  assert.deepEqual(done, [3, 1]);
  assert.equal(list.length, 0);
});
