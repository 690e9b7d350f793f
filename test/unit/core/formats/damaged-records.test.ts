// One damaged record must never cost the whole file (#19). Fuzz tests for every record-shaped
// reader: random byte flips, holes of zeros, inserted lines (or bytes) and truncations, each on a
// file whose records are known. The property: every record the damage did not touch is kept,
// exactly; the damage is reported (how many records, where the first was) when it made something
// unreadable, and only then; a cut-short end is not damage. TensorBoard records carry checksums, so
// there the output is exactly the untouched records: nothing damaged is ever read as data.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { AppendCache } from '../../../../src/core/formats/appendCache';
import { readLossFile, ReadFailure } from '../../../../src/core/formats';
import type { RawSeries } from '../../../../src/core/model';
import type { SkipReport, SkippedRecords } from '../../../../src/core/formats/skipped';
import { parseNumber } from '../../../../src/core/formats/records';
import { withNonFiniteAsStrings } from '../../../../src/core/formats/jsonl';
import { damage, frame, splitLines, type DamageCase, type Damaged, type Format, type Framed, type Rec } from '../../../support/damage';

const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const cases: Record<string, number> = {};
// Of those, how many had damage reported, and how many were refused with nothing left to read.
const reported: Record<string, number> = {};
const refused: Record<string, number> = {};

/** A loss value whose decimal text reads back exactly. */
const loss = fc.double({ min: -20, max: 20, noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v));
const records = fc
  .array(fc.tuple(loss, loss), { minLength: 20, maxLength: 60 })
  .map((pairs): Rec[] => pairs.map(([d, g], i) => ({ step: 10 * (i + 1), d, g })));

// Lines a training script or a terminal prints into a log; none is a record of any format.
const strayLine = fc.oneof(
  fc.constantFrom(
    'Epoch 3/10',
    'Traceback (most recent call last):',
    'WARNING: loss is nan',
    '100%|##########| 469/469 [00:12<00:00, 38.1it/s]',
    'loss=0.5, v_num=1',
    'Killed',
  ),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9 =:.,%|/-]{0,40}$/),
);
// Uniform over the file (fc.double leans to tiny values: every cut would be at the start).
const fraction = fc.integer({ min: 0, max: 999_999 }).map((n) => n / 1_000_000);

function damageCase(format: Format): fc.Arbitrary<DamageCase> {
  const flip = fc
    .array(fc.tuple(fraction, fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 })
    .map((f) => ({ kind: 'flip' as const, at: f.map((x) => x[0]), masks: f.map((x) => x[1]) }));
  const hole = fc.record({ kind: fc.constant('hole' as const), at: fraction, length: fc.integer({ min: 1, max: format === 'tfevents' ? 300 : 100 }) });
  const content =
    format === 'tfevents'
      ? fc.uint8Array({ minLength: 1, maxLength: 64 })
      : strayLine.map((l) => new TextEncoder().encode(format === 'chainer' ? `${l}\n` : `${l}\n`));
  const insert = fc
    .array(fc.tuple(fraction, content), { minLength: 1, maxLength: 3 })
    .map((i) => ({ kind: 'insert' as const, at: i.map((x) => x[0]), content: i.map((x) => x[1]) }));
  return fc.record({ damage: fc.oneof(flip, hole, insert), cut: fc.option(fraction, { freq: 4 }) });
}

interface Outcome {
  series: RawSeries[] | null;
  failure: string | null;
  skipped: SkippedRecords | null;
}

function read(f: Framed, bytes: Uint8Array): Outcome {
  const report: SkipReport = { skipped: null };
  try {
    return { series: readLossFile(f.fileName, bytes, undefined, report), failure: null, skipped: report.skipped };
  } catch (e) {
    if (!(e instanceof ReadFailure)) throw e;
    assert.ok(e.message.startsWith(`${f.fileName}: `) && !/[\n\r]/.test(e.message), e.message);
    return { series: null, failure: e.message, skipped: null };
  }
}

