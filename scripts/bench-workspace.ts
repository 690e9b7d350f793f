// A big workspace in VS Code against the CLI (#27): every real run in ../shared (real-runs,
// codebase-runs, wild-runs: 40-odd runs of a dozen formats, sample grids included, ~100 MB) copied
// into one folder, read by `gan-inspect DIR --json` (wall) and by the extension in real VS Code
// (code-server) from the start of its scan: when every run's row shows its losses, and when the last
// row has settled (its grids scored). The extension's figures are its own log line ("Scan of N
// runs: …"), written by the run store. Called by scripts/bench.ts (BENCH_ONLY=workspace runs it alone).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { discoverRuns } from '../src/core/discover';
import { missingPrerequisite, VsCode } from '../test/e2e/harness';
import { CODEBASE_RUNS, REAL_RUNS, WILD_RUNS } from '../test/support/realRuns';

type Record = (size: number | string, what: string, value: number, unit: string, target?: string) => void;

const SCANNED =
  /Scan of (\d+) runs: discovered in ([\d,]+) ms, every run's losses shown after ([\d,]+) ms, judged after ([\d,]+) ms, all settled after ([\d,]+) ms/;
const num = (s: string) => Number(s.replace(/,/g, ''));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** The workspace: a copy of each shared run folder (copies, so VS Code's watcher and discovery see plain folders). */
function makeWorkspace(dir: string): boolean {
  if (existsSync(dir)) return true;
  const sets = [REAL_RUNS, CODEBASE_RUNS, WILD_RUNS].filter(existsSync);
  if (!sets.length) return false;
  for (const set of sets) {
    for (const repo of readdirSync(set, { withFileTypes: true })) {
      if (repo.isDirectory()) cpSync(path.join(set, repo.name), path.join(dir, path.basename(set), repo.name), { recursive: true });
    }
  }
  return true;
}

function cliWall(cli: string, dir: string): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, dir, '--json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`gan-inspect ${dir} failed: ${r.stderr.trim().split('\n').pop()}`);
  return performance.now() - t0;
}

/** One fresh VS Code window on the workspace: the extension's scan line. */
async function vsCodeScan(dir: string): Promise<{ runs: number; discovered: number; shown: number; judged: number; settled: number } | string> {
  const vs = new VsCode();
  try {
    await vs.start(dir);
    const line = await vs.extensionLogLine(SCANNED, 300_000);
    if (!line) return 'no "Scan of N runs" line in the extension log after 300 s';
    const m = SCANNED.exec(line)!;
    return { runs: num(m[1]!), discovered: num(m[2]!), shown: num(m[3]!), judged: num(m[4]!), settled: num(m[5]!) };
  } catch (e) {
    return (e as Error).message.split('\n')[0]!;
  } finally {
    await vs.stop().catch(() => {});
  }
}

export async function benchWorkspace(record: Record, out: string, windows = 5): Promise<void> {
  const dir = path.join(out, 'inputs', 'workspace-shared');
  if (!makeWorkspace(dir)) {
    console.log('note: big workspace not measured: ../shared is missing');
    return;
  }
  const runs = await discoverRuns(dir);
  const grids = runs.reduce((n, r) => n + r.sampleFiles.length, 0);
  const key = `${runs.length} runs`;
  console.log(`  workspace: ${runs.length} runs, ${grids} sample images, in ${dir}`);
  const cli = path.resolve('dist/cli.js');
  const cliTimes = [cliWall(cli, dir), cliWall(cli, dir), cliWall(cli, dir)];
  const cliMs = median(cliTimes);
  record(key, 'gan-inspect --json on the workspace, wall (median of 3)', cliMs, 'ms');
  const missing = missingPrerequisite();
  if (missing) {
    console.log(`note: VS Code scan not measured: ${missing}`);
    return;
  }
  const scans = [];
  for (let i = 0; i < windows; i++) {
    const scan = await vsCodeScan(dir);
    if (typeof scan === 'string') {
      console.log(`note: VS Code scan not measured: ${scan}`);
      return;
    }
    console.log(`  VS Code window ${i + 1}: ${JSON.stringify(scan)}`);
    scans.push(scan);
  }
  const shown = median(scans.map((s) => s.shown));
  const settled = median(scans.map((s) => s.settled));
  record(key, `VS Code GAN Runs: every row shows its losses (median of ${windows} windows)`, shown, 'ms', '≤ 2,000 ms');
  record(key, `VS Code GAN Runs: every row judged, its health shown (median of ${windows} windows)`, median(scans.map((s) => s.judged)), 'ms');
  record(key, `VS Code GAN Runs: the last row settled (median of ${windows} windows)`, settled, 'ms', `≤ 1.2× gan-inspect`);
  record(key, 'VS Code settled / gan-inspect', settled / cliMs, '×', '≤ 1.2×');
  console.log(`  gan-inspect walls: ${cliTimes.map(Math.round).join(', ')} ms`);
}
