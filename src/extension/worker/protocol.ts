// The messages between the extension host (client.ts) and the worker thread (worker.ts): plain
// JSON and transferred ArrayBuffers, so they cross the thread boundary as they are.
import type { RunLocation } from '../../core/discover';
import type { Inspection, LossType } from '../../core/model';
import type { SampleScores } from '../../core/pipeline';

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
   * With `inspectInStages`: score the grids only once the host sends `releaseScoring`. A scan holds them
   * so every run's losses are read before any grid is decoded (on 2 cores the decoding slowed the
   * loss reads of the runs after it several times over).
   */
  holdScoring?: boolean;
}

/**
 * What each request is answered with, by its op: a `done` reply whose value is not its op's fails to
 * compile, and the client takes each value without a cast.
 */
export interface WorkerResults {
  discover: RunLocation[];
  inspect: Inspection;
  /** The samples stage; the losses stage came first, in a `losses` reply (src/core/pipeline.ts joins them). */
  inspectInStages: SampleScores;
  /** The preview of a large sample grid, made now, before the grids queued for scoring. */
  preview: string | null;
}

/** A request that is answered (one `done` or `failed` reply, after any `progress` or `losses`). */
export type WorkerCall =
  | { op: 'discover'; root: string; opts: DiscoverOptions }
  | { op: 'inspect' | 'inspectInStages'; loc: RunLocation; opts: InspectOptions }
  | { op: 'preview'; file: string };

export type WorkerRequest =
  | (WorkerCall & { id: number })
  | { id: number; op: 'cancel' }
  /** Scores the grids of every inspection held so far (InspectOptions.holdScoring); no reply. */
  | { id: number; op: 'releaseScoring' };

/** `decoded`: sample images an inspection decoded (the others were unchanged since the last read). */
export type DoneReply = { [K in keyof WorkerResults]: { id: number; kind: 'done'; op: K; value: WorkerResults[K]; decoded?: number } }[keyof WorkerResults];

export type WorkerReply =
  | { id: number; kind: 'progress'; foldersSeen: number }
  /** The losses stage of an `inspectInStages` request. */
  | { id: number; kind: 'losses'; value: Inspection }
  | DoneReply
  | { id: number; kind: 'failed'; message: string };
