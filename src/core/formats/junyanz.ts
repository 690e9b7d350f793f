// junyanz/pytorch-CycleGAN-and-pix2pix `loss_log.txt` (also its forks: AttentionGAN, CUT…), as
// util/visualizer.py writes it:
//   `================ Training Loss (%s) ================` at every launch, then per print
//   `(epoch: %d, iters: %d, time: %.3f, data: %.3f) ` + `%s: %.3f ` per loss.
// `iters` counts images within the epoch and restarts every epoch, so the step is
// `epoch + iters / iters-per-epoch` (iters-per-epoch: the largest `iters` seen), in epochs.
// A launch from scratch starts at epoch 1 again and a resumed one repeats epochs: the latest
// launch is kept, so no step appears twice.
import type { RawSeries } from '../model';
import { t } from '../l10n';
import { decodeText, parseNumber } from './records';
import { Columns, LineReader, type LineFormat } from './lineLog';
import type { SkipReport } from './skipped';
import { PrintedLog } from './printed';
import { launchesSetAside, resumedOver } from './launchNotes';

const HEADER = /^=+ Training Loss \(.*\) =+\s*$/;
const HEAD = /^\s*\(epoch:\s*(\d+),\s*iters:\s*(\d+)(?:,[^)]*)?\)\s*(.*)$/;
// Losses after the head: `name: value` pairs separated by spaces.
const PAIR = /([^\s:]+):\s*(\S+)/g;
// Iterations within an epoch stay far below this, so `epoch * SCALE + iters` orders points exactly.
const SCALE = 1e7;

export class JunyanzLossLog implements LineFormat {
  readonly columns = new Columns();
  /** The largest `iters` seen: about the images per epoch. */
  private itersPerEpoch = 0;
  /** `(epoch: …, iters: …)` lines read. */
  lines = 0;
  /** Lines read per launch (a header starts one); those its successors rewrote are counted in `rewritten`. */
  private launches: number[] = [];
  private rewritten: number[] = [];
  /** Where the launch that rewrote each launch's last points started (as `x`), for a resumed launch's note. */
  private resumedAt: number[] = [];
  /** Each kept point's launch, in order (the columns cut back together, so one list serves them all). */
  private launchOf: number[] = [];

  constructor(private readonly fileName = '') {}

  line(text: string, tentative: boolean): boolean {
    const m = HEAD.exec(text);
    if (!m) {
      if (HEADER.test(text) && !tentative) this.newLaunch();
      return !text.trim() || HEADER.test(text) || !text.trimStart().startsWith('(epoch');
    }
    const epoch = Number(m[1]);
    const iters = Number(m[2]);
    if (iters >= SCALE) return false;
    const x = epoch * SCALE + iters;
    const pairs: [string, number][] = [];
    for (const p of m[3]!.matchAll(PAIR)) {
      const value = parseNumber(p[2]!);
      if (value === null) return false;
      pairs.push([p[1]!, value]);
    }
    if (!pairs.length) return false;
    if (x <= this.columns.lastX) {
      if (tentative) return true; // a cut-short last line never cuts what is read
      this.columns.cutFrom(x);
      this.cutFrom(x);
    }
    this.columns.lastX = x;
    this.lines++;
    if (!this.launches.length) this.newLaunch();
    this.launches[this.launches.length - 1]!++;
    this.launchOf.push(x, this.launches.length - 1);
    if (iters > this.itersPerEpoch) this.itersPerEpoch = iters;
    for (const [name, value] of pairs) this.columns.push(name, x, value);
    return true;
  }

  mark(): unknown {
    return [this.itersPerEpoch, this.lines, [...this.launches], [...this.rewritten], [...this.resumedAt], this.launchOf.length];
  }

  rollback(mark: unknown): void {
    let length: number;
    [this.itersPerEpoch, this.lines, this.launches, this.rewritten, this.resumedAt, length] = mark as [number, number, number[], number[], number[], number];
    this.launchOf.length = length;
  }

