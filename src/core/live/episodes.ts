// Which findings of a growing run are news: each warning or error is followed from look to look as
// an episode (the same kind on the same series over overlapping steps), and an episode is told once,
// when it has held over enough new data not to flap. Pure: the extension's alerts and the CLI's
// `--watch` both feed it looks (src/core/live/look.ts) and show what it confirms.
//
// Why a hold: the detectors judge a span against the run's length (an imbalance must last 5% of the
// run), so early in a run a short swing passes for a problem and is gone a few hundred steps later
// (measured on the eval corpus replayed: scripts/bench-live.ts). An error (NaN/Inf, a loss stuck at
// a clamp) is a fact of the data and is told at once. A warning must reach the newest data when it
// is first seen, be in every look after, and reach the newest data again once the run has grown by
// a third of what it had when the warning was first seen, or by 200 records, whichever is less.
import type { Finding } from '../model';
import { episodeKey, isCurrent, stepsPerRecord, type Look } from './look';

/** How much a warning must hold: this share of the run so far when first seen, at most HOLD_RECORDS records. */
export const HOLD_SHARE = 1 / 3;
export const HOLD_RECORDS = 200;
/** Steps between two findings of one episode (a share of the run): a finding's ends move a block as data comes. */
const JOIN_SHARE = 0.02;

/** An episode this look made news of. */
export interface Confirmed {
  finding: Finding;
  /** The newest step of the look that first saw it going on. */
  firstSeen: number;
  /**
   * The step of the record from which the rule held: firstSeen plus the hold, or the first record
   * after the last look at which it did not reach the newest data, if that came later.
   */
  heldAt: number;
}

interface Episode {
  key: string;
  start: number;
  end: number;
  /** Newest step of the first look that saw it going on (it has been in every look since); undefined before. */
  firstSeen?: number;
  /** Newest step of the last look since firstSeen at which it did not reach the newest data. */
  lastPast?: number;
  /** Confirmed (told, or known before watching): later looks of it are never news again. */
  done: boolean;
}

export class EpisodeTracker {
  private episodes: Episode[] = [];

  /**
   * Takes a look at the run; returns the episodes it confirms, worst first. `known`: what this look
   * shows was there before anyone watched (the first look of a run): it is never news.
   */
  look(look: Look, known = false): Confirmed[] {
    const seen = new Set<Episode>();
    const out: Confirmed[] = [];
    const join = JOIN_SHARE * (look.latest - look.first);
    for (const f of look.findings) {
      if (f.severity === 'info') continue;
      const key = episodeKey(f);
      let ep = this.episodes.find((e) => e.key === key && f.start <= e.end + join && f.end >= e.start - join);
      if (!ep) this.episodes.push((ep = { key, start: f.start, end: f.end, done: false }));
      ep.start = Math.min(ep.start, f.start);
      ep.end = Math.max(ep.end, f.end);
      seen.add(ep);
      if (known) ep.done = true;
      if (ep.done) continue;
      // A warning is news only while it reaches the newest data: when first seen and when it has held.
      if (f.severity !== 'error' && !isCurrent(f, look)) {
        if (ep.firstSeen !== undefined) ep.lastPast = look.latest;
        continue;
      }
      ep.firstSeen ??= look.latest;
      const heldAt = Math.max(ep.firstSeen + this.hold(f, look, ep.firstSeen), ep.lastPast === undefined ? -Infinity : ep.lastPast + stepsPerRecord(look));
      if (look.latest < heldAt) continue;
      ep.done = true;
      out.push({ finding: f, firstSeen: ep.firstSeen, heldAt });
    }
    // An episode that vanished before it held starts over; a confirmed one stays, so its return is no news.
    this.episodes = this.episodes.filter((e) => e.done || seen.has(e));
    return out.sort((a, b) => (a.finding.severity === b.finding.severity ? a.finding.start - b.finding.start : a.finding.severity === 'error' ? -1 : 1));
  }

  /** New steps a finding must hold over once seen at `firstSeen`. */
  private hold(f: Finding, look: Look, firstSeen: number): number {
    if (f.severity === 'error') return 0;
    const share = HOLD_SHARE * Math.max(0, firstSeen - look.first);
    const perRecord = stepsPerRecord(look);
    return perRecord > 0 ? Math.min(share, HOLD_RECORDS * perRecord) : share;
  }
}
