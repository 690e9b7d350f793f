// Watching training, measured in real VS Code (code-server + headless Chromium), on the eval corpus
// replayed into an open workspace by scripts/replay-run.ts (each run in about 20 s, written every
// 250 ms, two at a time). `BENCH_ONLY=live npm run bench` runs these rows alone.
// - Alerts: which runs raised which notifications (from the extension's log, one line per alert);
//   recall over the broken runs, alerts on the healthy runs, and the time from the write that put
//   the record making the alert's condition true on disk (the finding there and, for a warning,
//   held over enough new data) to the notification.
// - Cost: 20 runs written every 2 s, then idle (still live): the extension host's CPU from /proc
//   (its main thread, which runs our listeners, and the whole process, worker threads included),
//   and main-thread time per refresh (one "samples scored" log line per read of a run).
// A benchmark, not a test: it prints figures and judges nothing. Linux only (/proc).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { missingPrerequisite, VsCode } from '../test/e2e/harness';
import { fileEventsArrive } from '../test/e2e/fileEvents';
import { planReplay, replay, type ReplayWrite } from './replay-run';
import { liveTruth, scoreAlerts, type AlertLine } from './bench-live-score';

type Record = (size: number | string, what: string, value: number, unit: string, target?: string) => void;

const corpus = path.resolve('test', 'corpus', 'runs');
/** Seconds each corpus run takes to replay; runs replayed at once. */
const REPLAY_SECONDS = 20;
const AT_ONCE = 2;
const LOAD_RUNS = 20;

export async function benchLive(record: Record, _outDir?: string): Promise<void> {
  const missing = missingPrerequisite() ?? (existsSync('/proc/self/stat') ? null : 'no /proc here');
  if (missing) {
    console.log(`note: live watching not measured: ${missing}`);
    return;
  }
  // BENCH_LIVE_PART=alerts or =cost runs one half.
  const part = process.env.BENCH_LIVE_PART;
  if (part !== 'cost') await benchAlerts(record);
  if (part !== 'alerts') await benchCost(record);
}

/** A workspace holding one run trained an hour ago (it must stay silent; the view activates the extension). */
function workspaceWithOldRun(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gan-bench-live-'));
  cpSync(path.join(corpus, 'd-dominant'), path.join(dir, 'old-run'), { recursive: true });
  const hourAgo = Date.now() / 1000 - 3600;
  const age = (p: string) => {
    if (statSync(p).isDirectory()) for (const n of readdirSync(p)) age(path.join(p, n));
    utimesSync(p, hourAgo, hourAgo);
  };
  age(path.join(dir, 'old-run'));
  return dir;
}

async function startVsCode(workspace: string): Promise<VsCode> {
  const vs = new VsCode();
  await vs.start(workspace);
  await vs.showViewContainer('GAN Runs');
  await vs.settledRows('Runs', 1, 120_000);
  await fileEventsArrive(vs, workspace, 'old-run');
  return vs;
}

/** `2026-01-01 12:00:00.123 [info] live: …` lines of the extension's log. */
function logLines(vs: VsCode, pattern: RegExp): { at: number; text: string }[] {
  const out: { at: number; text: string }[] = [];
  for (const line of vs.extensionLog().split('\n')) {
    const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3}) \[\w+\] (.*)$/.exec(line);
    if (!m || !pattern.test(m[8]!)) continue;
    const [y, mo, d, h, mi, s, ms] = m.slice(1, 8).map(Number) as [number, number, number, number, number, number, number];
    out.push({ at: new Date(y, mo - 1, d, h, mi, s, ms).getTime(), text: m[8]! });
  }
  return out;
}

