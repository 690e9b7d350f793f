// Stages, relaunches and processes in printed logs (#23): a counter that restarts under a new scale
// or depth is the next stage (stacked on the axis, nothing dropped, each stage's start kept); one
// that restarts with no new stage is a relaunch (the latest kept, the rest told in a note); two
// processes writing one log are told apart by their own counters and clocks. And StyleGAN's
// log.txt: tick lines on the kimg axis, metric reports at their snapshot's kimg, stray prints no series.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadRun } from '../../../../src/core/run';
import { discoverRuns } from '../../../../src/core/discover';
import { renderTextReport } from '../../../../src/core/report/text';
import { toJsonReport } from '../../../../src/core/report/json';
import { runSummary } from '../../../../src/chart/runSummary';
import { analyzeRun } from '../../../../src/core/analysis';
import { read } from '../../../support/printed';

// SinGAN's training.py: `print('scale %d:[%d/%d]' % (len(Gs), epoch, opt.niter))` every 25 iterations, and the losses after it.
function singan(scales: number[][], header = ''): string {
  let text = header;
  scales.forEach((ends, scale) => {
    text += `GeneratorConcatSkip2CleanAdd(\n  (head): ConvBlock()\n)\n`;
    for (const i of ends) text += `scale ${scale}:[${i}/2000]\nerrD: ${(0.1 * scale + i / 1e4).toFixed(4)} errG: 0.5 rec_loss: 0.02\n`;
  });
  return text;
}

test("SinGAN: the iteration counter restarts at every scale: stages one after the other, nothing dropped, each stage's start told", () => {
  const r = read(
    'train.log',
    singan([
      [0, 25, 1975, 1999],
      [0, 25, 1600],
      [0, 25, 200],
    ]),
  );
  assert.equal(r.steps('errD').length, 10, 'every scale kept');
  assert.deepEqual(r.steps('errD'), [0, 25, 1975, 1999, 2000, 2025, 3600, 3601, 3626, 3801]);
  assert.deepEqual(r.report.stages, [
    { label: 'scale 0', start: 0, offset: 0 },
    { label: 'scale 1', start: 2000, offset: 2000 },
    { label: 'scale 2', start: 3601, offset: 3601 },
  ]);
  assert.deepEqual(r.report.notes, [], 'a stage is not a relaunch');
});

test('SinGAN relaunched from scale 0 into the same log: the latest launch is kept, the earlier one told', () => {
  const r = read(
    'train.log',
    singan([
      [0, 25],
      [0, 25, 50],
    ]) + singan([[0, 25, 50]]),
  );
  assert.deepEqual(r.steps('errD'), [0, 25, 50]);
  assert.deepEqual(r.report.notes, ['train.log: 1 earlier launch set aside: 5 lines']);
  assert.deepEqual(r.report.stages, []);
});

test('progressive growing (pro_gan_pytorch): `Currently working on Depth: d`, `Epoch: e` from 1 again, `batch: i` lines: each depth a stage', () => {
  let text = 'Starting the training process ... \n';
  for (let depth = 0; depth < 3; depth++) {
    text += `\n\nCurrently working on Depth:  ${depth}\nCurrent resolution: ${4 << depth} x ${4 << depth}\n`;
    for (let e = 1; e <= 2; e++) {
      text += `\nEpoch: ${e}\n`;
      for (const b of [1, 50, 100])
        text += `Elapsed: [0:00:${String(e * 10 + b / 10).padStart(2, '0')}.123456]  batch: ${b}  d_loss: ${depth + 0.5}  g_loss: 0.3\n`;
      text += `Time taken for epoch: 12.345 secs\n`;
    }
  }
  const r = read('nohup.out', text);
  assert.deepEqual(Object.keys(r.by), ['d_loss', 'g_loss']);
  assert.equal(r.steps('d_loss').length, 18);
  assert.deepEqual(r.steps('d_loss').slice(0, 7), [1, 50, 100, 101, 150, 200, 202], 'depth 1 after depth 0, counted as depth 0 is (its batches from 1)');
  assert.deepEqual(
    r.report.stages!.map((s) => [s.label, s.start]),
    [
      ['depth 0', 1],
      ['depth 1', 202],
      ['depth 2', 403],
    ],
  );
});

