// W&B run folders are runs: found by their structure, read from their history (the console only
// when the history holds no number), their logged images at their steps, their config.yaml kept as
// the run's settings; and the two real W&B runs in ../shared/wild-runs read as their README says.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { discoverRuns, type RunLocation } from '../../../src/core/discover';
import { loadRun } from '../../../src/core/run';
import { AppendCache } from '../../../src/core/formats/appendCache';
import { readWandbRun } from '../../../src/core/formats/wandb';
import { WandbWriter } from '../../../src/core/formats/wandbLog';
import { wandbMediaImage } from '../../../src/core/formats/wandbFiles';
import type { Run } from '../../../src/core/model';
import { realRunsSkip, WILD_RUNS } from '../../support/realRuns';
import { historyRecord, wandbFile, wandbRecord } from '../../support/wandb';

const WILD = WILD_RUNS;
const COSCI = path.join(WILD, 'wondongee-COSCI-GAN_mvfit');
const AHELBO = path.join(WILD, 'AHelbo-autoGAN');

let root: string;
const put = (rel: string, content: string | Uint8Array = 'x') => {
  const abs = path.join(root, ...rel.split('/'));
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, content);
};
const HASH = '4607c70d6608b079ec1d';
const image = (p: string) => JSON.stringify({ _type: 'image-file', sha256: 'ab', size: 10, path: p, format: 'png', width: 8, height: 8 });
const CONFIG =
  'wandb_version: 1\n\n_wandb:\n  desc: null\n  value:\n    cli_version: 0.16.0\n    t:\n      1:\n      - 1\n      - 55\ngan_mode:\n  desc: null\n  value: vanilla\nlr:\n  desc: null\n  value: 0.0002\nbetas:\n  desc: null\n  value:\n  - 0.5\n  - 0.999\n';
const TUTORIAL_LINES = Array.from(
  { length: 5 },
  (_, i) => `[0/5][${i * 50}/1583]\tLoss_D: ${(1.2 - i / 10).toFixed(4)}\tLoss_G: ${(3 + i / 10).toFixed(4)}\tD(x): 0.5\tD(G(z)): 0.4 / 0.3\n`,
).join('');

