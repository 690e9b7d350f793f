// From a printed log's training records (axisRecords.ts) to its series on one step axis:
// - the step: a global iteration when printed, else epoch × batches-per-epoch + batch (the batches
//   per epoch printed, or learned from the largest batch; epochs counted from 0 or 1 as the log
//   counts them), else the one counter printed, else the record's number;
// - stages (a counter that restarts under a new scale, depth or resolution): stacked one after the
//   other on the axis, nothing dropped, each stage's start kept for the chart;
// - relaunches (a counter that goes back, with no new stage): the latest launch is kept, and what
//   was set aside is said in a note;
// - processes (records whose counters or clocks go back and forth between two runs of them): each
//   its own group of series (`pair` P1, P2…), told in a note.
import type { RawSeries, Stage } from '../model';
import { t } from '../l10n';
import { HAS_EPOCH, PLACE_BITS, ROW_LOSSES, ROW_NUMBERS, type RecordStore, type Shape } from './printedRecords';
import { assignTracks, lanesOf, type Track } from './printedTracks';
import { isCoarse, mainRecords, ruleOf, type AxisRule, type LaneAxis, type MainRecords } from './axisRecords';
import { laneSeries } from './axisSeries';
import { launchesSetAside, resumedOver } from './launchNotes';

export interface AxisResult {
  series: RawSeries[];
  /** What was set aside or told apart, one line each, naming the file. */
  notes: string[];
  /** The stages of a training whose counter restarts by design (empty with one stage). */
  stages: Stage[];
  /** What one step is: 'epoch' when only epochs are printed, 'kimg' for tick lines, 'step' for numeric rows, else 'iteration'. */
  stepUnit: string;
}

function laneAxis(rec: MainRecords, lane: Track[], trackOf: Int32Array, rule: AxisRule): LaneAxis {
  const size = lane.reduce((sum, tr) => sum + tr.count, 0);
  const out: LaneAxis = { records: new Int32Array(size), steps: new Float64Array(size), offsets: new Float64Array(size), n: 0, setAside: [], resumed: [] };
  const launchOf = new Int32Array(size);
  const cut = new Map<number, number>();
  const offsetOf = new Map<number, number>();
  const { records, steps, offsets } = out;
  // The loop reads typed arrays and locals only: it stays optimized whatever shape of log it meets.
  const { stage: stageOf, follows: followsOf, a, b, global, epoch, inner, innerTotal } = rec;
  const { inEpoch, epochBase, batchBase, perPlace, perEpoch } = rule;
  // `perEpoch` of the stage last asked for (a log changes stage a few times in a million records).
  let askedStage = NaN;
  let askedPerEpoch = 1;
  for (let launch = 0; launch < lane.length; launch++) {
    const track = lane[launch]!;
    const id = track.id;
    let offset = 0;
    let prevStage = NaN;
    let prevRaw = 0;
    let prevStep = 0;
    let prevRecord = -1;
    let sub = 0;
    for (let r = track.first; r <= track.last; r++) {
      if (trackOf[r] !== id) continue;
      const stage = stageOf[r]!;
      sub = prevRecord >= 0 && stage === stageOf[prevRecord] && a[r] === a[prevRecord] && b[r] === b[prevRecord] ? sub + 1 : 0;
      prevRecord = r;
      // The step inside the stage: a global counter; else epoch × batches per epoch + batch; else the place.
      let raw = global[r]!;
      if (raw !== raw) {
        const e = epoch[r]!;
        const i = inner[r]!;
        if (e === e && i === i) {
          if (!inEpoch) raw = i;
          else {
            let per = innerTotal[r]!;
            if (!(per === per && per > 0)) {
              if (stage !== askedStage) {
                askedStage = stage;
                askedPerEpoch = perEpoch.get(stage) || 1;
              }
              per = askedPerEpoch;
            }
            raw = (e - epochBase) * per + i - batchBase;
          }
        } else raw = perPlace > 1 ? a[r]! * perPlace + sub : a[r]!;
      }
      const follows = followsOf[r] === 1 && r !== track.first;
      if (r === track.first) {
        const last = out.n ? steps[out.n - 1]! : -1;
        offset = launch === 0 ? 0 : (offsetOf.get(stage) ?? (stage >= 0 && out.n ? last + 1 : 0));
        if (launch > 0) setAsideFrom(out, launchOf, cut, offset + raw);
        offsetOf.set(stage, offset);
      } else if (stage !== prevStage && !follows) {
        // The next stage: after the one before when its counter starts again.
        if (raw < prevRaw) offset = prevStep + 1;
        offsetOf.set(stage, offset);
      }
      const step = offset + raw;
      if (!follows) {
        prevStage = stage;
        prevRaw = raw;
        prevStep = step;
      }
      const k = out.n++;
      records[k] = r;
      steps[k] = step;
      offsets[k] = offset;
      launchOf[k] = launch;
    }
  }
  for (let launch = 0; launch < lane.length; launch++) {
    const n = cut.get(launch) ?? 0;
    if (!n) continue;
    if (n === lane[launch]!.count) out.setAside.push(n);
    else {
      let from = 0;
      for (let k = 0; k < out.n; k++) {
        if (launchOf[k]! > launch) {
          from = out.steps[k]!;
          break;
        }
      }
      out.resumed.push({ from, lines: n });
    }
  }
  return out;
}

