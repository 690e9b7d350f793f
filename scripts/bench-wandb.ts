// A W&B run of 1,000,000 `wandb.log({"d_loss": …, "g_loss": …})` rows in its `.wandb` file, written
// as wandb writes it (records encoded over wandb_internal.proto's field numbers, framed in 32 KiB
// blocks by our writer, which test/unit/core/formats/wandb.test.ts checks byte for byte against wandb's
// datastore.py algorithm). Measured: the reader alone, `gan-inspect --json` on the run folder (wall
// and peak memory, its own process), and a live refresh after 1,000 more rows with the cache warm.
// Called by scripts/bench.ts (BENCH_ONLY=wandb runs it alone); prints nothing itself.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readWandb } from '../src/core/formats/wandb';
import { WandbWriter } from '../src/core/formats/wandbLog';
import { AppendCache } from '../src/core/formats/appendCache';
import { loadRun } from '../src/core/run';
import type { RunLocation } from '../src/core/discover';
import { historyRecord } from '../test/support/wandb';

type Record = (size: number | string, what: string, value: number, unit: string, target?: string) => void;

const ROWS = Number(process.env.BENCH_WANDB_ROWS ?? 1_000_000);
const APPENDED = 1_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** D near ln 2, G drifting, as Python's json writes floats. Deterministic. */
const row = (i: number) =>
  historyRecord(i, [
    ['d_loss', String(0.69 + 0.05 * Math.sin(i / 97))],
    ['g_loss', String(0.7 + 0.3 * Math.cos(i / 131))],
  ]);

/** Appends rows [from, to) through `writer` to `file`, a few MB at a time. */
function logRows(writer: WandbWriter, file: string, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    writer.write(row(i));
    if ((i + 1) % 20_000 === 0 || i === to - 1) appendFileSync(file, writer.take());
  }
}

export async function benchWandb(record: Record, outDir: string): Promise<void> {
  const root = path.join(outDir, 'inputs', `wandb-${ROWS}`, 'wandb', 'run-20240101_000000-bench1');
  const file = path.join(root, 'run-bench1.wandb');
  mkdirSync(root, { recursive: true });
  if (!existsSync(file)) {
    const partial = `${file}.partial`;
    writeFileSync(partial, new Uint8Array());
    logRows(new WandbWriter(), partial, 0, ROWS);
    renameSync(partial, file);
  }
  const size = statSync(file).size;
  const label = `.wandb (${ROWS.toLocaleString('en-US')} history rows, ${(size / 1024 ** 2).toFixed(0)} MB)`;

  // The reader alone, on bytes already in memory: one warm-up, then the median of three.
  const bytes = new Uint8Array(readFileSync(file));
  // CPU time too: on a shared machine the wall time says more about the neighbours.
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 4; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const series = readWandb(bytes, 'run-bench1.wandb');
    const c = process.cpuUsage(c0);
    if (i > 0) times.push(performance.now() - t0);
    if (i > 0) cpu.push((c.user + c.system) / 1000);
    if (series[0]?.values.length !== ROWS) throw new Error(`read ${series[0]?.values.length} rows, not ${ROWS}`);
  }
  record(ROWS, `${label}: read whole, reader alone, wall`, median(times), 'ms');
  record(ROWS, `${label}: read whole, reader alone, CPU`, median(cpu), 'ms');

  // The CLI on the run folder in its own process: discovery, read, analysis, report.
  const cli = path.resolve('dist/cli.js');
  if (existsSync('/usr/bin/time') && existsSync(cli)) {
    const wall: number[] = [];
    let peak = 0;
    for (let i = 0; i < 3; i++) {
      const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, cli, path.dirname(root), '--json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
      if (r.status !== 0) throw new Error(`gan-inspect failed: ${r.stderr.trim().split('\n').pop()}`);
      const [secs, kb] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
      wall.push(secs! * 1000);
      peak = Math.max(peak, kb! / 1024);
    }
    record(ROWS, `${label}: gan-inspect --json on the run folder, wall`, median(wall), 'ms');
    record(ROWS, `${label}: gan-inspect --json on the run folder, peak memory`, peak, 'MB');
  }

  // Live refresh: the cache warmed by a first read, then 1,000 rows appended per refresh. A copy of
  // the file grows, so the generated one stays as it is for the next bench.
  const liveRoot = path.join(outDir, 'inputs', `wandb-${ROWS}-live`, 'run-20240101_000000-live1');
  mkdirSync(liveRoot, { recursive: true });
  const live = path.join(liveRoot, 'run-live1.wandb');
  writeFileSync(live, bytes);
  const loc: RunLocation = { root: liveRoot, name: 'live', lossFiles: ['run-live1.wandb'], sampleFiles: [], format: 'wandb-run' };
  const cache = new AppendCache();
  const t0 = performance.now();
  await loadRun(loc, { appendCache: cache });
  record(ROWS, `${label}: first read through the append cache`, performance.now() - t0, 'ms');
  // A writer that goes on where the file ends, at the same place in its block, as wandb's would.
  const writer = new WandbWriter(size);
  let next = ROWS;
  const refresh: number[] = [];
  for (let k = 0; k < 5; k++) {
    logRows(writer, live, next, next + APPENDED);
    next += APPENDED;
    const t1 = performance.now();
    const run = await loadRun(loc, { appendCache: cache });
    refresh.push(performance.now() - t1);
    if (run.series[0]?.values.length !== next) throw new Error(`the refresh has ${run.series[0]?.values.length} rows, not ${next}`);
    if (!cache.lastRead(live)?.incremental) throw new Error('the refresh read the file whole');
  }
  record(ROWS, `${label}: refresh after ${APPENDED.toLocaleString('en-US')} appended rows (cache warm)`, median(refresh), 'ms');
}
