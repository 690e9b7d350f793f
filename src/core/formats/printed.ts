// Training logs printed to the terminal and saved to a file (`train.log`, `nohup.out`, `log.txt`):
// - the PyTorch DCGAN tutorial: `[%d/%d][%d/%d]\tLoss_D: %.4f\tLoss_G: %.4f\tD(x): %.4f\tD(G(z)): %.4f / %.4f`
// - eriklindernoren PyTorch-GAN: `[Epoch %d/%d] [Batch %d/%d] [D loss: %f] [G loss: %f]`, with more
//   terms inside a bracket (`[G loss: %f, adv: %f, cycle: %f, identity: %f]`), often after a `\r`;
// - the common shapes: `Epoch [1/100], Step [200/600], d_loss: 0.05, g_loss: 4.08`,
//   `100 [D loss: 0.5, acc.: 50.00%] [G loss: 0.8]`, `epoch 3 iter 200 D loss: 0.5 G loss: 0.7`;
// - StyleGAN / PGGAN tick lines: `tick 1 kimg 4.0 time 14m 08s sec/tick 151.7 … augment 0.035`.
// Every other line (warnings, `Namespace(...)`, progress bars, tracebacks) is passed over. A loss
// line is one whose `name: value` pairs include a D or G loss. Steps are iterations:
// `epoch × batches + batch`, else the iteration printed, else the loss line's number.
import type { RawSeries } from '../model';
import { t } from '../l10n';
import { roleOf } from '../roles';
import { decodeText, isBookkeepingKey, parseNumber } from './records';
import { Columns, LineReader, type LineFormat } from './lineLog';
import type { SkipReport } from './skipped';

