// Lists every runtime string that goes through `t('…')` (core, CLI, webview, protocol) or
// `vscode.l10n.t('…')` / `l10n.t('…')` (extension), so translations can be checked and kept complete.
// It parses with the TypeScript scanner rather than a regex, so both quote styles, escaped quotes,
// template literals, comments and calls spread over several lines all come out right.
//
// Usage: node scripts/l10n-strings.mjs [--json] [--missing] [--stale] [--bundle l10n/bundle.l10n.zh-tw.json]
//   (no flag)   one English text per line
//   --json      { strings: [{ text, file, line }], dynamic: [{ file, line, code }] }
//   --missing   texts the bundle has no (non-empty) entry for
//   --stale     bundle keys no call uses any more
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where runtime strings live, relative to the repo root. */
export const SOURCE_ROOTS = ['src/core', 'src/chart', 'src/cli', 'src/extension', 'webview', 'src/protocol.ts'];

function sourceFiles(root) {
  const start = join(repoRoot, root);
  if (!existsSync(start)) return [];
  if (statSync(start).isFile()) return [start];
  const out = [];
  for (const name of readdirSync(start).sort()) {
    const p = join(start, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(relative(repoRoot, p)));
    else if (/\.(ts|mts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

// `t(…)` (imported from core/l10n) or `<anything>.l10n.t(…)` / `l10n.t(…)`; never `foo.t(…)`.
function isTranslateCall(node) {
  const callee = node.expression;
  if (ts.isIdentifier(callee)) return callee.text === 't';
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 't') {
    const target = callee.expression;
    if (ts.isIdentifier(target)) return target.text === 'l10n';
    if (ts.isPropertyAccessExpression(target)) return target.name.text === 'l10n';
  }
  return false;
}

/** Every translated string in one file's text; calls whose first argument is not a literal are `dynamic`. */
export function extractFromSource(fileName, text) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const strings = [];
  const dynamic = [];
  const visit = (node) => {
    if (ts.isCallExpression(node) && isTranslateCall(node) && node.arguments.length > 0) {
      const first = node.arguments[0];
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      if (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) {
        strings.push({ text: first.text, file: fileName, line });
      } else if (ts.isObjectLiteralExpression(first)) {
        // vscode.l10n.t({ message: '…', args, comment }) form
        const message = first.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText(source) === 'message');
        const init = message && ts.isPropertyAssignment(message) ? message.initializer : undefined;
        if (init && (ts.isStringLiteral(init) || ts.isNoSubstitutionTemplateLiteral(init))) strings.push({ text: init.text, file: fileName, line });
        else dynamic.push({ file: fileName, line, code: node.getText(source).slice(0, 120) });
      } else {
        dynamic.push({ file: fileName, line, code: node.getText(source).slice(0, 120) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { strings, dynamic };
}

/** Every translated string under SOURCE_ROOTS (file paths relative to the repo root). */
export function extractStrings(root = repoRoot) {
  const strings = [];
  const dynamic = [];
  for (const r of SOURCE_ROOTS) {
    for (const file of sourceFiles(r)) {
      if (relative(root, file) === join('src', 'core', 'l10n.ts')) continue; // defines `t`, translates nothing
      const found = extractFromSource(relative(root, file), readFileSync(file, 'utf8'));
      strings.push(...found.strings);
      dynamic.push(...found.dynamic);
    }
  }
  return { strings, dynamic };
}

/** The `{0}`, `{1}`… placeholders of a text, sorted, with repeats, so translations can be compared. */
export function placeholders(text) {
  return (text.match(/\{\d+\}/g) ?? []).sort();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const bundleArg = args.indexOf('--bundle');
  const bundlePath = join(repoRoot, bundleArg >= 0 ? args[bundleArg + 1] : 'l10n/bundle.l10n.zh-tw.json');
  const { strings, dynamic } = extractStrings();
  const unique = [...new Set(strings.map((s) => s.text))];
  if (args.includes('--json')) {
    process.stdout.write(JSON.stringify({ strings, dynamic }, null, 2) + '\n');
  } else if (args.includes('--missing') || args.includes('--stale')) {
    const bundle = JSON.parse(readFileSync(bundlePath, 'utf8'));
    const list = args.includes('--missing')
      ? unique.filter((s) => typeof bundle[s] !== 'string' || bundle[s].trim() === '')
      : Object.keys(bundle).filter((k) => !unique.includes(k));
    for (const s of list) process.stdout.write(JSON.stringify(s) + '\n');
  } else {
    for (const s of unique) process.stdout.write(s + '\n');
  }
  for (const d of dynamic) process.stderr.write(`${d.file}:${d.line}: not a string literal, cannot be translated: ${d.code}\n`);
}
