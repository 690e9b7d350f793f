// Chainer's LogReport `log`: a JSON array of objects such as
// {"epoch": 1, "iteration": 100, "gen/loss": 1.9, "dis/loss": 0.4, "elapsed_time": 12.3}.
import type { RawSeries } from '../model';
import { t } from '../l10n';
import { ReadFailure } from './errors';
import { decodeText } from './records';
import { isRecord, seriesFromRecords, withNonFiniteAsStrings } from './jsonl';

/** Reads a Chainer log; steps from `iteration` (else `epoch`), one series per numeric key. */
export function readChainerLog(bytes: Uint8Array, fileName: string): RawSeries[] {
  const text = decodeText(bytes, fileName);
  if (!text.trim()) throw new ReadFailure(t('{0}: the file is empty', fileName));
  let parsed: unknown;
  try {
    parsed = JSON.parse(withNonFiniteAsStrings(text));
  } catch {
    throw new ReadFailure(t('{0}: not valid JSON', fileName));
  }
  if (!Array.isArray(parsed) || !parsed.every(isRecord)) {
    throw new ReadFailure(t('{0}: not a Chainer log (expected a JSON array of objects)', fileName));
  }
  if (!parsed.length) throw new ReadFailure(t('{0}: the log has no entries yet', fileName));
  return seriesFromRecords(parsed, fileName);
}
