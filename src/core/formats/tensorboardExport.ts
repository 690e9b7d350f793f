// TensorBoard's "download data" of one scalar: `run-<run>-tag-<tag>.csv` holding `Wall time,Step,Value`,
// or `.json` holding `[[wall time, step, value], …]` (a `/` in the run or tag written as `_`). People
// keep these when the event files are gone. The values are the tag's, so the file's name names
// them; a folder of them is one run.

import { asNumber } from './jsonl';

const EXPORTED = /^run-(.*)-tag-(.+)\.(?:csv|json)$/i;

/** The tag of an exported scalar's file name (`run-.-tag-Loss_D.csv` → `Loss_D`), else null. */
export function exportedTag(fileName: string): string | null {
  const m = EXPORTED.exec(fileName.split('/').pop() ?? fileName);
  return m ? m[2]! : null;
}

/** The tag naming the `Value` column of a CSV whose header is an exported scalar's (`Wall time,Step,Value`, any case), else null. */
export function exportedCsvTag(header: readonly string[], fileName: string): string | null {
  const exported =
    header.length === 3 &&
    header[0]!.trim().toLowerCase() === 'wall time' &&
    header[1]!.trim().toLowerCase() === 'step' &&
    header[2]!.trim().toLowerCase() === 'value';
  return exported ? exportedTag(fileName) : null;
}

/** An exported scalar's JSON rows (`[wall time, step, value]` each) as its steps and values, else null. */
export function exportedRows(doc: unknown): { steps: Float64Array; values: Float64Array } | null {
  if (!Array.isArray(doc) || !doc.length) return null;
  const steps = new Float64Array(doc.length);
  const values = new Float64Array(doc.length);
  for (let i = 0; i < doc.length; i++) {
    const row: unknown = doc[i];
    if (!Array.isArray(row) || row.length !== 3 || typeof row[1] !== 'number') return null;
    steps[i] = row[1];
    // A NaN or infinite value is spelled out (JSON holds no other way): read as the JSON-lines reader reads one.
    values[i] = asNumber(row[2]) ?? NaN;
  }
  return { steps, values };
}
