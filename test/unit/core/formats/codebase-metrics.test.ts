// Quality metrics as first-class data (#14): FID/KID/IS/precision/recall/PPL get the role 'metric'
// with the way that is better; values a metric cannot take are a `metric-invalid` finding (not a
// curve); a metric that ends clearly worse than its best is `metric-worse`; reports show the best.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CODEBASE_RUNS, realRunsSkip } from '../../../support/realRuns';
import { assignRoles, metricDirection } from '../../../../src/core/roles';
import { analyzeRun } from '../../../../src/core/analysis/index';
import { metricBest } from '../../../../src/core/analysis/metrics';
import { renderTextReport } from '../../../../src/core/report/text';
import { renderMarkdownReport } from '../../../../src/core/report/markdown';
import { toJsonReport } from '../../../../src/core/report/json';
import { inspectPaths } from '../../../../src/core/inspect';
import { hoverMarkdown } from '../../../../src/extension/hover/hoverText';
import { runDescription } from '../../../../src/extension/tree/describe';
import type { Run } from '../../../../src/core/model';
import { formulationOf } from '../../../../src/core/formulation';

const codebaseRuns = CODEBASE_RUNS;
const skip = realRunsSkip(CODEBASE_RUNS);

test('metric names and which way is better', () => {
  const cases: [string, string | null][] = [
    ['Metrics/fid50k_full', 'lower'],
    ['fid', 'lower'],
    ['kid50k_full', 'lower'],
    ['ppl2_wend', 'lower'],
    ['Metrics/is50k_mean', 'higher'],
    ['pr50k3_full_precision', 'higher'],
    ['pr50k3_full_recall', 'higher'],
    ['eqt50k_int', 'higher'],
    ['inception_score', 'higher'],
    ['Metrics/is50k_std', null],
    ['is_real', null],
    ['fidelity', null],
    ['d_loss', null],
    ['Timing/total_sec', null],
  ];
  for (const [name, better] of cases) assert.equal(metricDirection(name), better, name);
  const [fid] = assignRoles('metric-fid50k_full.jsonl', [
    { name: 'Metrics/fid50k_full', column: null, steps: Float64Array.of(0), values: Float64Array.of(418) },
  ]);
  assert.equal(fid!.role, 'metric', 'a single evaluation is still a metric');
  assert.equal(fid!.better, 'lower');
});

function runWith(values: number[], name = 'Metrics/fid50k_full', steps = values.map((_, i) => i * 200)): Run {
  const series = assignRoles('metric-fid50k_full.jsonl', [{ name, column: null, steps: Float64Array.from(steps), values: Float64Array.from(values) }]);
  return { root: '/r', name: 'r', series, samples: [], errors: [], config: {}, formulation: formulationOf('bce'), stepUnit: 'kimg' } as Run;
}

test('metric-invalid: negative, non-finite and absurd values say the computation is broken', () => {
  for (const values of [
    [418, 120, -3],
    [418, NaN, 40],
    [8.23e51, 1.18e57, 7.9e64, -1.87e50],
  ]) {
    const f = analyzeRun(runWith(values), []).filter((x) => x.kind === 'metric-invalid');
    assert.equal(f.length, 1, JSON.stringify(values));
    assert.equal(f[0]!.severity, 'error');
    assert.match(f[0]!.message, /metric computation is broken/);
  }
  assert.deepEqual(
    analyzeRun(runWith([1.2, 1.5, 3.1], 'Metrics/is50k_mean'), []).map((x) => x.kind),
    [],
    'IS 1.2–3.1 is a valid IS',
  );
  assert.deepEqual(
    analyzeRun(runWith([0.5, 0.7, 1.3], 'pr50k3_full_precision'), []).map((x) => x.kind),
    ['metric-invalid'],
    'precision above 1',
  );
});

