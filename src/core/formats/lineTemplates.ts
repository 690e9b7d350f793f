// The fast path of the printed-log reader. A log is a few print statements run a million times: the
// text between their numbers (names, brackets, spaces) is the same every time, only the numbers
// change. Once a line has been read token by token (printedLine.ts), its template keeps that text
// and what each number was (a counter, a named value, the clock…); a later line with the same text
// around numbers of the same kind is read by comparing the text and reading the numbers alone, and
// gives exactly what reading it token by token gives.
import { BADNUM, BAR, CLOCK, DATE, FRAC, GAP_NONE, NUM, PUNCT, type LineTokens } from './lineTokens';
import type { LineParts } from './lineParts';
import { charsOf, holds, mayStart, plainClock, plainNumber, unitOf, type Plain } from './templateNumbers';
import { byteText, bytesOf, holdsText, plainBarBytes, plainClockBytes, plainNumberBytes, type ByteText } from './templateBytes';

// What a number of the template goes to.
const EPOCH = 1;
const INNER = 2;
const GLOBAL = 3;
const STAGE = 4;

const MAX_TEMPLATES = 8;

interface Slot {
  kind: number;
  sub: number;
  /** The sign and wholeness decide what the number is: they must be as in the template's line. */
  strict: boolean;
  nonNegative: boolean;
  /** A sign may start the number here (a space or punctuation before it). */
  signOk: boolean;
  /** The characters of the unit run into the number in the template's line (`s`, `ms/step`, `%`), else none. */
  unitChars: Uint16Array;
  unitBytes: Uint8Array;
  /** For a bar or a date: its text in the template's line and what it read as (the same text reads the same). */
  text: string;
  textChars: Uint16Array;
  textBytes: ByteText;
  textValue: number;
  /** The named value it is (-1: none). */
  value: number;
  /** The counter it is (EPOCH…; 0: none). */
  field: number;
  /** 1: sets the clock; 2: adds to it (a date's time of day); 0: neither. */
  clock: number;
  bar: boolean;
  /** The characters of the text after it (to the next number or the line's end). */
  after: Uint16Array;
  /** The same as UTF-8 (see `matchBytes`). */
  afterBytes: ByteText;
}

interface Template {
  /** The characters before the first number (the text after each is its slot's `after`). */
  head: Uint16Array;
  headBytes: ByteText;
  slots: Slot[];
  names: string[];
  stageWord: string;
  numeric: boolean;
  /** A numeric row's cells and each value's cell, when some cells hold no value (see LineParts). */
  cells: number;
  cellOf: number[];
  damaged: string;
  /** The template of the line after this one's last time: two prints taking turns, or the same again. */
  next: Template | null;
}

const isNumberKind = (k: number) => k === NUM || k === FRAC || k === CLOCK || k === DATE || k === BADNUM || k === BAR;

export class LineTemplates {
  private readonly list: Template[] = [];
  /** The template of the line before (null after a line no template was made of). */
  private last: Template | null = null;
  /** Where the line `fitsBytes` read ends. */
  private lineEnd = 0;
  /** The bytes last read and a view of them (see `holdsText`). */
  private viewed: Uint8Array | null = null;
  private view: DataView = new DataView(new ArrayBuffer(0));
  private readonly plain: Plain = { kind: 0, value: 0, total: NaN, whole: 0, end: 0, lo: new Float64Array(1) };

  /**
   * Reads the line of `text` from `start` to `end` (where it ends, or a line break) by a template
   * into `parts`; false when no template fits (`parts` is then unspecified).
   */
  match(text: string, start: number, end: number, tokens: LineTokens, parts: LineParts): boolean {
    return this.find(text, null, start, end, tokens, parts);
  }

  /**
   * `match` of the line of a file's UTF-8 `bytes` at `start`, read without decoding it: where the
   * line ends (its line break, which the template finds: its text and numbers hold none), or -1 when
   * no template fits or one would need the text (a number the tokenizer reads, a byte past ASCII by a
   * number): the caller then reads it as text. A line break must follow somewhere in `bytes`.
   */
  matchBytes(bytes: Uint8Array, start: number, tokens: LineTokens, parts: LineParts): number {
    return this.find('', bytes, start, -1, tokens, parts) ? this.lineEnd : -1;
  }

