// The series of one lane of a printed log's records, once each kept record has its step
// (stepAxis.ts): one series per printed name, a step printed twice keeping its last value.
import type { RawSeries } from '../model';
import { ROW_NUMBERS, type Shape } from './printedRecords';
import type { LaneAxis, MainRecords } from './axisRecords';

/** A series being gathered: (step, value) pairs in growing arrays. */
class Gathered {
  steps = new Float64Array(64);
  values = new Float64Array(64);
  n = 0;

  constructor(readonly column: number | null) {}

  push(step: number, value: number): void {
    const n = this.n;
    if (n && this.steps[n - 1] === step) {
      this.values[n - 1] = value;
      return;
    }
    if (n === this.steps.length) {
      const s = new Float64Array(n * 2);
      const v = new Float64Array(n * 2);
      s.set(this.steps);
      v.set(this.values);
      this.steps = s;
      this.values = v;
    }
    this.steps[n] = step;
    this.values[n] = value;
    this.n = n + 1;
  }
}

/** Each name's (step, value) pairs in the lane's kept records; `pair` names the process when there are several. */
export function laneSeries(rec: MainRecords, axis: LaneAxis, columnName: (shape: Shape, i: number) => string, pair: string | undefined): RawSeries[] {
  const byName = new Map<string, Gathered>();
  // Per shape, the series each of its columns goes to (found once, not once per record).
  const targets: ((Gathered | null)[] | undefined)[] = [];
  const steps = axis.steps;
  const kept = axis.records;
  const fast = oneShapeRising(rec, axis);
  for (let k = 0; k < rec.shapes.length; k++) {
    const s = rec.shapes[k]!;
    const from = rec.stepColumn[k] ? 1 : 0;
    targets[k] = s.values.map((_v, c) => {
      if (c < from) return null;
      const name = s.kind === ROW_NUMBERS ? columnName(s, c) : s.names[c]!;
      let g = byName.get(name);
      if (!g) byName.set(name, (g = new Gathered(s.kind === ROW_NUMBERS ? c : null)));
      return g;
    });
  }
  if (fast !== null) {
    // One shape, every record kept in order, steps rising: its columns are the series as they are.
    const s = rec.shapes[fast]!;
    const out: RawSeries[] = [];
    targets[fast]!.forEach((g, c) => {
      if (!g) return;
      const name = [...byName].find(([, x]) => x === g)![0];
      out.push(named(name, g.column, steps.slice(0, axis.n), s.values[c]!.slice(0, axis.n), pair));
    });
    return out;
  }
  for (let i = 0; i < axis.n; i++) {
    const r = kept[i]!;
    const k = rec.shape[r]!;
    const s = rec.shapes[k]!;
    const cols = targets[k]!;
    const row = rec.row[r]!;
    const step = steps[i]!;
    for (let c = 0; c < cols.length; c++) cols[c]?.push(step, s.values[c]![row]!);
  }
  const out: RawSeries[] = [];
  for (const [name, g] of byName) {
    if (!g.n) continue;
    const st = g.steps.slice(0, g.n);
    const vs = g.values.slice(0, g.n);
    sortBySteps(st, vs);
    out.push(named(name, g.column, st, vs, pair));
  }
  return out;
}

function named(name: string, column: number | null, steps: Float64Array, values: Float64Array, pair: string | undefined): RawSeries {
  const s: RawSeries = { name: pair ? `${name} [${pair}]` : name, column, steps, values };
  if (pair) s.pair = pair;
  return s;
}

/** The one shape of a lane whose records are all kept, in order, with rising steps; else null. */
function oneShapeRising(rec: MainRecords, axis: LaneAxis): number | null {
  if (rec.shapes.length !== 1 || axis.n !== rec.count) return null;
  const { records, steps, n } = axis;
  for (let i = 0; i < n; i++) if (records[i] !== i) return null;
  for (let i = 1; i < n; i++) if (!(steps[i]! > steps[i - 1]!)) return null;
  return 0;
}

/** Sorts in place by step when a record placed itself before the one printed before it. */
function sortBySteps(steps: Float64Array, values: Float64Array): void {
  let sorted = true;
  for (let i = 1; i < steps.length && sorted; i++) if (steps[i]! < steps[i - 1]!) sorted = false;
  if (sorted) return;
  const order = Array.from(steps.keys()).sort((a, b) => steps[a]! - steps[b]! || a - b);
  const s = Float64Array.from(order, (i) => steps[i]!);
  const v = Float64Array.from(order, (i) => values[i]!);
  steps.set(s);
  values.set(v);
}
