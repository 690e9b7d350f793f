// CSV loss tables with a header: Lightning `metrics.csv`, `losses.csv`, pandas `to_csv`.
import { t } from '../l10n';
import { CsvReader, readCsvSeries } from './csv';
import type { FileFormat } from './format';
import { TextLossReader } from './textReader';

export const csvFormat = {
  id: 'csv',
  label: () => t('CSV tables'),
  examples: ['lightning_logs/version_0/metrics.csv', 'losses.csv'],
  names: ['*.csv'],
  read: (bytes, fileName, { report }) => ({ series: readCsvSeries(bytes, fileName, report) }),
  incremental: (fileName) => new TextLossReader(new CsvReader(fileName), fileName),
  wake: ['**/metrics.csv', '**/*loss*.csv'],
} satisfies FileFormat;
