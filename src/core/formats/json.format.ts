// One JSON document of a run's losses (jsonSeries.ts): a dict of lists, Keras' history, a list of
// records, Sacred's `metrics.json`. Written whole each time, so read whole: no incremental reader.
import { t } from '../l10n';
import type { FileFormat } from './format';
import { readJsonSeries, sniffJsonSeries } from './jsonSeries';

export const jsonFormat = {
  id: 'json',
  label: () => t('JSON loss lists'),
  examples: ['losses.json', 'history.json', 'runs/1/metrics.json', 'train_hist.json'],
  names: [],
  maybeNames: ['*.json'],
  // Settings and metadata of tools and trackers, never a run's losses.
  notNames: [
    'gan-run.json',
    'training_options.json',
    'package.json',
    'package-lock.json',
    'tsconfig*.json',
    'jsconfig.json',
    'wandb-summary.json',
    'wandb-metadata.json',
    '**/.vscode/*.json',
  ],
  sniff: sniffJsonSeries,
  sniffBytes: 16 * 1024,
  read: (bytes, fileName) => ({ series: readJsonSeries(bytes, fileName) }),
  wake: ['**/*loss*.json'],
} satisfies FileFormat;
