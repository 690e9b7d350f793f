// Weights & Biases: a run's history file (`run-<id>.wandb`, appended to record by record; the
// `wandb-history.jsonl` of wandb before 0.10, read whole) and the run folder it lives in
// (`wandb/run-<date>_<time>-<id>/`), found by its structure as discoverWandb.ts reads it.
import { t } from '../l10n';
import { fileBaseName } from '../paths';
import { wandbRunFiles } from '../discoverWandb';
import { noWandbHistory, readWandbSettings, wandbImageNaming } from '../wandbRun';
import type { FileFormat, FolderFormat } from './format';
import { newWandbLossReader, readWandbLossFile, wandbFileKind } from './wandbFiles';

export const wandbFormat = {
  id: 'wandb',
  label: () => t('W&B .wandb run histories'),
  examples: ['wandb/run-20240311_115924-p5eltm86/run-p5eltm86.wandb', 'files/wandb-history.jsonl'],
  names: ['*.wandb', 'wandb-history.jsonl'],
  read: (bytes, fileName, { report }) => ({ series: readWandbLossFile(bytes, fileName, report) }),
  incremental(fileName) {
    // A `.wandb` file grows by records; the `wandb-history.jsonl` of old wandb versions is read whole.
    if (wandbFileKind(fileBaseName(fileName)) !== 'log') return null;
    const reader = newWandbLossReader(fileName);
    return {
      push: (bytes) => reader.push(bytes),
      result: (report) => ({ series: reader.series(report) }),
      get heldBytes() {
        return reader.heldBytes;
      },
    };
  },
  stepUnit: () => 'step',
  wake: ['**/*.wandb', '**/wandb-history.jsonl'],
} satisfies FileFormat;

/** A W&B run folder: one run, whatever its subfolders hold (they are never runs of their own). */
export const wandbRunFormat = {
  id: 'wandb-run',
  label: () => t('W&B run folders'),
  examples: ['wandb/run-20240311_115924-p5eltm86/', 'wandb/offline-run-20240311_115924-p5eltm86/'],
  runOf: wandbRunFiles,
  ownFolders: 'all',
  imageNaming: wandbImageNaming,
  settings: readWandbSettings,
  emptyRun: noWandbHistory,
  // Woken by its history file (wandbFormat).
  wake: [],
} satisfies FolderFormat;
