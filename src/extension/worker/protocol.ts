// The messages between the extension host (client.ts) and the worker thread (worker.ts): plain
// JSON and transferred ArrayBuffers, so they cross the thread boundary as they are.
import type { RunLocation } from '../../core/discover';
import type { RunGlance } from '../../core/glance';
import type { Inspection, LossType } from '../../core/model';
import type { SampleScores } from '../../core/pipeline';
import type { RpcCancel, RpcReply, RpcRequest } from '../../core/rpc';

export interface ScanLimits {
  maxDepth?: number;
  exclude?: string[];
  maxFolders?: number;
}

/** How the worker reads a run (settings from the extension); plain JSON so it crosses the thread boundary. */
export interface RunReadSettings {
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
  /**
   * With `inspectInStages`: tell the run's glance the moment it is read, and judge it (the findings)
   * once no other read is under way. A scan sets it, so every row shows its numbers before any run is judged.
   */
  glanceFirst?: boolean;
}

/** What `inspectInStages` tells before its result: the run read (with `glanceFirst`), then its losses judged. */
export type StageUpdate = { glance: RunGlance } | { losses: Inspection };

/**
 * The worker's requests by op (src/core/rpc.ts): what each asks with, is answered with and tells on
 * the way. A reply whose value is not its op's fails to compile, and the client takes it without a cast.
 * `decoded`: sample images an inspection decoded (the others were unchanged since the last read).
 */
export interface WorkerOps {
  /** Updates: folders seen so far (at most ten a second). */
  discover: { request: { root: string; opts: ScanLimits }; result: RunLocation[]; update: number };
  inspect: { request: { loc: RunLocation; opts: RunReadSettings }; result: { inspection: Inspection; decoded: number } };
  /**
   * The losses stage comes first, as an update (after the run's glance, with `glanceFirst`); the
   * result is what the samples stage adds (src/core/pipeline.ts joins them).
   */
  inspectInStages: { request: { loc: RunLocation; opts: RunReadSettings }; result: { scores: SampleScores; decoded: number }; update: StageUpdate };
  /** The preview of a large sample grid, made now, before the grids queued for scoring. */
  preview: { request: { file: string }; result: string | null };
}

/** Scores the grids of every inspection held so far (RunReadSettings.holdScoring); no reply. */
export interface ReleaseScoring {
  type: 'releaseScoring';
}

export type WorkerRequest = RpcRequest<WorkerOps> | RpcCancel | ReleaseScoring;
export type WorkerReply = RpcReply<WorkerOps>;
