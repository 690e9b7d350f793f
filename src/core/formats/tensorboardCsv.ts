// TensorBoard's "download data" of one scalar: `run-<run>-tag-<tag>.csv` holding `Wall time,Step,Value`
// (a `/` in the run or tag written as `_`). People keep these when the event files are gone. The
// values are the tag's, so the file's name names the column; a folder of them is one run.

const EXPORTED = /^run-(.*)-tag-(.+)\.csv$/i;

/** The tag of an exported scalar's file name (`run-.-tag-Loss_D.csv` → `Loss_D`), else null. */
export function exportedTag(fileName: string): string | null {
  const m = EXPORTED.exec(fileName.split('/').pop() ?? fileName);
  return m ? m[2]! : null;
}

/** Whether a CSV header is an exported scalar's (`Wall time,Step,Value`, any case). */
export function isExportedHeader(header: readonly string[]): boolean {
  return (
    header.length === 3 &&
    header[0]!.trim().toLowerCase() === 'wall time' &&
    header[1]!.trim().toLowerCase() === 'step' &&
    header[2]!.trim().toLowerCase() === 'value'
  );
}