before(() => {
  root = mkdtempSync(path.join(tmpdir(), 'gan-wandb-runs-'));
  const run = 'proj/wandb/run-20240101_000000-abc123';
  const rows = Array.from({ length: 20 }, (_, i) =>
    historyRecord(i, [
      ['Loss_D', String(0.7 - i / 100)],
      ['Loss_G', String(1 + i / 10)],
    ]),
  );
  rows.push(
    historyRecord(20, [
      ['samples', image(`media/images/samples_20_${HASH}.png`)],
      ['real', image(`media/images/real_20_${HASH}.png`)],
    ]),
  );
  put(`${run}/run-abc123.wandb`, wandbFile([wandbRecord({ run: { runId: 'abc123' } }), ...rows]));
  put(`${run}/files/output.log`, TUTORIAL_LINES);
  put(`${run}/files/config.yaml`, CONFIG);
  put(`${run}/files/wandb-summary.json`, '{"Loss_D": 0.51, "_step": 20}');
  put(`${run}/files/requirements.txt`, 'torch\n');
  put(`${run}/files/media/images/samples_20_${HASH}.png`);
  put(`${run}/files/media/images/real_20_${HASH}.png`);
  put(`${run}/files/media/images/epoch_5_110_${HASH}.png`);
  // A table's image, named by its hash alone: its digits are no step.
  put(`${run}/files/media/images/8f3a2b91c0d4e5f60718.png`);
  put(`${run}/logs/debug.log`, '2024-01-01 00:00:00,000 INFO MainThread:1 [wandb_setup.py:_flush():76] Current SDK version is 0.16.1\n');
  put(`${run}/tmp/code/train.py`, 'print(1)\n');
  symlinkSync(path.join(root, run), path.join(root, 'proj/wandb/latest-run'));
  put('proj/wandb/debug.log', 'wandb internal\n');
  // wandb before 0.9: no files/, the history as JSON lines in the run folder.
  const old = 'proj/wandb/run-20200101_000000-old1';
  put(
    `${old}/wandb-history.jsonl`,
    Array.from(
      { length: 4 },
      (_, i) => `{"d_loss": ${0.7 - i / 10}, "g_loss": ${1 + i}, "_step": ${i * 10}, "_runtime": ${i}, "_timestamp": 1580000000}\n`,
    ).join(''),
  );
  put(`${old}/wandb-summary.json`, '{}');
  put(`${old}/config.yaml`, 'wandb_version: 1\nbatch_size:\n  desc: null\n  value: 64\n');
  put(`${old}/media/images/fake_30_0.png`);
  // Crashed before logging anything.
  const crash = 'proj/wandb/run-20240102_000000-crash1';
  put(`${crash}/run-crash1.wandb`, wandbFile([wandbRecord({ run: { runId: 'crash1' } }), wandbRecord({ exit: { exitCode: 1, runtime: 7 } })]));
  put(`${crash}/files/output.log`, 'Traceback (most recent call last):\nFileNotFoundError: no such file\n');
  put(`${crash}/files/wandb-summary.json`, '{"_wandb": {"runtime": 7}}');
  // A summary alone: not a loss series.
  put('proj/wandb/run-20240103_000000-sum1/files/wandb-summary.json', '{"d_loss": 0.5, "g_loss": 1.0, "_step": 99}');
  // History of images only; the losses only printed to the console.
  put('proj/wandb/run-20240104_000000-media1/run-media1.wandb', wandbFile([historyRecord(0, [['fake', image(`media/images/fake_0_${HASH}.png`)]])]));
  put('proj/wandb/run-20240104_000000-media1/files/output.log', TUTORIAL_LINES);
  put(`proj/wandb/run-20240104_000000-media1/files/media/images/fake_0_${HASH}.png`);
  // Samples of the project elsewhere are not the W&B run's.
  put('proj/samples/fake_samples_epoch_001.png');
  put('proj/samples/fake_samples_epoch_002.png');
});

after(() => rmSync(root, { recursive: true, force: true }));

const find = (runs: RunLocation[], name: string) => {
  const loc = runs.find((r) => r.name === name);
  assert.ok(loc, `${name} among ${runs.map((r) => r.name).join(', ')}`);
  return loc;
};

test('discovery: each W&B run folder is one run rooted at wandb/run-…; files/, logs/ and latest-run are not runs', async () => {
  const runs = await discoverRuns(path.join(root, 'proj'));
  assert.deepEqual(
    runs.map((r) => r.name),
    [
      'samples',
      'wandb/run-20200101_000000-old1',
      'wandb/run-20240101_000000-abc123',
      'wandb/run-20240102_000000-crash1',
      'wandb/run-20240103_000000-sum1',
      'wandb/run-20240104_000000-media1',
    ],
  );
  const abc = find(runs, 'wandb/run-20240101_000000-abc123');
  assert.deepEqual(abc.lossFiles, ['run-abc123.wandb']);
  assert.deepEqual(abc.fallbackLossFiles, ['files/output.log']);
  assert.deepEqual(abc.sampleFiles, [
    `files/media/images/8f3a2b91c0d4e5f60718.png`,
    `files/media/images/epoch_5_110_${HASH}.png`,
    `files/media/images/real_20_${HASH}.png`,
    `files/media/images/samples_20_${HASH}.png`,
  ]);
  assert.equal(abc.format, 'wandb-run');
  const old = find(runs, 'wandb/run-20200101_000000-old1');
  assert.deepEqual(old.lossFiles, ['wandb-history.jsonl']);
  assert.deepEqual(old.sampleFiles, ['media/images/fake_30_0.png']);
});

