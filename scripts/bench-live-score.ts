// Scoring the alerts of the eval corpus replayed (scripts/bench-live.ts) against each run's
// truth.json: a broken run (one with a warning or error episode that must be found; info episodes,
// a plateau or the equilibrium, never alert by design) is recalled when it raised an alert of one of
// its kinds; an alert of a kind the truth neither expects nor allows is a false
// alarm; a healthy run should raise none. An alert's latency is counted from the write that put
// the record making it true on disk: the first write that reached the step where it had held.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ReplayWrite } from './replay-run';

export interface AlertLine {
  at: number;
  /** The run's folder in the workspace (the corpus run's name). */
  run: string;
  kind: string;
  severity: string;
  start: number;
  firstSeen: number;
  heldAt: number;
  /** Shown to the user (not muted, not below the alert setting). */
  told: boolean;
}

export interface LiveTruth {
  /** Kinds of the warning and error episodes a right diagnosis must find (what alerts are for). */
  required: Set<string>;
  /** Kinds that are not false alarms: every expected episode's (optional ones too) and the allowed ones. */
  accepted: Set<string>;
  /** Nothing wrong is expected: at most a plateau or the equilibrium (info), and optional episodes. */
  healthy: boolean;
}

export function liveTruth(runDir: string): LiveTruth {
  const truth = JSON.parse(readFileSync(path.join(runDir, 'truth.json'), 'utf8')) as {
    expected: { kind: string; optional?: boolean; severity?: string }[];
    allowed: string[];
  };
  return {
    required: new Set(truth.expected.filter((e) => !e.optional && e.severity !== 'info').map((e) => e.kind)),
    healthy: truth.expected.every((e) => e.optional || e.kind === 'plateau' || e.kind === 'equilibrium'),
    accepted: new Set([...truth.expected.map((e) => e.kind), ...truth.allowed]),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
}

export function scoreAlerts(alerts: AlertLine[], writes: Map<string, ReplayWrite[]>, truthOf: (name: string) => LiveTruth) {
  const runs = [...writes.keys()].sort().map((name) => {
    const truth = truthOf(name);
    const own = writes.get(name)!;
    const mine = alerts
      .filter((a) => a.run === name)
      .map((a) => {
        const made = own.find((w) => w.step >= a.heldAt) ?? own[own.length - 1]!;
        return { ...a, latencyMs: a.at - made.at, false: !truth.accepted.has(a.kind) };
      });
    const broken = truth.required.size > 0;
    return { name, broken, healthy: truth.healthy, recalled: broken && mine.some((a) => truth.required.has(a.kind)), alerts: mine };
  });
  const latencies = runs.flatMap((r) => r.alerts.map((a) => a.latencyMs));
  const broken = runs.filter((r) => r.broken);
  // A run neither broken nor healthy (an oscillation the truth rates info) is judged by its false alarms only.
  const healthy = runs.filter((r) => r.healthy && !r.broken);
  return {
    runs,
    broken: broken.length,
    healthy: healthy.length,
    recall: broken.length ? broken.filter((r) => r.recalled).length / broken.length : NaN,
    healthyAlerts: healthy.reduce((n, r) => n + r.alerts.length, 0),
    falseAlerts: runs.reduce((n, r) => n + r.alerts.filter((a) => a.false).length, 0),
    medianMs: median(latencies),
    maxMs: latencies.length ? Math.max(...latencies) : NaN,
  };
}
