// MLflow's local file store: `mlruns/<experiment id>/<run id>/metrics/<key>` (keys with `/` are
// subfolders), one line per logged value: `<timestamp ms> <value> <step>` (mlflow/store/tracking/
// file_store.py; files from before MLflow 1.0 have no step). The series is named by its key.
import type { RawSeries } from '../model';
import { t } from '../l10n';
import { decodeText, parseNumber } from './records';
import { Columns, LineReader, type LineFormat } from './lineLog';
import type { SkipReport } from './skipped';

/** The metric key of a file inside a run's `metrics/` folder (`metrics/Loss/D` → `Loss/D`), else null. */
export function mlflowMetricKey(relPath: string): string | null {
  const m = /(?:^|\/)metrics\/(.+)$/.exec(relPath.replace(/\\/g, '/'));
  return m ? m[1]! : null;
}

export class MlflowMetric implements LineFormat {
  readonly columns = new Columns();
  private count = 0;

  constructor(private readonly key: string) {}

  line(text: string): boolean {
    const fields = text.trim().split(/\s+/);
    if (fields.length === 1 && fields[0] === '') return true;
    if (fields.length < 2 || fields.length > 3) return false;
    const value = parseNumber(fields[1]!);
    const step = fields.length === 3 ? parseNumber(fields[2]!) : this.count;
    if (value === null || step === null || !Number.isFinite(step) || parseNumber(fields[0]!) === null) return false;
    // Steps may repeat or go back (several calls at one step, a resumed run): kept in file order, sorted at the end.
    this.columns.push(this.key, this.count++, value);
    this.steps.push(step);
    return true;
  }

  private steps: number[] = [];

  mark(): unknown {
    return this.count;
  }

  rollback(mark: unknown): void {
    this.count = mark as number;
    this.steps.length = this.count;
  }

  series(): RawSeries[] {
    const out = this.columns.series((i) => this.steps[i]!);
    for (const s of out) {
      // Stable sort by step, as the other readers hand out increasing steps.
      let sorted = true;
      for (let i = 1; i < s.steps.length && sorted; i++) if (s.steps[i]! < s.steps[i - 1]!) sorted = false;
      if (sorted) continue;
      const order = Array.from(s.steps.keys()).sort((a, b) => s.steps[a]! - s.steps[b]! || a - b);
      s.steps = Float64Array.from(order, (i) => s.steps[i]!);
      s.values = Float64Array.from(order, (i) => s.values[i]!);
    }
    return out;
  }
}

export function newMlflowReader(fileName: string): LineReader {
  return new LineReader(
    new MlflowMetric(mlflowMetricKey(fileName) ?? fileName),
    fileName,
    t('no "timestamp value step" lines'),
    t('not a "timestamp value step" line'),
  );
}

/** Reads a whole MLflow metric file; `fileName` is its path relative to the run (`metrics/<key>`). */
export function readMlflowMetric(bytes: Uint8Array, fileName: string, report?: SkipReport): RawSeries[] {
  const text = decodeText(bytes, fileName);
  const reader = newMlflowReader(fileName);
  return reader.series(text.slice(reader.push(text)), false, report);
}