test('metric-worse: clearly and durably worse than its best, at its best snapshot; not for noise or a last blip', () => {
  const worse = analyzeRun(runWith([418, 120, 40, 28.8, 35, 41]), []).filter((x) => x.kind === 'metric-worse');
  assert.equal(worse.length, 1);
  assert.equal(worse[0]!.start, 600);
  assert.equal(worse[0]!.evidence.bestStep, 600);
  assert.match(worse[0]!.message, /snapshot to keep is the one at step 600/);
  assert.deepEqual(
    analyzeRun(runWith([418, 120, 40, 28.8, 29.5, 30]), []).filter((x) => x.kind === 'metric-worse'),
    [],
    'within 10% of the best',
  );
  assert.deepEqual(
    analyzeRun(runWith([418, 120, 40, 28.8, 29, 45]), []).filter((x) => x.kind === 'metric-worse'),
    [],
    'one bad evaluation is not durable',
  );
  assert.equal(
    analyzeRun(runWith([2, 5, 9, 8.9, 6, 6.5], 'Metrics/is50k_mean'), []).filter((x) => x.kind === 'metric-worse').length,
    1,
    'higher is better: IS fell from 9',
  );
});

test('the text report, Markdown, hover and tree show the best value and where', () => {
  const run = runWith([418, 120, 40, 28.8, 35, 41]);
  const inspection = { run, findings: analyzeRun(run, []), diversity: [] };
  assert.equal(metricBest(run.series[0]!)!.step, 600);
  assert.match(renderTextReport([inspection]), /Metrics\/fid50k_full: best 28\.8 at step 600 \(lower is better\)/);
  assert.match(renderMarkdownReport([inspection]), /best 28\\\.8 at step 600/);
  assert.match(hoverMarkdown(inspection, { runRoot: '/r', relative: '' }), /best 28\\\.8 at step 600/);
  assert.match(runDescription({ name: 'r', root: '/r', inspection } as never), /fid50k_full best 28\.8 at 600/);
  const json = toJsonReport([inspection]).runs[0]!;
  assert.equal(json.series[0]!.role, 'metric');
  assert.equal(json.series[0]!.better, 'lower');
  assert.equal(json.stepUnit, 'kimg');
});

test('Hexanol777-RPG-SpriteGAN: the 1e+57 FIDs are a broken metric computation, not a curve', { skip }, async () => {
  const { inspections } = await inspectPaths([join(codebaseRuns, 'Hexanol777-RPG-SpriteGAN')]);
  const json = toJsonReport(inspections).runs[0]!;
  const fid = json.series.find((s) => s.name === 'Metrics/fid50k_full')!;
  assert.equal(fid.role, 'metric');
  const invalid = json.findings.filter((f) => f.kind === 'metric-invalid');
  assert.equal(invalid.length, 1);
  assert.equal(invalid[0]!.evidence.invalidValues, 8);
  assert.match(renderTextReport(inspections), /Metrics\/fid50k_full: no valid value/);
});

test('Problems: a broken FID goes on the line that names the metric file, a pix2pix imbalance on the loss log', { skip }, async () => {
  const { problemsInSource } = await import('../../../../src/extension/problems/problemsModel');
  const { inspections } = await inspectPaths([
    join(codebaseRuns, 'Hexanol777-RPG-SpriteGAN'),
    join(codebaseRuns, 'mingxuanM-poke_pixel2pixel/checkpoints/poke_evol_pix2pix'),
  ]);
  const byRoot = new Map(inspections.map((i) => [i.run.root, i]));
  const source = [
    `fid = open("${join(codebaseRuns, 'Hexanol777-RPG-SpriteGAN', 'metric-fid50k_full.jsonl')}")`,
    `log = open("${join(codebaseRuns, 'mingxuanM-poke_pixel2pixel/checkpoints/poke_evol_pix2pix', 'loss_log.txt')}")`,
  ].join('\n');
  const problems = problemsInSource(source, undefined, [], byRoot);
  const kinds = problems.map((p) => `${source.slice(0, p.start).split('\n').length}:${p.finding.kind}`);
  assert.ok(kinds.includes('1:metric-invalid'), kinds.join(', '));
  assert.ok(kinds.includes('2:d-dominant'), kinds.join(', '));
});