async function benchAlerts(record: Record): Promise<void> {
  const workspace = workspaceWithOldRun();
  const vs = await startVsCode(workspace);
  const writes = new Map<string, ReplayWrite[]>();
  try {
    // BENCH_LIVE_RUNS=a,b replays only those corpus runs (to look into one).
    const names = process.env.BENCH_LIVE_RUNS?.split(',') ?? readdirSync(corpus).sort();
    for (let i = 0; i < names.length; i += AT_ONCE) {
      await Promise.all(
        names.slice(i, i + AT_ONCE).map(async (name) => {
          const plan = await planReplay(path.join(corpus, name));
          writes.set(name, await replay(plan, path.join(workspace, name), { stepsPerSecond: plan.lastStep / REPLAY_SECONDS, intervalMs: 250 }));
        }),
      );
      // The last records are read and looked at too.
      await sleep(4000);
    }
    await sleep(4000);
    const alerts: AlertLine[] = logLines(vs, /^live: .*held at step/).map(({ at, text }) => {
      const m = /^live: (.+?): ([\w-]+) \((\w+)\) at step ([\d.e+-]+), seen at step ([\d.e+-]+), held at step ([\d.e+-]+)/.exec(text)!;
      return {
        at,
        run: m[1]!.split('/')[0]!,
        kind: m[2]!,
        severity: m[3]!,
        start: Number(m[4]),
        firstSeen: Number(m[5]),
        heldAt: Number(m[6]),
        told: !/\((muted|not told)/.test(text),
      };
    });
    const score = scoreAlerts(alerts, writes, (name) => liveTruth(path.join(corpus, name)));
    // A broken run that raised nothing: when it was read, to see why.
    for (const r of score.runs.filter((x) => x.broken && !x.recalled)) {
      const own = writes.get(r.name)!;
      console.log(`  live ${r.name} was written from ${new Date(own[0]!.at).toISOString()} to ${new Date(own[own.length - 1]!.at).toISOString()}; its reads:`);
      for (const l of logLines(vs, new RegExp(`^(live: )?${r.name}\\b`))) console.log(`    ${new Date(l.at).toISOString()} ${l.text}`);
    }
    const reads = logLines(vs, /samples scored in \d+ ms/).map((l) => Number(/scored in (\d+) ms/.exec(l.text)![1]));
    reads.sort((a, b) => a - b);
    console.log(
      `  live reads while replaying: ${reads.length}, median ${reads[Math.floor(reads.length / 2)]} ms, 90th percentile ${reads[Math.floor(reads.length * 0.9)]} ms, max ${reads[reads.length - 1]} ms`,
    );
    for (const r of score.runs)
      console.log(
        `  live ${r.name}${r.broken ? ' (broken)' : r.healthy ? ' (healthy)' : ''}: ${r.alerts.length ? r.alerts.map((a) => `${a.kind}/${a.severity} at ${a.start} (held at ${Math.round(a.heldAt)}) after ${a.latencyMs} ms${a.false ? ' FALSE' : ''}`).join('; ') : 'no alert'}`,
      );
    record('live', `eval corpus replayed: broken runs that alerted (recall), of ${score.broken}`, 100 * score.recall, '%', '100%');
    record('live', `eval corpus replayed: alerts on the ${score.healthy} healthy runs`, score.healthyAlerts, 'alerts', '0');
    record('live', "eval corpus replayed: alerts of a kind the run's truth does not hold (false alarms)", score.falseAlerts, 'alerts');
    record('live', 'alert after the write that made it true: median', score.medianMs, 'ms', '≤ 2,000 ms');
    record('live', 'alert after the write that made it true: max', score.maxMs, 'ms', '≤ 2,000 ms');
    record('live', 'old run in the workspace: alerts', alerts.filter((a) => a.run === 'old-run').length, 'alerts', '0');
  } finally {
    await vs.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** Clock ticks per second of /proc's CPU times. */
const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** Our descendants' pids (code-server, its extension host, Chromium…). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone */
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const [child, p] of parent) {
      if (p !== pid) continue;
      out.push(child);
      walk(child);
    }
  };
  walk(root);
  return out;
}

function extensionHostPid(): number {
  const pid = descendants(process.pid).find((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('extensionHost');
    } catch {
      return false;
    }
  });
  if (!pid) throw new Error("the extension host process was not found among code-server's");
  return pid;
}

