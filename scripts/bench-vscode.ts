// Open → first painted chart in real VS Code (code-server + headless Chromium): right-click a run
// folder in the Explorer, "Inspect GAN run", and time until the inspector's loss chart has curves on
// it. Also reads the figure the extension itself logs ("first chart painted … after open"), which
// says where the time went. A benchmark, not a test: it measures and judges nothing.
// Called by scripts/bench.ts; the run folder must hold the loss files directly (run-<n>/*.npy).
// The extension installed is GAN_E2E_VSIX when set, else the harness packages it (test/e2e/vsix.ts).
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Frame } from 'playwright-core';
import { missingPrerequisite, VsCode } from '../test/e2e/harness';

export interface VsCodeOpen {
  /** Median wall time from the menu click to a loss chart with curves in the webview. */
  wallMs: number;
  /** Median of what the extension logged: panel created → the webview said it painted. */
  loggedMs: number;
  /** The extension's log line of the median open. */
  logLine: string;
  /** The same over the first open in each window, and over the later ones (see benchVsCodeOpen). */
  firstOpen: { wallMs: number; loggedMs: number; logLine: string };
  laterOpen?: { wallMs: number; loggedMs: number; logLine: string };
  /** Every open, in order. */
  each: { wallMs: number; loggedMs: number; logLine: string; stages: Record<string, number>; firstInWindow: boolean }[];
}

/** How often the chart is looked at: about once a frame. */
const POLL_MS = 16;
const OPEN_TIMEOUT_MS = 120_000;
/** Reading a 10,000,000-step run at start-up takes seconds, not minutes. */
const SCAN_TIMEOUT_MS = 180_000;
const LOGGED = /first chart painted ([\d,]+) ms after open/;

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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every POLL_MS until it gives a value; throws naming `what` after the timeout. */
async function pollFast<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(POLL_MS);
  }
}

/** The extension's "first chart painted" lines so far. */
function paintedLines(vs: VsCode): string[] {
  return vs.extensionLog().split('\n').filter((l) => LOGGED.test(l));
}

/** Waits until the GAN Runs view shows `run` read (no spinner): the start-up scan is done with it. */
async function waitForScan(vs: VsCode, run: string): Promise<void> {
  await vs.showViewContainer('GAN Runs');
  const deadline = Date.now() + SCAN_TIMEOUT_MS;
  for (;;) {
    const rows = await vs.treeRows('Runs', 1, SCAN_TIMEOUT_MS);
    const row = rows.find((r) => r.level === 1 && r.text.includes(run));
    if (row && row.icon !== 'loading') return;
    if (Date.now() > deadline) throw new Error(`the GAN Runs view did not finish reading ${run} in ${SCAN_TIMEOUT_MS / 1000} s`);
    await sleep(250);
  }
}

/**
 * Clicks "Inspect GAN run" in the open context menu; returns when the click that took was made. The
 * workbench sometimes drops a click (the menu stays open, see the harness's pickContextMenu): the
 * open starts at the click that closed the menu, so a dropped one is not counted.
 */
async function clickInspect(vs: VsCode): Promise<number> {
  const menu = vs.page.locator('.context-view .monaco-menu').first();
  const item = vs.page.locator('.context-view .monaco-menu .action-item .action-label', { hasText: /^Inspect GAN run$/ }).first();
  for (let attempt = 0; attempt < 3; attempt++) {
    const t0 = performance.now();
    await item.click();
    if (await menu.waitFor({ state: 'hidden', timeout: 3000 }).then(() => true, () => false)) return t0;
  }
  throw new Error('the context menu stayed open after picking "Inspect GAN run"');
}

/** One open: click → curves on the canvas (wall), and the extension's own figure. */
async function openOnce(vs: VsCode, run: string): Promise<Omit<VsCodeOpen['each'][number], 'firstInWindow'>> {
  const before = new Set<Frame>(vs.page.frames());
  const told = paintedLines(vs).length;
  await vs.rightClickInExplorer(run);
  const t0 = await clickInspect(vs);
  const clickedAt = performance.timeOrigin + t0;
  const frame = await pollFast(`a painted chart for ${run}`, OPEN_TIMEOUT_MS, async () => {
    for (const frame of vs.page.frames()) {
      if (before.has(frame) || frame.isDetached()) continue;
      const pixels = (await frame.evaluate(CURVE_PIXELS).catch(() => 0)) as number;
      if (pixels >= MIN_CURVE_PIXELS) return frame;
    }
    return undefined;
  });
  const wallMs = performance.now() - t0;
  const stages = await webviewStages(frame, clickedAt);
  // VS Code writes the log file a moment after the line is logged.
  const logLine = await pollFast(`the extension's "first chart painted" line for ${run}`, 30_000, async () => paintedLines(vs)[told]);
  const loggedMs = Number(LOGGED.exec(logLine)![1]!.replace(/,/g, ''));
  return { wallMs, loggedMs, logLine: logLine.replace(/^.*?\[info\] /, ''), stages };
}

