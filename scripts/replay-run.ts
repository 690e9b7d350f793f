// Replays a real run's records into a folder at a given speed, the way its training script wrote
// them (see scripts/replay/writer.ts), so live watching can be tested and measured on real runs.
// Usage: node --import tsx scripts/replay-run.ts SOURCE_RUN DEST [--speed STEPS_PER_S | --duration S]
//          [--interval MS] [--from STEP]
// Every `--interval` ms it writes what the run had written by the step it has reached; it prints
// one line per write (`<ms since start> step <step>: <files>`) unless --quiet.
import { mkdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { planReplay, type ReplayPlan } from './replay/plan';
import { ReplayWriter } from './replay/writer';

export { planReplay, type ReplayPlan } from './replay/plan';
export { ReplayWriter } from './replay/writer';

export interface ReplayOptions {
  /** Steps of the run written per second. */
  stepsPerSecond: number;
  /** How often the writer flushes what it reached (ms). */
  intervalMs?: number;
  /** Written at once before the clock starts (a run that was already going). */
  fromStep?: number;
  signal?: AbortSignal;
  /** After each write: the step reached, when it was done (Date.now()), the files written. */
  onWrite?: (write: ReplayWrite) => void;
}

export interface ReplayWrite {
  step: number;
  at: number;
  files: string[];
}

/** Writes the run into `dest` in real time; resolves with every write once the run is complete (or aborted). */
export async function replay(plan: ReplayPlan, dest: string, opts: ReplayOptions): Promise<ReplayWrite[]> {
  await mkdir(dest, { recursive: true });
  const writer = new ReplayWriter(plan, dest);
  const writes: ReplayWrite[] = [];
  const interval = opts.intervalMs ?? 1000;
  const from = opts.fromStep ?? 0;
  const flush = async (step: number) => {
    const files = await writer.advanceTo(step);
    if (!files.length) return;
    const write = { step, at: Date.now(), files };
    writes.push(write);
    opts.onWrite?.(write);
  };
  const started = Date.now();
  await flush(from);
  while (!writer.finished && !opts.signal?.aborted) {
    await sleep(Math.max(0, started + interval * Math.ceil((Date.now() - started + 1) / interval) - Date.now()));
    const step = from + ((Date.now() - started) / 1000) * opts.stepsPerSecond;
    await flush(step >= plan.lastStep ? Infinity : step);
  }
  return writes;
}

async function main(argv: string[]): Promise<void> {
  const flags = new Map<string, string>();
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quiet') flags.set('quiet', '1');
    else if (a.startsWith('--')) flags.set(a.slice(2), argv[++i] ?? '');
    else paths.push(a);
  }
  if (paths.length !== 2) throw new Error('usage: replay-run.ts SOURCE_RUN DEST [--speed STEPS_PER_S | --duration S] [--interval MS] [--from STEP] [--quiet]');
  const plan = await planReplay(paths[0]!);
  const duration = flags.has('duration') ? Number(flags.get('duration')) : undefined;
  const stepsPerSecond = flags.has('speed') ? Number(flags.get('speed')) : plan.lastStep / (duration ?? 60);
  if (!(stepsPerSecond > 0)) throw new Error('--speed and --duration must be positive numbers');
  const quiet = flags.has('quiet');
  const started = Date.now();
  await replay(plan, paths[1]!, {
    stepsPerSecond,
    intervalMs: flags.has('interval') ? Number(flags.get('interval')) : 1000,
    fromStep: flags.has('from') ? Number(flags.get('from')) : 0,
    onWrite: (w) => {
      if (!quiet) process.stdout.write(`${Date.now() - started} step ${Number.isFinite(w.step) ? Math.floor(w.step) : plan.lastStep}: ${w.files.join(', ')}\n`);
    },
  });
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`replay-run: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
