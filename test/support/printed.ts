// Reading printed logs in tests: a whole read with what the reader told (notes, stages, unit), the
// series by name, and the same text read in pieces through the append cache (a live refresh).
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readLossFile } from '../../src/core/formats';
import { AppendCache } from '../../src/core/formats/appendCache';
import type { RawSeries } from '../../src/core/model';
import type { SkipReport } from '../../src/core/formats/skipped';

export const enc = (s: string) => new TextEncoder().encode(s);

export interface Read {
  series: RawSeries[];
  by: Record<string, RawSeries>;
  report: SkipReport;
  /** Each series' steps and values as plain arrays, by name. */
  steps: (name: string) => number[];
  values: (name: string) => number[];
}

/** A whole read of `text` as the file `name`. */
export function read(name: string, text: string): Read {
  const report: SkipReport = { skipped: null };
  const series = readLossFile(name, enc(text), undefined, report);
  const by = Object.fromEntries(series.map((s) => [s.name, s]));
  const of = (n: string) => {
    assert.ok(by[n], `series ${n} (have: ${Object.keys(by).join(', ')})`);
    return by[n]!;
  };
  return { series, by, report, steps: (n) => [...of(n).steps], values: (n) => [...of(n).values] };
}

/** The same text written in `pieces` and read through the append cache after each: equal to a whole read every time. */
export async function appendsEqualWholeRead(name: string, pieces: string[]): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gan-printed-append-'));
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '');
  const cache = new AppendCache();
  for (const piece of pieces) {
    appendFileSync(file, piece);
    const { size, mtimeMs, ino } = statSync(file);
    const report: SkipReport = { skipped: null };
    const viaCache = await cache.read(file, name, { size, mtimeMs, ino }, report).then(
      (series) => ({ series, report }),
      (e: Error) => e.message,
    );
    let whole: { series: RawSeries[]; report: SkipReport } | string;
    try {
      const wholeReport: SkipReport = { skipped: null };
      whole = { series: readLossFile(name, readFileSync(file), undefined, wholeReport), report: wholeReport };
    } catch (e) {
      whole = (e as Error).message;
    }
    assert.deepEqual(viaCache, whole, `after ${size} bytes`);
  }
}

/** `text` cut into pieces of about `size` characters (a live run appending as it prints). */
export function piecesOf(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
