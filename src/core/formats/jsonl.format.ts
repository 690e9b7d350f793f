// JSON lines: `losses.jsonl`, and StyleGAN2-ADA / StyleGAN3's `stats.jsonl` and `metric-*.jsonl`.
import { t } from '../l10n';
import { fileBaseName } from '../paths';
import { JsonlReader, readJsonlSeries } from './jsonl';
import type { FileFormat } from './format';
import { TextLossReader } from './textReader';

const STYLEGAN = /^(stats|metric-.*)\.jsonl$/i;

export const jsonlFormat = {
  id: 'jsonl',
  label: () => t('JSON lines'),
  examples: ['losses.jsonl', 'stats.jsonl', 'metric-fid50k_full.jsonl', 'history.ndjson'],
  names: ['*.jsonl', '*.ndjson'],
  read: (bytes, fileName, { report }) => ({ series: readJsonlSeries(bytes, fileName, report) }),
  incremental: (fileName) => new TextLossReader(new JsonlReader(fileName), fileName, true),
  // StyleGAN's statistics and metrics are on its kimg axis (`Progress/kimg`, the snapshot's kimg).
  stepUnit: (fileName) => (STYLEGAN.test(fileBaseName(fileName)) ? 'kimg' : null),
  wake: ['**/stats.jsonl', '**/metric-*.jsonl', '**/*loss*.jsonl'],
} satisfies FileFormat;
