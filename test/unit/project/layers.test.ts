// The rooms of README § Development, checked on the source itself so they stay true without ESLint:
// who may import whom, no import cycles, `vscode` only in src/extension, no module-level mutable
// state in src/core, and files under 400 lines. (ESLint's import-x rules say the same in the editor.)
import { UNIT_DIR } from '../../support/dirs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const repoRoot = path.join(UNIT_DIR, '..', '..');
const MAX_LINES = 400;

/** Repo-relative, forward slashes. */
const rel = (abs: string) => path.relative(repoRoot, abs).split(path.sep).join('/');

/** Every file under `dir`, build output and dependencies left out. */
function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...allFiles(p));
    else out.push(p);
  }
  return out;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

interface Import {
  spec: string;
  /** Repo-relative file it resolves to, for a relative import; null for a package. */
  target: string | null;
}

/** Every static `import … from`, `export … from`, side-effect import, `import()` and `require()`. */
function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, '');
  const specs = [
    ...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+['"]([^'"]+)['"]/gms),
    ...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
  return specs.map((spec) => ({ spec, target: spec.startsWith('.') ? resolveRelative(file, spec) : null }));
}

function resolveRelative(from: string, spec: string): string {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return rel(candidate);
  }
  throw new Error(`${rel(from)}: cannot resolve ${spec}`);
}

const sources = [...tsFiles(path.join(repoRoot, 'src')), ...tsFiles(path.join(repoRoot, 'webview'))];
const graph = new Map(sources.map((f) => [rel(f), importsOf(f)]));

/** The room a repo-relative path is in. */
function room(file: string): string {
  if (file === 'src/protocol.ts') return 'protocol';
  const m = /^src\/(core|chart|extension|cli)\//.exec(file);
  if (m) return m[1]!;
  if (file.startsWith('webview/')) return 'webview';
  if (file.endsWith('.json')) return 'data';
  return 'other';
}

/** Which rooms each room may import from (besides packages and JSON data such as the l10n bundle). */
const MAY_IMPORT: Record<string, string[]> = {
  core: ['core'],
  protocol: ['core'],
  chart: ['core', 'protocol', 'chart'],
  cli: ['core', 'protocol', 'chart', 'cli'],
  extension: ['core', 'protocol', 'chart', 'extension'],
  webview: ['core', 'protocol', 'chart', 'webview'],
};

