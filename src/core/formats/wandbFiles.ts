// What a W&B run folder holds, by name, as wandb writes it (wandb/sdk/wandb_run.py, internal/
// sender.py, data_types/base_types/media.py):
//
//   wandb/run-<yyyymmdd>_<hhmmss>-<id>/       (offline runs: offline-run-…)
//     run-<id>.wandb                           every record of the run (wandb.ts)
//     files/output.log                         the console, as printed
//     files/config.yaml                        the run's config (wandbConfig.ts)
//     files/wandb-summary.json                 the last value of each key: not a series
//     files/wandb-history.jsonl                wandb before 0.10: one JSON row per wandb.log
//     files/media/images/<key>_<step>_<id>.png images logged, `<id>` a content hash or a list index
//     logs/debug.log, logs/debug-internal.log  wandb's own logs
//
// wandb before 0.9 put the `files/` content in the run folder itself. Pure over names and bytes.
import type { RawSeries } from '../model';
import { fileBaseName, toPosix } from '../paths';
import type { SkipReport } from './skipped';
import { readWandb, WandbReader } from './wandb';
import { readWandbHistoryJsonl } from './wandbHistory';

export type WandbFileKind = 'log' | 'history';

/** `run-<id>.wandb` → 'log', `wandb-history.jsonl` → 'history', else null. */
export function wandbFileKind(baseName: string): WandbFileKind | null {
  const lower = baseName.toLowerCase();
  if (lower.endsWith('.wandb') && lower.length > 6) return 'log';
  if (lower === 'wandb-history.jsonl') return 'history';
  return null;
}

/** Reads a `.wandb` file or a `wandb-history.jsonl`. */
export function readWandbLossFile(bytes: Uint8Array, fileName: string, report?: SkipReport): RawSeries[] {
  return wandbFileKind(fileBaseName(fileName)) === 'history' ? readWandbHistoryJsonl(bytes, fileName, report) : readWandb(bytes, fileName, report);
}

/** A `.wandb` reader behind the append cache's interface: what a live run appends is the only part parsed. */
export function newWandbLossReader(fileName: string): {
  push: (bytes: Uint8Array) => number;
  series: (report?: SkipReport) => RawSeries[];
  readonly heldBytes: number;
} {
  const reader = new WandbReader(fileName);
  return {
    push: (bytes) => reader.push(bytes),
    series: (report) => {
      const series = reader.series(true);
      if (report) report.skipped = reader.skipped();
      return series;
    },
    get heldBytes() {
      return reader.heldBytes;
    },
  };
}

/** A W&B run folder's name: `run-20240311_115924-p5eltm86`, `offline-run-…`. */
export const WANDB_RUN_FOLDER = /^(?:offline-)?run-\d{8}_\d{6}-[A-Za-z0-9]+$/;

/** The files wandb writes into a run's `files/` folder (or, before 0.9, the run folder itself). */
export const WANDB_FILES = ['wandb-summary.json', 'wandb-metadata.json', 'wandb-history.jsonl', 'config.yaml', 'output.log', 'requirements.txt'];

/** Files only wandb writes: one of them in a folder makes it a run's `files/`. */
export const WANDB_MARKERS = ['wandb-summary.json', 'wandb-metadata.json', 'wandb-history.jsonl'];

// `media/images/<key>_<step>_<id>.<ext>`: the key may hold `_` and digits, the id never holds `_`
// (a 20-character hash, or the index in a logged list), so the step is the last number but one.
// A key with `/` (`samples/fake`) is a subfolder.
const MEDIA_IMAGE = /(?:^|\/)media\/images\/((?:.*\/)?[^/]*?)_(\d+)_[^_/]+\.(?:png|jpe?g|gif)$/i;

/** A W&B media image's key and the step it was logged at (`files/media/images/fake_B_0_69b9….png` → fake_B, 0), else null. */
export function wandbMediaImage(relPath: string): { key: string; step: number } | null {
  const m = MEDIA_IMAGE.exec(toPosix(relPath));
  return m ? { key: m[1]!, step: Number(m[2]) } : null;
}
