// The webview's codicon font is cut at build time to the glyphs webview/style.css names
// (scripts/codiconSubset.mjs): every icon the page shows must still be in it, with its outline.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../e2e/vsix';

const css = readFileSync(join(repoRoot, 'webview', 'style.css'), 'utf8');

/** The codicon names the page's code shows: icon('play'), `codicon-chevron-${open ? 'down' : 'right'}`. */
function iconsNamed(): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(join(repoRoot, 'webview')).filter((f) => f.endsWith('.ts'))) {
    const code = readFileSync(join(repoRoot, 'webview', file), 'utf8');
    for (const m of code.matchAll(/icon\('([\w-]+)'\)/g)) names.add(m[1]!);
    for (const m of code.matchAll(/codicon-([\w-]+)\$\{[^}]*'([\w-]+)' : '([\w-]+)'\}/g)) names.add(m[1]! + m[2]!).add(m[1]! + m[3]!);
    for (const m of code.matchAll(/button\('[\w-]+', '([\w-]+)'/g)) names.add(m[1]!);
  }
  return [...names];
}

test('every icon the page shows has a glyph in the bundled font, with an outline', async () => {
  // An ES module with a top-level await (its WebAssembly): imported, not required.
  const hb = await import('harfbuzzjs');
  const bundle = readFileSync(join(repoRoot, 'dist', 'webview.js'), 'utf8');
  const fonts = [...bundle.matchAll(/data:font\/ttf;base64,([A-Za-z0-9+/=]+)/g)];
  assert.equal(fonts.length, 1, 'one codicon font in dist/webview.js');
  const bytes = Buffer.from(fonts[0]![1]!, 'base64');
  // The whole font is 126 KB; a dozen glyphs are a few.
  assert.ok(bytes.length < 16_384, `the font is ${bytes.length} bytes`);
  const face = new hb.Face(new hb.Blob(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)));
  const font = new hb.Font(face);
  const inFont = new Set(face.collectUnicodes());
  const names = iconsNamed();
  assert.ok(names.length >= 10, `icons found in webview/: ${names.join(', ')}`);
  for (const name of names) {
    const rule = new RegExp(`\\.codicon-${name}:before\\s*\\{\\s*content:\\s*"\\\\([0-9a-f]+)"`, 'i').exec(css);
    assert.ok(rule, `webview/style.css has no glyph for codicon-${name}`);
    const codepoint = parseInt(rule[1]!, 16);
    assert.ok(inFont.has(codepoint), `codicon-${name} (U+${rule[1]}) is not in the bundled font`);
    const glyph = font.nominalGlyph(codepoint);
    assert.ok(glyph && font.glyphToPath(glyph).length > 20, `codicon-${name} has no outline`);
  }
});
