// What the record-shaped readers (CSV, JSON lines, Chainer log) share: which key is the step,
// which keys are never a series, how a cell becomes a number, and how bytes become text.
import { t } from '../l10n';
import { ReadFailure } from './errors';

/** One record of a JSON lines or Chainer log: keys → values, nested or not. */
export type LogRecord = Record<string, unknown>;

// `Progress/kimg`: StyleGAN's stats.jsonl counts thousands of images shown.
const STEP_NAMES = ['step', 'global_step', 'iteration', 'iter', 'it', '_step', 'steps', 'iterations', 'progress/kimg'];
const EPOCH_NAMES = ['epoch', 'epochs'];
// Clock columns are not losses: wall time, elapsed seconds, per-iteration timings, dates.
const TIME_NAME = /(^|[_\s/.-])(time|timestamp|walltime|datetime|date|elapsed|runtime|duration)$/i;

/** The key that gives steps: a step/iteration key first, else an epoch key; null when none. */
export function stepKey(keys: readonly string[]): string | null {
  for (const names of [STEP_NAMES, EPOCH_NAMES]) {
    for (const name of names) {
      const found = keys.find((k) => k.trim().toLowerCase() === name);
      if (found !== undefined) return found;
    }
  }
  return null;
}

/** Keys that are never a series: steps, epochs, clocks. */
export function isBookkeepingKey(key: string): boolean {
  const k = key.trim().toLowerCase();
  return STEP_NAMES.includes(k) || EPOCH_NAMES.includes(k) || TIME_NAME.test(k);
}

const NON_FINITE = /^([+-]?)(nan|inf|infinity)$/i;
// `str(loss)` of a PyTorch tensor, e.g. "tensor(0.6931, device='cuda:0', grad_fn=<...>)".
const TORCH_TENSOR = /^tensor\(\s*([^,)\s]+)/;

/**
 * The number a plain decimal spells (`[+-]digits[.digits][e[+-]digits]`, nothing around it), else
 * null. Checked by character codes: this runs once per cell of a million-row table.
 */
export function decimalValue(s: string): number | null {
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 43 /* + */ || c === 45 /* - */) c = s.charCodeAt(++i);
  let digits = 0;
  while (c >= 48 && c <= 57) {
    digits++;
    c = s.charCodeAt(++i);
  }
  if (c === 46 /* . */) {
    c = s.charCodeAt(++i);
    while (c >= 48 && c <= 57) {
      digits++;
      c = s.charCodeAt(++i);
    }
  }
  if (digits === 0) return null;
  if (c === 101 /* e */ || c === 69 /* E */) {
    c = s.charCodeAt(++i);
    if (c === 43 || c === 45) c = s.charCodeAt(++i);
    let exponent = 0;
    while (c >= 48 && c <= 57) {
      exponent++;
      c = s.charCodeAt(++i);
    }
    if (exponent === 0) return null;
  }
  return i === s.length ? Number(s) : null;
}

/**
 * `decimalValue` for the common cell, at the cost of `Number` alone: a finite Number of a string
 * that starts with a digit, sign or point and ends in a digit or point is a plain decimal, unless
 * it is `0x…`, `0o…` or `0b…`. Null means "ask decimalValue / parseNumber".
 */
export function quickDecimal(s: string): number | null {
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  if (!((first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46)) return null;
  if (!((last >= 48 && last <= 57) || last === 46)) return null;
  const v = +s;
  if (v - v !== 0) return null; // NaN or ±Infinity (1e999): decimalValue decides
  if (first === 48 && s.length > 2) {
    const x = s.charCodeAt(1) | 32;
    if (x === 120 /* x */ || x === 111 /* o */ || x === 98 /* b */) return null;
  }
  return v;
}

/** A cell or JSON string as a number (NaN/±Inf spelled any common way count), or null if it is not one. */
export function parseNumber(text: string): number | null {
  const quick = quickDecimal(text);
  if (quick !== null) return quick;
  let s = text.trim();
  const trimmed = decimalValue(s);
  if (trimmed !== null) return trimmed;
  const tensor = s.startsWith('tensor(') ? TORCH_TENSOR.exec(s) : null;
  if (tensor) s = tensor[1]!;
  const inTensor = decimalValue(s);
  if (inTensor !== null) return inTensor;
  const nf = NON_FINITE.exec(s);
  if (nf) {
    if (nf[2]!.toLowerCase() === 'nan') return NaN;
    return nf[1] === '-' ? -Infinity : Infinity;
  }
  return null;
}

/**
 * Decodes text bytes (UTF-8, or UTF-16LE with its BOM as Excel saves; BOM dropped); refuses binary
 * bytes: NULs in the first line (unless `firstLineIsRecord`), or in a quarter of the first 4 KiB. A
 * few NULs elsewhere are a hole in a text file (a disk hiccup), left for the reader to skip as a
 * damaged line.
 */
export function decodeText(bytes: Uint8Array, fileName: string, firstLineIsRecord = false): string {
  return new TextDecoder(textEncoding(bytes, fileName, firstLineIsRecord)).decode(bytes);
}

/** Bytes of a UTF-8 byte-order mark at the start of `bytes` (3), else 0: what decodeText drops. */
export function utf8BomLength(bytes: Uint8Array): number {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

/** How `decodeText` decodes `bytes`: UTF-16 after its byte-order mark, else UTF-8; throws for a binary file. */
export function textEncoding(bytes: Uint8Array, fileName: string, firstLineIsRecord = false): 'utf-8' | 'utf-16le' {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  const probe = bytes.subarray(0, 4096);
  const nul = probe.indexOf(0);
  if (nul >= 0) {
    let breakAt = probe.indexOf(10);
    const cr = probe.indexOf(13);
    if (cr >= 0 && (breakAt < 0 || cr < breakAt)) breakAt = cr;
    let nuls = 0;
    for (let i = nul; i < probe.length; i++) if (probe[i] === 0) nuls++;
    // A first line that is a header must be readable; one that is a record (JSON lines) may be damaged.
    if (breakAt < 0 || (nul < breakAt && !firstLineIsRecord) || nuls * 4 > probe.length)
      throw new ReadFailure(t('{0}: not a text file (it contains NUL bytes)', fileName));
  }
  return 'utf-8';
}

/**
 * Hands each line of `text` to `onLine`; lines end in LF, CRLF or CR (progress bars and
 * `\r[Epoch …]` prints use CR alone). `final`: the text ends the file, so a last line without its
 * line break is read too, as `tentative` (the training script may still be writing it); otherwise
 * reading stops before it, and before a CR at the very end (half of a CRLF?). Returns how many
 * characters were consumed: where a continued read starts.
 */
export function readLines(text: string, final: boolean, onLine: (line: string, tentative: boolean) => void): number {
  return readLineSpans(text, final, (start, end, tentative) => onLine(text.slice(start, end), tentative));
}

/** `readLines` without making a string of each line: each line is `text` from `start` to `end`. */
export function readLineSpans(text: string, final: boolean, onLine: (start: number, end: number, tentative: boolean) => void): number {
  const n = text.length;
  let i = 0;
  let cr = text.indexOf('\r');
  for (;;) {
    let end = text.indexOf('\n', i);
    if (cr >= 0 && cr < i) cr = text.indexOf('\r', i);
    if (cr >= 0 && (end < 0 || cr < end)) end = cr;
    if (end < 0) {
      if (final && i < n) onLine(i, n, true);
      return final ? n : i;
    }
    if (end === n - 1 && cr === end && !final) return i;
    onLine(i, end, false);
    i = end + (cr === end && text.charCodeAt(end + 1) === 10 ? 2 : 1);
  }
}
