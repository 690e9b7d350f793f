// The real outputs of the major GAN codebases in ../shared/codebase-runs (see its README), read with
// no gan-run.json as a new user would: roles, step axes in the codebase's unit, one copy of each
// metric, samples found. Skipped with a message when the folder is absent; under CI=true its
// absence fails.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { CODEBASE_RUNS, realRunsSkip } from '../../support/realRuns';
import { inspectPaths, type Inspection } from '../../../src/core/inspect';
import { toJsonReport, type JsonRun } from '../../../src/core/report/json';

const codebaseRuns = CODEBASE_RUNS;
const present = existsSync(codebaseRuns);
const skip = realRunsSkip(CODEBASE_RUNS);

describe('the major GAN codebases, read with no setup', { skip }, () => {
  let inspections: Inspection[] = [];
  const runs = new Map<string, { json: JsonRun; inspection: Inspection }>();
  before(async () => {
    assert.ok(present, `${codebaseRuns} is missing`);
    inspections = (await inspectPaths([codebaseRuns])).inspections;
    const report = toJsonReport(inspections);
    report.runs.forEach((json, i) => runs.set(inspections[i]!.run.name, { json, inspection: inspections[i]! }));
  });
  const run = (name: string) => {
    const found = runs.get(name);
    assert.ok(found, `run ${name} found (have: ${[...runs.keys()].join(', ')})`);
    return found;
  };
  const main = (json: JsonRun) =>
    json.series
      .filter((s) => s.role === 'discriminator' || s.role === 'generator')
      .map((s) => `${s.role[0]}:${s.name}${s.pair ? `:${s.pair}` : ''}`)
      .sort();

  test('StyleGAN2-ADA: losses are the means of stats.jsonl on the kimg axis, no count or std, one copy of each', () => {
    const { json } = run('Hexanol777-RPG-SpriteGAN');
    assert.equal(json.stepUnit, 'kimg');
    assert.equal(json.lossType, 'bce');
    assert.deepEqual(main(json), ['d:Loss/D/loss', 'g:Loss/G/loss']);
    const d = json.series.find((s) => s.name === 'Loss/D/loss')!;
    assert.equal(d.source, 'stats.jsonl');
    assert.ok(Math.abs(d.lastStep! - 316.032) < 1e-3, `last step ${d.lastStep} kimg`);
    assert.ok(!json.series.some((s) => /\/(num|std|mean)$/.test(s.name)), 'num/std/mean never series');
    const names = json.series.map((s) => s.name);
    assert.equal(new Set(names).size, names.length, `one copy of each: ${names.join(', ')}`);
    const fid = json.series.find((s) => s.name === 'Metrics/fid50k_full')!;
    assert.equal(fid.source, 'metric-fid50k_full.jsonl');
    assert.equal(fid.length, 8);
    assert.equal(fid.lastStep, 280, 'snapshot kimg');
    assert.ok(!names.includes('num_gpus'));
  });

  test('PGGAN: no D or G from bookkeeping, TensorBoard steps (images) on the kimg axis of fakesNNNNNN.png, one copy of the tick values', () => {
    const { json } = run('nathantseng-PGGAN');
    assert.deepEqual(main(json), []);
    assert.equal(json.stepUnit, 'kimg');
    assert.equal(json.lossType, 'wgan');
    const real = json.series.find((s) => s.name === 'Loss/real_scores')!;
    assert.ok(Math.abs(real.firstStep! - 160.256) < 1e-3 && Math.abs(real.lastStep! - 2705.92) < 1e-2, `${real.firstStep}–${real.lastStep}`);
    assert.ok(json.samples.some((x) => x.step === 7600 && x.path === 'fakes007600.png'));
    const names = json.series.map((s) => s.name);
    assert.equal(new Set(names).size, names.length, `one copy of each: ${names.join(', ')}`);
    assert.ok(!names.includes('Progress/kimg'), 'kimg is the axis');
    assert.deepEqual(
      json.findings.filter((f) => f.severity === 'error'),
      [],
    );
  });

  test('CycleGAN (junyanz): two GANs, both diagnosed, on an epoch axis, LSGAN from train_opt.txt', () => {
    const { json } = run('layla-focalors-Cycle_GAN_NOA_fog2rain_checkpoint');
    assert.equal(json.stepUnit, 'epoch');
    assert.equal(json.lossType, 'lsgan');
    assert.deepEqual(main(json), ['d:D_A:A', 'd:D_B:B', 'g:G_A:A', 'g:G_B:B']);
    const d = json.series.find((s) => s.name === 'D_A')!;
    assert.equal(d.length, 600);
    assert.ok(d.firstStep! > 1 && d.firstStep! < 2 && d.lastStep! <= 201, `${d.firstStep}–${d.lastStep}`);
    for (const other of ['cycle_A', 'idt_A', 'cycle_B', 'idt_B']) assert.equal(json.series.find((s) => s.name === other)?.role, 'other', other);
    assert.ok(!json.findings.some((f) => /ln 2/.test(f.message)), 'no BCE reference judges an LSGAN run');
  });

  test('pix2pix (junyanz): G_GAN is G, D_real+D_fake together are D, the winning discriminator is found; the relaunch keeps the latest training', () => {
    const { json } = run('mingxuanM-poke_pixel2pixel/checkpoints/poke_evol_pix2pix');
    assert.equal(json.stepUnit, 'epoch');
    assert.equal(json.lossType, 'bce');
    assert.deepEqual(main(json), ['d:(D_real + D_fake) / 2', 'g:G_GAN']);
    assert.equal(json.series.find((s) => s.name === 'G_L1')!.role, 'other');
    // 765 lines: 2 headers, 1 line of the first launch, 762 of the second.
    assert.equal(json.series.find((s) => s.name === 'G_GAN')!.length, 762);
    assert.ok(
      json.findings.some((f) => f.kind === 'd-dominant'),
      json.findings.map((f) => f.kind).join(', '),
    );
    const aug = run('mingxuanM-poke_pixel2pixel/checkpoints/poke_evol_mini_full_aug').json;
    assert.ok(aug.findings.some((f) => f.kind === 'd-dominant'));
  });

  test('Chainer: preview/imageNNNNNNNN.png are the samples, at the iteration', () => {
    const { json } = run('nat-chan-my-chainer-gan/result_dcgan32');
    assert.equal(json.stepUnit, 'iteration');
    assert.ok(json.samples.length >= 5, `${json.samples.length} samples`);
    assert.ok(
      json.samples.every((x) => x.path.startsWith('preview/image') && x.step % 10000 === 0),
      JSON.stringify(json.samples.slice(0, 3)),
    );
  });

  test('references (real_A/real_B, rec_*, idt_*, reals.png, real_samples.png) are never samples and never scored', () => {
    const pix = run('mingxuanM-poke_pixel2pixel/checkpoints/poke_evol_pix2pix').json;
    assert.ok(pix.samples.length > 0 && pix.samples.every((x) => /_fake_B\.png$/.test(x.path)), JSON.stringify(pix.samples.slice(0, 3)));
    assert.ok(pix.references.includes('web/images/epoch200_real_A.png') && pix.references.includes('web/images/epoch200_real_B.png'));
    const cycle = run('layla-focalors-Cycle_GAN_NOA_fog2rain_checkpoint');
    assert.ok(cycle.json.samples.every((x) => /_fake_[AB]\.png$/.test(x.path)));
    for (const kind of ['real_A', 'rec_A', 'idt_B'])
      assert.ok(
        cycle.json.references.some((p) => p.endsWith(`epoch200_${kind}.png`)),
        kind,
      );
    assert.ok(
      cycle.inspection.run.references!.every((r) => r.step !== null && [2, 50, 100, 150, 200].includes(r.step)),
      'each beside the samples of its epoch',
    );
    assert.deepEqual(run('nathantseng-PGGAN').json.references, ['reals.png']);
    assert.ok(!run('nathantseng-PGGAN').json.samples.some((x) => x.path === 'reals.png'));
    const dcgan = run('amukher3-DCGANs_Malarial_Parasite_images').json;
    assert.deepEqual(dcgan.references, ['real_samples.png']);
    assert.ok(!dcgan.samples.some((x) => x.path === 'real_samples.png'));
    assert.equal(dcgan.diversity.length, dcgan.samples.length, 'only the generated grids are scored');
    assert.equal(run('amukher3-DCGANs_Malarial_Parasite_images').json.stepUnit, 'epoch');
  });
});
