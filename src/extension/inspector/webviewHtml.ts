// The inspector webview's page. The app's script is written into the page itself (allowed by the
// CSP's nonce) rather than loaded by URL: in VS Code a webview resource travels through the
// webview's service worker, the workbench and the extension host's file system, which took about a
// second for our 540 KB bundle in code-server, most of the time to first paint (see npm run bench).
// No `vscode` import, so tests check the page under plain Node.
import { readFileSync } from 'node:fs';

export interface PageOptions {
  /** `webview.cspSource`: where images, fonts and a script URL may come from. */
  cspSource: string;
  nonce: string;
  lang: string;
  /** The built `dist/webview.js`: its text is inlined when it can be, else it is loaded from `scriptUri`. */
  scriptFile: string;
  scriptUri: string;
  /** Release the shared service-worker registration once the page is up (Settings.releaseServiceWorker). */
  releaseServiceWorker?: boolean;
}

const inlineable = new Map<string, string | null>();

/**
 * The bundle's text when it is safe inside a <script> element, else null. A `</script` or `<!--`
 * in it would end or confuse the element early; the bundle has neither today, and if a dependency
 * ever brings one the page falls back to the URL instead of breaking.
 */
export function inlineScript(file: string): string | null {
  let text = inlineable.get(file);
  if (text === undefined) {
    try {
      text = readFileSync(file, 'utf8');
      if (/<\/script|<!--|<script/i.test(text)) text = null;
    } catch {
      text = null;
    }
    inlineable.set(file, text);
  }
  return text;
}

const escapeAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function inspectorPage(o: PageOptions): string {
  const csp = [
    "default-src 'none'",
    `img-src ${o.cspSource} data: blob:`,
    `style-src ${o.cspSource}`,
    `font-src ${o.cspSource} data:`,
    `script-src 'nonce-${o.nonce}'`,
  ].join('; ');
  const inline = inlineScript(o.scriptFile);
  const script =
    inline === null ? `<script nonce="${o.nonce}" src="${escapeAttribute(o.scriptUri)}"></script>` : `<script nonce="${o.nonce}">${inline}</script>`;
  return `<!DOCTYPE html>
<html lang="${escapeAttribute(o.lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
</head>
<body${o.releaseServiceWorker ? ' data-release-service-worker="true"' : ''}>
<div id="app"></div>
${script}
</body>
</html>`;
}
