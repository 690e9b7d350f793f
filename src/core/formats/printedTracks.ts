// Which records of a printed log belong together. A record's place is its counters, compared in order
// (stage, then the global iteration, or the epoch then the batch): within one training they only
// grow. A record that goes back starts another track: a relaunch (tracks one after the other) or
// another process writing to the same log (tracks whose lines interleave). A record joins the track
// it continues most closely, and never one whose clock (`time: 25.7`, seconds since its start) is
// ahead of its own, so two processes' lines are told apart by their own counters and clocks.
import type { MainRecords } from './axisRecords';

export interface Track {
  id: number;
  /** Record indices (into the run of main records), in file order. */
  first: number;
  last: number;
  count: number;
  stage: number;
  a: number;
  b: number;
  shape: number;
  clock: number;
}

/** Orders two places: negative when (s1, a1, b1) comes first. */
export function comparePlaces(s1: number, a1: number, b1: number, s2: number, a2: number, b2: number): number {
  return s1 - s2 || a1 - a2 || b1 - b2;
}

// A track nobody wrote to for this many records (and for twice its own length) is over: a later
// record that would fit it belongs to a launch after it, not to it.
const DORMANT_MIN = 64;
// Past this many tracks the oldest are no longer candidates (a log of a thousand relaunches stays linear).
const MAX_OPEN_TRACKS = 64;

/**
 * Assigns each record a track. `coarse`: the counter repeats from record to record by design (an
 * epoch printed with every batch), so a record at the place of the one before is the next record,
 * not a restart.
 */
export function assignTracks(rec: MainRecords, coarse: boolean): { trackOf: Int32Array; tracks: Track[] } {
  const count = rec.count;
  const trackOf = new Int32Array(count);
  const tracks: Track[] = [];
  const open: Track[] = [];
  let previous: Track | null = null;
  const { follows, stage: stages, a: as, b: bs, shape: shapes, clock: clocks } = rec;
  for (let r = 0; r < count; r++) {
    if (follows[r] && previous) {
      trackOf[r] = previous.id;
      previous.last = r;
      previous.count++;
      continue;
    }
    const stage = stages[r]!;
    const a = as[r]!;
    const b = bs[r]!;
    const shape = shapes[r]!;
    const clock = clocks[r]!;
    let best: Track | null = null;
    // Most records continue the track of the record before: try it first.
    if (previous && fits(previous, r, stage, a, b, shape, clock, coarse)) best = previous;
    if (open.length > 1) {
      for (const t of open) {
        if (t === best || !fits(t, r, stage, a, b, shape, clock, coarse)) continue;
        if (!best) {
          best = t;
          continue;
        }
        // The closest place; at the same place the closest clock (another process's clock is elsewhere); then the latest.
        const closer =
          comparePlaces(t.stage, t.a, t.b, best.stage, best.a, best.b) ||
          (clock === clock && t.clock === t.clock && best.clock === best.clock ? t.clock - best.clock : 0);
        if (closer > 0 || (closer === 0 && t.last > best.last)) best = t;
      }
    }
    if (!best) {
      best = { id: tracks.length, first: r, last: r, count: 0, stage: 0, a: 0, b: 0, shape, clock: NaN };
      tracks.push(best);
      open.push(best);
      if (open.length > MAX_OPEN_TRACKS) open.shift();
    }
    best.last = r;
    best.count++;
    best.stage = stage;
    best.a = a;
    best.b = b;
    best.shape = shape;
    if (clock === clock) best.clock = clock;
    trackOf[r] = best.id;
    previous = best;
  }
  return { trackOf, tracks };
}

/** Whether record `r` (at this place, of this shape, with this clock) can continue track `t`. */
function fits(t: Track, r: number, stage: number, a: number, b: number, shape: number, clock: number, coarse: boolean): boolean {
  const c = comparePlaces(stage, a, b, t.stage, t.a, t.b);
  if (c < 0 || (c === 0 && t.shape === shape && !coarse)) return false;
  if (clock === clock && t.clock === t.clock && clock < t.clock) return false;
  return r - t.last <= Math.max(DORMANT_MIN, 2 * t.count);
}

/**
 * Tracks that follow one another are one lane (a training and its relaunches, or its stages);
 * tracks whose lines interleave are separate lanes: separate processes writing to one log. Each
 * lane's tracks in order of their first record.
 */
export function lanesOf(tracks: Track[]): Track[][] {
  const lanes: Track[][] = [];
  for (const t of tracks) {
    let lane: Track[] | null = null;
    for (const l of lanes) {
      const end = l[l.length - 1]!.last;
      if (end < t.first && (!lane || end > lane[lane.length - 1]!.last)) lane = l;
    }
    if (lane) lane.push(t);
    else lanes.push([t]);
  }
  return lanes;
}