  private find(text: string, bytes: Uint8Array | null, start: number, end: number, tokens: LineTokens, parts: LineParts): boolean {
    // First the template that followed the last one before: a print repeated, or prints taking turns
    // (Keras's `Epoch 3/500` and its bar, SinGAN's scale line and its losses), read without a wrong try.
    const last = this.last;
    const guess = last !== null ? last.next : null;
    if (guess !== null && (bytes !== null ? this.fitsBytes(guess, bytes, start, parts) : this.fits(guess, text, start, end, tokens, parts))) {
      this.last = guess;
      return true;
    }
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      const tpl = list[i]!;
      if (tpl === guess) continue;
      if (!(bytes !== null ? this.fitsBytes(tpl, bytes, start, parts) : this.fits(tpl, text, start, end, tokens, parts))) continue;
      // Moved up one place: two prints taking turns (Keras's `Epoch 3/500` and its bar) keep their places.
      if (i > 1) {
        list[i] = list[i - 1]!;
        list[i - 1] = tpl;
      }
      if (last !== null) last.next = tpl;
      this.last = tpl;
      return true;
    }
    return false;
  }

  /** Keeps the template of a line just read token by token. */
  learn(tokens: LineTokens, parts: LineParts): void {
    const n = tokens.n;
    const before = this.last;
    this.last = null;
    if (n === 0 || n >= tokens.kind.length || parts.header.length) return;
    const text = tokens.text;
    const literals: string[] = [];
    const slots: Slot[] = [];
    const valueOf = new Map<number, number>();
    for (let i = 0; i < parts.count; i++) valueOf.set(parts.valueTok[i]!, i);
    const clockOf = new Map<number, number>();
    for (const op of parts.clockOps) clockOf.set(op >> 1, op & 1 ? 2 : 1);
    let from = 0;
    for (let k = 0; k < n; k++) {
      const kind = tokens.kind[k]!;
      if (!isNumberKind(kind)) continue;
      literals.push(text.slice(from, tokens.start[k]!));
      from = tokens.end[k]!;
      const prev = k > 0 ? tokens.kind[k - 1]! : 0;
      const unit = kind === NUM ? unitOf(text, tokens.start[k]!, tokens.end[k]!) : '';
      const own = kind === BAR || kind === DATE ? text.slice(tokens.start[k]!, tokens.end[k]!) : '';
      slots.push({
        kind,
        sub: tokens.sub[k]!,
        strict: parts.strict.includes(k),
        nonNegative: tokens.value[k]! >= 0,
        signOk: k === 0 || tokens.gap[k] !== GAP_NONE || prev === PUNCT,
        unitChars: charsOf(unit),
        unitBytes: bytesOf(unit),
        text: own,
        textChars: charsOf(own),
        textBytes: byteText(own),
        textValue: tokens.value[k]!,
        value: valueOf.get(k) ?? -1,
        field: k === parts.epochTok ? EPOCH : k === parts.innerTok ? INNER : k === parts.globalTok ? GLOBAL : k === parts.stageTok ? STAGE : 0,
        clock: clockOf.get(k) ?? 0,
        bar: k === parts.barTok,
        after: new Uint16Array(0),
        afterBytes: byteText(''),
      });
    }
    if (!slots.length) return;
    literals.push(text.slice(from));
    slots.forEach((slot, i) => {
      slot.after = charsOf(literals[i + 1]!);
      slot.afterBytes = byteText(literals[i + 1]!);
    });
    const tpl: Template = {
      head: charsOf(literals[0]!),
      headBytes: byteText(literals[0]!),
      slots,
      names: parts.names.slice(0, parts.count),
      stageWord: parts.stageWord,
      numeric: parts.numeric,
      cells: parts.cells,
      cellOf: parts.cellOf.slice(0, parts.count),
      damaged: parts.damaged,
      next: null,
    };
    this.list.unshift(tpl);
    if (before !== null) before.next = tpl;
    this.last = tpl;
    if (this.list.length > MAX_TEMPLATES) this.list.pop();
  }

  private fits(tpl: Template, text: string, start: number, end: number, tokens: LineTokens, p: LineParts): boolean {
    const { head, slots } = tpl;
    if (!holds(text, start, head)) return false;
    let pos = start + head.length;
    p.reset();
    const plain = this.plain;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      let kind: number;
      let value: number;
      let sub: number;
      let total = NaN;
      if (slot.text && holds(text, pos, slot.textChars)) {
        // A full bar, the same day: the same text as the template's reads as it did.
        kind = slot.kind;
        value = slot.textValue;
        sub = slot.sub;
        pos += slot.textChars.length;
      } else if (
        ((slot.kind === NUM || slot.kind === FRAC) && plainNumber(text, pos, end, slot.signOk, slot.unitChars, plain)) ||
        (slot.kind === CLOCK && plainClock(text, pos, plain))
      ) {
        // Most numbers of a log: digits, a point, digits, then a space or punctuation.
        kind = plain.kind;
        value = plain.value;
        sub = plain.whole;
        total = plain.total;
        pos = plain.end;
      } else {
        if (!mayStart(slot.kind, text.charCodeAt(pos)) || !tokens.one(text, pos, slot.signOk)) return false;
        kind = tokens.kind[0]!;
        value = tokens.value[0]!;
        sub = tokens.sub[0]!;
        if (kind === FRAC) total = tokens.total[0]!;
        pos = tokens.end[0]!;
      }
      if (!holds(text, pos, slot.after) || !put(p, slot, kind, value, sub, total)) return false;
      pos += slot.after.length;
    }
    return pos === end && finish(tpl, p);
  }

  private viewOf(bytes: Uint8Array): DataView {
    if (this.viewed !== bytes) {
      this.viewed = bytes;
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    }
    return this.view;
  }

  /** `fits` on the line's UTF-8 bytes: the same parts, or false (see `matchBytes`). */
  private fitsBytes(tpl: Template, bytes: Uint8Array, start: number, p: LineParts): boolean {
    const { headBytes, slots } = tpl;
    const view = this.viewOf(bytes);
    if (!holdsText(view, bytes, start, headBytes)) return false;
    let pos = start + headBytes.bytes.length;
    p.reset();
    const plain = this.plain;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      let kind: number;
      let value: number;
      let sub: number;
      let total = NaN;
      if (slot.text && holdsText(view, bytes, pos, slot.textBytes)) {
        kind = slot.kind;
        value = slot.textValue;
        sub = slot.sub;
        pos += slot.textBytes.bytes.length;
      } else if (
        ((slot.kind === NUM || slot.kind === FRAC) && plainNumberBytes(bytes, pos, slot.signOk, slot.unitBytes, plain)) ||
        (slot.kind === CLOCK && plainClockBytes(bytes, pos, plain)) ||
        (slot.kind === BAR && plainBarBytes(bytes, pos, plain))
      ) {
        kind = plain.kind;
        value = plain.value;
        sub = plain.whole;
        total = plain.total;
        pos = plain.end;
      } else return false;
      if (!holdsText(view, bytes, pos, slot.afterBytes) || !put(p, slot, kind, value, sub, total)) return false;
      pos += slot.afterBytes.bytes.length;
    }
    const c = bytes[pos];
    if (c !== 10 && c !== 13) return false;
    this.lineEnd = pos;
    return finish(tpl, p);
  }
}

