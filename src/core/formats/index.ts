// One entry point for every loss file format: pick the reader by the file's name, hand it the
// bytes, get series back. Pure over bytes so the CLI, the extension, a worker and tests share it.
import { fileBaseName } from '../paths';
import type { RawSeries } from '../model';
import { t } from '../l10n';
import { CountingSteps, NpyError, readNpySeries } from './npy';
import { readCsvSeries } from './csv';
import { readJsonlSeries } from './jsonl';
import { readChainerLog } from './chainer';
import { readTfEvents } from './tfevents';
import { readJunyanzLossLog } from './junyanz';
import { looksLikePrintedLog, readPrintedLog } from './printed';
import { mlflowMetricKey, readMlflowMetric } from './mlflow';
import { ReadFailure } from './errors';
import type { SkipReport } from './skipped';
import type { FileReport } from './foundImages';

export { ReadFailure };

export type LossFileKind = 'npy' | 'csv' | 'jsonl' | 'chainer' | 'tfevents' | 'junyanz' | 'printed' | 'mlflow';

/**
 * Text files that may hold a printed training log (`train.log`, `nohup.out`, `log.txt`, a plain
 * `log`): only their content can tell (see `looksLikePrintedLog`). Option dumps and lists
 * (`opt.txt`, `requirements.txt`) are not.
 */
export function isPrintedLogCandidate(fileName: string): boolean {
  const lower = baseName(fileName).toLowerCase();
  if (/(^|_)opt\.txt$|^(requirements|license|readme|notes|config|command|dataset|classes|labels).*\.txt$/.test(lower)) return false;
  return /\.(log|out|txt)$/.test(lower) || lower === 'log' || lower === 'nohup.out';
}

/** How much of a candidate's start `looksLikePrintedLog` is given. */
export const PRINTED_HEAD_BYTES = 1024 * 1024;

/** True when the head bytes of a candidate are a printed training log. */
export function headIsPrintedLog(head: Uint8Array): boolean {
  if (head.subarray(0, 4096).includes(0)) return false;
  return looksLikePrintedLog(new TextDecoder('utf-8').decode(head));
}

/**
 * The loss format a file holds, judged by its name (a bare name or a path).
 * A generic `*.json` is only a Chainer log when its first bytes (`head`) show a JSON array of
 * objects; without `head` it is not taken, so config files are never read as losses. With `head`,
 * a `log` / `log.json` that is not such an array (a plain text log) is not taken either.
 */
export function lossFileKind(fileName: string, head?: Uint8Array): LossFileKind | null {
  const base = baseName(fileName);
  const lower = base.toLowerCase();
  if (lower.endsWith('.npy')) return 'npy';
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (base.startsWith('events.out.tfevents.')) return 'tfevents';
  // junyanz pytorch-CycleGAN-and-pix2pix (and forks) always name it so.
  if (lower === 'loss_log.txt') return 'junyanz';
  // StyleGAN / StyleGAN2 (TF) metric files: `metric-fid50k.txt`, one line per snapshot.
  if (/^metric-[\w.-]+\.txt$/.test(lower)) return 'printed';
  // A file in an MLflow run's metrics/ folder: named by the metric key, no extension of its own.
  if (fileName.includes('/') && mlflowMetricKey(fileName) !== null && !/\.(txt|log|out|json|ya?ml|png|jpe?g|gif)$/i.test(lower)) return 'mlflow';
  // Chainer's LogReport writes `log` (no extension); people often rename it `log.json`.
  if (base === 'log' || lower === 'log.json') {
    if (!head || startsArrayOfObjects(head)) return 'chainer';
    return base === 'log' && headIsPrintedLog(head) ? 'printed' : null;
  }
  if (lower.endsWith('.json') && lower !== 'gan-run.json' && head && startsArrayOfObjects(head)) return 'chainer';
  if (head && isPrintedLogCandidate(fileName) && headIsPrintedLog(head)) return 'printed';
  return null;
}

/**
 * Reads a loss file of any supported kind; throws ReadFailure with a one-line message.
 * `counting`: the run's shared 0…N−1 steps for `.npy` files (see `CountingSteps`); a fresh one if none.
 * `report`: where the reader tells of damaged records (lines) it skipped (see formats/skipped.ts); a
 * `.npy` has no records to skip (a damaged one is refused). A TensorBoard event file also sets
 * `report.images`: where its image summaries are.
 */
export function readLossFile(fileName: string, bytes: Uint8Array, counting?: CountingSteps, report?: SkipReport & FileReport): RawSeries[] {
  // By name first, so a `log` that is not JSON gets the Chainer reader's reason, not "unknown format".
  // A text file that may be a printed log is read as one (it says what it lacks), as the append cache reads it.
  const kind = lossFileKind(fileName) ?? lossFileKind(fileName, bytes.subarray(0, PRINTED_HEAD_BYTES)) ?? (isPrintedLogCandidate(fileName) ? 'printed' : null);
  switch (kind) {
    case 'npy':
      try {
        return readNpySeries(bytes, fileName, counting);
      } catch (e) {
        if (e instanceof NpyError) throw new ReadFailure(e.message);
        throw e;
      }
    case 'csv':
      return readCsvSeries(bytes, fileName, report);
    case 'jsonl':
      return readJsonlSeries(bytes, fileName, report);
    case 'chainer':
      return readChainerLog(bytes, fileName, report);
    case 'tfevents':
      return readTfEvents(bytes, fileName, report);
    case 'junyanz':
      return readJunyanzLossLog(bytes, fileName, report);
    case 'printed':
      return readPrintedLog(bytes, fileName, report);
    case 'mlflow':
      return readMlflowMetric(bytes, fileName, report);
    default:
      throw new ReadFailure(t('{0}: not a loss file format this reader knows (.npy, .csv, .jsonl, Chainer log, TensorBoard events)', fileName));
  }
}

function baseName(name: string): string {
  return fileBaseName(name);
}

/** True when the bytes start (after a BOM and whitespace) with `[` then `{`. */
function startsArrayOfObjects(head: Uint8Array): boolean {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  const skipSpace = () => {
    while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  };
  skipSpace();
  if (head[i] !== 0x5b /* [ */) return false;
  i++;
  skipSpace();
  return head[i] === 0x7b /* { */;
}
