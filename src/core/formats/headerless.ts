// Tables of numbers without a header (`np.savetxt`, `csv.writer(...).writerow(losses)`, a TSV of
// `step\td\tg` appended by every launch): the same records and step axis as printed logs
// (stepAxis.ts). A first column of whole, rising numbers is the step; the other columns are
// numbered after the file (`loss[1]`), never called D or G on a guess: run.ts names them from the
// code that wrote them when the workspace has it.
import type { RawSeries } from '../model';
import type { SkipReport } from './skipped';
import { RecordStore, ROW_NUMBERS, type Counters, type StoreMark } from './printedRecords';
import { buildAxis, type AxisResult } from './stepAxis';

/** The name of header-less column `i` of `fileName` (`models/loss.log`, 1 → `loss[1]`). */
export function columnName(fileName: string, i: number): string {
  const stem = (fileName.split('/').pop() ?? fileName).replace(/\.[^.]+$/, '') || 'column';
  return `${stem}[${i}]`;
}

/** Whether a series name is a numbered header-less column (`loss[1]`), and which. */
export function numberedColumn(name: string): number | null {
  const m = /\[(\d+)\]$/.exec(name);
  return m ? Number(m[1]) : null;
}

const NONE: Counters = { epoch: NaN, epochTotal: NaN, inner: NaN, innerTotal: NaN, global: NaN, stage: NaN, stageWord: '', clock: NaN };

/** Rows of numbers, in file order, read into series as printed logs are. */
export class HeaderlessRows {
  private readonly store = new RecordStore();
  private readonly names: string[] = [];
  private last: AxisResult | null = null;

  constructor(private readonly fileName: string) {}

  /** Adds a row (its cells as numbers). */
  row(values: readonly number[]): void {
    const names = this.names;
    while (names.length < values.length) names.push('');
    names.length = values.length;
    this.store.add(this.store.shape(NONE, names, ROW_NUMBERS), NONE, values);
  }

  series(): RawSeries[] {
    this.last = buildAxis(this.store, this.fileName, (_shape, i) => columnName(this.fileName, i));
    return this.last?.series ?? [];
  }

  told(): Pick<SkipReport, 'notes' | 'stages' | 'stepUnit'> {
    return this.last ? { notes: this.last.notes, stepUnit: this.last.stepUnit } : {};
  }

  get heldBytes(): number {
    return this.store.bytes;
  }

  mark(): StoreMark {
    return this.store.mark();
  }

  rollback(mark: StoreMark): void {
    this.store.rollback(mark);
  }
}
