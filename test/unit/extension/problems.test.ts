// Findings placed on the lines of a training script that save or load a real run's files.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { discoverRuns } from '../../../src/core/discover';
import { inspectRun, type Inspection } from '../../../src/core/inspect';
import { findingsForPath, lineColumn, problemsInSource } from '../../../src/extension/problems/problemsModel';
import { REAL_RUNS, realRunsSkip } from '../../support/realRuns';

const realRuns = REAL_RUNS;
const skipReal = realRunsSkip();
const hasReal = !skipReal && existsSync(realRuns);
const inspections = new Map<string, Inspection>();
let failure: Inspection;
let logann: Inspection;

before(async () => {
  if (!hasReal) return;
  for (const loc of await discoverRuns(realRuns)) {
    if (!/^(liwenhan220|Logann120|abs51295)/.test(loc.name)) continue;
    inspections.set(loc.root, await inspectRun(loc));
  }
  failure = [...inspections.values()].find((i) => i.run.name.startsWith('liwenhan220'))!;
  logann = [...inspections.values()].find((i) => i.run.name.startsWith('Logann120'))!;
});

const TRAIN_PY = `import numpy as np
# np.save('liwenhan220-GAN_v1_failure/dloss.npy') in a comment is not a save
for epoch in range(10):
    pass
np.save('liwenhan220-GAN_v1_failure/dloss.npy', dloss)
np.save("liwenhan220-GAN_v1_failure/gloss.npy", gloss)
plt.savefig(f'liwenhan220-GAN_v1_failure/gen_img/gen_img_{i}.jpg')
d = np.load('Logann120-GAN_Deep_Learning/d_losses.npy')
x = np.load('abs51295-mnist-vanilla-gans/losses.npy')
y = np.load('nowhere/losses.npy')
`;

test('warnings land on the save/load lines of the files they concern', { skip: skipReal }, () => {
  // Script at the workspace root; the workspace folder is the folder of runs.
  const problems = problemsInSource(TRAIN_PY, realRuns, [realRuns], inspections);
  const lines = problems.map((p) => lineColumn(TRAIN_PY, p.start).line);
  const warnings = failure.findings.filter((f) => f.severity === 'warning');
  // The final d-dominant span (D down to 0.08 while G keeps climbing) is the warning; the early one,
  // where G falls from 4.4 to 2.5 and nothing is extreme, is info since #15 (severity from evidence).
  assert.ok(warnings.length >= 1);
  // Each finding once per file: d-dominant involves D and G, and lands on the line naming D (its first role).
  assert.equal(new Set(problems.map((p) => p.finding)).size, problems.length, 'no finding is listed twice');
  assert.equal(problems.filter((p) => lineColumn(TRAIN_PY, p.start).line === 4).length, warnings.filter((f) => f.series.includes('discriminator')).length);
  assert.equal(
    problems.filter((p) => lineColumn(TRAIN_PY, p.start).line === 5).length,
    warnings.filter((f) => !f.series.includes('discriminator') && f.series.includes('generator')).length,
  );
  assert.ok(!lines.includes(1), 'comments carry no problem');
  assert.ok(!lines.includes(6), 'the sample images carry no loss finding');
  assert.ok(!lines.includes(8), 'a run with only info findings gives no problem');
  assert.ok(!lines.includes(9), 'an unknown path gives no problem');
  const dLine = problems.filter((p) => lineColumn(TRAIN_PY, p.start).line === 7);
  assert.deepEqual(
    dLine.map((p) => p.finding),
    findingsForPath(logann, { runRoot: logann.run.root, relative: 'd_losses.npy' }),
  );
  assert.ok(dLine.length > 0, 'Logann120 has warnings on D');
  const first = problems[0]!;
  assert.equal(TRAIN_PY.slice(first.start, first.end), "'liwenhan220-GAN_v1_failure/dloss.npy'");
  assert.match(first.message, /^GAN run liwenhan220-GAN_v1_failure, steps [\d,]+–[\d,]+: /);
  assert.equal(first.runRoot, failure.run.root);
});

test('a script beside the run resolves paths relative to its own folder', { skip: skipReal }, () => {
  const warnings = failure.findings.filter((f) => f.severity !== 'info');
  const src = "np.save('./dloss.npy', d)\nnp.save(r'gloss.npy', g)\n";
  const problems = problemsInSource(src, failure.run.root, [], inspections);
  assert.ok(problems.length >= 1);
  assert.deepEqual(new Set(problems.map((p) => lineColumn(src, p.start).line)), new Set([0]), 'D-and-G findings go on the D line');
  // The G file alone, named relative to the script, carries the findings that involve G.
  const gOnly = problemsInSource("np.save(r'gloss.npy', g)\n", failure.run.root, [], inspections);
  assert.equal(gOnly.length, warnings.filter((f) => f.series.includes('generator')).length);
  assert.ok(gOnly.length >= 1);
});

test('naming the run folder gives every warning of the run; info findings never show', { skip: skipReal }, () => {
  const src = "out_dir = 'liwenhan220-GAN_v1_failure'\n";
  const problems = problemsInSource(src, undefined, [realRuns], inspections);
  assert.deepEqual(
    problems.map((p) => p.finding),
    failure.findings.filter((f) => f.severity !== 'info'),
  );
});

test('no runs read yet: no problems and no work', () => {
  assert.deepEqual(problemsInSource(TRAIN_PY, '/x', ['/x'], new Map()), []);
});

test('lineColumn counts lines and characters from zero', () => {
  const text = 'ab\ncd\n\nef';
  assert.deepEqual(lineColumn(text, 0), { line: 0, character: 0 });
  assert.deepEqual(lineColumn(text, 4), { line: 1, character: 1 });
  assert.deepEqual(lineColumn(text, 7), { line: 3, character: 0 });
});