const DCGAN_HEAD = /^\s*\[(\d+)\/(\d+)\]\s*\[(\d+)\/(\d+)\]/;
const EPOCH = /(?:^|[^a-z])epoch\s*[:=]?\s*\[?\s*(\d+)(?:\s*\/\s*(\d+))?/i;
const BATCH = /(?:^|[^a-z])(batch|step|iter|iters|iteration|it|global_step|batches_done)\s*[:=]?\s*\[?\s*(\d+)(?:\s*\/\s*(\d+))?/i;
const LEADING_NUMBER = /^\s*(\d+)(?:\/\d+)?\s*[[:,]/;
const TICK = /^tick\s+(\d+)\s+kimg\s+([\d.]+)(.*)$/;
// A tick line's fields, named as stats.jsonl and TensorBoard name the same values.
const TICK_FIELDS: Record<string, string> = {
  lod: 'Progress/lod',
  minibatch: 'Progress/minibatch',
  'sec/tick': 'Timing/sec_per_tick',
  'sec/kimg': 'Timing/sec_per_kimg',
  maintenance: 'Timing/maintenance_sec',
  cpumem: 'Resources/cpu_mem_gb',
  gpumem: 'Resources/peak_gpu_mem_gb',
  augment: 'Progress/augment',
};
// StyleGAN / StyleGAN2 (TF) metric_base.py, appended to `metric-<name>.txt` per snapshot:
// `'%-30s' % network_name + ' time %-12s' % time + (' ' + name + suffix + ' ' + '%-10.4f' % value)…`
const SNAPSHOT = /^\S*?network-snapshot-(\d+)(?:\.pkl)?\s+time\s+(.*)$/;
const PROGRESS_NAMES = /^(epoch|epochs|batch|step|iter|iters|iteration|it|global_step|batches_done)$/i;

/** What a printed name is, looked up once per name (a log repeats the same few names a million times). */
interface NameInfo {
  loss: boolean;
  progress: boolean;
  bookkeeping: boolean;
}

/** Per-reader memory of names seen; a reader makes its own (nothing is kept at module level). */
export class NameCache {
  private readonly known = new Map<string, NameInfo>();

  info(name: string): NameInfo {
    let info = this.known.get(name);
    if (!info) {
      info = { loss: roleOf(name) !== 'other', progress: PROGRESS_NAMES.test(name), bookkeeping: isBookkeepingKey(name) };
      if (this.known.size < 10_000) this.known.set(name, info);
    }
    return info;
  }
}

const isNameChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 40 || c === 41 || c === 46; // \w ( ) .
const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isSpace = (c: number) => c === 32 || c === 9;

/** The end of the number spelled at `i` (`[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?`, nan, inf, infinity), or -1. */
function numberEnd(text: string, i: number): number {
  let j = i;
  let c = text.charCodeAt(j);
  if (c === 43 || c === 45) c = text.charCodeAt(++j);
  const start = j;
  let digits = 0;
  while (isDigit(c)) {
    digits++;
    c = text.charCodeAt(++j);
  }
  if (c === 46 /* . */) {
    let k = j + 1;
    let fraction = 0;
    while (isDigit(text.charCodeAt(k))) {
      fraction++;
      k++;
    }
    if (digits > 0 || fraction > 0) {
      j = k;
      digits += fraction;
    }
  }
  if (digits > 0) {
    c = text.charCodeAt(j);
    if (c === 101 || c === 69) {
      let k = j + 1;
      let e = text.charCodeAt(k);
      if (e === 43 || e === 45) e = text.charCodeAt(++k);
      if (isDigit(e)) {
        while (isDigit(text.charCodeAt(k))) k++;
        j = k;
      }
    }
    return j;
  }
  const word = text.slice(start, start + 8).toLowerCase();
  if (word === 'infinity') return start + 8;
  if (word.startsWith('nan') || word.startsWith('inf')) return start + 3;
  return -1;
}

/**
 * The `name: value` pairs of a line (names of one or two words: `D loss`, `Loss_D`, `D(G(z))`;
 * `name=value` too; the DCGAN tutorial's second value after ` / `), bracket terms named after their
 * bracket's first (`[G loss: 0.7, adv: 0.6]` → `G loss`, `G loss/adv`). One pass from each `:` / `=`:
 * the name is read backwards from it, the value forwards, so a long line costs its length once.
 */
export function linePairs(text: string, names: NameCache = new NameCache()): [string, number][] {
  const out: [string, number][] = [];
  const n = text.length;
  let depth = 0;
  let groupFirst: string | null = null;
  let walked = 0;
  let open = text.indexOf('[');
  let close = text.indexOf(']');
  let after = 0; // where the last pair ended: a name never reaches back over it
  // The next `:` and `=` (native searches: most of a line is neither).
  let colon = text.indexOf(':');
  let equals = text.indexOf('=');
  for (let at = 0; at < n; at++) {
    if (colon >= 0 && colon < at) colon = text.indexOf(':', at);
    if (equals >= 0 && equals < at) equals = text.indexOf('=', at);
    if (colon < 0 && equals < 0) break;
    at = colon < 0 ? equals : equals < 0 ? colon : Math.min(colon, equals);
    // The name: `\s*` then a run of name characters, optionally preceded by one space and another run.
    let e = at;
    while (e > after && isSpace(text.charCodeAt(e - 1))) e--;
    let b = e;
    while (b > after && isNameChar(text.charCodeAt(b - 1))) b--;
    if (b === e) continue;
    let start = b;
    while (start < e && !isNameStart(text.charCodeAt(start))) start++;
    if (start === e) continue;
    if (start === b && b - 1 > after && text.charCodeAt(b - 1) === 32) {
      let b1 = b - 1;
      while (b1 > after && isNameChar(text.charCodeAt(b1 - 1))) b1--;
      let s1 = b1;
      while (s1 < b - 1 && !isNameStart(text.charCodeAt(s1))) s1++;
      if (s1 < b - 1) start = s1;
    }
    // The value.
    let v = at + 1;
    while (v < n && isSpace(text.charCodeAt(v))) v++;
    const end = numberEnd(text, v);
    if (end < 0) continue;
    let next = end;
    if (text.charCodeAt(next) === 37 /* % */) next++;
    let second: number | null = null;
    let k = next;
    while (k < n && isSpace(text.charCodeAt(k))) k++;
    if (text.charCodeAt(k) === 47 /* / */) {
      k++;
      while (k < n && isSpace(text.charCodeAt(k))) k++;
      const end2 = numberEnd(text, k);
      if (end2 > 0 && !followsValue(text.charCodeAt(end2))) {
        second = parseNumber(text.slice(k, end2));
        next = end2;
      }
    }
    if (second === null && followsValue(text.charCodeAt(next))) continue;
    // The brackets between the last pair and this one.
    for (;;) {
      if (open >= 0 && open < walked) open = text.indexOf('[', walked);
      if (close >= 0 && close < walked) close = text.indexOf(']', walked);
      const o = open >= 0 && open < start ? open : -1;
      const c = close >= 0 && close < start ? close : -1;
      if (o < 0 && c < 0) break;
      if (o >= 0 && (c < 0 || o < c)) {
        depth++;
        groupFirst = null;
        walked = o + 1;
      } else {
        if (depth > 0) depth--;
        walked = c + 1;
      }
    }
    walked = start;
    after = next;
    at = next - 1;
    const name = text.slice(start, e);
    const info = names.info(name);
    if (info.progress) continue;
    const value = parseNumber(text.slice(v, end));
    if (value === null) continue;
    let full = name;
    if (depth > 0) {
      // A term with a role of its own (`g_loss` in a progress bar's postfix) is not part of the bracket's loss.
      if (groupFirst === null) groupFirst = name;
      else if (!info.loss) full = `${groupFirst}/${name}`;
    }
    out.push([full, value]);
    if (second !== null) out.push([`${full} after G step`, second]);
  }
  return out;
}

/** True when `c` cannot follow a value: a word character, `/` or `:` (`0:12:00` is a clock, not a value). */
function followsValue(c: number): boolean {
  return isDigit(c) || isNameStart(c) || c === 47 || c === 58;
}

/** The step of a loss line (null when it prints none); `perEpoch.batches` gets the batches per epoch when printed. */
export function lineStep(text: string, perEpoch?: { batches: number }): number | null {
  const dc = DCGAN_HEAD.exec(text);
  if (dc) {
    if (perEpoch) perEpoch.batches = Number(dc[4]);
    return Number(dc[1]) * Number(dc[4]) + Number(dc[3]);
  }
  const epoch = EPOCH.exec(text);
  const batch = BATCH.exec(text);
  if (batch) {
    const b = Number(batch[2]);
    if (epoch && batch[3] !== undefined) {
      if (perEpoch) perEpoch.batches = Number(batch[3]);
      return Number(epoch[1]) * Number(batch[3]) + b;
    }
    return b;
  }
  const lead = LEADING_NUMBER.exec(text);
  if (lead) return Number(lead[1]);
  if (epoch) return Number(epoch[1]);
  return null;
}

/** True when the line prints a D or G loss. */
export function isLossLine(pairs: [string, number][], names: NameCache = new NameCache()): boolean {
  return pairs.some(([name]) => names.info(name).loss);
}

export class PrintedLog implements LineFormat {
  readonly columns = new Columns();
  /** Loss lines read: the step of a line that prints none. */
  private lossLines = 0;
  private readonly names = new NameCache();
  /** Batches per epoch, as the lines print it (0: not printed). */
  private readonly perEpoch = { batches: 0 };

  line(text: string, tentative: boolean): boolean {
    let first = 0;
    while (text.charCodeAt(first) === 32 || text.charCodeAt(first) === 9) first++;
    if (text.startsWith('tick ', first)) return this.tick(text.slice(first), tentative);
    if (text.includes('network-snapshot-')) {
      const snapshot = SNAPSHOT.exec(text.slice(first));
      if (snapshot) return this.snapshot(Number(snapshot[1]), snapshot[2]!, tentative);
    }
    // Cheap test first: most lines of a long log are not loss lines.
    if (text.indexOf(':') < 0 && text.indexOf('=') < 0) return true;
    const pairs = linePairs(text, this.names);
    if (!isLossLine(pairs, this.names)) return !(DCGAN_HEAD.test(text) || /\[Epoch \d+\/\d+\]/.test(text));
    const step = lineStep(text, this.perEpoch) ?? this.lossLines;
    if (!this.place(step, tentative)) return true;
    this.lossLines++;
    for (const [name, value] of pairs) if (!this.names.info(name).bookkeeping) this.columns.push(name, step, value);
    return true;
  }

  private tick(text: string, tentative: boolean): boolean {
    const m = TICK.exec(text);
    if (!m) return true;
    const kimg = Number(m[2]);
    if (!Number.isFinite(kimg)) return false;
    if (!this.place(kimg, tentative)) return true;
    const fields = m[3]!.trim().split(/\s+/);
    for (let i = 0; i + 1 < fields.length; i++) {
      const name = TICK_FIELDS[fields[i]!];
      if (!name) continue;
      const value = parseNumber(fields[i + 1]!);
      if (value !== null) this.columns.push(name, kimg, value);
      i++;
    }
    return true;
  }

  /** A metric line of a snapshot (`network-snapshot-000200  time 3m 21s  fid50k 12.3456`): `Metrics/<name>` at its kimg. */
  private snapshot(kimg: number, rest: string, tentative: boolean): boolean {
    const fields = rest.trim().split(/\s+/);
    let i = 0;
    while (i < fields.length && /^\d+[dhms]$/.test(fields[i]!)) i++; // the time: `1h 02m 03s`
    const pairs: [string, number][] = [];
    for (; i + 1 < fields.length; i += 2) {
      const value = parseNumber(fields[i + 1]!);
      if (value === null) return false;
      pairs.push([`Metrics/${fields[i]!}`, value]);
    }
    if (!pairs.length) return false;
    if (!this.place(kimg, tentative)) return true;
    for (const [name, value] of pairs) this.columns.push(name, kimg, value);
    return true;
  }

  /** Makes room for a line at `step`; false when it must be passed over (an unfinished line going back). */
  private place(step: number, tentative: boolean): boolean {
    if (step <= this.columns.lastX) {
      if (tentative) return false;
      this.columns.cutFrom(step);
    }
    this.columns.lastX = step;
    return true;
  }

  mark(): unknown {
    return [this.lossLines, this.perEpoch.batches];
  }

  rollback(mark: unknown): void {
    [this.lossLines, this.perEpoch.batches] = mark as [number, number];
  }

  series(): RawSeries[] {
    const series = this.columns.series();
    if (this.perEpoch.batches > 0) for (const s of series) s.stepsPerEpoch = this.perEpoch.batches;
    return series;
  }
}

export function newPrintedReader(fileName: string): LineReader {
  return new LineReader(new PrintedLog(), fileName, t('no training loss lines (such as "D loss: … G loss: …")'), t('a loss line with a value that is not a number'));
}

/** Reads a whole printed log. */
export function readPrintedLog(bytes: Uint8Array, fileName: string, report?: SkipReport): RawSeries[] {
  const text = decodeText(bytes, fileName);
  const reader = newPrintedReader(fileName);
  return reader.series(text.slice(reader.push(text)), false, report);
}

/**
 * Whether the start of a text file (`head`, up to about 1 MiB) is a printed training log: at
 * least `min` loss lines or tick lines among whatever else it prints.
 */
export function looksLikePrintedLog(head: string, min = 3): boolean {
  let found = 0;
  const names = new NameCache();
  for (const line of head.split(/\r\n|\r|\n/)) {
    const trimmed = line.trimStart();
    if (trimmed.startsWith('tick ') ? TICK.test(trimmed) : /[:=]/.test(line) && isLossLine(linePairs(line, names), names)) {
      if (++found >= min) return true;
    }
  }
  return false;
}
