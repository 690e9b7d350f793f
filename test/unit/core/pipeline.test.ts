// The one inspection pipeline (src/core/pipeline.ts): its two stages joined in one place, a run
// never changed once loaded, and thresholds resolved once from the settings under gan-run.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { inspectLoadedRun, inspectLosses, scoreSamples, thresholdsFor, withScores } from '../../../src/core/pipeline';
import { formulationOf } from '../../../src/core/formulation';
import type { Run, Series } from '../../../src/core/model';

const series = (role: 'discriminator' | 'generator', v: number, n = 4000): Series => ({
  name: role === 'discriminator' ? 'd_loss' : 'g_loss',
  role,
  source: `${role}.npy`,
  column: null,
  steps: Float64Array.from({ length: n }, (_, i) => i),
  values: new Float64Array(n).fill(v),
});
const run = (extra: Partial<Run> = {}): Run => ({
  root: '/r',
  name: 'r',
  series: [series('discriminator', 0.05), series('generator', 5)],
  samples: [],
  errors: [],
  config: {},
  formulation: formulationOf('bce'),
  ...extra,
});

test("thresholds: defaults, under the settings, under the run's own gan-run.json", () => {
  assert.equal(thresholdsFor(run()).dDominantDMax, 0.25);
  assert.equal(thresholdsFor(run(), { thresholds: { dDominantDMax: 0.01 } }).dDominantDMax, 0.01);
  assert.equal(thresholdsFor(run({ config: { thresholds: { dDominantDMax: 0.3 } } }), { thresholds: { dDominantDMax: 0.01 } }).dDominantDMax, 0.3);
  const kinds = (settings?: { thresholds: Record<string, number> }) => inspectLosses(run(), settings).findings.map((f) => f.kind);
  assert.ok(kinds().includes('d-dominant'));
  assert.ok(!kinds({ thresholds: { dDominantDMax: 0.01 } }).includes('d-dominant'));
});

test('the two stages joined are the inspection of both at once; the run read is never changed', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gan-pipeline-'));
  // An unreadable sample: scoring tells it, on a new run object.
  writeFileSync(path.join(dir, 'sample_100.png'), 'not a png');
  const read = run({ root: dir, samples: [{ step: 100, path: 'sample_100.png' }] });
  const before = JSON.stringify({ errors: read.errors, notes: read.notes, config: read.config });
  const losses = inspectLosses(read);
  assert.equal(losses.run, read, 'the losses stage holds the run as read');
  const joined = withScores(losses, await scoreSamples(losses));
  const whole = await inspectLoadedRun(read);
  assert.deepEqual(joined.findings, whole.findings);
  assert.deepEqual(joined.run.errors, whole.run.errors);
  assert.match(joined.run.errors[0]!.message, /sample_100\.png/);
  assert.notEqual(joined.run, read);
  assert.equal(JSON.stringify({ errors: read.errors, notes: read.notes, config: read.config }), before, 'scoring wrote nothing on the run it was given');
  // Nothing to score: the samples stage keeps the losses stage's findings (no second analysis).
  const plain = inspectLosses(run());
  assert.equal((await scoreSamples(plain)).findings, plain.findings);
});
