// Open → first painted chart in real VS Code (code-server + headless Chromium): right-click a run
// folder in the Explorer, "Inspect GAN run", and time until the inspector's loss chart has curves on
// it. Also reads the figure the extension itself logs ("first chart painted … after open"), which
// says where the time went. A benchmark, not a test: it measures and judges nothing.
// Called by scripts/bench.ts; the run folder must hold the loss files directly (run-<n>/*.npy).
// The extension installed is GAN_E2E_VSIX when set, else the harness packages it (test/e2e/vsix.ts).
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { missingPrerequisite, VsCode } from '../test/e2e/harness';
import { closeEditors, pollFast, timeInspectorOpen } from '../test/e2e/openTiming';

export interface VsCodeOpen {
  /** Median wall time from the menu click to a loss chart with curves in the webview, polled from the bench. */
  wallMs: number;
  /** Median time from the mouse press to the frame with the curves, on the browser's clock (see TimedOpen). */
  pressToPaintMs: number;
  /** Median of what the extension logged: panel created → the webview said it painted. */
  loggedMs: number;
  /** The extension's log line of the median open. */
  logLine: string;
  /** The same over the first open in each window, and over the later ones (see benchVsCodeOpen). */
  firstOpen: OpenSummary;
  laterOpen?: OpenSummary;
  /** The extension's activation in each window (its log line: "activated in … ms (…; CPU … ms)"), wall and CPU ms. */
  activations: { wallMs: number; cpuMs: number }[];
  /** Every open, in order. */
  each: { wallMs: number; pressToPaintMs: number; loggedMs: number; logLine: string; stages: Record<string, number>; firstInWindow: boolean }[];
}

type OpenSummary = { wallMs: number; pressToPaintMs: number; loggedMs: number; logLine: string };

const OPEN_TIMEOUT_MS = 120_000;
/** Reading a 10,000,000-step run at start-up takes seconds, not minutes. */
const SCAN_TIMEOUT_MS = 180_000;
const LOGGED = /first chart painted ([\d,]+) ms after open/;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The extension's "first chart painted" lines so far. */
function paintedLines(vs: VsCode): string[] {
  return vs
    .extensionLog()
    .split('\n')
    .filter((l) => LOGGED.test(l));
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

/** One open: click → curves on the canvas (wall), the webview's stages and the extension's own figure. */
async function openOnce(vs: VsCode, run: string): Promise<Omit<VsCodeOpen['each'][number], 'firstInWindow'>> {
  const told = paintedLines(vs).length;
  const { wallMs, pressToPaintMs, stages } = await timeInspectorOpen(vs, run, OPEN_TIMEOUT_MS);
  // VS Code writes the log file a moment after the line is logged.
  const logLine = await pollFast(`the extension's "first chart painted" line for ${run}`, 30_000, async () => paintedLines(vs)[told]);
  const loggedMs = Number(LOGGED.exec(logLine)![1]!.replace(/,/g, ''));
  return { wallMs, pressToPaintMs, loggedMs, logLine: logLine.replace(/^.*?\[info\] /, ''), stages };
}

/**
 * Opens of the run folder `runDir` in real VS Code: `opens` in each of `sessions` fresh windows
 * (a new code-server and browser each), or why it was not measured (code-server or Chromium
 * missing, or a step that failed, in one line). First opens and later opens are told apart: they
 * differed by ~1 s before the webview released its service worker (webview/serviceWorker.ts); a
 * later open of the same run also takes over the smoothings of the panel closed before it.
 */
export async function benchVsCodeOpen(runDir: string, opens = 3, sessions = 1): Promise<VsCodeOpen | string> {
  const missing = missingPrerequisite();
  if (missing) return missing;
  const each: VsCodeOpen['each'] = [];
  const activations: VsCodeOpen['activations'] = [];
  for (let s = 0; s < sessions; s++) {
    const session = await openSession(runDir, opens);
    if (typeof session === 'string') return session;
    each.push(...session.opens);
    if (session.activation) activations.push(session.activation);
  }
  const summary = (xs: VsCodeOpen['each']): OpenSummary => {
    const wallMs = median(xs.map((e) => e.wallMs));
    const pressToPaintMs = median(xs.map((e) => e.pressToPaintMs));
    const loggedMs = median(xs.map((e) => e.loggedMs));
    return { wallMs, pressToPaintMs, loggedMs, logLine: xs.find((e) => e.loggedMs === loggedMs)!.logLine };
  };
  const firsts = each.filter((e) => e.firstInWindow);
  const laters = each.filter((e) => !e.firstInWindow);
  return {
    ...summary(each),
    firstOpen: summary(firsts),
    ...(laters.length ? { laterOpen: summary(laters) } : {}),
    activations,
    each,
  };
}

const ACTIVATED = /activated in ([\d,]+) ms \(.*CPU ([\d,]+) ms\)/;

async function openSession(runDir: string, opens: number): Promise<{ opens: VsCodeOpen['each']; activation?: { wallMs: number; cpuMs: number } } | string> {
  const run = basename(resolve(runDir));
  // A workspace of this run alone: the start-up scan reads it and nothing else.
  const workspace = mkdtempSync(join(tmpdir(), 'gan-bench-vscode-'));
  const vs = new VsCode();
  try {
    cpSync(resolve(runDir), join(workspace, run), { recursive: true });
    // The default ('auto') releases the shared service worker in this window of inspectors alone;
    // BENCH_RELEASE_SW=never keeps it (each later open waits ~1 s in code-server), =always forces it.
    const release = process.env.BENCH_RELEASE_SW;
    if (release === 'never' || release === 'always') {
      mkdirSync(join(workspace, '.vscode'));
      writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'ganInspector.inspector.releaseServiceWorker': release }));
    }
    await vs.start(workspace);
    // A user opens a run after VS Code has listed it; the read that listing does is not the open's.
    await waitForScan(vs, run);
    const each: VsCodeOpen['each'] = [];
    for (let i = 0; i < opens; i++) {
      if (i > 0) await closeEditors(vs, run);
      each.push({ ...(await openOnce(vs, run)), firstInWindow: i === 0 });
    }
    const m = ACTIVATED.exec((await vs.extensionLogLine(ACTIVATED, 5000)) ?? '');
    const num = (x: string) => Number(x.replace(/,/g, ''));
    return { opens: each, ...(m ? { activation: { wallMs: num(m[1]!), cpuMs: num(m[2]!) } } : {}) };
  } catch (e) {
    return `VS Code open not measured: ${(e as Error).message.split('\n')[0]}`;
  } finally {
    await vs.stop().catch(() => {});
    rmSync(workspace, { recursive: true, force: true });
  }
}
