// The engine on real GAN outputs from ../shared/real-runs (skipped when the folder is absent).
// Arrays are read with python3 + numpy into raw float64 files under a temporary folder, so these
// tests do not depend on the project's own .npy reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeRun } from '../../../../src/core/analysis';
import type { Finding, LossType, Run, Series } from '../../../../src/core/model';
import { REAL_RUNS, realRunsSkip } from '../../../support/realRuns';
import { formulationOfSeries } from '../../../../src/core/formulation';

const ROOT = REAL_RUNS;
const skip = realRunsSkip();

/** One array (or one column of a 2-D array) as float64, via numpy. */
function load(file: string, column: number | null = null): Float64Array {
  const dir = mkdtempSync(join(tmpdir(), 'gan-analysis-'));
  try {
    const out = join(dir, 'values.f64');
    const script =
      'import numpy as np, sys\na = np.load(sys.argv[1], allow_pickle=False)\nif sys.argv[3] != "-": a = a[:, int(sys.argv[3])]\nnp.ascontiguousarray(a, dtype="<f8").tofile(sys.argv[2])';
    execFileSync('python3', ['-c', script, join(ROOT, file), out, column === null ? '-' : String(column)]);
    const bytes = readFileSync(out);
    return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function lossSeries(role: 'discriminator' | 'generator', source: string, values: Float64Array, steps?: Float64Array): Series {
  return { name: source, role, source, column: null, values, steps: steps ?? Float64Array.from(values, (_, i) => i) };
}

function realRun(name: string, d: Series, g: Series, lossType: LossType = 'unknown'): Run {
  return {
    root: join(ROOT, name),
    name,
    series: [d, g],
    samples: [],
    errors: [],
    config: {},
    formulation: formulationOfSeries([d, g], lossType === 'unknown' ? {} : { settings: lossType }),
  };
}

const describe = (fs: Finding[]) => fs.map((f) => `[${f.severity}] ${f.kind} ${f.start}-${f.end}: ${f.message}`).join('\n');

test('liwenhan220-GAN_v1_failure: the discriminator wins at the end', { skip }, () => {
  const dir = 'liwenhan220-GAN_v1_failure';
  const d = load(`${dir}/dloss.npy`);
  const g = load(`${dir}/gloss.npy`);
  const fs = analyzeRun(realRun(dir, lossSeries('discriminator', 'dloss.npy', d), lossSeries('generator', 'gloss.npy', g)), []);
  // The engine says (16,540 steps, loss type inferred BCE: no negative values):
  //   [warning] d-dominant 249-1405: D loss near 0.157 while G loss stayed high at 2.5 (the early
  //             phase where G swings around 2-3: the block means show D 0.23, G 2.4 there);
  //   [info]    equilibrium 3639-9675: D ≈ 0.445, G ≈ 1.16, away from the BCE reference (the flat
  //             middle of the run, G 1.12-1.15 in every 5% block);
  //   [warning] d-dominant 10503-end: D loss near 0.119 while G loss climbed to 4.14.
  // Right because the author published this run as a failure and it ends with D ≈ 0.09, G above 4:
  // D rejects fakes with near certainty and G keeps losing ground, the "D too strong" picture.
  const last = fs.filter((f) => f.kind === 'd-dominant').at(-1);
  assert.ok(last, describe(fs));
  assert.equal(last.end, d.length - 1);
  assert.ok(last.start > 0.5 * d.length && last.start < 0.75 * d.length, describe(fs));
  assert.ok((last.evidence.dLevel as number) < 0.2);
  assert.ok((last.evidence.gLevelEnd as number) > 4);
  // No finding calls the end an equilibrium: the stall is the imbalance.
  assert.ok(!fs.some((f) => f.kind === 'equilibrium' && f.end === d.length - 1), describe(fs));
  assert.ok(!fs.some((f) => f.severity === 'error'), describe(fs));
});

test('Raj-7799-Image-Generation-using-GAN: equilibrium at the BCE reference, no warnings', { skip }, () => {
  const dir = 'Raj-7799-Image-Generation-using-GAN';
  // D_loss.npy is (100001, 3) = [step, d_loss, accuracy]; G_loss.npy (100001, 2) = [step, g_loss].
  const steps = load(`${dir}/D_loss.npy`, 0);
  const d = load(`${dir}/D_loss.npy`, 1);
  const g = load(`${dir}/G_loss.npy`, 1);
  const fs = analyzeRun(realRun(dir, lossSeries('discriminator', 'D_loss.npy', d, steps), lossSeries('generator', 'G_loss.npy', g, steps)), []);
  // The engine says two info findings and nothing else:
  //   [info] plateau 32000-59999: D ≈ 0.71 and G ≈ 0.816, away from the reference (G 18% above ln 2);
  //   [info] equilibrium 60000-100000: Both losses settled at the reference from step 60,000 to the
  //          end: D ≈ 0.699 and G ≈ 0.715, the Nash equilibrium.
  // Right because the run ends at D ≈ 0.693, G ≈ 0.699 over 100,000 steps; before that G sits flat
  // at ≈ 0.81 from about 30,000, then steps down to ≈ 0.755 at 60,000 (within referenceTolerance,
  // 15%, of ln 2) and to ≈ 0.705 at 70,000 (moves of 2-3 noise deviations, visible in the author's
  // own plot), so the losses reach the reference at 60,000. Nothing in the run is a warning.
  assert.deepEqual(
    fs.filter((f) => f.severity !== 'info'),
    [],
    describe(fs),
  );
  const eq = fs.filter((f) => f.kind === 'equilibrium' && f.evidence.untilEnd === true);
  assert.equal(eq.length, 1, describe(fs));
  assert.equal(eq[0]!.end, 100000);
  assert.equal(eq[0]!.evidence.atReference, true);
  assert.ok(eq[0]!.start >= 50000 && eq[0]!.start <= 80000, describe(fs));
  assert.ok(Math.abs((eq[0]!.evidence.dLevel as number) - Math.LN2) < 0.02);
  assert.ok(Math.abs((eq[0]!.evidence.gLevel as number) - Math.LN2) < 0.03);
  // The flat stretch before it, G ≈ 0.816, is away from the reference: a plateau, never an equilibrium.
  assert.ok(
    fs.some((f) => f.kind === 'plateau' && f.start >= 25000 && f.end <= 60000 && (f.evidence.gLevel as number) > 0.79),
    describe(fs),
  );
});

test('PrathamMahajan103-Image-Generation (WGAN-GP): no BCE imbalance findings', { skip }, () => {
  const dir = 'PrathamMahajan103-Image-Generation';
  const d = load(`${dir}/d_losses.npy`);
  const g = load(`${dir}/g_losses.npy`);
  assert.equal(d.length, 1080);
  assert.equal(g.length, 240);
  for (const lossType of ['unknown', 'wgan'] as LossType[]) {
    const fs = analyzeRun(realRun(dir, lossSeries('discriminator', 'd_losses.npy', d), lossSeries('generator', 'g_losses.npy', g), lossType), []);
    // The engine says nothing for this run, declared WGAN or not: the critic and G losses are
    // negative, which rules out BCE, so the ln 2 / "D near 0" rules never apply; the critic starts at
    // 254 and falls (a falling loss is not exploding), and with D logged 5× as often as G (n_critic
    // = 5) the two series only overlap on the first 240 steps, too little for a shared plateau.
    assert.ok(!fs.some((f) => f.kind === 'd-dominant' || f.kind === 'g-dominant'), describe(fs));
    assert.ok(!fs.some((f) => f.kind === 'exploding'), describe(fs));
    for (const f of fs) assert.doesNotMatch(f.message, /BCE/);
  }
});

test('Logann120-GAN_Deep_Learning: a discriminator that wins all along, with repeated loss spikes', { skip }, () => {
  const dir = 'Logann120-GAN_Deep_Learning';
  const d = load(`${dir}/d_losses.npy`);
  const g = load(`${dir}/g_losses.npy`);
  const fs = analyzeRun(realRun(dir, lossSeries('discriminator', 'd_losses.npy', d), lossSeries('generator', 'g_losses.npy', g)), []);
  // The engine says: d-dominant from ≈ step 1,225 to the end (D ≈ 0.13, G ≈ 4.2) and exploding
  // (repeated spikes: D jumps ~10 times to up to 94 against a typical 0.13).
  // Right because D sits at 0.11-0.23 and G at 3.5-5 in every 5% of the 35,000 steps, and the raw
  // D loss does reach 190 and G 741 in isolated steps (std 7 and 21 in the first block alone).
  const dd = fs.filter((f) => f.kind === 'd-dominant');
  assert.equal(dd.length, 1, describe(fs));
  assert.ok(dd[0]!.start < 0.1 * d.length && dd[0]!.end === d.length - 1, describe(fs));
  const ex = fs.filter((f) => f.kind === 'exploding');
  assert.ok(ex.length >= 1 && ex.every((f) => f.evidence.rule === 'repeated spikes'), describe(fs));
});