/** (step, value) pairs of a series as a multiset. */
function pairs(series: RawSeries[], name: string): Map<string, number> {
  const out = new Map<string, number>();
  const s = series.find((x) => x.name === name);
  if (!s) return out;
  for (let i = 0; i < s.steps.length; i++) {
    const key = `${s.steps[i]}:${s.values[i]}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

function expectedPairs(f: Framed, keep: (i: number) => boolean, which: 0 | 1): Map<string, number> {
  const out = new Map<string, number>();
  f.recs.forEach((r, i) => {
    if (!r || !keep(i)) return;
    const v = which === 0 ? r.d : r.g;
    if (Number.isNaN(v)) return;
    const key = `${r.step}:${f.stored(v)}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  });
  return out;
}

/** Checks one damaged file against the property; returns a label of what happened, for the tally. */
function check(f: Framed, c: DamageCase): void {
  const d = damage(f, c);
  const out = read(f, d.bytes);
  const intact = (i: number) => !d.touched.has(i) && !d.cut.has(i);
  const anyIntact = f.recs.some((r, i) => r !== null && intact(i));
  const where = `${f.format} ${JSON.stringify(c, (_k, v) => (v instanceof Uint8Array ? Array.from(v) : v))}`;
  // A file a quarter NULs in its first 4 KiB is not taken for text (decodeText): that hole costs the file.
  const probe = d.bytes.subarray(0, 4096);
  const mostlyNul = f.format !== 'tfevents' && probe.filter((b) => b === 0).length * 4 > probe.length;
  const text = new TextDecoder().decode(d.bytes);
  // A CSV column that damage left mostly text is refused as a text column would be (when no quote spans lines).
  const kept = f.format === 'csv' && !text.includes('"') ? csvKeptColumns(text) : [true, true];
  if (anyIntact && !mostlyNul && (kept[0] || kept[1])) assert.ok(out.series, `${where}: refused although records are intact: ${out.failure}`);
  if (out.skipped) reported[f.format] = (reported[f.format] ?? 0) + 1;
  if (!out.series) {
    refused[f.format] = (refused[f.format] ?? 0) + 1;
    if (process.env.FUZZ_DEBUG) console.error(out.failure, JSON.stringify(c).slice(0, 200));
    return;
  }
  for (const which of [0, 1] as const) {
    if (!kept[which]) continue;
    const got = pairs(out.series, f.names[which]);
    const want = expectedPairs(f, intact, which);
    for (const [key, n] of want) assert.ok((got.get(key) ?? 0) >= n, `${where}: ${f.names[which]} lost the untouched record ${key}`);
    // Checksums: nothing a damaged record held is read, nothing is made up.
    if (f.format === 'tfevents') assert.deepEqual(got, want, `${where}: ${f.names[which]} holds exactly the untouched records`);
  }
  if (f.format === 'tfevents') checkRecordReport(f, d, out.skipped, where);
  else if (f.format === 'chainer') checkArrayReport(f, d, c, out.skipped, where);
  else checkLineReport(f, d, out.skipped, where);
}

/**
 * Event files: the first damage reported is at the record where the damaged file first differs
 * from the original (when enough of the file is there to tell a damaged record from one being
 * written); nothing is reported when the file is a cut-short copy of the original.
 */
function checkRecordReport(f: Framed, d: Damaged, skipped: SkippedRecords | null, where: string) {
  let q = 0;
  while (q < d.bytes.length && d.bytes[q] === f.bytes[q]) q++;
  if (q === d.bytes.length) {
    assert.equal(skipped, null, `${where}: reported although only cut short`);
    return;
  }
  const record = f.ranges.find(([a, b]) => q >= a && q < b);
  const start = record ? record[0] : q;
  const view = new DataView(f.bytes.buffer);
  // Past its header (intact, so its length is right) the record must be all there to be judged.
  const need = record && q >= start + 12 ? start + 12 + view.getUint32(start, true) + 4 : start + 12;
  if (need <= d.bytes.length) {
    assert.ok(skipped, `${where}: damage at byte ${q} not reported`);
    assert.deepEqual(skipped.first, { byte: start }, `${where}: first damaged record`);
  }
  if (skipped) assert.ok(skipped.count >= 1 && skipped.count <= d.touched.size + d.insertedAt.length + d.changedOutside, `${where}: count ${skipped.count}`);
}

