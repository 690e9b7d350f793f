// Scores the engine against the labelled corpus (test/corpus/runs, made by scripts/eval/make-corpus.py).
// Each run's truth.json says which findings a right diagnosis holds (kind, onset, end, least severity),
// from the recipe and an independent digits classifier, never from a detector. Here the engine runs
// exactly as the CLI does (inspectPaths on the folder) and its findings are matched to that truth.
//
// Scoring, per finding kind:
// - a truth episode is found when a finding of its kind and at least its severity overlaps it
//   (with a slack of 5% of the run either side, the width of a sample interval);
// - a finding of warning or error severity is a false alarm when it matches no truth episode of its
//   kind and the run does not list the kind as allowed (an info finding is an observation, not an
//   alarm: precision counts warnings and errors only);
// - an optional truth episode (the generator's first blobs, all alike, during warm-up) is neither
//   required nor a false alarm;
// - onset error: |first matching finding's start − truth onset|, as a share of the run's steps;
// - `equilibrium` has no independent truth (a settled curve is a fact of the curve) and is not scored.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { inspectPaths } from '../../src/core/inspect';
import type { Finding, FindingKind, Severity } from '../../src/core/model';

export interface TruthEpisode {
  kind: FindingKind;
  onset: number;
  end: number;
  severity: Severity;
  partial?: boolean;
  /** Neither required nor a false alarm (the generator's first blobs during warm-up). */
  optional?: boolean;
}

export interface Truth {
  name: string;
  story: string;
  steps: number;
  layout: { rows: number; cols: number; px: number; pad: number; rgb: boolean };
  expected: TruthEpisode[];
  allowed: FindingKind[];
  sampleSteps: Array<{ step: number; classesFor90: number; topShare: number }>;
}

export const SCORED_KINDS: FindingKind[] = ['non-finite', 'saturated', 'exploding', 'd-dominant', 'g-dominant', 'oscillation', 'mode-collapse'];
const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };
const SLACK = 0.05;

export interface RunResult {
  name: string;
  truth: Truth;
  findings: Finding[];
  /** Tiles per grid the engine scored (median), 0 when it scored none. */
  tiles: number;
  layoutRight: boolean;
  /** Notes and errors the engine reported on the run (e.g. "no grid layout found"). */
  notes: string[];
  hits: Array<{ episode: TruthEpisode; finding: Finding | null }>;
  falseAlarms: Finding[];
}

export interface KindScore {
  kind: FindingKind;
  truth: number;
  found: number;
  alarms: number;
  falseAlarms: number;
  precision: number;
  recall: number;
  /** Onset errors of the found episodes, as shares of their runs. */
  onsetErrors: number[];
}

export interface Evaluation {
  runs: RunResult[];
  kinds: KindScore[];
  layoutsRight: number;
  /** Warnings/errors on runs whose truth expects nothing. */
  healthyAlarms: number;
  healthyRuns: number;
}

export function corpusDir(repoRoot: string): string {
  return path.join(repoRoot, 'test', 'corpus', 'runs');
}

export async function evaluateCorpus(dir: string): Promise<Evaluation> {
  const names = readdirSync(dir).filter((n) => existsSync(path.join(dir, n, 'truth.json'))).sort();
  const runs: RunResult[] = [];
  for (const name of names) runs.push(await evaluateRun(path.join(dir, name)));
  const kinds = SCORED_KINDS.map((kind) => scoreKind(kind, runs));
  const healthy = runs.filter((r) => r.truth.expected.every((e) => e.optional));
  return {
    runs,
    kinds,
    layoutsRight: runs.filter((r) => r.layoutRight).length,
    healthyAlarms: healthy.reduce((n, r) => n + r.findings.filter((f) => RANK[f.severity] >= RANK.warning).length, 0),
    healthyRuns: healthy.length,
  };
}