test('a W&B run: losses from the history on _step, images at the step in their names, references by key, config.yaml as settings', async () => {
  const run = await loadRun(find(await discoverRuns(path.join(root, 'proj')), 'wandb/run-20240101_000000-abc123'));
  assert.deepEqual(run.errors, []);
  assert.deepEqual(
    run.series.map((s) => `${s.name} ${s.source} ${s.role}`),
    ['Loss_D run-abc123.wandb discriminator', 'Loss_G run-abc123.wandb generator'],
  );
  assert.equal(run.series[0]!.values.length, 20);
  assert.equal(run.stepUnit, 'step');
  // `epoch_5_110_<hash>`: the step is the number before the hash, never the hash nor the key's 5.
  assert.deepEqual(run.samples, [
    { step: 20, path: `files/media/images/samples_20_${HASH}.png` },
    { step: 110, path: `files/media/images/epoch_5_110_${HASH}.png` },
  ]);
  assert.deepEqual(run.references, [{ step: 20, path: `files/media/images/real_20_${HASH}.png` }]);
  assert.deepEqual(run.settings, { gan_mode: 'vanilla', lr: 0.0002, betas: [0.5, 0.999] });
  // The settings are the run's config: its loss formulation is read from them first.
  assert.deepEqual([run.formulation.lossType, run.formulation.source, run.formulation.from.split('; ')[0]], ['bce', 'config', 'config.yaml: gan_mode vanilla']);
});

test('the console is read only when the history holds no number; a run with nothing readable says why in one line', async () => {
  const runs = await discoverRuns(path.join(root, 'proj'));
  const media = await loadRun(find(runs, 'wandb/run-20240104_000000-media1'));
  assert.deepEqual(
    media.series.filter((s) => s.role === 'discriminator' || s.role === 'generator').map((s) => `${s.name} ${s.source} ${s.values.length}`),
    ['Loss_D files/output.log 5', 'Loss_G files/output.log 5'],
  );
  assert.ok(media.series.every((s) => s.source === 'files/output.log'));
  assert.deepEqual(media.samples, [{ step: 0, path: `files/media/images/fake_0_${HASH}.png` }]);
  assert.deepEqual(media.errors, []);
  const old = await loadRun(find(runs, 'wandb/run-20200101_000000-old1'));
  assert.deepEqual(
    old.series.map((s) => `${s.name} ${Array.from(s.steps).join(',')}`),
    ['d_loss 0,10,20,30', 'g_loss 0,10,20,30'],
  );
  assert.deepEqual(old.samples, [{ step: 30, path: 'media/images/fake_30_0.png' }]);
  assert.deepEqual(old.settings, { batch_size: 64 });
  const crash = await loadRun(find(runs, 'wandb/run-20240102_000000-crash1'));
  assert.deepEqual(crash.series, []);
  assert.deepEqual(
    crash.errors.map((e) => e.message),
    ['run-crash1.wandb: no history rows (the run logged nothing; it exited with code 1 after 7 s)'],
  );
  const summary = await loadRun(find(runs, 'wandb/run-20240103_000000-sum1'));
  assert.deepEqual(summary.series, []);
  assert.deepEqual(
    summary.errors.map((e) => e.message),
    ['wandb/run-20240103_000000-sum1: no history rows (the run folder has no run-<id>.wandb, wandb-history.jsonl or output.log)'],
  );
});

test('live refresh: what a W&B run appends to its .wandb is the only part parsed, and reads as a whole read', async () => {
  const dir = path.join(root, 'live/wandb/run-20240105_000000-live1');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'run-live1.wandb');
  const writer = new WandbWriter();
  const log = (from: number, to: number) => {
    for (let i = from; i < to; i++)
      writer.write(
        historyRecord(i, [
          ['d_loss', String(0.69 + i / 1e5)],
          ['g_loss', String(0.8 - i / 1e5)],
        ]),
      );
    return writer.take();
  };
  writeFileSync(file, log(0, 1000));
  const loc = find(await discoverRuns(path.join(root, 'live')), 'wandb/run-20240105_000000-live1');
  const cache = new AppendCache();
  const same = async (): Promise<Run> => {
    const cached = await loadRun(loc, { appendCache: cache });
    const whole = await loadRun(loc);
    assert.deepEqual(
      cached.series.map((s) => [s.name, Array.from(s.steps), Array.from(s.values)]),
      whole.series.map((s) => [s.name, Array.from(s.steps), Array.from(s.values)]),
    );
    assert.deepEqual(cached.errors, whole.errors);
    return cached;
  };
  await same();
  const added = log(1000, 1400);
  // Appended in two writes, the first ending inside a chunk: the cut record waits for its end.
  appendFileSync(file, added.subarray(0, 5000));
  const half = await same();
  assert.ok(cache.lastRead(file)!.incremental);
  appendFileSync(file, added.subarray(5000));
  const run = await same();
  assert.equal(run.series[0]!.values.length, 1400);
  // Only the appended bytes were parsed: those after the records the half read had consumed.
  const last = cache.lastRead(file)!;
  assert.ok(last.incremental && last.bytesParsed <= added.length - 4000 && last.bytesParsed > 0, JSON.stringify(last));
  assert.ok(half.series[0]!.values.length > 1000 && half.series[0]!.values.length < 1400);
});