test('relaunches with no stage: a restart at step 0 keeps the latest launch; a resumed launch sets aside only what it repeats', () => {
  let text = '';
  for (const n of [7, 7, 2]) for (let i = 0; i < n; i++) text += `[Epoch 0/5] [Batch ${i}/10] [D loss: ${n}] [G loss: 1]\n`;
  const restart = read('train.log', text);
  assert.deepEqual(restart.values('D loss'), [2, 2]);
  assert.deepEqual(restart.report.notes, ['train.log: 2 earlier launches set aside: 7 and 7 lines']);
  let resumed = '';
  for (let i = 0; i < 10; i++) resumed += `iter ${i * 100} d_loss: 1 g_loss: 1\n`;
  resumed += 'Namespace(resume=True)\n';
  for (let i = 6; i < 12; i++) resumed += `iter ${i * 100} d_loss: 2 g_loss: 1\n`;
  const r = read('train.log', resumed);
  assert.deepEqual(r.steps('d_loss'), [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100]);
  assert.deepEqual(r.values('d_loss'), [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
  assert.deepEqual(r.report.notes, ['train.log: a launch resumed at step 600: 4 earlier lines from there on set aside']);
  // Lines with no counter: the options dump a launch prints starts it again.
  const counterless = 'Namespace(lr=0.0002)\n' + 'd_loss: 0.9 g_loss: 0.7\n'.repeat(5) + 'Namespace(lr=0.0001)\n' + 'd_loss: 0.5 g_loss: 0.7\n'.repeat(3);
  const c = read('train.log', counterless);
  assert.deepEqual(c.values('d_loss'), [0.5, 0.5, 0.5]);
  assert.deepEqual(c.report.notes, ['train.log: 1 earlier launch set aside: 5 lines']);
});

test('two processes writing one log, each with its own time column, lines interleaved: both kept, each its own group, told in a note', () => {
  let text = '';
  for (let i = 0; i < 40; i++) {
    text += `Epoch: [ 0/25] [${String(i).padStart(4)}/1093] time: ${(10 + i * 0.5).toFixed(4)}, d_loss: 1.3, g_loss: 0.7\n`;
    if (i % 2 === 0) text += `Epoch: [ 0/25] [${String(i / 2).padStart(4)}/1093] time: ${(2 + i * 0.5).toFixed(4)}, d_loss: 0.05, g_loss: 6.0\n`;
  }
  const r = read('train.log', text);
  assert.deepEqual(Object.keys(r.by).sort(), ['d_loss [P1]', 'd_loss [P2]', 'g_loss [P1]', 'g_loss [P2]']);
  assert.equal(r.by['d_loss [P1]']!.pair, 'P1');
  assert.deepEqual(r.values('d_loss [P1]'), Array(40).fill(1.3));
  assert.deepEqual(r.values('d_loss [P2]'), Array(20).fill(0.05));
  assert.deepEqual(
    r.steps('g_loss [P2]'),
    Array.from({ length: 20 }, (_x, i) => i),
  );
  assert.deepEqual(r.report.notes, [
    'train.log: the lines of 2 processes are interleaved; each is read on its own, told apart by its own counters (P1: 40 lines, P2: 20 lines)',
  ]);
});

test('two processes at different points of their training (no clock): told apart by their counters alone', () => {
  let text = '';
  for (let i = 0; i < 30; i++) text += `step ${5000 + i * 10} d_loss: 0.6 g_loss: 0.8\nstep ${i * 10} d_loss: 0.1 g_loss: 3.0\n`;
  const r = read('train.log', text);
  assert.deepEqual(
    r.steps('d_loss [P1]'),
    Array.from({ length: 30 }, (_x, i) => 5000 + i * 10),
  );
  assert.deepEqual(r.values('d_loss [P2]'), Array(30).fill(0.1));
});

test('processes reach the run as groups: each diagnosed on its own (the pair mechanism)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gan-processes-'));
  try {
    let text = '';
    for (let i = 0; i < 300; i++)
      text += `step ${5000 + i * 10} d_loss: ${(0.69 + 0.01 * Math.sin(i)).toFixed(4)} g_loss: 0.70\nstep ${i * 10} d_loss: ${i > 100 ? '0.0010' : '0.5'} g_loss: ${i > 100 ? '9.0' : '1.0'}\n`;
    writeFileSync(path.join(dir, 'train.log'), text);
    const [loc] = await discoverRuns(dir);
    const run = await loadRun(loc!);
    const main = run.series.filter((s) => s.role === 'discriminator' || s.role === 'generator').map((s) => `${s.role[0]}:${s.name}:${s.pair}`);
    assert.deepEqual(main.sort(), ['d:d_loss [P1]:P1', 'd:d_loss [P2]:P2', 'g:g_loss [P1]:P1', 'g:g_loss [P2]:P2']);
    const findings = analyzeRun(run, []);
    assert.ok(
      findings.some((f) => f.kind === 'd-dominant' && f.evidence.pair === 'P2'),
      "the second process's winning discriminator is found",
    );
    assert.ok(run.notes!.some((n) => /2 processes/.test(n)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// StyleGAN2-ADA / StyleGAN3 training_loop.py and metric_main.py report_metric (which prints its JSON line).
const tick = (i: number) =>
  `tick ${String(i).padEnd(5)} kimg ${(i * 4).toFixed(1).padEnd(8)} time ${i}m 08s       sec/tick 151.7   sec/kimg 37.91   maintenance 0.2    cpumem 3.15   gpumem 6.34   augment ${(i / 100).toFixed(3)}\n`;
const report = (kimg: number | null, fid: number) =>
  `${JSON.stringify({ results: { fid50k_full: fid }, metric: 'fid50k_full', total_time: 541.9, total_time_str: '9m 02s', num_gpus: 1, snapshot_pkl: kimg === null ? null : `network-snapshot-${String(kimg).padStart(6, '0')}.pkl`, timestamp: 1714470115.78 })}\n`;

test("StyleGAN log.txt: tick lines give the kimg axis, metric reports are Metrics/<name> at their snapshot's kimg, a stray print is no series", () => {
  let text = 'Loading training set...\nNum images:  912\nTraining for 25000 kimg...\n\n';
  for (let i = 0; i <= 20; i++) {
    text += tick(i);
    if (i === 3) text += 'starting G epochs: 5.44\n';
    if (i % 10 === 0) text += `Evaluating metrics...\n${report(i * 4, 50 - i)}`;
  }
  text += `Evaluating metrics...\n${report(null, 12)}`;
  const r = read('log.txt', text);
  assert.equal(r.report.stepUnit, 'kimg');
  assert.deepEqual(r.steps('Metrics/fid50k_full'), [0, 40, 80]);
  assert.deepEqual(r.values('Metrics/fid50k_full'), [50, 40, 12], 'a report without a snapshot name sits at the last tick');
  assert.deepEqual(r.steps('Progress/augment').slice(0, 3), [0, 4, 8]);
  assert.ok(
    Object.keys(r.by).every((n) => /^(Timing|Resources|Progress|Metrics)\//.test(n)),
    `only StyleGAN's names: ${Object.keys(r.by).join(', ')}`,
  );
});

test('a FID that gets worse from its first snapshot in log.txt gets metric-worse; the run is on the kimg axis', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gan-stylegan-log-'));
  try {
    let text = '';
    for (let i = 0; i <= 60; i++) {
      text += tick(i);
      if (i % 10 === 0) text += report(i * 4, 30 + i * 2);
    }
    writeFileSync(path.join(dir, 'log.txt'), text);
    const [loc] = await discoverRuns(dir);
    const run = await loadRun(loc!);
    assert.equal(run.stepUnit, 'kimg');
    const fid = run.series.find((s) => s.name === 'Metrics/fid50k_full')!;
    assert.equal(fid.role, 'metric');
    assert.ok(analyzeRun(run, []).some((f) => f.kind === 'metric-worse'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the stages reach the run, the reports (text, JSON) and the inspector's summary", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gan-stages-'));
  try {
    mkdirSync(path.join(dir, 'run'));
    writeFileSync(
      path.join(dir, 'run', 'train.log'),
      singan([
        [0, 25, 1999],
        [0, 25, 1999],
        [0, 25, 500],
      ]),
    );
    const [loc] = await discoverRuns(path.join(dir, 'run'));
    const run = await loadRun(loc!);
    assert.deepEqual(
      run.stages?.map((s) => [s.label, s.start]),
      [
        ['scale 0', 0],
        ['scale 1', 2000],
        ['scale 2', 4000],
      ],
    );
    const inspection = { run, findings: [], diversity: [] };
    assert.match(renderTextReport([inspection]), /Stages: scale 0 from step 0, scale 1 from step 2,000, scale 2 from step 4,000/);
    assert.deepEqual(
      toJsonReport([inspection]).runs[0]!.stages!.map((s) => s.start),
      [0, 2000, 4000],
    );
    assert.deepEqual(runSummary(inspection, 'r0', (p) => p).stages, [
      { label: 'scale 0', start: 0 },
      { label: 'scale 1', start: 2000 },
      { label: 'scale 2', start: 4000 },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