/** What a slot read (a number of `kind`, `value`…) puts in the line's parts; false when it is not the slot's. */
function put(p: LineParts, slot: Slot, kind: number, value: number, sub: number, total: number): boolean {
  if (kind !== slot.kind) return false;
  if (kind === BAR) {
    if (sub !== slot.sub) return false;
  } else if (slot.strict && (sub !== slot.sub || value >= 0 !== slot.nonNegative)) return false;
  if (slot.value >= 0) p.values[slot.value] = value;
  if (slot.clock) p.clock = slot.clock === 2 ? p.clock + value : value;
  if (slot.bar) {
    p.bar = slot.sub;
    p.barFull = value === 1;
  }
  switch (slot.field) {
    case EPOCH:
      p.epoch = value;
      p.epochTotal = total;
      break;
    case INNER:
      p.inner = value;
      p.innerTotal = total;
      break;
    case GLOBAL:
      p.global = value;
      break;
    case STAGE:
      p.stage = value;
      break;
  }
  return true;
}

/** The template's names and flags put in the line's parts. */
function finish(tpl: Template, p: LineParts): boolean {
  const names = tpl.names;
  for (let i = 0; i < names.length; i++) p.names[i] = names[i]!;
  p.count = names.length;
  if (tpl.stageWord) p.stageWord = tpl.stageWord;
  p.numeric = tpl.numeric;
  p.cells = tpl.cells;
  for (let i = 0; i < tpl.cellOf.length; i++) p.cellOf[i] = tpl.cellOf[i]!;
  p.damaged = tpl.damaged;
  return true;
}
