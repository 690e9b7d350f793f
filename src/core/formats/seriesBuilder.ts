// A series being read, (step, value) pairs in file order, in arrays that double as they fill, so
// the text readers can keep reading where they stopped when a live run appends to its file.
import type { RawSeries } from '../model';

// Marks every buffer a builder allocated, on the buffer itself (no module-level registry): memory a
// reader (or the append cache) still writes into and that must never be moved to another thread.
const BUILDER_MEMORY = Symbol('series builder memory');

/**
 * Builds a series from (step, value) pairs in file order. Steps must increase for the model:
 * files appended after a resumed run can go back, so those are stably sorted by step.
 */
export function toRawSeries(name: string, column: number | null, steps: ArrayLike<number>, values: ArrayLike<number>): RawSeries {
  const n = steps.length;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if (steps[i]! < steps[i - 1]!) sorted = false;
  if (sorted) return { name, column, steps: Float64Array.from(steps), values: Float64Array.from(values) };
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => steps[a]! - steps[b]! || a - b);
  return {
    name,
    column,
    steps: Float64Array.from(order, (i) => steps[i]!),
    values: Float64Array.from(order, (i) => values[i]!),
  };
}

/** True when the array's memory belongs to a series builder (see `SeriesBuilder`). */
export function isBuilderMemory(array: Float64Array): boolean {
  return BUILDER_MEMORY in array.buffer;
}

export class SeriesBuilder {
  steps: Float64Array;
  values: Float64Array;
  length = 0;
  /** False once a step goes below the one before it (a resumed run appending to the file). */
  sorted = true;

  constructor(capacity = 64) {
    this.steps = this.allocate(capacity);
    this.values = this.allocate(capacity);
  }

  push(step: number, value: number): void {
    const n = this.length;
    if (n === this.steps.length) this.grow();
    if (n > 0 && step < this.steps[n - 1]!) this.sorted = false;
    this.steps[n] = step;
    this.values[n] = value;
    this.length = n + 1;
  }

  /** Bytes of memory held, for the append cache's budget. */
  get heldBytes(): number {
    return this.steps.byteLength + this.values.byteLength;
  }

  /**
   * The series as `toRawSeries` builds it from the same pairs. `share`: the first `length` values
   * are never written again (pushes go past them and growth moves to new memory), so while sorted
   * they can be handed out as views instead of copies.
   */
  toRaw(name: string, column: number | null, share: boolean): RawSeries {
    const n = this.length;
    const steps = this.steps.subarray(0, n);
    const values = this.values.subarray(0, n);
    if (!this.sorted) return toRawSeries(name, column, steps, values);
    if (share) return { name, column, steps, values };
    return { name, column, steps: steps.slice(), values: values.slice() };
  }

  private grow(): void {
    const steps = this.allocate(this.steps.length * 2);
    const values = this.allocate(this.values.length * 2);
    steps.set(this.steps);
    values.set(this.values);
    this.steps = steps;
    this.values = values;
  }

  private allocate(n: number): Float64Array {
    const array = new Float64Array(n);
    Object.defineProperty(array.buffer, BUILDER_MEMORY, { value: true });
    return array;
  }
}

/** A builder's state at a mark, to undo what reading a file's unfinished end added. */
export interface BuilderMark {
  builder: SeriesBuilder;
  length: number;
  sorted: boolean;
}

export function markBuilder(builder: SeriesBuilder): BuilderMark {
  return { builder, length: builder.length, sorted: builder.sorted };
}

export function rollbackBuilder(mark: BuilderMark): SeriesBuilder {
  mark.builder.length = mark.length;
  mark.builder.sorted = mark.sorted;
  return mark.builder;
}
