// What the StyleGAN family (NVlabs stylegan2-ada-pytorch, stylegan3) writes as JSON lines, made into
// plain records for the JSON lines reader:
// - `stats.jsonl` (training_loop.py): one object per tick, every statistic nested as
//   `{"num": n, "mean": m, "std": s}` (torch_utils/training_stats.py). The mean is the value; the
//   count and spread are not series of their own. The step is `Progress/kimg`.
// - `metric-<name>.jsonl` (metrics/metric_main.py report_metric): `{"results": {"fid50k_full": x},
//   "metric", "total_time", "total_time_str", "num_gpus", "snapshot_pkl":
//   "network-snapshot-000200.pkl", "timestamp"}`. The number in the snapshot's name is its kimg.
//   Each result becomes `Metrics/<name>`, the name the training loop gives it in TensorBoard.
import { parseNumber, type LogRecord } from './records';

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

/** Series names and their values, as a printed StyleGAN line gives them. */
export interface PrintedMetrics {
  kimg: number;
  names: string[];
  values: number[];
}

/**
 * A metric report printed to `log.txt` (StyleGAN2-ADA / StyleGAN3, one JSON object a line): its
 * `Metrics/<name>` values at its snapshot's kimg, else at `lastKimg` (a report with no snapshot,
 * `snapshot_pkl: null`, is calc_metrics on a network of its own: it sits at the last tick); null
 * when the line is no report.
 */
export function printedReport(text: string, lastKimg: number): PrintedMetrics | null {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isPlainObject(record)) return null;
  const report = metricReport(record.snapshot_pkl === null ? { ...record, snapshot_pkl: '' } : record);
  if (!report) return null;
  const kimg = typeof report['Progress/kimg'] === 'number' ? report['Progress/kimg'] : lastKimg;
  const names: string[] = [];
  const values: number[] = [];
  for (const [k, v] of Object.entries(report)) {
    if (k === 'Progress/kimg') continue;
    const value = typeof v === 'number' ? v : typeof v === 'string' ? parseNumber(v) : null;
    if (value === null) continue;
    names.push(k);
    values.push(value);
  }
  return { kimg, names, values };
}

/** The metrics of a snapshot's line in `metric-<name>.txt` after `time` (`3m 21s  fid50k 12.3456`); null when it has none or one is not a number. */
export function snapshotMetrics(rest: string): Omit<PrintedMetrics, 'kimg'> | null {
  const fields = rest.trim().split(/\s+/);
  let i = 0;
  while (i < fields.length && /^\d+[dhms]$/.test(fields[i]!)) i++; // the time: `1h 02m 03s`
  const names: string[] = [];
  const values: number[] = [];
  for (; i + 1 < fields.length; i += 2) {
    const value = parseNumber(fields[i + 1]!);
    if (value === null) return null;
    names.push(`Metrics/${fields[i]!}`);
    values.push(value);
  }
  return names.length ? { names, values } : null;
}
