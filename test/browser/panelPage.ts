// The inspector app as a VS Code panel hosts it, for the browser tests: the built webview under the
// panel's CSP in real headless Chromium, the stand-in VS Code API (standIn.ts), and a host that
// answers as the panel does: every message must pass the panel's validator, and view requests are
// answered from PanelSeries through the same RPC (src/core/rpc.ts).
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { serve } from '../../src/core/rpc';
import type { PanelSeries } from '../../src/extension/inspector/data';
import { validateFromWebview, type FromWebview, type InspectorOps, type ToWebview, type ViewRequest, type ViewResult } from '../../src/protocol';
import { buildWebview } from './fixture';
import { decode, encode } from './standIn';

declare const window: { __deliver(json: string): void };

/** The panel's own CSP (inspector/webviewHtml.ts), with file: standing in for webview.cspSource. */
const PANEL_CSP = "default-src 'none'; img-src file: data: blob:; style-src file:; font-src file: data:; script-src 'nonce-t3st'";

/** Writes the page that loads the built app (and the theme VS Code would give it) into `dir`; returns its URL. */
export async function writePanelPage(dir: string): Promise<string> {
  const script = buildWebview();
  // VS Code puts its theme colours in CSS variables; stand in with the report's light fallbacks.
  const css = await readFile(path.resolve('webview/style.css'), 'utf8');
  await writeFile(path.join(dir, 'theme.css'), `html { ${/body\.standalone \{([^}]*)\}/.exec(css)![1]!} }`);
  const file = path.join(dir, 'webview.html');
  await writeFile(
    file,
    `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="${PANEL_CSP}"><link rel="stylesheet" href="theme.css"></head><body><div id="app"></div><script nonce="t3st" src="${pathToFileURL(script).href}"></script></body></html>`,
  );
  return pathToFileURL(file).href;
}

/** Posts a host message to the app in `page`. */
export function deliverTo(page: Page, msg: ToWebview): Promise<void> {
  return page.evaluate((j) => window.__deliver(j), JSON.stringify(encode(msg)));
}

/** The view requests among `received`: each one's id and body. */
export function viewRequests(received: readonly FromWebview[]): (ViewRequest & { id: number })[] {
  return received.flatMap((m) => (m.type === 'request' && m.op === 'view' ? [{ id: m.id, ...m.body }] : []));
}

/**
 * Hosts the app in `page` (before it loads) as the panel does: each message the app posts is
 * validated and kept in `received`; view requests are answered from `data` (`onView` sees each
 * answer); `answer` replies to the other messages (e.g. `ready` with an init).
 */
export async function hostAsPanel(
  page: Page,
  data: PanelSeries,
  received: FromWebview[],
  answer: (msg: FromWebview) => ToWebview | undefined | Promise<ToWebview | undefined>,
  onView?: (view: ViewResult) => void,
): Promise<void> {
  const views = serve<InspectorOps>(
    {
      view: (req) => {
        const view = data.view(req);
        onView?.(view);
        return view;
      },
    },
    (reply) => deliverTo(page, reply),
  );
  await page.exposeFunction('__hostReceive', async (json: string) => {
    const msg = validateFromWebview(decode(JSON.parse(json)));
    assert.ok(msg, `the app posted a message the host refuses: ${json.slice(0, 200)}`);
    received.push(msg);
    if (msg.type === 'request' || msg.type === 'cancel') return views(msg);
    const reply = await answer(msg);
    if (reply) await deliverTo(page, reply);
  });
}
