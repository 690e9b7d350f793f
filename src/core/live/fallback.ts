// File events where they come, polling where they do not: the live runs' growing files are polled
// every few seconds, and a change the poller sees is passed on only when no file event arrived for
// that run since the round before (so a run on a local disk is not read twice per change, and a run
// on NFS, Lustre or sshfs, whose changes send no event, is still read within one interval).
import { FilePoller, type PollTarget, type PollerOptions } from './polling';

export interface FallbackOptions {
  intervalMs: number;
  /** The live runs' growing files (see runFiles.ts), keyed by run root. */
  targets: () => PollTarget[];
  /** A run changed and no file event said so: read it again. */
  touch: (key: string, file: string) => void;
  stat?: PollerOptions['stat'];
  now?: () => number;
}

export class PollingFallback {
  private readonly poller: FilePoller;
  private readonly lastEvent = new Map<string, number>();
  private roundStarted = 0;
  private previousRound = 0;
  /** Changes the poller passed on (runs whose file events did not come). */
  touches = 0;

  constructor(private readonly opts: FallbackOptions) {
    this.poller = new FilePoller({
      intervalMs: opts.intervalMs,
      targets: () => {
        this.previousRound = this.roundStarted;
        this.roundStarted = this.now();
        return opts.targets();
      },
      changed: (key, file) => {
        // An event for the run since the round before: events work there, the change is being read.
        if ((this.lastEvent.get(key) ?? -Infinity) >= this.previousRound) return;
        this.touches++;
        opts.touch(key, file);
      },
      ...(opts.stat ? { stat: opts.stat } : {}),
    });
  }

  /** A file event arrived for the run. */
  eventFor(key: string): void {
    this.lastEvent.set(key, this.now());
  }

  start(): void {
    this.poller.start();
  }

  stop(): void {
    this.poller.stop();
  }

  dispose(): void {
    this.stop();
  }

  /** One round now (tests drive it). */
  poll(): Promise<void> {
    return this.poller.poll();
  }

  /** Stats made so far. */
  get stats(): number {
    return this.poller.stats;
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}
