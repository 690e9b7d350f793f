// The inspector app as a VS Code panel hosts it, for the browser tests: the built webview under the
// panel's CSP in real headless Chromium, the stand-in VS Code API (standIn.ts), and a host that
// answers as the panel does: every message must pass the panel's validator, and view requests are
// answered from PanelSeries through the same RPC (src/core/rpc.ts).
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inspectPaths, type Inspection } from '../../src/core/inspect';
import { serve } from '../../src/core/rpc';
import { PanelSeries } from '../../src/extension/inspector/data';
import {
  validateFromWebview,
  type FromWebview,
  type InspectorOps,
  type RunSummary,
  type ToWebview,
  type ViewRequest,
  type ViewResult,
} from '../../src/protocol';
import { LAUNCH, buildWebview, type FixtureRun } from './fixture';
import { STAND_IN, decode, encode } from './standIn';

declare const window: { __deliver(json: string): void; ganInspector?: { stats: { views: number } } };

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

/** Each sample of the run as a data: URI (the panel gives webview URIs), by its path. */
export async function sampleDataUris(inspection: Inspection): Promise<Map<string, string>> {
  const uris = new Map<string, string>();
  for (const s of inspection.run.samples) {
    const bytes = await readFile(path.join(inspection.run.root, ...s.path.split('/')));
    uris.set(s.path, `data:image/png;base64,${bytes.toString('base64')}`);
  }
  return uris;
}

export interface OpenPanel {
  browser: Browser;
  page: Page;
  inspection: Inspection;
  /** What the app posted, each message validated as the panel does. */
  received: FromWebview[];
}

/**
 * The fixture run inspected and shown in a stand-in panel, its first view drawn. `summaryOf` makes
 * the init's run summary from the inspection and the samples' data URIs; `initScript` runs in the
 * page before the app. `width`: the page's (1,280 px); `firstView`: the init carries the first view,
 * made as the panel makes it for a small run, instead of the page asking for it.
 */
export async function openPanel(
  run: FixtureRun,
  summaryOf: (inspection: Inspection, uris: Map<string, string>) => RunSummary,
  initScript?: string,
  opts: { width?: number; firstView?: boolean } = {},
): Promise<OpenPanel> {
  const inspection = (await inspectPaths([run.parent])).inspections[0]!;
  const uris = await sampleDataUris(inspection);
  const url = await writePanelPage(run.parent);
  const browser = await chromium.launch(LAUNCH);
  const page = await (await browser.newContext({ viewport: { width: opts.width ?? 1280, height: 900 } })).newPage();
  const received: FromWebview[] = [];
  const data = new PanelSeries([{ runId: 'run0', inspection }]);
  const summary = summaryOf(inspection, uris);
  const request = opts.firstView ? data.firstViewRequest([summary], 800, 0.6) : undefined;
  const view = request ? { request, result: data.view(request) } : undefined;
  await hostAsPanel(page, data, received, (msg) =>
    msg.type === 'ready' ? { type: 'init', host: 'vscode', runs: [summary], settings: { smoothing: 0.6 }, l10n: undefined, view } : undefined,
  );
  if (initScript) await page.addInitScript(initScript);
  await page.addInitScript(STAND_IN);
  await page.goto(url);
  await page.waitForFunction(() => (window.ganInspector?.stats.views ?? 0) > 0);
  return { browser, page, inspection, received };
}
