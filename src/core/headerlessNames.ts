// Header-less loss tables (`np.savetxt`, a TSV appended by `log.write(...)`) are read with numbered
// columns (`loss[1]`, formats/headerless.ts); the code that wrote them names them, when the
// workspace has it (code/columnNames.ts). Roles are assigned again from the names found.
import type { RawSeries, Series } from './model';
import { assignRoles } from './roles';
import { numberedColumn } from './formats/headerless';
import { columnNamesFromCode } from './code/columnNames';
import { trainingCodeOf, type TrainingCodeOptions } from './code/trainingCode';

const stemOf = (source: string) => (source.split('/').pop() ?? source).replace(/\.[^.]+$/, '');

/** The series with the numbered columns of each header-less file named from its code, where the code says. */
export async function nameColumnsFromCode(root: string, series: Series[], opts: TrainingCodeOptions = {}): Promise<Series[]> {
  const bySource = new Map<string, Series[]>();
  for (const s of series) {
    if (/\.npy$/i.test(s.source) || s.column === null) continue;
    const i = numberedColumn(s.name);
    if (i === null || s.name !== `${stemOf(s.source)}[${i}]`) continue;
    bySource.set(s.source, [...(bySource.get(s.source) ?? []), s]);
  }
  if (!bySource.size) return series;
  const code = await trainingCodeOf(root, opts).catch(() => null);
  if (!code) return series;
  const renamed = new Map<Series, Series>();
  for (const [source, cols] of bySource) {
    const columns = Math.max(...cols.map((s) => s.column!)) + 1;
    const names = columnNamesFromCode(code, source.split('/').pop()!, columns);
    if (!names) continue;
    const raw: RawSeries[] = cols.map((s) => ({
      name: names[s.column!]!,
      column: s.column,
      steps: s.steps,
      values: s.values,
      ...(s.stepsPerEpoch ? { stepsPerEpoch: s.stepsPerEpoch } : {}),
    }));
    assignRoles(source, raw).forEach((s, i) => renamed.set(cols[i]!, s));
  }
  return series.map((s) => renamed.get(s) ?? s);
}