/** CPU seconds of a process (all its threads) or of one of its threads. */
function cpuSeconds(pid: number, tid?: number): number {
  const stat = readFileSync(tid ? `/proc/${pid}/task/${tid}/stat` : `/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** Share of one core a process (and its main thread) used over `ms`. */
async function cpuOver(pid: number, ms: number): Promise<{ process: number; main: number }> {
  const p0 = cpuSeconds(pid);
  const m0 = cpuSeconds(pid, pid);
  await sleep(ms);
  return { process: (100 * (cpuSeconds(pid) - p0)) / (ms / 1000), main: (100 * (cpuSeconds(pid, pid) - m0)) / (ms / 1000) };
}

/**
 * The extension host's own CPU in a window without the extension (code-server's built-in
 * extensions, V8's housekeeping): what every figure below sits on, so the cost of watching is
 * told over it rather than with it.
 */
async function vscodeAlone(workspace: string): Promise<{ process: number; main: number }> {
  const vs = new VsCode();
  await vs.start(workspace, { withoutExtension: true });
  try {
    await sleep(20_000);
    return await cpuOver(extensionHostPid(), 30_000);
  } finally {
    await vs.stop();
  }
}

async function benchCost(record: Record): Promise<void> {
  const workspace = workspaceWithOldRun();
  const alone = await vscodeAlone(workspace);
  const vs = await startVsCode(workspace);
  try {
    const host = extensionHostPid();
    // Start-up settles (the first scan, the workbench's own work) before the baseline.
    await sleep(20_000);
    const none = await cpuOver(host, 30_000);
    // 20 runs training at once, each writing every 2 s for a minute.
    const names = readdirSync(corpus).sort();
    const started = Date.now();
    const writing = Promise.all(
      Array.from({ length: LOAD_RUNS }, async (_, i) => {
        const plan = await planReplay(path.join(corpus, names[i % names.length]!));
        return replay(plan, path.join(workspace, `load-${String(i).padStart(2, '0')}`), { stepsPerSecond: plan.lastStep / 60, intervalMs: 2000 });
      }),
    );
    // Steady state: the runs found and read once, then refreshed as they grow.
    await sleep(15_000);
    const from = Date.now();
    const main0 = cpuSeconds(host, host);
    await sleep(40_000);
    const mainMs = (cpuSeconds(host, host) - main0) * 1000;
    const to = Date.now();
    await writing;
    const refreshes = logLines(vs, /^load-\d+.*samples scored in/).filter((l) => l.at >= from && l.at < to).length;
    console.log(
      `  live load: ${refreshes} refreshes of ${LOAD_RUNS} runs in ${Math.round((to - from) / 1000)} s, extension host main thread ${Math.round(mainMs)} ms of CPU (writes began ${Math.round((from - started) / 1000)} s before)`,
    );
    if (refreshes) record('live', `${LOAD_RUNS} live runs written every 2 s: extension-host main-thread time per refresh`, mainMs / refreshes, 'ms', '≤ 50 ms');
    // Idle: the runs are still live (written within the last minutes), nothing is written. The
    // last writes' reads finish first (on a loaded machine they queue for seconds).
    await vs.settledRows('Runs', LOAD_RUNS, 120_000);
    await sleep(5000);
    const rows = await vs.treeRows('Runs', LOAD_RUNS);
    const live = rows.filter((r) => r.level === 1 && r.icon === 'pulse').length;
    const idleFrom = Date.now();
    const idle = await cpuOver(host, 60_000);
    const idleReads = logLines(vs, /samples scored in/).filter((l) => l.at >= idleFrom).length;
    console.log(
      `  live idle: ${live} runs shown live, ${idleReads} reads while idle; extension host ${idle.process.toFixed(2)}% of a core (main thread ${idle.main.toFixed(2)}%); with no live run ${none.process.toFixed(2)}% (main ${none.main.toFixed(2)}%); VS Code alone, without the extension, ${alone.process.toFixed(2)}% (main ${alone.main.toFixed(2)}%)`,
    );
    // What watching costs the user: the extension host with the extension watching, less the same
    // window's extension host without the extension at all (its own housekeeping is not watching).
    record(
      'live',
      `${live} idle live runs: what the extension costs, extension host CPU over VS Code alone (polling their files every 2 s)`,
      idle.process - alone.process,
      '% of a core',
      '< 2%',
    );
    record('live', `${live} idle live runs: extension host CPU, whole process`, idle.process, '% of a core');
    record('live', `${live} idle live runs: extension host CPU, main thread`, idle.main, '% of a core');
    record('live', 'no live run: extension host CPU, whole process', none.process, '% of a core');
    record('live', 'VS Code alone (the extension not installed): extension host CPU, whole process', alone.process, '% of a core');
  } finally {
    await vs.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}
