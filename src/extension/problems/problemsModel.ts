// Which lines of a Python file get which findings: the string literals that name a run's loss
// files, sample folders or the run folder itself. Pure, so Node tests run it on real sources.
import type { Inspection } from '../../core/inspect';
import type { Finding } from '../../core/model';
import { t } from '../../core/l10n';
import { pathCandidates } from '../hover/hoverText';
import { matchRun, type PathMatch } from '../runs/runEntry';
import { stepRange } from '../../core/present';
import { literalPath, pythonStrings } from '../hover/pythonStrings';

export interface LiteralProblem {
  /** Offsets of the string literal in the source. */
  start: number;
  end: number;
  runRoot: string;
  finding: Finding;
  message: string;
}

/** Roles of what a path inside the run names ('' = the whole run, which concerns every role). */
function rolesForPath(inspection: Inspection, rel: string): Set<string> | 'all' {
  if (rel === '') return 'all';
  const roles = new Set(inspection.run.series.filter((s) => s.source === rel || s.source.startsWith(rel + '/')).map((s) => s.role as string));
  if (inspection.run.samples.some((s) => s.path === rel || s.path.startsWith(rel + '/'))) roles.add('samples');
  return roles;
}

/** The warning/error findings that concern what a path inside the run names. */
export function findingsForPath(inspection: Inspection, match: PathMatch): Finding[] {
  const serious = inspection.findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
  const roles = rolesForPath(inspection, match.relative);
  if (roles === 'all') return serious;
  if (roles.size === 0) return [];
  return serious.filter((f) => f.series.length === 0 || f.series.some((r) => roles.has(r)));
}

/** How well a literal fits a finding: 0 when it names the finding's first role (D for d-dominant), higher after. */
function fit(inspection: Inspection, match: PathMatch, f: Finding): number {
  const roles = rolesForPath(inspection, match.relative);
  if (roles === 'all') return f.series.length;
  const i = f.series.findIndex((r) => roles.has(r));
  return i === -1 ? f.series.length : i;
}

export function problemMessage(runName: string, f: Finding): string {
  return t('GAN run {0}, {1}: {2}', runName, stepRange(f.start, f.end), f.message);
}

/**
 * Problems for one Python source. `inspections` maps run roots to their latest inspection; a
 * literal is resolved like the hover does (relative to the file, then to each workspace folder).
 */
export function problemsInSource(
  source: string,
  fileDir: string | undefined,
  workspaceFolders: readonly string[],
  inspections: ReadonlyMap<string, Inspection>,
): LiteralProblem[] {
  // One problem per finding per file: a D-and-G finding goes on the line naming its first role
  // (the D loss for d-dominant), not once on every line that saves a loss.
  const best = new Map<Finding, { problem: LiteralProblem; fit: number }>();
  if (inspections.size === 0) return [];
  for (const lit of pythonStrings(source)) {
    const p = literalPath(lit);
    if (!p) continue;
    let match: PathMatch | undefined;
    for (const c of pathCandidates(p, fileDir, workspaceFolders)) {
      match = matchRun(c, inspections.keys());
      if (match) break;
    }
    if (!match) continue;
    const ins = inspections.get(match.runRoot)!;
    for (const finding of findingsForPath(ins, match)) {
      const score = fit(ins, match, finding);
      const seen = best.get(finding);
      if (seen && seen.fit <= score) continue;
      best.set(finding, {
        fit: score,
        problem: { start: lit.start, end: lit.end, runRoot: match.runRoot, finding, message: problemMessage(ins.run.name, finding) },
      });
    }
  }
  return [...best.values()].map((b) => b.problem).sort((a, b) => a.start - b.start);
}

/** Zero-based line and character of an offset (for files read from disk, not open in an editor). */
export function lineColumn(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}
