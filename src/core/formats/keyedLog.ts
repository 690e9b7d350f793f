// One series per file, one `<step>: <value>` line per record: BigGAN-PyTorch's MyLogger
// (utils.py: `logs/<experiment>/<key>.log`, written `'%d: %s\n' % (itr, '%3.3e' % value)`) and the
// scripts that log the same way. The file's name is the series' name (`G_loss.log` → `G_loss`).
import type { RawSeries } from '../model';
import { t } from '../l10n';
import { fileBaseName } from '../paths';
import { Columns, LineReader, type LineFormat } from './lineLog';
import { decodeText, parseNumber } from './records';
import type { SkipReport } from './skipped';

const LINE = /^\s*([-+]?\d+(?:\.\d+)?)\s*:\s*(\S+)\s*$/;

/** The series name of a keyed log: its file name without the extension. */
export function keyedLogName(fileName: string): string {
  return fileBaseName(fileName).replace(/\.(log|txt)$/i, '');
}

class KeyedLog implements LineFormat {
  readonly columns = new Columns();
  private readonly steps: number[] = [];

  constructor(private readonly key: string) {}

  line(text: string, tentative: boolean): boolean {
    if (!text.trim()) return true;
    const m = LINE.exec(text);
    const step = m ? parseNumber(m[1]!) : null;
    const value = m ? parseNumber(m[2]!) : null;
    if (step === null || value === null || !Number.isFinite(step)) return false;
    const last = this.steps[this.steps.length - 1];
    if (last !== undefined && step <= last) {
      // A resumed training appends from its checkpoint's step again: the latest launch is kept.
      if (tentative) return true;
      let from = this.steps.length;
      while (from > 0 && this.steps[from - 1]! >= step) from--;
      this.steps.length = from;
      this.columns.cutFrom(from);
    }
    this.columns.push(this.key, this.steps.length, value);
    this.steps.push(step);
    return true;
  }

  mark(): unknown {
    return this.steps.length;
  }

  rollback(mark: unknown): void {
    this.steps.length = mark as number;
  }

  series(): RawSeries[] {
    return this.columns.series((i) => this.steps[i]!);
  }
}

export function newKeyedLogReader(fileName: string): LineReader {
  return new LineReader(new KeyedLog(keyedLogName(fileName)), fileName, t('no "step: value" lines'), t('not a "step: value" line'));
}

/** Reads a whole keyed log. */
export function readKeyedLog(bytes: Uint8Array, fileName: string, report?: SkipReport): RawSeries[] {
  const text = decodeText(bytes, fileName);
  const reader = newKeyedLogReader(fileName);
  return reader.series(text.slice(reader.push(text)), false, report);
}

/** The first lines (at least two whole ones) are all `<step>: <number>`. */
export function sniffKeyedLog(head: Uint8Array): boolean {
  if (head.subarray(0, 4096).includes(0)) return false;
  const lines = new TextDecoder('utf-8').decode(head).split(/\r\n|\r|\n/);
  // The last piece may be cut by the head's end.
  if (lines.length > 1) lines.pop();
  const filled = lines.filter((l) => l.trim()).slice(0, 20);
  return (
    filled.length >= 2 &&
    filled.every((l) => {
      const m = LINE.exec(l);
      return m !== null && parseNumber(m[2]!) !== null;
    })
  );
}