type Cell = 'num' | 'text' | 'empty';

/** A CSV line as the reference reads it: null when the row cannot be placed (and `blank` when that is no damage). */
function csvLine(line: string): { cells: [Cell, Cell] } | { unplaced: 'damage' | 'blank' } {
  if (line === '') return { unplaced: 'blank' };
  const cells = line.split(',');
  if (cells.length > 3 && cells.slice(3).some((c) => c.trim() !== '')) return { unplaced: 'damage' };
  if (cells[0] === '') return { unplaced: 'blank' }; // no step logged: not placed, not damage
  const step = parseNumber(cells[0]!);
  if (step === null || !Number.isFinite(step)) return { unplaced: 'damage' };
  const cell = (c: string | undefined): Cell => (c === undefined || c.trim() === '' ? 'empty' : parseNumber(c) === null ? 'text' : 'num');
  return { cells: [cell(cells[1]), cell(cells[2])] };
}

/** The CSV columns the reference keeps: those not mostly text (a text column is not a loss). */
function csvKeptColumns(text: string): [boolean, boolean] {
  const { lines, unfinishedLast } = splitLines(text);
  const nums = [0, 0];
  const texts = [0, 0];
  lines.slice(1).forEach((line, i) => {
    const read = csvLine(line);
    if (!('cells' in read)) return;
    const last = unfinishedLast && i === lines.length - 2;
    read.cells.forEach((c, k) => {
      if (c === 'num') nums[k]!++;
      else if (c === 'text' && !last) texts[k]!++;
    });
  });
  return [nums[0]! > 0 && nums[0]! >= texts[0]!, nums[1]! > 0 && nums[1]! >= texts[1]!];
}

/** Is this complete line a record the reader can read? (The reference the reports are checked against.) */
function lineReadable(format: Format, line: string, kept: [boolean, boolean]): 'yes' | 'no' | 'blank' {
  if (format === 'jsonl') {
    const trimmed = line.trim();
    if (!trimmed) return 'blank';
    try {
      const v: unknown = JSON.parse(withNonFiniteAsStrings(trimmed));
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? 'yes' : 'no';
    } catch {
      return 'no';
    }
  }
  const read = csvLine(line);
  if ('unplaced' in read) return read.unplaced === 'blank' ? 'blank' : 'no';
  return read.cells.some((c, k) => c === 'text' && kept[k]) ? 'no' : 'yes';
}

/** CSV and JSON lines: the count and first line are exactly those of the complete lines that cannot be read. */
function checkLineReport(f: Framed, d: Damaged, skipped: SkippedRecords | null, where: string) {
  const text = new TextDecoder().decode(d.bytes);
  if (f.format === 'csv' && text.includes('"')) return; // a quote may open a cell over lines: checked by the kept records only
  const { lines, unfinishedLast } = splitLines(text);
  const complete = unfinishedLast ? lines.slice(0, -1) : lines;
  const kept = f.format === 'csv' ? csvKeptColumns(text) : ([true, true] as [boolean, boolean]);
  // A step column where no row has a number is no step column: rows are numbered, nothing is damage.
  if (
    f.format === 'csv' &&
    !lines.slice(1).some((l) => {
      const s = parseNumber(l.split(',')[0]!);
      return s !== null;
    })
  )
    return;
  const bad: number[] = [];
  complete.forEach((line, i) => {
    if (f.format === 'csv' && i === 0) return; // the header
    if (lineReadable(f.format, line, kept) === 'no') bad.push(i + 1);
  });
  if (!bad.length) assert.equal(skipped, null, `${where}: reported ${JSON.stringify(skipped)} but every line reads`);
  else {
    assert.ok(skipped, `${where}: lines ${bad.join(', ')} cannot be read but nothing was reported`);
    assert.equal(skipped.count, bad.length, `${where}: count`);
    assert.deepEqual(skipped.first, { line: bad[0] }, `${where}: first`);
  }
}

