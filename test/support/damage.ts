// Loss files of every record-shaped format, written with the byte range of each record known, and
// damage done to them (byte flips, holes of zeros, inserted lines or bytes, truncation) with a
// record of which records it touched. The fuzz tests (damaged-records.test.ts) read the damaged
// bytes and check what is kept against what was never touched.
import protobuf from 'protobufjs';
import { tfRecord } from '../../src/core/formats/tfevents';
import { tfEventsDescriptor } from '../../src/core/formats/tfevents.proto';

export type Format = 'csv' | 'jsonl' | 'chainer' | 'tfevents';

/** One logged step: the discriminator's and generator's loss. */
export interface Rec {
  step: number;
  d: number;
  g: number;
}

export interface Framed {
  format: Format;
  fileName: string;
  bytes: Uint8Array;
  /** Each record's bytes (line formats: with its line break); `recs[i]` null for a record without values. */
  ranges: [number, number][];
  recs: (Rec | null)[];
  /** Damage is done in [start, end): not to a CSV header nor a Chainer log's opening `[`. */
  start: number;
  end: number;
  /** The series names D and G values go to. */
  names: [string, string];
  /** The value as the file holds it (float32 in event files). */
  stored: (v: number) => number;
}

const utf8 = new TextEncoder();

function framedText(
  format: Format,
  fileName: string,
  head: string,
  parts: string[],
  sep: string,
  tail: string,
  recs: Rec[],
  names: [string, string],
  start: number,
): Framed {
  let text = head;
  const ranges: [number, number][] = [];
  parts.forEach((p, i) => {
    if (i) text += sep;
    // ASCII only, so character offsets are byte offsets.
    ranges.push([text.length, text.length + p.length]);
    text += p;
  });
  text += tail;
  return { format, fileName, bytes: utf8.encode(text), ranges, recs, start, end: text.length, names, stored: (v) => v };
}

const Event = protobuf.Root.fromJSON(tfEventsDescriptor as unknown as protobuf.INamespace).lookupType('tensorflow.Event');

/** The event file PyTorch's SummaryWriter writes: a file_version record, then one record per scalar. */
export function eventRecord(step: number, tag: string | null, value: number): Uint8Array {
  const event =
    tag === null
      ? { wallTime: 1700000000, fileVersion: 'brain.Event:2' }
      : { wallTime: 1700000000 + step, step, summary: { value: [{ tag, simpleValue: value }] } };
  return tfRecord(Event.encode(Event.fromObject(event)).finish());
}

export function frame(format: Format, recs: Rec[]): Framed {
  switch (format) {
    case 'csv': {
      const head = 'step,d_loss,g_loss\n';
      return framedText(
        format,
        'metrics.csv',
        head,
        recs.map((r) => `${r.step},${r.d},${r.g}\n`),
        '',
        '',
        recs,
        ['d_loss', 'g_loss'],
        head.length,
      );
    }
    case 'jsonl':
      return framedText(
        format,
        'losses.jsonl',
        '',
        recs.map((r) => `${JSON.stringify({ step: r.step, d_loss: r.d, g_loss: r.g })}\n`),
        '',
        '',
        recs,
        ['d_loss', 'g_loss'],
        0,
      );
    case 'chainer': {
      // What LogReport writes: json.dump(indent=4).
      const parts = recs.map((r) =>
        JSON.stringify({ elapsed_time: r.step / 10, iteration: r.step, loss_gen: r.g, loss_dis: r.d, epoch: 0 }, null, 4).replace(/\n/g, '\n    '),
      );
      return framedText(format, 'log', '[\n    ', parts, ',\n    ', '\n]', recs, ['loss_dis', 'loss_gen'], 1);
    }
    case 'tfevents': {
      const records = [eventRecord(0, null, 0)];
      const all: (Rec | null)[] = [null];
      for (const r of recs) {
        records.push(eventRecord(r.step, 'loss/D', r.d), eventRecord(r.step, 'loss/G', r.g));
        all.push({ step: r.step, d: r.d, g: NaN }, { step: r.step, d: NaN, g: r.g });
      }
      const ranges: [number, number][] = [];
      let at = 0;
      for (const rec of records) {
        ranges.push([at, at + rec.length]);
        at += rec.length;
      }
      const bytes = new Uint8Array(at);
      records.forEach((rec, i) => bytes.set(rec, ranges[i]![0]));
      return {
        format,
        fileName: 'events.out.tfevents.1700000000.host.1.0',
        bytes,
        ranges,
        recs: all,
        start: 0,
        end: at,
        names: ['loss/D', 'loss/G'],
        stored: Math.fround,
      };
    }
  }
}

/** Damage in the original file's coordinates; positions are fractions of [start, end) so any file takes any damage. */
export type Damage =
  { kind: 'flip'; at: number[]; masks: number[] } | { kind: 'hole'; at: number; length: number } | { kind: 'insert'; at: number[]; content: Uint8Array[] };

export interface DamageCase {
  damage: Damage;
  /** Where the damaged file is cut (fraction of [start, end]); null: not cut. */
  cut: number | null;
}

