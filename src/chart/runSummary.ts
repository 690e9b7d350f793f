// What the inspector app is told about a run when it opens: names, roles, step ranges, findings and
// sample URIs, never the numbers (those come decimated, view by view). The extension's inspector
// and the standalone report both build it here.
import type { Inspection } from '../core/model';
import { statsOf } from '../core/stats';
import { metricBest } from '../core/analysis/metrics';
import { describeFormulation } from '../core/formulation/describe';
import { seriesId, type RunSummary, type SeriesMeta } from '../protocol';

/** The `init` summary of one run; `sampleUri` turns a run-relative path into a URI the page can load. */
export function runSummary(inspection: Inspection, runId: string, sampleUri: (relative: string) => string): RunSummary {
  const { run } = inspection;
  const series: SeriesMeta[] = run.series.map((s, i) => ({
    id: seriesId(runId, i),
    runId,
    name: s.name,
    role: s.role,
    source: s.source,
    length: s.values.length,
    firstStep: s.steps.length ? s.steps[0]! : null,
    lastStep: s.steps.length ? s.steps[s.steps.length - 1]! : null,
    stats: statsOf(s),
    ...(s.pair !== undefined ? { pair: s.pair } : {}),
    ...(s.role === 'metric' ? { better: s.better ?? 'lower', best: metricBest(s) } : {}),
  }));
  return {
    id: runId,
    name: run.name,
    lossType: run.formulation.lossType,
    formulation: describeFormulation(run.formulation),
    stepUnit: run.stepUnit ?? run.config.stepUnit ?? '',
    series,
    findings: inspection.findings,
    samples: run.samples.map((s) => ({ step: s.step, path: s.path, uri: sampleUri(s.path) })),
    references: (run.references ?? []).map((r) => ({
      step: r.step,
      path: r.path,
      uri: sampleUri(r.path),
      ...(r.until !== undefined ? { until: r.until } : {}),
    })),
    results: (run.results ?? []).map((r) => ({ path: r.path, uri: sampleUri(r.path) })),
    diversity: inspection.diversity,
    notes: run.notes ?? [],
    stages: (run.stages ?? []).map((x) => ({ label: x.label, start: x.start })),
    errors: run.errors,
  };
}