/** Chainer log: damage that breaks the JSON is reported at the damaged record (or stray text), never at an intact one. */
function checkArrayReport(f: Framed, d: Damaged, c: DamageCase, skipped: SkippedRecords | null, where: string) {
  const text = new TextDecoder().decode(d.bytes);
  let parses = false;
  try {
    JSON.parse(withNonFiniteAsStrings(text));
    parses = true;
  } catch {
    // damaged
  }
  if (parses) assert.equal(skipped, null, `${where}: valid JSON, nothing to report`);
  else if (c.cut === null && /\]\s*$/.test(text)) assert.ok(skipped, `${where}: broken JSON not reported`);
  if (!skipped) return;
  const original = splitLines(new TextDecoder().decode(f.bytes)).lines;
  const damagedLines = splitLines(text).lines;
  // The damaged span: from the first line that differs to the last (by the common end).
  let firstDiff = 0;
  while (firstDiff < damagedLines.length && damagedLines[firstDiff] === original[firstDiff]) firstDiff++;
  let sameEnd = 0;
  while (sameEnd < damagedLines.length - firstDiff && damagedLines[damagedLines.length - 1 - sameEnd] === original[original.length - 1 - sameEnd]) sameEnd++;
  const lastDiff = damagedLines.length - sameEnd;
  const line = 'line' in skipped.first ? skipped.first.line : -1;
  // A record spans 7 lines ({, five keys, }): the report names the line where the damaged one starts.
  assert.ok(
    line >= firstDiff + 1 - 7 && line <= Math.max(lastDiff, firstDiff + 1),
    `${where}: first at line ${line}, damage in lines ${firstDiff + 1}–${lastDiff}`,
  );
  assert.ok(skipped.count <= d.touched.size + d.insertedAt.length + d.changedOutside, `${where}: count ${skipped.count}`);
}

for (const format of ['tfevents', 'csv', 'jsonl', 'chainer'] as const) {
  test(`fuzz ${format}: flips, holes, inserted ${format === 'tfevents' ? 'bytes' : 'lines'} and cuts keep every untouched record and report the damage`, () => {
    fc.assert(
      fc.property(records, damageCase(format), (recs, c) => {
        cases[format] = (cases[format] ?? 0) + 1;
        try {
          check(frame(format, recs), c);
        } catch (e) {
          // FUZZ_DUMP=file: keep the failing case to replay it.
          if (process.env.FUZZ_DUMP)
            writeFileSync(
              process.env.FUZZ_DUMP,
              JSON.stringify([recs, c, format], (_k, v) => (v instanceof Uint8Array ? { bytes: Array.from(v) } : v)),
            );
          throw e;
        }
      }),
      {
        numRuns: RUNS,
        includeErrorInReport: true,
        endOnFailure: !!process.env.FUZZ_NO_SHRINK,
        ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}),
      },
    );
  });
}

// ── Live refresh: damage in the part appended since the last read ────────────────────────────────

const liveDir = mkdtempSync(join(tmpdir(), 'gan-damaged-live-'));
after(() => rmSync(liveDir, { recursive: true, force: true }));
let liveFiles = 0;

/** What a read gives, in a form two reads can be compared by: series (or the failure) and the skip report. */
function outcomeOf(series: RawSeries[] | null, failure: string | null, skipped: SkippedRecords | null) {
  return {
    series: series?.map((s) => ({ name: s.name, column: s.column, steps: Array.from(s.steps), values: Array.from(s.values) })) ?? null,
    failure,
    skipped,
  };
}

async function throughCache(cache: AppendCache, file: string, fileName: string) {
  const { size, mtimeMs, ino } = statSync(file);
  const report: SkipReport = { skipped: null };
  try {
    return outcomeOf(await cache.read(file, fileName, { size, mtimeMs, ino }, report), null, report.skipped);
  } catch (e) {
    return outcomeOf(null, (e as Error).message, null);
  }
}

