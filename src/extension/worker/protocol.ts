// The messages between the extension host (client.ts) and the worker thread (worker.ts): plain
// JSON and transferred ArrayBuffers, so they cross the thread boundary as they are.
import type { RunLocation } from '../../core/discover';
import type { LossType } from '../../core/model';

export interface DiscoverOptions {
  maxDepth?: number;
  exclude?: string[];
  maxFolders?: number;
}

/** How the worker reads a run (settings from the extension); plain JSON so it crosses the thread boundary. */
export interface InspectOptions {
  /** Larger loss files are refused with a message. */
  maxFileBytes?: number;
  /** Loss type when the run's own files and training code name none. */
  lossType?: LossType;
  /** The workspace folder holding the run: its training code is never looked for above it. */
  codeBoundary?: string;
  /** Detection thresholds; a run's gan-run.json thresholds win over these. */
  thresholds?: Record<string, number>;
  /**
   * Reply with the losses (a `losses` message) before the sample grids are scored; the `done`
   * reply then carries only the SampleScores, which the client merges in.
   */
  lossesFirst?: boolean;
  /**
   * With lossesFirst: score the grids only once the host sends `releaseScoring`. A scan holds them
   * so every run's losses are read before any grid is decoded (on 2 cores the decoding slowed the
   * loss reads of the runs after it several times over).
   */
  holdScoring?: boolean;
}

export type WorkerRequest =
  | { id: number; op: 'discover'; root: string; opts: DiscoverOptions }
  | { id: number; op: 'inspect'; loc: RunLocation; opts: InspectOptions }
  /** Make the preview of a large sample grid now, before the grids queued for scoring. */
  | { id: number; op: 'preview'; file: string }
  | { id: number; op: 'cancel' }
  /** Scores the grids of every inspection held so far (InspectOptions.holdScoring); no reply. */
  | { id: number; op: 'releaseScoring' };

export type WorkerReply =
  | { id: number; kind: 'progress'; foldersSeen: number }
  | { id: number; kind: 'losses'; value: unknown }
  /** `decoded`: sample images an inspection decoded (the others were unchanged since the last read). */
  | { id: number; kind: 'done'; value: unknown; decoded?: number }
  | { id: number; kind: 'failed'; message: string };
