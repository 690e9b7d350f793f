// Training logs printed to the terminal and saved to a file (`train.log`, `nohup.out`, `log.txt`):
// only their content tells, so discovery opens the text files that may be one. StyleGAN / StyleGAN2
// (TF) metric files (`metric-fid50k.txt`) are named for it.
import { t } from '../l10n';
import { newPrintedReader, readPrintedLog } from './printed';
import { looksLikePrintedLog } from './printedSniff';
import type { FileFormat } from './format';
import { TextLossReader } from './textReader';
import { isStyleGanSeries } from './styleganNames';

/**
 * True when the head bytes are a printed training log (enough loss or tick lines). A `.csv` of
 * numbers is the CSV reader's (with a header or without), not a printed header-less table.
 */
function headIsPrintedLog(head: Uint8Array, fileName: string): boolean {
  if (head.subarray(0, 4096).includes(0)) return false;
  return looksLikePrintedLog(new TextDecoder('utf-8').decode(head), 3, !/\.csv$/i.test(fileName));
}

export const printedFormat = {
  id: 'printed',
  label: () => t('printed training logs'),
  examples: ['train.log', 'nohup.out', 'log.txt', 'metric-fid50k.txt'],
  names: ['metric-*.txt'],
  // A `.csv` or a Chainer-named `log` holding printed lines is a printed log: content wins.
  maybeNames: ['*.log', '*.out', '*.txt', 'log', '*.csv'],
  // Option dumps and lists, never logs.
  notNames: [
    'opt.txt',
    '*_opt.txt',
    'requirements*.txt',
    'license*.txt',
    'readme*.txt',
    'notes*.txt',
    'config*.txt',
    'command*.txt',
    'dataset*.txt',
    'classes*.txt',
    'labels*.txt',
  ],
  sniff: headIsPrintedLog,
  sniffBytes: 1024 * 1024,
  read: (bytes, fileName, { report }) => ({ series: readPrintedLog(bytes, fileName, report) }),
  incremental: (fileName) => new TextLossReader(newPrintedReader(fileName), fileName),
  // Tick lines (PGGAN, StyleGAN) count kimg; every other printed log counts iterations.
  stepUnit: (_fileName, names) => (isStyleGanSeries(names) ? 'kimg' : 'iteration'),
  // Not `nohup.out`: servers write it too. A training log is named for training, or is StyleGAN's.
  wake: ['**/train*.log', '**/metric-*.txt'],
} satisfies FileFormat;
