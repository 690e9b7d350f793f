// Watching one run from outside VS Code (`gan-inspect --watch`): read it, then poll its growing
// files and read it again when they change, parsing only what was appended (the caller's read
// keeps an AppendCache and a DiversityCache); each read is a look for the episode tracker.
import type { Inspection } from '../inspect';
import { EpisodeTracker, type Confirmed } from './episodes';
import { isLive, StepRate } from './liveness';
import { lookAt, type Look } from './look';
import { FilePoller } from './polling';
import { growingFiles, newestWrite } from './runFiles';

export interface WatchUpdate {
  inspection: Inspection;
  look: Look;
  live: boolean;
  /** When the run's files were last written (ms). */
  lastWrite: number | undefined;
  stepsPerMinute: number | null;
  /** Findings that became news with this read (on the first read of a run that is not live: all its warnings and errors). */
  news: Confirmed[];
  first: boolean;
}

export interface RunWatchOptions {
  /** Reads the run again (rediscovering its files). */
  read: () => Promise<Inspection>;
  onUpdate: (update: WatchUpdate) => void;
  /** A read failed as a whole: one line; the last good read stays. */
  onError: (message: string) => void;
  pollMs: number;
  /** A run is live while its files were written within this window. */
  liveMs: number;
  /** Quiet time after a change before reading (a rewrite of several files is one change). */
  debounceMs?: number;
  now?: () => number;
}

export class RunWatch {
  private readonly tracker = new EpisodeTracker();
  private readonly rate = new StepRate();
  private readonly poller: FilePoller;
  private files: string[] = [];
  private lastWrite: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private first = true;

  constructor(private readonly opts: RunWatchOptions) {
    this.poller = new FilePoller({ intervalMs: opts.pollMs, targets: () => [{ key: '', files: this.files }], changed: () => this.changed() });
  }

  /** Reads the run once, then watches it. */
  async start(): Promise<void> {
    await this.readNow();
    this.poller.start();
    // The first round only learns the files' sizes and times: changes count from then on.
    await this.poller.poll();
  }

  stop(): void {
    this.stopped = true;
    this.poller.stop();
    if (this.timer) clearTimeout(this.timer);
  }

  /** True while the run's files were written within the live window. */
  get live(): boolean {
    return isLive(this.lastWrite, this.now(), this.opts.liveMs);
  }

  /** One polling round now (the CLI's loop and the tests drive it). */
  poll(): Promise<void> {
    return this.poller.poll();
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private changed(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.readNow(), this.opts.debounceMs ?? 200);
  }

  private readNow(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = this.readOnce().finally(() => {
      this.reading = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        this.changed();
      }
    });
    return this.reading;
  }

  private async readOnce(): Promise<void> {
    let inspection: Inspection;
    try {
      inspection = await this.opts.read();
    } catch (e) {
      this.opts.onError(e instanceof Error ? e.message : String(e));
      return;
    }
    if (this.stopped) return;
    this.files = growingFiles(inspection);
    this.lastWrite = await newestWrite(this.files);
    const look = lookAt(inspection);
    if (this.lastWrite !== undefined) this.rate.add(look.latest, this.lastWrite);
    const live = this.live;
    // A run that is not training has its final verdict: everything it shows is news to the caller.
    const news: Confirmed[] =
      this.first && !live
        ? look.findings.filter((f) => f.severity !== 'info').map((finding) => ({ finding, firstSeen: look.latest, heldAt: look.latest }))
        : this.tracker.look(look);
    const first = this.first;
    this.first = false;
    this.opts.onUpdate({ inspection, look, live, lastWrite: this.lastWrite, stepsPerMinute: this.rate.perMinute(), news, first });
  }
}