test('W&B media names: the step is the last number but one, whatever the key holds', () => {
  assert.deepEqual(wandbMediaImage('files/media/images/fake_B_0_69b92002d2cae9acc513.png'), { key: 'fake_B', step: 0 });
  assert.deepEqual(wandbMediaImage('files/media/images/epoch_5_1200_69b92002d2cae9acc513.jpg'), { key: 'epoch_5', step: 1200 });
  assert.deepEqual(wandbMediaImage('media/images/gen/samples_300_2.png'), { key: 'gen/samples', step: 300 });
  assert.equal(wandbMediaImage('files/media/table/Result_1_02ca0d7cc53cdb8887f2.table.json'), null);
  assert.equal(wandbMediaImage('images/fake_0_ab.png'), null);
});

const skipWild = realRunsSkip(WILD);

test(
  'wild run wondongee-COSCI-GAN_mvfit p5eltm86: 7 series × 400 values from the .wandb, each key at its own steps; D ≈ ln 2 at both ends, G negative',
  { skip: skipWild },
  async () => {
    const runs = await discoverRuns(COSCI);
    assert.ok(!runs.some((r) => r.name.includes('/files')), runs.map((r) => r.name).join(', '));
    const run = await loadRun(find(runs, 'wandb/run-20240311_115924-p5eltm86'));
    assert.deepEqual(run.errors, []);
    const keys = [
      'Discriminator_loss_0',
      'Generator_loss_0',
      'Discriminator_loss_1',
      'Generator_loss_1',
      'Discriminator_loss_2',
      'Generator_loss_2',
      'Central_Discriminator_loss',
    ];
    assert.deepEqual(run.series.map((s) => s.name).sort(), [...keys].sort());
    const all: number[] = [];
    for (const s of run.series) {
      assert.equal(s.values.length, 400, s.name);
      assert.equal(s.source, 'run-p5eltm86.wandb');
      all.push(...s.steps);
    }
    // Every key logged by its own wandb.log: no two share a step, and together they fill 0–2799.
    assert.deepEqual(
      all.sort((a, b) => a - b),
      Array.from({ length: 2800 }, (_, i) => i),
    );
    const s = (name: string) => run.series.find((x) => x.name === name)!;
    const near = (v: number, want: number, tol: number, what: string) => assert.ok(Math.abs(v - want) <= tol, `${what}: ${v}, not ≈ ${want}`);
    for (const [i, end] of [0.7, 0.67, 0.69].entries()) {
      const d = s(`Discriminator_loss_${i}`);
      near(d.values[0]!, 0.693, 0.005, `D${i} at start`);
      near(d.values[399]!, end, 0.006, `D${i} at end`);
    }
    near(s('Central_Discriminator_loss').values[0]!, 0.693, 0.005, 'CD at start');
    near(s('Central_Discriminator_loss').values[399]!, 0.687, 0.001, 'CD at end');
    for (const [i, end] of [-2.78, -2.73, -2.73].entries()) {
      const g = s(`Generator_loss_${i}`);
      near(g.values[0]!, -2.79, 0.02, `G${i} at start`);
      near(g.values[399]!, end, 0.006, `G${i} at end`);
    }
    // In between, D losses dip to 0.009 and G losses reach +8.2 / −12.5.
    const dMin = Math.min(...[0, 1, 2].flatMap((i) => Array.from(s(`Discriminator_loss_${i}`).values)));
    near(dMin, 0.009, 0.001, 'lowest D');
    const gAll = [0, 1, 2].flatMap((i) => Array.from(s(`Generator_loss_${i}`).values));
    near(Math.max(...gAll), 8.2, 0.05, 'highest G');
    near(Math.min(...gAll), -12.5, 0.05, 'lowest G');
    // Its config.yaml: learning rates, network types and Gamma (not the criterion).
    assert.deepEqual(run.settings, { gen_lr: 0.0001, dis_lr: 0.0001, CD_lr: 0.00001, CD_type: 'MLP', G_type: 'LSTM', D_type: 'LSTM', Gamma: 5 });
  },
);

