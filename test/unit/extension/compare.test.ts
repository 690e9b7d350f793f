// "Compare GAN runs" as the manifest offers it: the palette command, the Explorer menu on a
// multi-selection of folders, the GAN Runs view's multi-selection (context menu and title bar), and
// the context key the view sets agreeing with the `when` clauses. The e2e test drives them for real.
import { UNIT_DIR } from '../../support/dirs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CONTEXT_KEYS } from '../../../src/extension/ids';

const repoRoot = path.join(UNIT_DIR, '..', '..');
const readJson = (rel: string) => JSON.parse(readFileSync(path.join(repoRoot, rel), 'utf8'));
const pkg = readJson('package.json');
const nlsEn: Record<string, string> = readJson('package.nls.json');
const nlsZh: Record<string, string> = readJson('package.nls.zh-tw.json');
const runsView = readFileSync(path.join(repoRoot, 'src', 'extension', 'tree', 'runsView.ts'), 'utf8');
// The handlers of Inspect and Compare (commands.ts registers them).
const commands = readFileSync(path.join(repoRoot, 'src', 'extension', 'openRuns.ts'), 'utf8');

type Menu = { command: string; when?: string; group?: string };
const menu = (id: string): Menu[] => pkg.contributes.menus[id] ?? [];
const command = (id: string) => pkg.contributes.commands.find((c: { command: string }) => c.command === id);
const nlsKey = (ref: string) => /^%([\w.-]+)%$/.exec(ref)?.[1] ?? '';

test('both compare commands are declared with translated titles in the GAN category', () => {
  const expected: Record<string, [string, RegExp]> = {
    'ganInspector.compare': ['Compare GAN runs', /比較.*GAN.*訓練紀錄/],
    'ganInspector.compareSelected': ['Compare selected runs', /比較.*選取.*訓練紀錄/],
  };
  for (const [id, [en, zh]] of Object.entries(expected)) {
    const c = command(id);
    assert.ok(c, `${id} is not declared`);
    assert.equal(nlsEn[nlsKey(c.title)], en);
    assert.match(nlsZh[nlsKey(c.title)] ?? '', zh);
    assert.equal(c.category, '%command.category%');
  }
});

test('the Explorer offers "Compare GAN runs" on a multi-selection of folders only', () => {
  const items = menu('explorer/context').filter((m) => m.command === 'ganInspector.compare');
  assert.equal(items.length, 1);
  assert.match(items[0]!.when ?? '', /\blistMultiSelection\b/);
  assert.match(items[0]!.when ?? '', /\bexplorerResourceIsFolder\b/);
  // "Inspect GAN run" stays on single folders and files; with several selected it opens one comparison.
  assert.ok(menu('explorer/context').some((m) => m.command === 'ganInspector.inspect'));
  assert.match(commands, /uris\.length > 1\) return this\.compare\(/);
});

test('the GAN Runs view compares a multi-selection from its context menu and its title bar', () => {
  const item = menu('view/item/context').find((m) => m.command === 'ganInspector.compareSelected');
  assert.ok(item, 'no context menu entry');
  assert.match(item.when ?? '', /view == ganInspector\.runs/);
  assert.match(item.when ?? '', /viewItem == ganRun/);
  assert.match(item.when ?? '', /\blistMultiSelection\b/);
  const title = menu('view/title').find((m) => m.command === 'ganInspector.compareSelected');
  assert.ok(title, 'no title bar action');
  // The key the title action waits for is the one the view sets on selection changes.
  const key = /\b(ganInspector\.\w+)\b/.exec((title.when ?? '').replace('ganInspector.runs', ''))?.[1];
  assert.equal(key, 'ganInspector.canCompare');
  assert.equal(key, CONTEXT_KEYS.canCompare);
  assert.ok(runsView.includes("'setContext', CONTEXT_KEYS.canCompare"), 'runsView.ts never sets it');
  assert.match(runsView, /canSelectMany: true/);
  // Without a selection it means nothing, so the palette does not list it.
  assert.ok(menu('commandPalette').some((m) => m.command === 'ganInspector.compareSelected' && m.when === 'false'));
  assert.ok(!menu('commandPalette').some((m) => m.command === 'ganInspector.compare' && m.when === 'false'), 'the palette must offer "Compare GAN runs"');
});
