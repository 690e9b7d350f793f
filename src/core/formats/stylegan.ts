// What the StyleGAN family (NVlabs stylegan2-ada-pytorch, stylegan3) writes as JSON lines, made into
// plain records for the JSON lines reader:
// - `stats.jsonl` (training_loop.py): one object per tick, every statistic nested as
//   `{"num": n, "mean": m, "std": s}` (torch_utils/training_stats.py). The mean is the value; the
//   count and spread are not series of their own. The step is `Progress/kimg`.
// - `metric-<name>.jsonl` (metrics/metric_main.py report_metric): `{"results": {"fid50k_full": x},
//   "metric", "total_time", "total_time_str", "num_gpus", "snapshot_pkl":
//   "network-snapshot-000200.pkl", "timestamp"}`. The number in the snapshot's name is its kimg.
//   Each result becomes `Metrics/<name>`, the name the training loop gives it in TensorBoard.
import type { LogRecord } from './records';

/** The kimg of a StyleGAN snapshot file name (`network-snapshot-000200.pkl` → 200), else null. */
export function snapshotKimg(name: string): number | null {
  const m = /snapshot-(\d+)\.pkl$/i.exec(name.trim());
  return m ? Number(m[1]) : null;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A `{num, mean, std}` statistic of training_stats; its mean, else undefined. */
export function statMean(v: unknown): unknown {
  if (!isPlainObject(v) || !('mean' in v) || !('num' in v)) return undefined;
  for (const k in v) if (k !== 'num' && k !== 'mean' && k !== 'std') return undefined;
  return v.mean;
}

/** A metric_main.py report turned into `{Progress/kimg, Metrics/<name>…}`; null when it is not one. */
export function metricReport(record: LogRecord): LogRecord | null {
  const results = record.results;
  if (!isPlainObject(results) || typeof record.snapshot_pkl !== 'string' || !('metric' in record)) return null;
  const out: LogRecord = {};
  const kimg = snapshotKimg(record.snapshot_pkl);
  if (kimg !== null) out['Progress/kimg'] = kimg;
  for (const [k, v] of Object.entries(results)) out[`Metrics/${k}`] = v;
  return out;
}