/** Drops the kept records at or after `step` (a relaunch rewrites them), counting them per launch. */
function setAsideFrom(out: LaneAxis, launchOf: Int32Array, cut: Map<number, number>, step: number): void {
  let keep = out.n;
  while (keep > 0 && out.steps[keep - 1]! >= step) keep--;
  for (let i = keep; i < out.n; i++) cut.set(launchOf[i]!, (cut.get(launchOf[i]!) ?? 0) + 1);
  out.n = keep;
}

function stageLabel(word: string, value: number): string {
  return word === 'resolution' || word === 'res' ? `${value}×${value}` : `${word} ${value}`;
}

function stagesOf(rec: MainRecords, axis: LaneAxis): Stage[] {
  const out: Stage[] = [];
  let prev = -1;
  const { records, steps, offsets } = axis;
  const { stage, follows } = rec;
  for (let i = 0; i < axis.n; i++) {
    const r = records[i]!;
    const value = stage[r]!;
    if (follows[r] || value < 0 || value === prev) continue;
    prev = value;
    out.push({ label: stageLabel(rec.shapes[rec.shape[r]!]!.stageWord, value), start: steps[i]!, offset: offsets[i]! });
  }
  return out.length > 1 ? out : [];
}

/** What a table's first column counts, by its header's name (`epoch` in fastai's table); else steps. */
function tableUnit(first: string | undefined): string {
  const name = first?.toLowerCase() ?? '';
  if (name === 'epoch' || name === 'epochs') return 'epoch';
  return /^iter(ation)?s?$/.test(name) ? 'iteration' : 'step';
}

function unitOf(shapes: Shape[], coarse: boolean): string {
  const s = shapes[0];
  if (!s || coarse) return 'iteration';
  // A table's first column is its step; its header may say what it counts (fastai's `epoch`).
  if (s.kind === ROW_NUMBERS) return tableUnit(s.names[0]);
  if (s.kind > ROW_LOSSES) return 'kimg';
  return (s.bits & PLACE_BITS) === HAS_EPOCH ? 'epoch' : 'iteration';
}

const count = (lane: Track[]) => lane.reduce((sum, tr) => sum + tr.count, 0);

/** What a lane's relaunches set aside. */
function launchNotes(axis: LaneAxis, prefix: string): string[] {
  return [...launchesSetAside(prefix, axis.setAside), ...axis.resumed.map((r) => resumedOver(prefix, r.from, r.lines))];
}

/** The series, notes and stages of a store's records (see the top of this file); null when there are none. */
export function buildAxis(store: RecordStore, file: string, columnName: (shape: Shape, i: number) => string): AxisResult | null {
  const rec = mainRecords(store);
  if (!rec.count) return null;
  const coarse = isCoarse(rec);
  const { trackOf, tracks } = assignTracks(rec, coarse);
  let lanes = lanesOf(tracks);
  const notes: string[] = [];
  // A lane of a record or two beside a long one is not a process: lines that fit no run of counters.
  const stray = lanes.filter((l) => count(l) < 3 && count(l) * 20 < rec.count);
  if (stray.length && stray.length < lanes.length) {
    lanes = lanes.filter((l) => !stray.includes(l));
    const n = stray.reduce((sum, l) => sum + count(l), 0);
    notes.push(
      n === 1 ? t('{0}: 1 line that fits no run of its counters set aside', file) : t('{0}: {1} lines that fit no run of their counters set aside', file, n),
    );
  }
  const processes = lanes.length > 1;
  if (processes) {
    const list = lanes.map((l, i) => t('P{0}: {1} lines', i + 1, count(l))).join(', ');
    notes.push(t('{0}: the lines of {1} processes are interleaved; each is read on its own, told apart by its own counters ({2})', file, lanes.length, list));
  }
  // Each record's lane; none needed when one lane holds every record (most logs).
  let laneOf: Int32Array | null = null;
  if (lanes.length > 1 || count(lanes[0]!) !== rec.count) {
    const of = (laneOf = new Int32Array(rec.count).fill(-1));
    lanes.forEach((lane, li) => {
      for (const tr of lane) for (let r = tr.first; r <= tr.last; r++) if (trackOf[r] === tr.id) of[r] = li;
    });
  }
  let mainLane = 0;
  lanes.forEach((lane, i) => {
    if (count(lane) > count(lanes[mainLane]!)) mainLane = i;
  });
  const series: RawSeries[] = [];
  let stages: Stage[] = [];
  let stepsPerEpoch = 0;
  lanes.forEach((lane, li) => {
    const rule = ruleOf(rec, laneOf, li, coarse);
    const axis = laneAxis(rec, lane, trackOf, rule);
    notes.push(...launchNotes(axis, processes ? t('{0} (P{1})', file, li + 1) : file));
    if (li === mainLane) {
      stages = stagesOf(rec, axis);
      if (rule.inEpoch) stepsPerEpoch = [...rule.perEpoch.values()].pop() ?? 0;
    }
    series.push(...laneSeries(rec, axis, columnName, processes ? `P${li + 1}` : undefined));
  });
  if (stepsPerEpoch > 0) for (const s of series) s.stepsPerEpoch = stepsPerEpoch;
  return { series, notes, stages, stepUnit: unitOf(rec.shapes, coarse) };
}