test('wild run wondongee-COSCI-GAN_mvfit fkx4vas9: crashed after 7 s, listed with one line saying why', { skip: skipWild }, async () => {
  const run = await loadRun(find(await discoverRuns(COSCI), 'wandb/run-20240317_030308-fkx4vas9'));
  assert.deepEqual(run.series, []);
  assert.deepEqual(
    run.errors.map((e) => e.message),
    ['run-fkx4vas9.wandb: no history rows (the run logged nothing; it exited with code 1 after 7 s)'],
  );
});

test(
  'wild run AHelbo-autoGAN z3pktf9j: two media rows and no scalar in the history; the losses from output.log; 3 images at step 0',
  { skip: skipWild },
  async () => {
    const dir = path.join(AHELBO, 'wandb', 'run-20240503_104448-z3pktf9j');
    const history = readWandbRun(new Uint8Array(readFileSync(path.join(dir, 'run-z3pktf9j.wandb'))), 'run-z3pktf9j.wandb');
    assert.equal(history.rows, 2);
    assert.deepEqual(history.series, []);
    assert.deepEqual(
      history.media.map((m) => [m.key, m.step, m.path.replace(/_[0-9a-f]{20}\.png$/, '')]),
      [
        ['real_A', 0, 'media/images/real_A_0'],
        ['fake_B', 0, 'media/images/fake_B_0'],
        ['real_B', 0, 'media/images/real_B_0'],
      ],
    );
    const runs = await discoverRuns(AHELBO);
    assert.ok(!runs.some((r) => r.name.includes('/files')), runs.map((r) => r.name).join(', '));
    const run = await loadRun(find(runs, 'wandb/run-20240503_104448-z3pktf9j'));
    // Four loss lines (epoch 1, iters 100–400) in the console, then a KeyboardInterrupt traceback.
    for (const name of ['G_GAN', 'G_L1', 'D_real', 'D_fake', 'SSIM', 'PSNR']) {
      const s = run.series.find((x) => x.name === name);
      assert.ok(s, `${name} among ${run.series.map((x) => x.name).join(', ')}`);
      assert.equal(s.values.length, 4, name);
      assert.equal(s.source, 'files/output.log');
    }
    // fake_B is the generated image; real_A (input) and real_B (target) are references, all at step 0.
    assert.deepEqual(
      run.samples.map((x) => [x.step, x.path.replace(/_[0-9a-f]{20}\.png$/, '')]),
      [[0, 'files/media/images/fake_B_0']],
    );
    assert.deepEqual(
      run.references!.map((x) => [x.step, x.path.replace(/_[0-9a-f]{20}\.png$/, '')]),
      [
        [0, 'files/media/images/real_A_0'],
        [0, 'files/media/images/real_B_0'],
      ],
    );
    assert.equal(run.settings?.model, 'pix2pix');
    assert.equal(run.settings?.gan_mode, 'vanilla');
    // pix2pix's gan_mode vanilla in its config.yaml: BCE, D the mean of D_real and D_fake.
    assert.deepEqual(
      [run.formulation.lossType, run.formulation.dTerms, run.formulation.source, run.formulation.from],
      ['bce', 'mean', 'config', 'config.yaml: gan_mode vanilla; D judged as (D_real + D_fake) / 2'],
    );
  },
);
