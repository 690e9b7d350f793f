// The loss files discovery can only find by looking inside: printed training logs among text files,
// and the metric files of an MLflow run.
import { open, readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { headIsPrintedLog, PRINTED_HEAD_BYTES } from './formats';

/** True when the file's first MiB holds enough printed loss lines (see `looksLikePrintedLog`). */
export async function isPrintedLogFile(abs: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(abs, 'r');
    const buffer = new Uint8Array(PRINTED_HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return headIsPrintedLog(buffer.subarray(0, bytesRead));
  } catch {
    return false;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

// MLflow keys with `/` are subfolders: `metrics/Loss/D`.
const KEY_DEPTH = 4;

/** `metrics/<key>` for every metric file of an MLflow run, relative to the run folder. */
export async function mlflowMetricFiles(metricsDir: string): Promise<string[]> {
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
