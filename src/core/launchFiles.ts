// Several files of one run folder that are launches of the same training, each starting its steps
// again (TensorBoard writes a new events file per launch; a console log saved per launch): one run
// with copies of the same series over the same steps would compare nothing with nothing. The latest
// launch is kept (names that differ only in their digits, a time stamp, order them) and a note says
// which were set aside. Files whose steps follow one another (a resumed run) stay together.
import type { Series } from './model';
import { t } from './l10n';

interface FileSeries {
  source: string;
  series: Series[];
  first: number;
  last: number;
  records: number;
}

const dirOf = (source: string) => source.slice(0, source.lastIndexOf('/') + 1);
const baseOf = (source: string) => source.slice(source.lastIndexOf('/') + 1);
const patternOf = (source: string) => `${dirOf(source)}${baseOf(source).replace(/\d+/g, '#')}`;

/** The number of different steps in increasing `steps`. */
function distinct(steps: Float64Array): number {
  let n = steps.length ? 1 : 0;
  for (let i = 1; i < steps.length; i++) if (steps[i] !== steps[i - 1]) n++;
  return n;
}

/** Orders names by their digits as numbers (`…1550462175…` before `…1550463088…`). */
function natural(a: string, b: string): number {
  const x = a.match(/\d+|\D+/g) ?? [];
  const y = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i]!;
    const q = y[i]!;
    if (p === q) continue;
    if (/^\d/.test(p) && /^\d/.test(q)) return Number(p) - Number(q) || p.length - q.length;
    return p < q ? -1 : 1;
  }
  return x.length - y.length;
}

/** The run's series with earlier launches' files set aside, and one note for them. */
export function latestLaunchFiles(series: Series[]): { series: Series[]; notes: string[] } {
  const byFile = new Map<string, FileSeries>();
  for (const s of series) {
    let f = byFile.get(s.source);
    if (!f) byFile.set(s.source, (f = { source: s.source, series: [], first: Infinity, last: -Infinity, records: 0 }));
    f.series.push(s);
    if (s.steps.length) {
      f.first = Math.min(f.first, s.steps[0]!);
      f.last = Math.max(f.last, s.steps[s.steps.length - 1]!);
      f.records = Math.max(f.records, distinct(s.steps));
    }
  }
  const groups = new Map<string, FileSeries[]>();
  for (const f of byFile.values()) groups.set(patternOf(f.source), [...(groups.get(patternOf(f.source)) ?? []), f]);
  const aside = new Set<string>();
  const notes: string[] = [];
  for (const files of groups.values()) {
    if (files.length < 2) continue;
    files.sort((a, b) => natural(baseOf(a.source), baseOf(b.source)));
    const kept = files[files.length - 1]!;
    const names = new Set(kept.series.map((s) => s.name));
    let first = kept.first;
    const setAside: FileSeries[] = [];
    for (let i = files.length - 2; i >= 0; i--) {
      const f = files[i]!;
      // An earlier file that logs the same names over the steps of a later launch is an earlier launch.
      if (f.series.some((s) => names.has(s.name)) && f.last >= first) setAside.push(f);
      else first = Math.min(first, f.first);
    }
    if (!setAside.length) continue;
    for (const f of setAside) aside.add(f.source);
    const list = setAside
      .reverse()
      .map((f) => t('{0} ({1} steps)', baseOf(f.source), f.records))
      .join(', ');
    notes.push(
      setAside.length === 1
        ? t('{0} is the latest launch; 1 earlier launch set aside: {1}', baseOf(kept.source), list)
        : t('{0} is the latest launch; {1} earlier launches set aside: {2}', baseOf(kept.source), setAside.length, list),
    );
  }
  if (!aside.size) return { series, notes };
  return { series: series.filter((s) => !aside.has(s.source)), notes };
}