function wholeOutcome(fileName: string, bytes: Uint8Array) {
  const out = read({ fileName } as Framed, bytes);
  return outcomeOf(out.series, out.failure, out.skipped);
}

for (const format of ['tfevents', 'csv', 'jsonl'] as const) {
  test(`live refresh ${format}: damage at a random byte of an append, then more appended, equals a whole read of the same bytes`, async () => {
    await fc.assert(
      fc.asyncProperty(
        records,
        fraction,
        fraction,
        fraction,
        fc.integer({ min: 1, max: 255 }),
        fc.integer({ min: 0, max: 40 }),
        async (recs, a, b, at, mask, hole) => {
          cases[`live ${format}`] = (cases[`live ${format}`] ?? 0) + 1;
          const f = frame(format, recs);
          const bytes = f.bytes.slice();
          // Three pieces: read, append (damaged), append more.
          const first = Math.max(1, Math.floor(Math.min(a, b) * bytes.length));
          const second = Math.min(bytes.length - 1, Math.max(first + 1, Math.floor(Math.max(a, b) * bytes.length)));
          const p = first + Math.floor(at * (second - first));
          if (hole) bytes.fill(0, p, Math.min(second, p + hole));
          else bytes[p] = bytes[p]! ^ mask;
          const file = join(liveDir, `${liveFiles++}-${f.fileName}`);
          const cache = new AppendCache();
          let before: ReturnType<typeof outcomeOf> | null = null;
          for (const end of [first, second, bytes.length]) {
            writeFileSync(file, bytes.subarray(0, end));
            const cached = await throughCache(cache, file, f.fileName);
            // What was shown stays (a CSV column may still turn out mostly text, so not there).
            if (format !== 'csv' && before?.series) {
              for (const s of before.series) {
                const now = cached.series?.find((x) => x.name === s.name);
                // Every (step, value) shown stays: a damaged step can repeat one already read, so a
                // step may hold two values, in either order.
                const kept = (step: number, value: number) => !!now && now.steps.some((x, k) => x === step && Object.is(now.values[k], value));
                assert.ok(
                  s.steps.every((step, i) => kept(step, s.values[i]!)),
                  `${format}: ${s.name} lost what the read before showed`,
                );
              }
            }
            // Only complete lines are sure to stay: a last line without its break may be damaged by what follows.
            // And only once a record has named its step: until then steps are positions, and the records
            // before the step key's first appearance are placed nowhere after it (jsonl.ts).
            if (format === 'jsonl') {
              const piece = bytes.subarray(0, end);
              const lastBreak = Math.max(piece.lastIndexOf(10), piece.lastIndexOf(13));
              const complete = piece.subarray(0, lastBreak + 1);
              const stepNamed = Buffer.from(complete).includes('"step":');
              before = lastBreak < 0 || !stepNamed ? null : wholeOutcome(f.fileName, complete);
            } else before = cached;
            assert.deepEqual(cached, wholeOutcome(f.fileName, bytes.subarray(0, end)), `${format}: after ${end} of ${bytes.length} bytes (damage at ${p})`);
            if (cache.lastRead(file)?.incremental && cached.skipped)
              reported[`live ${format}, appended read`] = (reported[`live ${format}, appended read`] ?? 0) + 1;
          }
          rmSync(file);
        },
      ),
      { numRuns: Math.ceil(RUNS / 4), includeErrorInReport: true, endOnFailure: !!process.env.FUZZ_NO_SHRINK },
    );
  });
}

test('fuzz tally', (t) => {
  const total = Object.values(cases).reduce((a, b) => a + b, 0);
  t.diagnostic(
    `fuzz cases run: ${JSON.stringify(cases)} (${total} in all); damage reported in ${JSON.stringify(reported)}; nothing left to read in ${JSON.stringify(refused)}`,
  );
  // Each kind of case must really happen, or the property proves nothing.
  for (const kind of Object.keys(cases)) if (!kind.startsWith('live')) assert.ok((reported[kind] ?? 0) > 0, `${kind}: no case reported damage`);
  assert.ok(total > 0);
});