test('each room imports only the rooms below it', () => {
  const wrong: string[] = [];
  for (const [file, imports] of graph) {
    const from = room(file);
    for (const { spec, target } of imports) {
      if (!target) continue;
      const to = room(target);
      if (to !== 'data' && !MAY_IMPORT[from]!.includes(to)) wrong.push(`${file} (${from}) imports ${spec} (${to})`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('only src/extension imports vscode', () => {
  const wrong = [...graph].filter(([file, imports]) => room(file) !== 'extension' && imports.some((i) => i.spec === 'vscode')).map(([file]) => file);
  assert.deepEqual(wrong, []);
  // And the extension really does (the check above would pass on an empty graph).
  assert.ok([...graph].some(([file, imports]) => room(file) === 'extension' && imports.some((i) => i.spec === 'vscode')));
});

test('no import cycles in src/ and webview/', () => {
  // Tarjan's strongly connected components: any component of more than one file is a cycle.
  let index = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    order.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const { target: w } of graph.get(v) ?? []) {
      if (!w || !graph.has(w)) continue;
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
    }
    if (low.get(v) === order.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).some((i) => i.target === v)) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!order.has(v)) visit(v);
  assert.deepEqual(cycles, []);
});

test('the cycle check sees a cycle (the graph it walks is real)', () => {
  // The registry lists the formats, whose objects import their readers; a reader importing the
  // registry or formats/index.ts back would be the cycle of #17.
  const registry = graph.get('src/core/formats/registry.ts')!;
  assert.ok(registry.some((i) => i.target === 'src/core/formats/csv.format.ts'));
  assert.ok(graph.get('src/core/formats/csv.format.ts')!.some((i) => i.target === 'src/core/formats/csv.ts'));
  for (const back of ['src/core/formats/index.ts', 'src/core/formats/registry.ts'])
    assert.ok(!graph.get('src/core/formats/csv.ts')!.some((i) => i.target === back));
});

/**
 * Top-level mutable state in src/core: `let`/`var`, and Maps/Sets/arrays made at module level unless
 * typed read-only. Caches are objects their owner creates and passes in. The one exception is the
 * UI language (src/core/l10n.ts): see the comment there.
 */
test('src/core keeps no state at module level', () => {
  const found: string[] = [];
  for (const [file] of graph) {
    if (room(file) !== 'core') continue;
    const lines = readFileSync(path.join(repoRoot, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      const at = `${file}:${i + 1}: ${line.trim()}`;
      if (/^(export\s+)?(let|var)\s/.test(line)) found.push(at);
      else if (/^(export\s+)?const\s+\w+\s*=\s*new\s+(Map|Set|WeakMap|WeakSet|Array)\b/.test(line)) found.push(at);
      else if (/^(export\s+)?const\s+\w+\s*:\s*(Map|Set|WeakMap|WeakSet)</.test(line)) found.push(at);
      else if (/\bl10n\.config\(/.test(line) && file !== 'src/core/l10n.ts') found.push(at);
    });
  }
  assert.deepEqual(found, []);
});

/** The source files a text's comments name (a path, or a bare name) that `exists` does not know. */
function staleNames(file: string, text: string, exists: (ref: string, from: string) => boolean): string[] {
  const out: string[] = [];
  for (const comment of text.matchAll(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g)) {
    for (const m of comment[0].matchAll(/(?<![\w@])([\w./-]+\.(?:ts|mjs))\b/g)) if (!exists(m[1]!, file)) out.push(`${rel(file)}: ${m[1]}`);
  }
  return out;
}

const sourceRoots = ['src', 'webview', 'test', 'scripts', 'assembly'].map((d) => path.join(repoRoot, d)).filter(existsSync);
const allSources = [...sourceRoots.flatMap((d) => allFiles(d)), ...readdirSync(repoRoot).map((n) => path.join(repoRoot, n))].filter((f) =>
  /\.(ts|mjs)$/.test(f),
);
const sourceNames = new Set(allSources.map((f) => path.basename(f)));
/** A path names a file from the repository root, the commenting file's folder or a folder of src; a bare name, a file anywhere in it. */
const sourceExists = (ref: string, from: string) =>
  ref.includes('/')
    ? [repoRoot, path.dirname(from)].some((b) => existsSync(path.resolve(b, ref))) || allSources.some((f) => rel(f).endsWith(`/${ref}`))
    : sourceNames.has(ref);

// Comments that point at files that moved or went send a reader looking for nothing.
test('comments name only source files that exist', () => {
  assert.deepEqual(
    allSources.flatMap((f) => staleNames(f, readFileSync(f, 'utf8'), sourceExists)),
    [],
  );
});

test('the stale-comment check sees a file that went, by name and by path', () => {
  const file = path.join(repoRoot, 'src/core/model.ts');
  // Spelled in two pieces so this file's own source holds no such comment.
  const text = '/' + '/ see images.ts and src/core/samples/pngFilters.ts; diversity.ts and samples/layout.ts are here\nconst x = "gone.ts";';
  assert.deepEqual(staleNames(file, text, sourceExists), ['src/core/model.ts: images.ts', 'src/core/model.ts: src/core/samples/pngFilters.ts']);
});

test('source, test and script files are under 400 lines', () => {
  const all = [...sources, ...tsFiles(path.join(repoRoot, 'test')), ...tsFiles(path.join(repoRoot, 'scripts'))];
  const long = all
    .map((f) => [rel(f), readFileSync(f, 'utf8').split('\n').length - 1] as const)
    .filter(([, n]) => n >= MAX_LINES)
    .map(([f, n]) => `${f}: ${n} lines`);
  assert.deepEqual(long, []);
});
