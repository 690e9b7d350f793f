// A text reader (CSV, JSON lines, a line log) behind the byte-level IncrementalReader live refresh
// uses: decodes the bytes it is fed and maps the characters its reader consumed back to bytes.
import type { RawSeries } from '../model';
import { textEncoding, utf8BomLength } from './records';
import type { FormatRead, IncrementalReader } from './format';
import type { SkipReport } from './skipped';

/** What CsvReader, JsonlReader and LineReader have in common. */
export interface TextRecords {
  /** Reads the complete lines at the start of `text`; returns how many characters they took. */
  push(text: string): number;
  /** The series of everything pushed plus `rest`, the file's unfinished end, forgetting the end again. */
  series(rest: string, share: boolean, report?: SkipReport): RawSeries[];
  readonly heldBytes: number;
  /** True when `pushBytes` reads lines from UTF-8 bytes where they are (a printed log's templates). */
  readonly readsBytes?: boolean;
  /** `push` of UTF-8 bytes (after any byte-order mark); returns how many bytes the complete lines took. */
  pushBytes?(bytes: Uint8Array): number;
}

/** Thrown inside a continued read for what only a whole read may answer (it gives the real error). */
export class ReadWhole extends Error {}

// decodeText's binary check looks at the first 4 KiB: bytes appended inside them are checked too.
const TEXT_PROBE = 4096;

// Bytes after the start of the file are decoded as they are: a BOM there is a character, as it
// is to a whole read, which drops only the file's first.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
// The file's start is decoded as decodeText decodes it: its byte-order mark dropped.
const utf8Start = new TextDecoder('utf-8');

export class TextLossReader implements IncrementalReader {
  private rest = '';
  wholeOnly = false;

  /** @param firstLineIsRecord as decodeText takes it (JSON lines: a first line may start with `{`). */
  constructor(
    private readonly reader: TextRecords,
    private readonly fileName: string,
    private readonly firstLineIsRecord = false,
  ) {}

  push(bytes: Uint8Array, offset: number): number {
    let text: string;
    if (offset === 0) {
      if (textEncoding(bytes, this.fileName, this.firstLineIsRecord) === 'utf-16le') {
        // UTF-16 (Excel): characters do not map back to bytes by line breaks.
        this.wholeOnly = true;
        this.rest = new TextDecoder('utf-16le').decode(bytes);
        return 0;
      }
      // A reader of bytes reads the lines where they are, as a whole read does (readPrintedLog).
      if (this.reader.readsBytes) return this.pushBytes(bytes, utf8BomLength(bytes));
      text = utf8Start.decode(bytes);
    } else {
      if (offset < TEXT_PROBE && bytes.subarray(0, TEXT_PROBE - offset).includes(0)) throw new ReadWhole();
      if (this.reader.readsBytes) return this.pushBytes(bytes, 0);
      text = utf8.decode(bytes);
    }
    const used = this.reader.push(text);
    this.rest = text.slice(used);
    return used === 0 ? 0 : endOfConsumed(bytes, this.rest);
  }

  /** The lines of `bytes` from `from` read from their bytes; the unfinished end kept as text for `result`. */
  private pushBytes(bytes: Uint8Array, from: number): number {
    const used = from + this.reader.pushBytes!(bytes.subarray(from));
    this.rest = utf8.decode(bytes.subarray(used));
    return used === from ? 0 : used;
  }

  result(report?: SkipReport): FormatRead {
    const rest = this.rest;
    // The next push starts at the same bytes again: nothing of this end needs keeping.
    this.rest = '';
    return { series: this.reader.series(rest, true, report) };
  }

  get heldBytes(): number {
    return this.reader.heldBytes;
  }
}

/**
 * The byte offset where the consumed text ends. It ends in a line break, and every CR and LF byte
 * decodes to one CR or LF character (even among invalid UTF-8), so skipping the rest's breaks
 * from the end finds it whatever the text holds.
 */
function endOfConsumed(bytes: Uint8Array, rest: string): number {
  let breaks = 0;
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c === 10 || c === 13) breaks++;
  }
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i] === 10 || bytes[i] === 13) {
      if (breaks === 0) return i + 1;
      breaks--;
    }
  }
  throw new ReadWhole();
}

/** True when the first 4 KiB hold no NUL byte: text, as decodeText judges it. */
export function looksLikeText(head: Uint8Array): boolean {
  return !head.subarray(0, TEXT_PROBE).includes(0);
}