  private newLaunch(): void {
    this.launches.push(0);
    this.rewritten.push(0);
    this.resumedAt.push(NaN);
  }

  /** Counts the points at or after `x` that the latest launch rewrites, per launch that wrote them. */
  private cutFrom(x: number): void {
    const at = this.launchOf;
    let keep = at.length;
    while (keep > 0 && at[keep - 2]! >= x) keep -= 2;
    for (let i = keep; i < at.length; i += 2) {
      const launch = at[i + 1]!;
      if (this.rewritten[launch] === 0) this.resumedAt[launch] = x;
      this.rewritten[launch]!++;
    }
    at.length = keep;
  }

  told(): Pick<SkipReport, 'notes' | 'stepUnit'> {
    const aside: number[] = [];
    const last = this.launches.length - 1;
    const resumed: string[] = [];
    for (let i = 0; i < last; i++) {
      const n = this.rewritten[i]!;
      if (this.launches[i]! > 0 && n === this.launches[i]) aside.push(n);
      else if (n > 0) resumed.push(resumedOver(this.fileName, Math.round(this.stepOf(this.resumedAt[i]!) * 1000) / 1000, n));
    }
    return { notes: [...launchesSetAside(this.fileName, aside), ...resumed], stepUnit: 'epoch' };
  }

  series(): RawSeries[] {
    return this.columns.series((x) => this.stepOf(x));
  }

  /** The step (in epochs) of position `x`. */
  private stepOf(x: number): number {
    const epoch = Math.floor(x / SCALE);
    return epoch + (x - epoch * SCALE) / (this.itersPerEpoch || 1);
  }
}

/**
 * `loss_log.txt` is a common name: a file so named that holds no junyanz line but printed losses
 * (`epoch 3 D loss: … G loss: …`) is read as a printed log. Until the first junyanz line both
 * readings go on; after it, only junyanz's.
 */
class LossLogTxt implements LineFormat {
  private readonly junyanz: JunyanzLossLog;
  private readonly printed: PrintedLog;
  readonly columns: Columns;

  constructor(fileName: string) {
    this.junyanz = new JunyanzLossLog(fileName);
    this.printed = new PrintedLog(fileName);
    this.columns = this.junyanz.columns;
  }

  get heldBytes(): number {
    return this.printed.heldBytes;
  }

  line(text: string, tentative: boolean): boolean {
    const ok = this.junyanz.line(text, tentative);
    if (this.junyanz.lines === 0) this.printed.line(text);
    return ok;
  }

  mark(): unknown {
    return [this.junyanz.mark(), this.printed.mark(), this.printed.columns.mark()];
  }

  rollback(mark: unknown): void {
    const [junyanz, printed, columns] = mark as [unknown, unknown, ReturnType<Columns['mark']>];
    this.junyanz.rollback(junyanz);
    this.printed.rollback(printed);
    this.printed.columns.rollback(columns);
  }

  series(): RawSeries[] {
    return this.junyanz.lines > 0 ? this.junyanz.series() : this.printed.series();
  }

  told(): Pick<SkipReport, 'notes' | 'stages' | 'stepUnit'> {
    return this.junyanz.lines > 0 ? this.junyanz.told() : this.printed.told();
  }
}

export function newJunyanzReader(fileName: string): LineReader {
  return new LineReader(new LossLogTxt(fileName), fileName, t('no "(epoch: …, iters: …)" loss lines'), t('not an "(epoch: …, iters: …)" loss line'));
}

/** Reads a whole `loss_log.txt`. */
export function readJunyanzLossLog(bytes: Uint8Array, fileName: string, report?: SkipReport): RawSeries[] {
  const text = decodeText(bytes, fileName);
  const reader = newJunyanzReader(fileName);
  return reader.series(text.slice(reader.push(text)), false, report);
}
