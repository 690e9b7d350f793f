// The manifest and the code agree: commands, settings, views, menus, activation, trust; settings
// are validated; the Disposable helper releases everything it was given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Disposable, DisposableSlot, disposeAll, toDisposable } from '../../src/extension/dispose';
import { DEFAULT_SETTINGS, inspectOptions, readSettings } from '../../src/extension/settings';

const repoRoot = path.join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const extDir = path.join(repoRoot, 'src', 'extension');
const sources = (readdirSync(extDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(path.join(extDir, f), 'utf8')).join('\n');

test('every ganInspector command the code registers or links to is declared, and the reverse', () => {
  const declared = new Set<string>(pkg.contributes.commands.map((c: { command: string }) => c.command));
  const registered = new Set([...sources.matchAll(/registerCommand\((?:INSPECT_COMMAND|'(ganInspector\.[\w.]+)')/g)].map((m) => m[1] ?? 'ganInspector.inspect'));
  assert.deepEqual([...registered].sort(), [...declared].sort());
  for (const group of Object.values(pkg.contributes.menus) as { command: string }[][]) {
    for (const item of group) assert.ok(declared.has(item.command), item.command);
  }
  const nls = JSON.parse(readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;
  for (const w of pkg.contributes.viewsWelcome) {
    // Contents are `%key%` references; check the text VS Code shows, which must still link our commands.
    const contents: string = w.contents.replace(/^%(.+)%$/, (_: string, key: string) => nls[key] ?? '');
    assert.ok(contents, `welcome text ${w.contents} resolves`);
    if (w.when === 'ganInspector.scanned') assert.ok(contents.includes('(command:ganInspector.inspectFolder)'), 'the no-runs welcome offers to inspect a folder');
    for (const m of contents.matchAll(/\(command:(ganInspector\.[\w.]+)/g)) assert.ok(declared.has(m[1]), m[1]);
  }
});

test('every setting the code reads is declared with a default equal to the code default', () => {
  const props = pkg.contributes.configuration.properties;
  const read = [...readFileSync(path.join(extDir, 'settings.ts'), 'utf8').matchAll(/get\('([\w.]+)'\)/g)].map((m) => `ganInspector.${m[1]}`);
  assert.deepEqual(read.sort(), Object.keys(props).sort());
  const defaults = readSettings((key) => props[`ganInspector.${key}`].default);
  assert.deepEqual(defaults, DEFAULT_SETTINGS);
});

test('the view, activation and trust declarations are in place', () => {
  assert.equal(pkg.main, './dist/extension.js');
  assert.deepEqual(pkg.extensionKind, ['workspace']);
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, true);
  for (const ev of ['onLanguage:python', 'workspaceContains:**/*.npy', 'onView:ganInspector.runs', 'onCommand:ganInspector.inspect']) assert.ok(pkg.activationEvents.includes(ev), ev);
  assert.ok(!pkg.activationEvents.includes('*'), 'never activates eagerly');
  // Titles may be `%key%` references resolved from package.nls.json, as VS Code does.
  const nls = JSON.parse(readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const title: string = pkg.contributes.viewsContainers.activitybar[0].title;
  assert.equal(title.replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? title), 'GAN Runs');
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
  const list = [toDisposable(() => done.push(1)), { dispose: () => { throw new Error('x'); } }, toDisposable(() => done.push(3))];
  assert.throws(() => disposeAll(list), /x/);
  assert.deepEqual(done, [3, 1]);
  assert.equal(list.length, 0);
});
