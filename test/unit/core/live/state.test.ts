// A live run's state as the tree, the status bar and `--watch` say it: live from its files' last
// write, its rate from the steps its reads found, its newest step, and the few files to stat.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isLive, StepRate } from '../../../../src/core/live/liveness';
import { formatClock, healthText, liveLine } from '../../../../src/core/live/summary';
import { growingFiles, newestWrite, MAX_LOSS_FILES, MAX_SAMPLE_FOLDERS } from '../../../../src/core/live/runFiles';
import { lookAt } from '../../../../src/core/live/look';
import { inspectLoadedRun, type Inspection } from '../../../../src/core/inspect';
import type { Series } from '../../../../src/core/model';
import { discoverRuns } from '../../../../src/core/discover';
import { loadRun } from '../../../../src/core/run';
import { FORMATS } from '../../../../src/core/formats';
import { formulationOf } from '../../../../src/core/formulation';
import { csvFormat } from '../../../../src/core/formats/csv.format';
import { realRunsSkip, WILD_RUNS } from '../../../support/realRuns';

const series = (name: string, role: Series['role'], steps: number[], source = `${name}.npy`): Series => ({
  name,
  role,
  source,
  column: null,
  steps: Float64Array.from(steps),
  values: Float64Array.from(steps.map(() => 0.7)),
});
function inspection(root: string, s: Series[], samples: string[] = []): Inspection {
  return {
    run: {
      root,
      name: 'r',
      series: s,
      samples: samples.map((p, i) => ({ step: i * 100, path: p })),
      errors: [],
      config: {},
      formulation: formulationOf('bce'),
    },
    findings: [],
    diversity: [],
  };
}

test('live while a file was written within the window', () => {
  assert.equal(isLive(undefined, 1000, 600_000), false);
  assert.equal(isLive(0, 600_000, 600_000), true);
  assert.equal(isLive(0, 600_001, 600_000), false);
  assert.equal(isLive(1000, 500, 600_000), true, 'a write a little in the future (another clock) is now');
});

test('steps per minute over the last few minutes of reads; a restart starts over', () => {
  const rate = new StepRate(5 * 60_000);
  assert.equal(rate.perMinute(), null);
  rate.add(0, 0);
  assert.equal(rate.perMinute(), null);
  rate.add(600, 60_000);
  rate.add(600, 70_000);
  assert.equal(rate.perMinute(), 600);
  rate.add(1800, 120_000);
  assert.equal(rate.perMinute(), 900);
  // Older reads drop out: the rate is the recent one.
  for (let m = 3; m <= 12; m++) rate.add(1800 + (m - 2) * 100, m * 60_000);
  assert.equal(Math.round(rate.perMinute()!), 100);
  rate.add(50, 13 * 60_000);
  assert.equal(rate.perMinute(), null, 'fewer steps than before: a new run in the same folder');
});

test('the words: "training · step 3,000 · 612 steps/min · last record 12:00:01", health', () => {
  const at = new Date(2024, 0, 1, 12, 0, 1).getTime();
  assert.equal(formatClock(at), '12:00:01');
  assert.equal(
    liveLine({ live: true, step: 3000, stepsPerMinute: 612.4, lastWrite: at, errors: 0, warnings: 0 }),
    'training · step 3,000 · 612 steps/min · last record 12:00:01',
  );
  assert.equal(liveLine({ live: true, step: 12, stepsPerMinute: 0.25, lastWrite: undefined, errors: 0, warnings: 0 }), 'training · step 12 · 0.25 steps/min');
  assert.equal(
    liveLine({ live: false, step: 5999, stepsPerMinute: 100, lastWrite: at, errors: 0, warnings: 0 }),
    'not training · step 5,999 · last record 12:00:01',
  );
  assert.equal(healthText({ errors: 0, warnings: 0 }), 'ok');
  assert.equal(healthText({ errors: 1, warnings: 2 }), '1 error, 2 warnings');
});

test('a look: the newest loss step and the records of the longest series; samples when there are no losses', () => {
  const l = lookAt(
    inspection('/r', [series('d', 'discriminator', [10, 20, 30]), series('g', 'generator', [10, 20, 30, 40]), series('fid', 'metric', [0, 1000])]),
  );
  assert.deepEqual([l.first, l.latest, l.records], [10, 40, 4]);
  const images = lookAt(inspection('/r', [], ['a/0.png', 'a/100.png']));
  assert.deepEqual([images.latest, images.records], [100, 2]);
});

test("the files to stat: the run folder, the newest samples' folders, the loss files; bounded", async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'gan-files-'));
  try {
    const many = Array.from({ length: 100 }, (_, i) => series(`s${i}`, 'other', [1], `logs/s${i}.csv`));
    const samples = Array.from({ length: 5000 }, (_, i) => `images/${Math.floor(i / 1000)}/${i}.png`);
    const files = growingFiles(inspection(root, [series('d', 'discriminator', [1], 'd.npy'), ...many], samples));
    assert.equal(files[0], root);
    assert.deepEqual(files.slice(1, 2), [path.join(root, 'images', '4')], 'the newest samples first');
    assert.equal(files.length, 1 + MAX_SAMPLE_FOLDERS + MAX_LOSS_FILES);
    mkdirSync(path.join(root, 'images'));
    writeFileSync(path.join(root, 'd.npy'), '');
    utimesSync(path.join(root, 'd.npy'), 1000, 1000);
    utimesSync(path.join(root, 'images'), 2000, 2000);
    utimesSync(root, 1500, 1500);
    assert.equal(await newestWrite([root, path.join(root, 'images'), path.join(root, 'd.npy'), path.join(root, 'gone.csv')]), 2_000_000);
    assert.equal(await newestWrite([path.join(root, 'gone.csv')]), undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('which sources are loss files the format registry says: an image or gan-run.json that failed is not one; a run that is one file names its files from its folder', () => {
  const root = path.join(tmpdir(), 'gan-files-registry');
  const ins = inspection(root, [series('d', 'discriminator', [1], 'logs/train.log'), series('g', 'generator', [1], 'metrics.csv')]);
  ins.run.errors.push(
    { source: 'gan-run.json', message: 'gan-run.json: not valid JSON' },
    { source: 'samples/broken.png', message: 'samples/broken.png: bad PNG' },
    { source: 'run-abc.wandb', message: 'run-abc.wandb: no history rows' },
  );
  assert.deepEqual(growingFiles(ins), [root, path.join(root, 'logs', 'train.log'), path.join(root, 'metrics.csv'), path.join(root, 'run-abc.wandb')]);
  // A format whose files are runs of their own (as notebooks will be): the run's root is the file.
  const formats = FORMATS.with({ ...csvFormat, id: 'one-file-run', names: ['*.gannb'], isRun: true });
  const file = path.join(root, 'train.gannb');
  assert.deepEqual(growingFiles(inspection(file, [series('d', 'discriminator', [1], 'train.gannb')]), formats), [file]);
});

const wandbRun = path.join(WILD_RUNS, 'wondongee-COSCI-GAN_mvfit', 'wandb', 'run-20240311_115924-p5eltm86');
test('a W&B run folder is watched by its history file', { skip: realRunsSkip(wandbRun) }, async () => {
  const loc = (await discoverRuns(wandbRun)).find((l) => l.root === wandbRun)!;
  const files = growingFiles(await inspectLoadedRun(await loadRun(loc)));
  assert.equal(files[0], wandbRun);
  assert.ok(files.includes(path.join(wandbRun, 'run-p5eltm86.wandb')), files.join(', '));
});
