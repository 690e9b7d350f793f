// What loading a W&B run folder adds to loading any run (run.ts): its logged images named
// `<key>_<step>_<id>.png` (formats/wandbFiles.ts), its settings from `config.yaml`, and the one line
// saying why a run folder with no history shows nothing.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { t } from './l10n';
import type { ReadError } from './model';
import { parseWandbConfig, type WandbSettings } from './formats/wandbConfig';
import { wandbMediaImage } from './formats/wandbFiles';
import { isReferenceImage } from './samples/naming';
import type { ImageNaming } from './formats/format';

export type { ImageNaming };

/**
 * W&B names a logged image after its key and step, then a content hash (`real_A_0_4607c7….png`):
 * the step is the number before the hash, and the key says whether it is a reference (`real_A`).
 * An image named otherwise (a table's, by its hash alone) has no step: its digits are not one.
 */
export const wandbImageNaming: ImageNaming = {
  isReference: (rel) => {
    const media = wandbMediaImage(rel);
    return media ? isReferenceImage(`${media.key}.png`) : isReferenceImage(rel);
  },
  step: (rel) => wandbMediaImage(rel)?.step ?? null,
};

const MAX_CONFIG_BYTES = 1024 * 1024;

/** The run's settings from `files/config.yaml` (or, before wandb 0.9, `config.yaml`); null when there is none. */
export async function readWandbSettings(root: string): Promise<WandbSettings | null> {
  for (const rel of ['files/config.yaml', 'config.yaml']) {
    const text = await readFile(path.join(root, ...rel.split('/')), 'utf8').catch(() => null);
    if (text !== null) return parseWandbConfig(text.slice(0, MAX_CONFIG_BYTES));
  }
  return null;
}

/** The error of a W&B run folder that holds no history at all (`wandb-summary.json` alone is not one). */
export function noWandbHistory(loc: { name: string; lossFiles: readonly string[]; fallbackLossFiles?: readonly string[] }): ReadError | null {
  if (loc.lossFiles.length || loc.fallbackLossFiles?.length) return null;
  return { source: '.', message: t('{0}: no history rows (the run folder has no run-<id>.wandb, wandb-history.jsonl or output.log)', loc.name) };
}
