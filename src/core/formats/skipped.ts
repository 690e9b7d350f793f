// Damaged records a reader skipped, told to the run's errors as one line per file.
//
// Training logs get damaged in ordinary ways (a process killed mid-write, a disk hiccup, a stray
// line printed into the log, a file copied while it grew). One damaged record must never cost the
// whole file: a reader skips it, keeps every intact record around it, and tells what it skipped
// here, so the run's errors get one line "<file>: skipped N damaged records, first at line L (why)".
//
// How a reader uses it (the text readers in this folder do, including junyanz `loss_log.txt`,
// printed training logs and MLflow metric files through lineLog.ts's LineReader, and so should a new one):
// - keep one `SkipTally`; call `skip(place, reason)` for each record that cannot be read: a line
//   (`{ line }`, 1-based) for line formats, a byte offset (`{ byte }`) for record-framed formats.
//   Only the first record's place and reason are kept, so a file damaged everywhere costs nothing.
// - a reader that reads a file's unfinished end and forgets it again (for a live refresh) marks the
//   tally before that end and rolls it back after, as it does its series.
// - the whole-read function takes an optional `SkipReport` and sets `report.skipped` to
//   `tally.result()`; `readLossFile` and `AppendCache.read` pass theirs down, and `loadRun` turns it
//   into a run error (`skippedError`).
// - a final line or record cut short (still being written) is not damage: it is dropped silently.
// - when nothing at all could be read, throw a ReadFailure with the first record's reason instead:
//   the file still says why, as it did before skipping existed.
import { t } from '../l10n';
import type { ReadError, RecordPlace, SkippedRecords, Stage } from '../model';

export type { RecordPlace, SkippedRecords };

/** What a whole read hands back beside its series: set by the reader, null when nothing was skipped. */
export interface SkipReport {
  skipped: SkippedRecords | null;
  /**
   * What a text log told beside its series (printed logs, `loss_log.txt`): relaunches set aside,
   * processes told apart (Run.notes), the stages of its training (Run.stages), its step unit.
   */
  notes?: string[];
  stages?: Stage[];
  stepUnit?: string;
}

export interface SkipMark {
  count: number;
  first: RecordPlace | null;
  reason: string;
}

/** A reader's running count of skipped records. */
export class SkipTally {
  count = 0;
  private first: RecordPlace | null = null;
  private reason = '';

  /** Counts one skipped record; `reason` is asked for only for the first. */
  skip(place: RecordPlace, reason: () => string): void {
    if (this.count++ === 0) {
      this.first = place;
      this.reason = reason();
    }
  }

  /** The first skipped record's reason ('' when none), for a failure when nothing was readable. */
  get firstReason(): string {
    return this.reason;
  }

  get firstPlace(): RecordPlace | null {
    return this.first;
  }

  /** Adds what `other` counted (records found damaged only later, once they could be told from data). */
  absorb(other: SkipTally): void {
    if (!other.count || !other.first) return;
    if (!this.first || before(other.first, this.first)) {
      this.first = other.first;
      this.reason = other.reason;
    }
    this.count += other.count;
  }

  result(): SkippedRecords | null {
    return this.first && this.count ? { count: this.count, first: this.first, reason: this.reason } : null;
  }

  mark(): SkipMark {
    return { count: this.count, first: this.first, reason: this.reason };
  }

  rollback(mark: SkipMark): void {
    this.count = mark.count;
    this.first = mark.first;
    this.reason = mark.reason;
  }
}

function before(a: RecordPlace, b: RecordPlace): boolean {
  return ('line' in a ? a.line : a.byte) < ('line' in b ? b.line : b.byte);
}

/** "line 12" or "byte 1663525", as the messages say where a record is. */
export function placeText(place: RecordPlace): string {
  return 'line' in place ? t('line {0}', place.line) : t('byte {0}', place.byte);
}

/** The one line a file with skipped records gets: "<file>: skipped N damaged records, first at line L (reason)". */
export function skippedMessage(fileName: string, s: SkippedRecords): string {
  return s.count === 1
    ? t('{0}: skipped 1 damaged record at {1} ({2})', fileName, placeText(s.first), s.reason)
    : t('{0}: skipped {1} damaged records, first at {2} ({3})', fileName, s.count, placeText(s.first), s.reason);
}

/** The run error entry for a file that was read with records skipped. */
export function skippedError(source: string, s: SkippedRecords): ReadError {
  return { source, message: skippedMessage(source, s), skipped: s };
}
