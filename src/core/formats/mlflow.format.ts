// MLflow's local file store: a run folder (`mlruns/<experiment>/<run>/`, with `meta.yaml`) whose
// `metrics/<key>` files are its loss files, appended to at every `log_metric`.
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { t } from '../l10n';
import { newMlflowReader, readMlflowMetric } from './mlflow';
import type { FileFormat, FolderFormat } from './format';
import { TextLossReader } from './textReader';

/** A file in a run's `metrics/` folder: named by its key (`metrics/Loss/D`), with no extension of its own. */
export const mlflowMetricFormat = {
  id: 'mlflow',
  label: () => t('MLflow metric files'),
  examples: ['metrics/d_loss', 'mlruns/0/3f2a9c/metrics/Loss/D'],
  names: ['**/metrics/**'],
  notNames: ['*.txt', '*.log', '*.out', '*.json', '*.yaml', '*.yml', '*.png', '*.jpg', '*.jpeg', '*.gif'],
  read: (bytes, fileName, { report }) => ({ series: readMlflowMetric(bytes, fileName, report) }),
  incremental: (fileName) => new TextLossReader(newMlflowReader(fileName), fileName),
  stepUnit: () => 'step',
  // Woken by its run folder (mlflowRunFormat).
  wake: [],
} satisfies FileFormat;

// MLflow keys with `/` are subfolders: `metrics/Loss/D`.
const KEY_DEPTH = 4;

/** `metrics/<key>` for every metric file of an MLflow run, relative to the run folder. */
async function metricFiles(metricsDir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (abs: string, rel: string, depth: number): Promise<void> => {
    const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const childRel = `${rel}/${e.name}`;
      if (e.isDirectory() && depth < KEY_DEPTH) await walk(path.join(abs, e.name), childRel, depth + 1);
      else if (e.isFile()) out.push(childRel);
    }
  };
  await walk(metricsDir, 'metrics', 0);
  return out;
}

/** An MLflow run folder: `meta.yaml` beside a `metrics/` folder. */
export const mlflowRunFormat = {
  id: 'mlflow-run',
  label: () => t('MLflow runs'),
  examples: ['mlruns/0/3f2a9c/'],
  async runOf(folder, entries) {
    const isRun = entries.some((e) => e.name === 'meta.yaml' && e.isFile()) && entries.some((e) => e.name === 'metrics' && e.isDirectory());
    return isRun ? { lossFiles: await metricFiles(path.join(folder, 'metrics')) } : null;
  },
  ownFolders: ['metrics'],
  wake: ['**/mlruns/*/*/meta.yaml'],
} satisfies FolderFormat;
