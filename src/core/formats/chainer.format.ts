// Chainer's LogReport `log` (often renamed `log.json`): one JSON array of records, rewritten whole at
// every report, so it is always read whole. Another `*.json` holding such an array is read as one
// too when its records count iterations or epochs or name a loss: a workspace's `points.json` is no run.
import { t } from '../l10n';
import { recordKeysInHead } from './jsonSeries';
import { isTrainingColumn } from './trainingNames';
import { readChainerLog } from './chainer';
import type { FileFormat } from './format';
import { matchedName, nameMatcher } from './globs';

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
  return head[i] === 0x7b; /* { */
}

// The names LogReport writes: read as its log whatever its records hold.
const NAMES = ['log', 'log.json'];
const isLogReportName = nameMatcher(NAMES);

export const chainerFormat = {
  id: 'chainer',
  label: () => t('Chainer LogReport logs'),
  examples: ['result/log', 'log.json', 'history.json'],
  names: NAMES,
  maybeNames: ['*.json'],
  notNames: ['gan-run.json'],
  sniff: (head, fileName) =>
    startsArrayOfObjects(head) &&
    (isLogReportName(matchedName(fileName)) || recordKeysInHead(head).some((k) => /^(iteration|epoch)$/i.test(k) || isTrainingColumn(k))),
  read: (bytes, fileName, { report }) => ({ series: readChainerLog(bytes, fileName, report) }),
  stepUnit: () => 'iteration',
  wake: ['**/result/log'],
} satisfies FileFormat;