/**
 * When, after the click, the webview's page started (VS Code made its frame), our script started,
 * its modules were loaded and it said ready: where an open's time goes on the webview's side.
 */
async function webviewStages(frame: Frame, clickedAt: number): Promise<Record<string, number>> {
  const marks = (await frame.evaluate(`(() => ({ origin: performance.timeOrigin,
    marks: Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])) }))()`)) as {
    origin: number;
    marks: Record<string, number>;
  };
  const at = (name: string) => Math.round(marks.origin + (marks.marks[name] ?? NaN) - clickedAt);
  return {
    pageStarted: Math.round(marks.origin - clickedAt),
    scriptStarted: at('gan-inspector-script'),
    modulesLoaded: at('gan-inspector-modules'),
    ready: at('gan-inspector-ready'),
  };
}

/** Closes every editor (the inspector panel with them), so the next open creates a new panel. */
async function closePanel(vs: VsCode, run: string): Promise<void> {
  await vs.runCommand('View: Close All Editors');
  await pollFast(`the ${run} tab to close`, 20_000, async () =>
    (await vs.page.locator('.tabs-container .tab', { hasText: run }).count()) === 0 ? true : undefined,
  );
}

/**
 * Opens of the run folder `runDir` in real VS Code: `opens` in each of `sessions` fresh windows
 * (a new code-server and browser each), or why it was not measured (code-server or Chromium
 * missing, or a step that failed, in one line). First opens and later opens are told apart: in
 * code-server every webview after a window's first waits ~1 s for its own service worker to take
 * over from the previous one's (all webviews share one origin there; see `webviewStages`).
 */
export async function benchVsCodeOpen(runDir: string, opens = 3, sessions = 1): Promise<VsCodeOpen | string> {
  const missing = missingPrerequisite();
  if (missing) return missing;
  const each: VsCodeOpen['each'] = [];
  for (let s = 0; s < sessions; s++) {
    const session = await openSession(runDir, opens);
    if (typeof session === 'string') return session;
    each.push(...session);
  }
  const summary = (xs: VsCodeOpen['each']) => {
    const wallMs = median(xs.map((e) => e.wallMs));
    const loggedMs = median(xs.map((e) => e.loggedMs));
    return { wallMs, loggedMs, logLine: xs.find((e) => e.loggedMs === loggedMs)!.logLine };
  };
  const firsts = each.filter((e) => e.firstInWindow);
  const laters = each.filter((e) => !e.firstInWindow);
  return {
    ...summary(each),
    firstOpen: summary(firsts),
    ...(laters.length ? { laterOpen: summary(laters) } : {}),
    each,
  };
}

async function openSession(runDir: string, opens: number): Promise<VsCodeOpen['each'] | string> {
  const run = basename(resolve(runDir));
  // A workspace of this run alone: the start-up scan reads it and nothing else.
  const workspace = mkdtempSync(join(tmpdir(), 'gan-bench-vscode-'));
  const vs = new VsCode();
  try {
    cpSync(resolve(runDir), join(workspace, run), { recursive: true });
    await vs.start(workspace);
    // A user opens a run after VS Code has listed it; the read that listing does is not the open's.
    await waitForScan(vs, run);
    const each: VsCodeOpen['each'] = [];
    for (let i = 0; i < opens; i++) {
      if (i > 0) await closePanel(vs, run);
      each.push({ ...(await openOnce(vs, run)), firstInWindow: i === 0 });
    }
    return each;
  } catch (e) {
    return `VS Code open not measured: ${(e as Error).message.split('\n')[0]}`;
  } finally {
    await vs.stop().catch(() => {});
    rmSync(workspace, { recursive: true, force: true });
  }
}
