// Every folder of real GAN outputs in ../shared/real-runs, through the built CLI: D and G found with
// the right lengths and steps. Skipped when the folder is not there (a clean clone elsewhere).
import { bundleForNode } from '../../support/bundles';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REAL_RUNS, realRunsSkip } from '../../support/realRuns';
const realRuns = REAL_RUNS;
const present = existsSync(realRuns);

interface JsonSeries {
  name: string;
  role: string;
  source: string;
  column: number | null;
  length: number;
  firstStep: number;
  lastStep: number;
}
interface JsonRun {
  root: string;
  series: JsonSeries[];
  samples: { step: number; path: string }[];
  errors: { source: string; message: string }[];
}

// [source, column, length, firstStep, lastStep] of the D and G series, from the folder's README.
type Expect = {
  d: [string, number | null, number, number, number];
  g: [string, number | null, number, number, number];
  root?: string;
  check?: (run: JsonRun) => void;
};
const expected: Record<string, Expect> = {
  'Logann120-GAN_Deep_Learning': {
    d: ['d_losses.npy', null, 35000, 0, 34999],
    g: ['g_losses.npy', null, 35000, 0, 34999],
    check: (run) => assert.deepEqual(run.samples, [], 'losses.png is a plot, not a sample'),
  },
  'PrathamMahajan103-Image-Generation': { d: ['d_losses.npy', null, 1080, 0, 1079], g: ['g_losses.npy', null, 240, 0, 239] },
  'Raj-7799-Image-Generation-using-GAN': {
    d: ['D_loss.npy', 1, 100001, 0, 100000],
    g: ['G_loss.npy', 1, 100001, 0, 100000],
    check: (run) => {
      assert.equal(run.series.find((s) => s.source === 'D_loss.npy' && s.column === 2)?.role, 'other', 'accuracy column');
      assert.deepEqual(run.samples, [], 'Plots/ are figures');
    },
  },
  'abs51295-mnist-vanilla-gans': { d: ['losses.npy', 0, 100, 0, 99], g: ['losses.npy', 1, 100, 0, 99] },
  'deepanshu-yadav-conditional_gan_on-floydhub': {
    d: ['dloss.npy', null, 150, 0, 149],
    g: ['gloss.npy', 0, 150, 0, 149],
    check: (run) => {
      const perStep = new Map<number, number>();
      for (const s of run.samples) perStep.set(s.step, (perStep.get(s.step) ?? 0) + 1);
      assert.deepEqual(
        [...perStep],
        [
          [10, 5],
          [50, 5],
          [100, 5],
          [150, 5],
        ],
      );
      assert.equal(run.samples[0]!.path, 'images10/pic0.png');
    },
  },
  'liwenhan220-GAN_v1_failure': {
    d: ['dloss.npy', null, 16540, 0, 16539],
    g: ['gloss.npy', null, 16540, 0, 16539],
    check: (run) =>
      assert.deepEqual(
        run.samples.map((s) => s.step),
        Array.from({ length: 20 }, (_, i) => i),
      ),
  },
  'bharat029-anime-face-generation-with-gan': {
    d: ['losses.npy', 0, 1715, 0, 1714],
    g: ['losses.npy', 1, 1715, 0, 1714],
    check: (run) => {
      assert.ok(!run.series.some((s) => s.source === 'seed.npy' && s.role !== 'other'), 'seed.npy is never D/G');
      assert.deepEqual(
        run.samples.map((s) => s.step),
        [1, 5, 10, 20, 35],
      );
    },
  },
  'asenaesra070-ML2_MNIST_Project_Thema1': {
    d: ['results/discriminator_loss.npy', null, 9380, 0, 9379],
    g: ['results/generator_loss.npy', null, 9380, 0, 9379],
    check: (run) => {
      assert.deepEqual(
        run.samples.map((s) => s.step),
        [5, 10, 15, 20, 25, 30, 35, 40, 45, 50],
      );
      assert.equal(run.samples[0]!.path, 'src/gan_fashion_images/005.png');
      for (const s of run.series) if (/accuracy_value|loss_values|test_loss_value/.test(s.source)) assert.equal(s.role, 'other', s.source);
    },
  },
  'tensorboard-example': {
    root: 'logs',
    d: ['events.out.tfevents.1795673730.vm.462.0', null, 30000, 0, 29999],
    g: ['events.out.tfevents.1795673730.vm.462.0', null, 30000, 0, 29999],
    check: (run) => assert.ok(run.series.some((s) => s.source === 'metrics.csv' && s.name === 'd_loss' && s.length === 30000)),
  },
};

describe('real runs through the CLI', { skip: realRunsSkip() }, () => {
  let work: string;
  let cli: string;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'gan-real-runs-'));
    cli = join(work, 'cli.js');
    await bundleForNode('src/cli/main.ts', cli);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  const folders = present
    ? readdirSync(realRuns, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort()
    : [];
  for (const folder of folders) {
    test(folder, () => {
      const r = spawnSync(process.execPath, [cli, join(realRuns, folder), '--json'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const doc = JSON.parse(r.stdout) as { version: number; runs: JsonRun[] };
      const want = expected[folder];
      const runs = doc.runs.filter((run) => run.series.some((s) => s.role === 'discriminator') && run.series.some((s) => s.role === 'generator'));
      assert.ok(runs.length >= 1, 'a run with both D and G');
      if (!want) return; // a folder added later: finding D and G is the contract
      assert.equal(doc.runs.length, 1, doc.runs.map((x) => x.root).join(', '));
      const run = doc.runs[0]!;
      assert.equal(run.root, join(realRuns, folder, ...(want.root ? [want.root] : [])));
      const pick = (role: string) => {
        const found = run.series.filter((s) => s.role === role);
        assert.equal(found.length, 1, `one ${role}`);
        const s = found[0]!;
        return [s.source, s.column, s.length, s.firstStep, s.lastStep];
      };
      assert.deepEqual(pick('discriminator'), want.d);
      assert.deepEqual(pick('generator'), want.g);
      want.check?.(run);
    });
  }
});
