// An inspector open as a user makes it, timed: right-click a run folder in the Explorer, "Inspect
// GAN run", until the new panel's loss chart has curves on it; and where the webview's side of the
// time went (its page's marks). Shared by the e2e open test and the bench (scripts/bench-vscode.ts).
import { performance } from 'node:perf_hooks';
import type { Frame } from 'playwright-core';
import type { VsCode } from './vscodePage';

export interface TimedOpen {
  /** From the click that took to a loss chart with curves in the new webview, as polled from here. */
  wallMs: number;
  /**
   * From the press of the mouse button, as the workbench saw it, to the webview's task after the frame
   * that painted the curves, each on the browser's own clock. The poll above adds what this leaves out:
   * Playwright's checks before it presses, and up to a poll's interval and round trip after the paint.
   */
  pressToPaintMs: number;
  /** The webview's stages, in ms after the click (see webviewStages). */
  stages: Record<string, number>;
  frame: Frame;
}

/** How often the chart is looked at: about once a frame. */
const POLL_MS = 16;

/**
 * The loss chart's canvas has curves: opaque, strongly coloured pixels (the smoothed D and G
 * lines). Axes, grid and text are grey and the finding bands translucent, so an empty chart is 0.
 * Every 4th pixel is enough and keeps one look well under a frame. A string: this file has no DOM types.
 */
const CURVE_PIXELS = `(() => {
  const c = document.getElementById('loss-chart');
  // Until the app has applied a view (app.ts sets data-views) only axes can be drawn: skip the
  // pixel read, which runs on the webview's own thread and would slow what it measures.
  if (!c || !c.width || !c.height || !document.getElementById('app')?.dataset.views) return 0;
  const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let k = 0; k < px.length; k += 16) {
    const r = px[k], g = px[k + 1], b = px[k + 2];
    if (px[k + 3] > 200 && Math.max(r, g, b) - Math.min(r, g, b) > 100) n++;
  }
  return n;
})()`;
const MIN_CURVE_PIXELS = 50;

/** Keeps when the workbench saw the mouse button go down (the last press: the click that took). */
const PRESS_LISTENER = `window.__ganPressedAt = NaN;
  window.__ganPressListener ??= window.addEventListener('mousedown', (e) => { window.__ganPressedAt = performance.timeOrigin + e.timeStamp; }, true) ?? true;`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every POLL_MS until it gives a value; throws naming `what` after the timeout. */
export async function pollFast<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(POLL_MS);
  }
}

/**
 * Clicks "Inspect GAN run" in the open context menu; returns when the click that took was made. The
 * workbench sometimes drops a click (the menu stays open, see VsCode.pickContextMenu): the open
 * starts at the click that closed the menu, so a dropped one is not counted.
 */
async function clickInspect(vs: VsCode): Promise<number> {
  const menu = vs.page.locator('.context-view .monaco-menu').first();
  const item = vs.page.locator('.context-view .monaco-menu .action-item .action-label', { hasText: /^Inspect GAN run$/ }).first();
  for (let attempt = 0; attempt < 3; attempt++) {
    const t0 = performance.now();
    await item.click();
    if (
      await menu.waitFor({ state: 'hidden', timeout: 3000 }).then(
        () => true,
        () => false,
      )
    )
      return t0;
  }
  throw new Error('the context menu stayed open after picking "Inspect GAN run"');
}

/** Explorer → right-click `run` → "Inspect GAN run" → curves on the new panel's chart. */
export async function timeInspectorOpen(vs: VsCode, run: string, timeoutMs = 120_000): Promise<TimedOpen> {
  const before = new Set<Frame>(vs.page.frames());
  await vs.rightClickInExplorer(run);
  await vs.page.evaluate(PRESS_LISTENER);
  const t0 = await clickInspect(vs);
  const clickedAt = performance.timeOrigin + t0;
  const frame = await pollFast(`a painted chart for ${run}`, timeoutMs, async () => {
    for (const frame of vs.page.frames()) {
      if (before.has(frame) || frame.isDetached()) continue;
      const pixels = (await frame.evaluate(CURVE_PIXELS).catch(() => 0)) as number;
      if (pixels >= MIN_CURVE_PIXELS) return frame;
    }
    return undefined;
  });
  const wallMs = performance.now() - t0;
  // The pixels can be read before the frame holding them is painted: the page marks that frame.
  await pollFast(`the painted mark of ${run}`, 10_000, async () =>
    (await frame.evaluate(`performance.getEntriesByName('gan-inspector-painted').length`)) ? true : undefined,
  );
  const stages = await webviewStages(frame, clickedAt);
  const pressedAt = (await vs.page.evaluate('window.__ganPressedAt')) as number;
  stages.pressed = Math.round(pressedAt - clickedAt);
  return { wallMs, pressToPaintMs: stages.painted! - stages.pressed, stages, frame };
}

/**
 * When, after the click, VS Code's webview host page started (the inner page's parent frame), the
 * inner page started and its document was fetched (through the webview's service worker) and
 * parsed, our script started, its modules were loaded, it said ready, got its data, asked for
 * its first view (the page built) and got it: where an open's time goes on the webview's side.
 */
export async function webviewStages(frame: Frame, clickedAt: number): Promise<Record<string, number>> {
  const marks = (await frame.evaluate(`(() => ({ origin: performance.timeOrigin,
    marks: Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])) }))()`)) as {
    origin: number;
    marks: Record<string, number>;
  };
  const at = (name: string) => Math.round(marks.origin + (marks.marks[name] ?? NaN) - clickedAt);
  const outer = frame.parentFrame();
  const hostStarted = outer ? ((await outer.evaluate('performance.timeOrigin').catch(() => NaN)) as number) : NaN;
  const nav = (await frame
    .evaluate(
      `(() => { const n = performance.getEntriesByType('navigation')[0]; return n ? { fetchStart: n.fetchStart, dcl: n.domContentLoadedEventStart } : null; })()`,
    )
    .catch(() => null)) as Record<string, number> | null;
  const navAt = (k: string) => (nav && nav[k] ? Math.round(marks.origin + nav[k]! - clickedAt) : NaN);
  return {
    hostStarted: Math.round(hostStarted - clickedAt),
    pageStarted: Math.round(marks.origin - clickedAt),
    pageFetched: navAt('fetchStart'),
    pageParsed: navAt('dcl'),
    scriptStarted: at('gan-inspector-script'),
    modulesLoaded: at('gan-inspector-modules'),
    ready: at('gan-inspector-ready'),
    init: at('gan-inspector-init'),
    firstRequest: at('gan-inspector-first-request'),
    firstView: at('gan-inspector-first-view'),
    painted: at('gan-inspector-painted'),
  };
}

/** Closes every editor (the inspector panels with them), so the next open creates a new panel. */
export async function closeEditors(vs: VsCode, run: string): Promise<void> {
  await vs.runCommand('View: Close All Editors');
  await pollFast(`the ${run} tab to close`, 20_000, async () =>
    (await vs.page.locator('.tabs-container .tab', { hasText: run }).count()) === 0 ? true : undefined,
  );
}