export interface Damaged {
  bytes: Uint8Array;
  /** Records whose bytes changed (or that a change merged into another). */
  touched: Set<number>;
  /** Records at or past the cut (and a last line that lost its line break): lost or altered, silently. */
  cut: Set<number>;
  /** Insertions that landed before the cut, at these offsets of the damaged file. */
  insertedAt: number[];
  /** Offset in the damaged file of each original record's start (-1 when past the cut). */
  startOf: number[];
  /** Changed bytes between records (separators, a closing bracket). */
  changedOutside: number;
}

const position = (f: Framed, fraction: number) => f.start + Math.min(f.end - f.start - 1, Math.floor(fraction * (f.end - f.start)));

/** Applies the damage; for the line formats insertions go to record starts (a stray line between records). */
export function damage(f: Framed, c: DamageCase): Damaged {
  const n = f.bytes.length;
  const modified = f.bytes.slice();
  const changed = new Set<number>();
  const inserts = new Map<number, Uint8Array[]>();
  const d = c.damage;
  if (d.kind === 'flip') {
    d.at.forEach((a, i) => {
      const p = position(f, a);
      modified[p] = modified[p]! ^ d.masks[i]!;
    });
  } else if (d.kind === 'hole') {
    const p = position(f, d.at);
    modified.fill(0, p, Math.min(f.end, p + d.length));
  } else {
    d.at.forEach((a, i) => {
      let p: number;
      if (f.format === 'tfevents') p = position(f, a);
      else {
        const k = Math.min(f.ranges.length - 1, Math.floor(a * f.ranges.length));
        p = f.ranges[k]![0];
      }
      inserts.set(p, [...(inserts.get(p) ?? []), d.content[i]!]);
    });
  }
  for (let p = 0; p < n; p++) if (modified[p] !== f.bytes[p]) changed.add(p);
  const cutAt = c.cut === null ? n : f.start + Math.floor(c.cut * (f.end - f.start));
  const out: number[] = [];
  const outPos = new Int32Array(n + 1).fill(-1);
  const insertedAt: number[] = [];

  for (let p = 0; p <= n && p < cutAt + (c.cut === null ? 1 : 0); p++) {
    for (const chunk of inserts.get(p) ?? []) {
      insertedAt.push(out.length);
      for (const b of chunk) out.push(b);
    }
    if (p === n) break;
    outPos[p] = out.length;
    out.push(modified[p]!);
  }
  const bytes = Uint8Array.from(out);
  const lineFormat = f.format === 'csv' || f.format === 'jsonl';
  const touched = new Set<number>();
  const cut = new Set<number>();
  // A record with bytes inserted inside it is touched, unless its bytes are still all there in a
  // row (the inserted bytes began with those they pushed aside, or ended with those before them).
  const wholeAt = (a: number, b: number, at: number) => {
    if (at < 0 || at + (b - a) > bytes.length) return false;
    for (let k = 0; k < b - a; k++) if (bytes[at + k] !== f.bytes[a + k]) return false;
    return true;
  };
  f.ranges.forEach(([a, b], i) => {
    let hit = false;
    for (const p of changed) if (p >= a && p < b) hit = true;
    for (const p of inserts.keys()) {
      if (p > a && p < b && !(wholeAt(a, b, outPos[a]!) || (outPos[b - 1]! >= 0 && wholeAt(a, b, outPos[b - 1]! - (b - a - 1))))) hit = true;
    }
    // A changed line break merges the line after into this one.
    if (lineFormat && i > 0 && changed.has(f.ranges[i - 1]![1] - 1)) hit = true;
    if (hit) touched.add(i);
    if (b > cutAt) cut.add(i);
  });
  // A line format's last line without its line break may still be being written: not damage.
  if (lineFormat && bytes.length && bytes[bytes.length - 1] !== 10 && bytes[bytes.length - 1] !== 13) {
    let last = f.ranges.length - 1;
    while (last > 0 && outPos[f.ranges[last]![0]]! < 0) last--;
    cut.add(last);
  }
  if (f.format === 'csv') {
    // Two quotes make the lines between one quoted cell (RFC 4180): those lines are touched too.
    const quotes = [...changed].filter((p) => modified[p] === 34).sort((x, y) => x - y);
    if (quotes.length >= 2) {
      f.ranges.forEach(([a, b], i) => {
        if (b > quotes[0]! && a <= quotes[quotes.length - 1]!) touched.add(i);
      });
    }
  }
  let changedOutside = 0;
  for (const p of changed) if (!f.ranges.some(([a, b]) => p >= a && p < b)) changedOutside++;
  return { bytes, touched, cut, insertedAt, startOf: f.ranges.map(([a]) => outPos[a]!), changedOutside };
}

/** Lines as the text readers split them (LF, CRLF, lone CR), and whether the last one is unfinished. */
export function splitLines(text: string): { lines: string[]; unfinishedLast: boolean } {
  const lines = text.split(/\r\n|\r|\n/);
  const unfinishedLast = lines[lines.length - 1] !== '';
  if (!unfinishedLast) lines.pop();
  return { lines, unfinishedLast };
}
