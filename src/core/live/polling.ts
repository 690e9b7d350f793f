// The fallback for file systems that send no file events (NFS, Lustre, sshfs, some containers):
// every few seconds, stat the growing files of the live runs only (see runFiles.ts) and report
// what changed. Bounded: at most MAX_FILES stats a round, one round at a time, never overlapping.
import { stat } from 'node:fs/promises';

/** Stats per round at most, over all runs (20 live runs of 37 files each fit). */
export const MAX_FILES = 1000;
/** Stats in flight at once: a slow network mount is not asked 1,000 things at the same moment. */
const CONCURRENCY = 8;

export interface PollTarget {
  /** Who the files belong to (a run root): `changed` gets it back. */
  key: string;
  /** Absolute paths of files and folders to stat. */
  files: string[];
}

export interface FileState {
  size: number;
  mtimeMs: number;
}

export interface PollerOptions {
  intervalMs: number;
  /** What to look at this round (asked every round: live runs come and go). */
  targets: () => PollTarget[];
  /** A file of `key` changed since the last round (or appeared, or went). */
  changed: (key: string, file: string) => void;
  /** Stat a file; null when it is not there. Tests and the bench may count calls. */
  stat?: (file: string) => Promise<FileState | null>;
}

const statFile = async (file: string): Promise<FileState | null> => {
  try {
    const s = await stat(file);
    return { size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    return null;
  }
};

export class FilePoller {
  private readonly known = new Map<string, FileState | null>();
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  /** Stats made so far (for the bench: the cost is stats × their price). */
  stats = 0;

  constructor(private readonly opts: PollerOptions) {}

  start(): void {
    if (this.timer || this.opts.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.poll(), this.opts.intervalMs);
    // Polling never keeps a process (the CLI, a test) alive on its own.
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round now (a round already running is waited for instead). */
  poll(): Promise<void> {
    this.round ??= this.pollRound().finally(() => (this.round = undefined));
    return this.round;
  }

  private async pollRound(): Promise<void> {
    const jobs: { key: string; file: string }[] = [];
    const wanted = new Set<string>();
    for (const target of this.opts.targets()) {
      for (const file of target.files) {
        if (jobs.length >= MAX_FILES) break;
        if (wanted.has(file)) continue;
        wanted.add(file);
        jobs.push({ key: target.key, file });
      }
    }
    // Files no longer watched are forgotten: a run that comes back starts from a fresh look.
    for (const file of [...this.known.keys()]) if (!wanted.has(file)) this.known.delete(file);
    const stat = this.opts.stat ?? statFile;
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < jobs.length; i = next++) {
        const { key, file } = jobs[i]!;
        this.stats++;
        const now = await stat(file);
        const had = this.known.get(file);
        this.known.set(file, now);
        if (had === undefined) continue; // first look at it: nothing to compare with
        if ((had === null) !== (now === null) || (had && now && (had.size !== now.size || had.mtimeMs !== now.mtimeMs))) this.opts.changed(key, file);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, jobs.length) }, lane));
  }
}
