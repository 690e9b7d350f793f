// CSV loss tables: Lightning `metrics.csv`, `losses.csv`, pandas `to_csv`, and tables of numbers
// with no header (np.savetxt, csv.writer). A `.csv` is a run's only when its first lines say so: a
// header naming a loss or a quality metric, or rows of numbers; a workspace's `data.csv` is not.
import { t } from '../l10n';
import { CsvReader, readCsvSeries } from './csv';
import { parseNumber } from './records';
import { parseCsv, sniffDelimiter } from './csvRows';
import type { FileFormat } from './format';
import { TextLossReader } from './textReader';
import { isTrainingColumn } from './trainingNames';
import { exportedCsvTag } from './tensorboardExport';

/**
 * The first lines of a CSV: a header with a training column over rows of as many cells, or two or
 * more rows of numbers alone. An empty file is one too (a log created before its first row), so
 * its emptiness is told; printed lines in a `.csv` are the printed-log format's.
 */
function headIsLossTable(head: Uint8Array, fileName: string): boolean {
  if (head.subarray(0, 4096).includes(0)) return false;
  const text = new TextDecoder('utf-8').decode(head);
  if (!text.trim()) return true;
  // Whole lines only: the head may end inside one.
  const lines = text
    .split(/\r\n|\r|\n/)
    .filter((l) => l.trim())
    .slice(0, 50);
  if (head.length >= SNIFF_BYTES && lines.length > 1) lines.pop();
  let rows: string[][];
  try {
    rows = parseCsv(lines.join('\n'), sniffDelimiter(lines[0]!), fileName);
  } catch {
    return false;
  }
  const numeric = (row: string[]) => row.length > 0 && row.every((c) => c.trim() === '' || parseNumber(c.trim()) !== null);
  const header = rows[0]!.map((c) => c.trim());
  const body = rows.slice(1, 11);
  if (numeric(header)) return body.length > 0 && body.every(numeric);
  // TensorBoard's download of one scalar names its tag in the file's name only.
  const tag = exportedCsvTag(header, fileName);
  if (tag !== null) return isTrainingColumn(tag) && body.every((row) => row.length === 3);
  // `Epoch [1/5], D loss: 0.69, …` is a printed line split at its commas, not a header (pandas' `Unnamed: 0` is one).
  if (header.some((c) => PRINTED_VALUE.exec(c) !== null && isTrainingColumn(PRINTED_VALUE.exec(c)![1]!))) return false;
  return header.some(isTrainingColumn) && body.every((row) => row.length === header.length || row.length === 1);
}

const SNIFF_BYTES = 16 * 1024;
const PRINTED_VALUE = /^(.*?)\s*[:=]\s*[-+]?\.?\d/;

export const csvFormat = {
  id: 'csv',
  label: () => t('CSV tables'),
  examples: ['lightning_logs/version_0/metrics.csv', 'losses.csv', 'run-.-tag-Loss_D.csv'],
  names: [],
  maybeNames: ['*.csv'],
  sniff: headIsLossTable,
  sniffBytes: SNIFF_BYTES,
  read: (bytes, fileName, { report }) => ({ series: readCsvSeries(bytes, fileName, report) }),
  incremental: (fileName) => new TextLossReader(new CsvReader(fileName), fileName),
  wake: ['**/metrics.csv', '**/*loss*.csv'],
} satisfies FileFormat;
