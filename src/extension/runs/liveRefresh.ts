// Re-reads a run while training rewrites its files: debounced per run, one read at a time per run,
// and a read that meets a newly damaged file (np.save caught mid-write) is retried with backoff
// while the last good inspection stays on screen. Only a file that stays damaged is reported.
// Pure (timers only, no `vscode`), so Node tests drive it against real files.
import type { Inspection } from '../../core/inspect';

export interface RefreshTarget {
  /** Reads the run again (rediscovering its files). */
  read(root: string): Promise<Inspection>;
  /** The inspection shown now, if any. */
  current(root: string): Inspection | undefined;
  /** Shows a new inspection (tree, panels, problems). */
  publish(root: string, inspection: Inspection): void;
  /** Reading kept failing as a whole (not a file error): one line for a log, the old data stays. */
  failed?(root: string, message: string): void;
}

export interface RefreshTiming {
  debounceMs: number;
  /** A run written to more often than the debounce is still read at least this often (ms after the first change). */
  maxWaitMs?: number;
  /** Delays before each retry of a read that met new damage; its length is the retry count. */
  retryDelaysMs: number[];
}

export const DEFAULT_TIMING: RefreshTiming = { debounceMs: 500, maxWaitMs: 1000, retryDelaysMs: [250, 500, 1000, 2000, 4000] };

/** Sources that are unreadable now but were fine (or absent) in the previous inspection. */
export function newlyDamaged(previous: Inspection | undefined, next: Inspection): string[] {
  const before = new Set(previous?.run.errors.map((e) => e.source) ?? []);
  return next.run.errors.map((e) => e.source).filter((s) => !before.has(s));
}

interface RunState {
  timer?: NodeJS.Timeout;
  reading: boolean;
  /** A change arrived while reading: read again afterwards. */
  dirty: boolean;
  /** A change arrived since the last read started. */
  touched: boolean;
  /** Retries spent since the last change. */
  attempt: number;
  /** When the first change not yet read arrived (the max wait counts from it). */
  waitingSince?: number;
}

export class RunRefresher {
  private readonly states = new Map<string, RunState>();
  private disposed = false;

  constructor(
    private readonly target: RefreshTarget,
    private readonly timing: RefreshTiming = DEFAULT_TIMING,
  ) {}

  /** A file of the run changed: read it again after the debounce. */
  touched(root: string): void {
    if (this.disposed) return;
    const st = this.state(root);
    st.touched = true;
    // Training that writes every few hundred ms would push the debounce back forever.
    const now = Date.now();
    st.waitingSince ??= now;
    if (st.reading) {
      st.dirty = true;
      return;
    }
    const maxWait = this.timing.maxWaitMs ?? Infinity;
    this.schedule(root, st, Math.max(0, Math.min(this.timing.debounceMs, st.waitingSince + maxWait - now)));
  }

  /** True while a read or retry of the run is pending. */
  pending(root: string): boolean {
    const st = this.states.get(root);
    return !!st && (st.reading || st.timer !== undefined || st.dirty);
  }

  dispose(): void {
    this.disposed = true;
    for (const st of this.states.values()) if (st.timer) clearTimeout(st.timer);
    this.states.clear();
  }

  private state(root: string): RunState {
    let st = this.states.get(root);
    if (!st) this.states.set(root, (st = { reading: false, dirty: false, touched: false, attempt: 0 }));
    return st;
  }

  private schedule(root: string, st: RunState, delay: number): void {
    if (st.timer) clearTimeout(st.timer);
    st.timer = setTimeout(() => {
      st.timer = undefined;
      void this.read(root, st);
    }, delay);
  }

  private async read(root: string, st: RunState): Promise<void> {
    if (this.disposed) return;
    st.reading = true;
    st.dirty = false;
    st.waitingSince = undefined;
    // A read prompted by a new change starts the backoff over: the file is still being written.
    if (st.touched) st.attempt = 0;
    st.touched = false;
    let retry = false;
    try {
      const next = await this.target.read(root);
      if (this.disposed) return;
      const damaged = newlyDamaged(this.target.current(root), next);
      if (damaged.length && st.attempt < this.timing.retryDelaysMs.length) {
        retry = true;
      } else {
        st.attempt = 0;
        this.target.publish(root, next);
      }
    } catch (e) {
      if (this.disposed) return;
      if (st.attempt < this.timing.retryDelaysMs.length) retry = true;
      else {
        st.attempt = 0;
        this.target.failed?.(root, e instanceof Error ? e.message : String(e));
      }
    } finally {
      st.reading = false;
    }
    if (this.disposed) return;
    if (st.dirty) {
      // Newer changes supersede the retry: the file may be complete by now.
      const wait = st.waitingSince === undefined ? this.timing.debounceMs : st.waitingSince + (this.timing.maxWaitMs ?? Infinity) - Date.now();
      this.schedule(root, st, Math.max(0, Math.min(this.timing.debounceMs, wait)));
    } else if (retry) {
      this.schedule(root, st, this.timing.retryDelaysMs[st.attempt++]!);
    }
  }
}
