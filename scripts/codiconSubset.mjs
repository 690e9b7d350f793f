// esbuild plugin for the webview bundle: the codicon font holds only the glyphs webview/style.css
// names. The page inlines everything it needs (code-server's resource loading can be released, see
// webview/serviceWorker.ts), and the whole font was 168 KB of the 576 KB script the page parses
// before it can draw: a dozen glyphs are ~3 KB.
import { readFile } from 'node:fs/promises';
import subsetFont from 'subset-font';

/** The characters of every `content: "\eXXX"` in the stylesheet: the glyphs the page shows. */
export function codiconGlyphs(css) {
  const glyphs = [...css.matchAll(/content:\s*"\\([0-9a-fA-F]{4,6})"/g)].map((m) => String.fromCodePoint(parseInt(m[1], 16)));
  if (!glyphs.length) throw new Error('webview/style.css names no codicon glyph: the font subset would be empty');
  return glyphs.join('');
}

export function codiconSubset(stylesheet) {
  return {
    name: 'codicon-subset',
    setup(build) {
      build.onLoad({ filter: /codicon\.ttf$/ }, async (args) => {
        const text = codiconGlyphs(await readFile(stylesheet, 'utf8'));
        const font = await subsetFont(await readFile(args.path), text, { targetFormat: 'truetype' });
        return { contents: `data:font/ttf;base64,${font.toString('base64')}`, loader: 'text', watchFiles: [stylesheet] };
      });
    },
  };
}
