// Whether a text file is a printed training log, from its first bytes: what discovery asks of every
// `*.log`, `*.txt`, `*.out` it meets, so it decides on the head alone and never builds series.
import { metricDirection } from '../roles';
import { LineSplitter, NameCache } from './printedLine';
import { metricReport } from './stylegan';
import { TICK } from './printed';

const JSON_MEMBER = /^"[^"]*"\s*:/;

/**
 * Whether the start of a text file (`head`, up to about 1 MiB) is a printed training log: at
 * least `min` lines that print a D or G loss or a quality metric, or tick lines; or, in a file of
 * nothing else, `min` rows of the same count of numbers, not all whole (a header-less loss table),
 * unless `tables` is false (a `.csv`, whose own reader reads tables with or without a header).
 */
export function looksLikePrintedLog(head: string, min = 3, tables = true): boolean {
  let found = 0;
  let rows = 0;
  let width = -1;
  let fractional = false;
  let other = 0;
  const names = new NameCache();
  const splitter = new LineSplitter(names);
  for (const line of head.split(/\r\n|\r|\n/)) {
    const trimmed = line.trimStart();
    if (!trimmed) continue;
    // `"main/loss_dis": 0.69,`: a line of pretty-printed JSON (Chainer's LogReport, damaged or not) is its reader's.
    if (JSON_MEMBER.test(trimmed)) continue;
    if (trimmed.startsWith('tick ')) {
      if (TICK.test(trimmed) && ++found >= min) return true;
      continue;
    }
    if (trimmed.startsWith('{') && trimmed.includes('"results"')) {
      try {
        if (metricReport(JSON.parse(trimmed) as Record<string, unknown>) && ++found >= min) return true;
      } catch {
        // Not JSON: read as any line.
      }
    }
    const p = splitter.split(line);
    if (p.numeric) {
      if (width >= 0 && p.count !== width) other++;
      width = p.count;
      for (let i = 0; i < p.count; i++) if (p.values[i] !== Math.floor(p.values[i]!)) fractional = true;
      rows++;
      continue;
    }
    if (!p.header.length) other++;
    let loss = false;
    for (let i = 0; i < p.count && !loss; i++) loss = names.info(p.names[i]!).loss || metricDirection(p.names[i]!) !== null;
    if (loss && ++found >= min) return true;
  }
  return tables && found < min && rows >= min && fractional && other === 0;
}