export async function evaluateRun(root: string): Promise<RunResult> {
  const truth = JSON.parse(readFileSync(path.join(root, 'truth.json'), 'utf8')) as Truth;
  const { inspections } = await inspectPaths([root]);
  const inspection = inspections.find((i) => path.resolve(i.run.root) === path.resolve(root)) ?? inspections[0];
  if (!inspection) throw new Error(`${root}: the engine found no run`);
  const findings = inspection.findings;
  const tilesList = inspection.diversity.map((d) => d.tiles).sort((a, b) => a - b);
  const tiles = tilesList.length ? tilesList[Math.floor(tilesList.length / 2)]! : 0;
  const slack = SLACK * truth.steps;
  const overlaps = (f: Finding, e: TruthEpisode) => f.start <= e.end + slack && f.end >= e.onset - slack;
  const hits = truth.expected.filter((e) => !e.optional).map((episode) => {
    const matching = findings.filter((f) => f.kind === episode.kind && RANK[f.severity] >= RANK[episode.severity] && overlaps(f, episode));
    return { episode, finding: matching.sort((a, b) => a.start - b.start)[0] ?? null };
  });
  const falseAlarms = findings.filter(
    (f) =>
      SCORED_KINDS.includes(f.kind) &&
      RANK[f.severity] >= RANK.warning &&
      !truth.allowed.includes(f.kind) &&
      !truth.expected.some((e) => e.kind === f.kind && overlaps(f, e)),
  );
  const notes = [...inspection.run.errors.map((e) => e.message), ...(((inspection as unknown as { notes?: string[] }).notes) ?? [])];
  return { name: truth.name, truth, findings, tiles, layoutRight: tiles === truth.layout.rows * truth.layout.cols, notes, hits, falseAlarms };
}

function scoreKind(kind: FindingKind, runs: RunResult[]): KindScore {
  let truth = 0;
  let found = 0;
  let alarms = 0;
  let falseAlarms = 0;
  const onsetErrors: number[] = [];
  for (const r of runs) {
    for (const h of r.hits) {
      if (h.episode.kind !== kind) continue;
      truth++;
      if (h.finding) {
        found++;
        onsetErrors.push(Math.abs(h.finding.start - h.episode.onset) / r.truth.steps);
      }
    }
    const mine = r.findings.filter((f) => f.kind === kind && RANK[f.severity] >= RANK.warning && !r.truth.allowed.includes(kind));
    alarms += mine.length;
    falseAlarms += r.falseAlarms.filter((f) => f.kind === kind).length;
  }
  return {
    kind,
    truth,
    found,
    alarms,
    falseAlarms,
    precision: alarms ? (alarms - falseAlarms) / alarms : NaN,
    recall: truth ? found / truth : NaN,
    onsetErrors,
  };
}

const pct = (v: number) => (Number.isFinite(v) ? `${Math.round(v * 100)}%` : '—');

/** The table `npm run eval` prints (and the README shows). */
export function formatEvaluation(ev: Evaluation, verbose = false): string {
  const lines: string[] = [];
  if (verbose) {
    for (const r of ev.runs) {
      lines.push(`${r.name}: tiles ${r.tiles}/${r.truth.layout.rows * r.truth.layout.cols}`);
      for (const h of r.hits) lines.push(`  truth ${h.episode.kind} ${h.episode.onset}-${h.episode.end} (${h.episode.severity}): ${h.finding ? `found from ${h.finding.start}` : 'MISSED'}`);
      for (const f of r.findings) lines.push(`  ${r.falseAlarms.includes(f) ? 'FALSE ' : ''}[${f.severity}] ${f.kind} ${f.start}-${f.end}: ${f.message}`);
      for (const n of r.notes) lines.push(`  note: ${n}`);
    }
    lines.push('');
  }
  lines.push('| kind | truth episodes | found | recall | warnings+errors | false | precision | onset error (median / max, % of run) |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const k of ev.kinds) {
    const sorted = [...k.onsetErrors].sort((a, b) => a - b);
    const median = sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : NaN;
    const max = sorted.length ? sorted[sorted.length - 1]! : NaN;
    lines.push(`| ${k.kind} | ${k.truth} | ${k.found} | ${pct(k.recall)} | ${k.alarms} | ${k.falseAlarms} | ${pct(k.precision)} | ${pct(median)} / ${pct(max)} |`);
  }
  lines.push('');
  lines.push(`sample layout right on ${ev.layoutsRight} of ${ev.runs.length} runs; ${ev.healthyAlarms} warnings/errors on ${ev.healthyRuns} healthy runs`);
  lines.push(`${ev.runs.length} labelled runs`);
  return lines.join('\n');
}
