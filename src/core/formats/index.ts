// One entry point for every loss file format: the registry (registry.ts) picks the reader by the
// file's name and first bytes, hands it the bytes, gets series back. Pure over bytes so the CLI,
// the extension, a worker and tests share it.
import type { RawSeries } from '../model';
import type { CountingSteps } from './npy';
import { ReadFailure } from './errors';
import { FORMATS } from './registry';
import type { SkipReport } from './skipped';

export { ReadFailure };
export { FORMATS, FormatRegistry, selectFormat } from './registry';
export type { FileFormat, FolderFormat, FormatRead, RunSniff } from './format';

/**
 * The id of the format a file holds (`npy`, `csv`, `printed`…), by its name and, when given, its
 * first bytes: `selectFormat(fileName, head)?.id`. Kept for callers that only need the id.
 */
export function lossFileKind(fileName: string, head?: Uint8Array): string | null {
  return FORMATS.selectFormat(fileName, head)?.id ?? null;
}

/**
 * Reads a loss file of any registered format; throws ReadFailure with a one-line message.
 * `counting`: the run's shared 0…N−1 steps for `.npy` files (see `CountingSteps`); a fresh one if none.
 * `report`: where the reader tells of damaged records (lines) it skipped (see formats/skipped.ts); a
 * `.npy` has no records to skip (a damaged one is refused).
 */
export function readLossFile(fileName: string, bytes: Uint8Array, counting?: CountingSteps, report?: SkipReport): RawSeries[] {
  return FORMATS.read(fileName, bytes, { ...(counting ? { counting } : {}), ...(report ? { report } : {}) }).series;
}
