// How a text log says what of its earlier launches it set aside (Run.notes): a training launched
// again into the same file keeps the latest launch, and the note says what was not shown.
import { t } from '../l10n';

/** "train.log: 2 earlier launches set aside: 7 and 2 lines" (`lines`: each launch set aside, in order); none when empty. */
export function launchesSetAside(file: string, lines: number[]): string[] {
  if (!lines.length) return [];
  if (lines.length === 1)
    return [lines[0] === 1 ? t('{0}: 1 earlier launch set aside: 1 line', file) : t('{0}: 1 earlier launch set aside: {1} lines', file, lines[0]!)];
  return [t('{0}: {1} earlier launches set aside: {2} lines', file, lines.length, t('{0} and {1}', lines.slice(0, -1).join(', '), lines[lines.length - 1]!))];
}

/** "train.log: a launch resumed at step 1200: 35 earlier lines from there on set aside". */
export function resumedOver(file: string, from: number, lines: number): string {
  return t('{0}: a launch resumed at step {1}: {2} earlier lines from there on set aside', file, from, lines);
}
