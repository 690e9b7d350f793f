// Discovery and reading over trees people really point the tool at: 12,000 folders with a few real
// runs buried in them, 200 levels of nesting, symlink loops (self, parent, mutual), dangling links,
// a folder of 10,000 images, and loss files larger than the cap (sparse, so no disk is used).
// Each must finish in bounded time and memory, find every real run, and refuse what is too big
// with one line naming the file, without reading it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverRuns } from '../../../src/core/discover';
import { inspectPaths } from '../../../src/core/inspect';
import { loadRun } from '../../../src/core/run';
import { npyBytes } from '../../support/npy';

let root: string;
const abs = (rel: string) => join(root, ...rel.split('/'));
const dir = (rel: string) => mkdirSync(abs(rel), { recursive: true });
const losses = (n: number, base: number) => npyBytes(Float64Array.from({ length: n }, (_, i) => base + 0.05 * Math.sin(i / 7)));
/** A real run: D and G loss files as np.save writes them. */
function realRun(rel: string, n = 300) {
  dir(rel);
  writeFileSync(abs(`${rel}/discriminator_loss.npy`), losses(n, 0.69));
  writeFileSync(abs(`${rel}/generator_loss.npy`), losses(n, 0.9));
}

const WIDE = 120;
const PER = 100; // 120 × 100 = 12,000 leaf folders, plus their 120 parents
const DEEP = 200;
const IMAGES = 10_000;
const deepRel = (levels: number) => Array.from({ length: levels }, () => 'd').join('/');
/** The runs the tree holds within the default depth (6), by the name discovery gives them. */
const EXPECTED = ['exp000/trial000', 'exp007', 'exp042/trial077/seed1/fold2', 'exp119/trial099', 'deep/d/d/d/d', 'loops/real-run', 'many-images'];

before(() => {
  root = mkdtempSync(join(tmpdir(), 'gan-hostile-tree-'));
  for (let i = 0; i < WIDE; i++) {
    for (let j = 0; j < PER; j++) dir(`exp${String(i).padStart(3, '0')}/trial${String(j).padStart(3, '0')}`);
  }
  // Every leaf also holds a file that is not a run (a config, a checkpoint name) to be walked past.
  writeFileSync(abs('exp001/trial001/config.yaml'), 'lr: 0.0002\n');
  realRun('exp000/trial000');
  realRun('exp007'); // a run beside its 100 trial folders
  realRun('exp042/trial077/seed1/fold2'); // depth 4
  realRun('exp119/trial099');
  // 200 levels: a run at depth 5 (found) and one at the bottom (beyond any depth setting).
  dir(`deep/${deepRel(DEEP - 1)}`);
  realRun(`deep/${deepRel(4)}`);
  realRun(`deep/${deepRel(DEEP - 1)}`);
  realRun(`deep/${deepRel(30)}`);
  // Loops: a folder linking to itself, to its parent, two folders linking to each other, the root.
  realRun('loops/real-run');
  dir('loops/a/b');
  symlinkSync(abs('loops/a'), abs('loops/a/self'));
  symlinkSync('..', abs('loops/a/b/up'));
  dir('loops/m1');
  dir('loops/m2');
  symlinkSync(abs('loops/m2'), abs('loops/m1/to-m2'));
  symlinkSync(abs('loops/m1'), abs('loops/m2/to-m1'));
  symlinkSync(root, abs('loops/to-root'));
  symlinkSync(abs('loops/real-run'), abs('loops/m1/run-link'));
  // Dangling: a folder link and a loss-file link to nothing, and a link to a link to nothing.
  symlinkSync(abs('loops/nowhere'), abs('loops/dangling-dir'));
  symlinkSync(abs('loops/nowhere_loss.npy'), abs('loops/real-run/dangling_loss.npy'));
  symlinkSync(abs('loops/dangling-dir'), abs('loops/dangling-chain'));
  // A run with a folder of 10,000 sample images (empty files: discovery never opens them).
  realRun('many-images');
  dir('many-images/samples');
  for (let i = 0; i < IMAGES; i++) writeFileSync(abs(`many-images/samples/step_${i * 10}.png`), '');
});

after(() => rmSync(root, { recursive: true, force: true }));

test('12,000 folders, 200 levels, loops, dangling links, 10,000 images: every real run found, bounded time and memory', async (t) => {
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = heapBefore;
  let seen = 0;
  const started = performance.now();
  const runs = await discoverRuns(root, {
    onProgress: (n) => {
      seen = n;
      if (n % 500 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    },
  });
  const ms = performance.now() - started;
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  const growthMb = (peak - heapBefore) / 1024 ** 2;
  t.diagnostic(`discovery: ${seen} folders seen in ${ms.toFixed(0)} ms, heap growth ${growthMb.toFixed(1)} MB, ${runs.length} runs`);
  assert.deepEqual(runs.map((r) => r.name).sort(), [...EXPECTED].sort());
  // Each folder once: links into the tree add nothing, loops end, nothing is named through a link.
  assert.ok(seen >= WIDE * PER + WIDE && seen < WIDE * PER + WIDE + 300, `${seen} folders seen`);
  assert.ok(!runs.some((r) => /self|up|to-m|to-root|run-link|dangling/.test(r.name)));
  const many = runs.find((r) => r.name === 'many-images')!;
  assert.equal(many.sampleFiles.length, IMAGES);
  assert.deepEqual(
    runs.find((r) => r.name === 'loops/real-run')!.lossFiles,
    ['discriminator_loss.npy', 'generator_loss.npy'],
    'the dangling loss link is not a loss file',
  );
  assert.ok(ms < 60_000, `discovery took ${ms.toFixed(0)} ms`);
  assert.ok(growthMb < 256, `heap grew by ${growthMb.toFixed(1)} MB`);
  // Every run found is a real one: both series read with all their values.
  for (const loc of runs) {
    const run = await loadRun(loc);
    assert.deepEqual(
      run.series.map((s) => [s.role, s.values.length]),
      [
        ['discriminator', 300],
        ['generator', 300],
      ],
      loc.name,
    );
    assert.deepEqual(run.errors, [], loc.name);
  }
});

test('very deep nesting stops at maxDepth and still finds runs within it', async (t) => {
  const deepRoot = abs('deep');
  let seen = 0;
  const shallow = await discoverRuns(deepRoot, { onProgress: (n) => (seen = n) });
  assert.deepEqual(
    shallow.map((r) => r.name),
    [deepRel(4)],
  );
  assert.equal(seen, 7, 'levels 0–6 only');
  const started = performance.now();
  const deeper = await discoverRuns(deepRoot, { maxDepth: 32, onProgress: (n) => (seen = n) });
  t.diagnostic(`maxDepth 32 over ${DEEP} levels: ${seen} folders in ${(performance.now() - started).toFixed(0)} ms`);
  assert.deepEqual(
    deeper.map((r) => r.name),
    [deepRel(4), deepRel(30)],
  );
  assert.equal(seen, 33);
  // Even an absurd depth walks the 200 levels once and ends (the bottom run is then found too).
  const all = await discoverRuns(deepRoot, { maxDepth: 10_000 });
  assert.equal(all.length, 3);
});

test('loops alone: self, parent, mutual and root links end, and each folder is seen once', async () => {
  let seen = 0;
  const runs = await discoverRuns(abs('loops'), { maxDepth: 32, onProgress: (n) => (seen = n) });
  const names = runs.map((r) => r.name);
  // The run inside is named by its real path, once; the link to the root leads out of the scanned
  // folder, so the rest of the tree is found through it, but never the scanned folder again.
  assert.equal(names.filter((n) => n.endsWith('real-run')).length, 1, names.join(', '));
  assert.ok(names.includes('real-run'));
  assert.deepEqual(
    names.filter((n) => n !== 'real-run').sort(),
    EXPECTED.filter((n) => !n.startsWith('loops/'))
      .map((n) => `to-root/${n}`)
      .concat(`to-root/deep/${deepRel(30)}`)
      .sort(),
  );
  assert.equal(new Set(runs.map((r) => r.root)).size, runs.length, 'no run twice');
  assert.ok(seen <= WIDE * PER + WIDE + 300, `${seen} folders seen`);
  const budget = await discoverRuns(abs('loops'), { maxDepth: 32, maxFolders: 50, onProgress: (n) => (seen = n) });
  assert.equal(seen, 50, 'the folder budget bounds a walk that escapes through a link');
  assert.ok(
    budget.some((r) => r.name === 'real-run'),
    'the real tree is walked before links',
  );
});

test('a loss file over the size cap is refused with one line naming it, without being read', async (t) => {
  const run = abs('huge');
  realRun('huge', 50);
  // Sparse files: the size is real to stat(), the disk holds nothing.
  const big = join(run, 'big_loss.npy');
  closeSync(openSync(big, 'w'));
  truncateSync(big, 64 * 1024 ** 2);
  const giant = join(run, 'giant_loss.npy');
  closeSync(openSync(giant, 'w'));
  truncateSync(giant, 3 * 1024 ** 3); // over the default 2 GiB cap, and over what readFile can hold
  assert.equal(statSync(giant).size, 3 * 1024 ** 3);
  try {
    const [loc] = await discoverRuns(run);
    assert.deepEqual(loc!.lossFiles, ['big_loss.npy', 'discriminator_loss.npy', 'generator_loss.npy', 'giant_loss.npy']);

    const heapBefore = process.memoryUsage().heapUsed;
    const capped = await loadRun(loc!, { maxFileBytes: 16 * 1024 ** 2 });
    const growthMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 ** 2;
    t.diagnostic(`16 MB cap: ${capped.errors.map((e) => e.message).join(' | ')} (heap growth ${growthMb.toFixed(1)} MB)`);
    assert.deepEqual(
      capped.errors.map((e) => e.source),
      ['big_loss.npy', 'giant_loss.npy'],
    );
    for (const e of capped.errors) {
      assert.ok(!e.message.includes('\n'), 'one line');
      assert.ok(e.message.startsWith(`${e.source}: `), e.message);
    }
    assert.match(capped.errors[0]!.message, /^big_loss\.npy: file is 64 MB, over the 16 MB limit$/);
    assert.match(capped.errors[1]!.message, /^giant_loss\.npy: file is 3072 MB, over the 16 MB limit$/);
    assert.ok(growthMb < 32, `heap grew by ${growthMb.toFixed(1)} MB: a refused file was read`);
    assert.deepEqual(
      capped.series.map((s) => s.values.length),
      [50, 50],
      'the good series stay',
    );

    // The default cap (2 GiB) lets the 64 MB file through to the reader (all zeros: not numpy) and
    // refuses the 3 GiB one; the run still shows its good series.
    const byDefault = await loadRun(loc!);
    assert.match(byDefault.errors.find((e) => e.source === 'giant_loss.npy')!.message, /^giant_loss\.npy: file is 3072 MB, over the 2048 MB limit$/);
    assert.match(byDefault.errors.find((e) => e.source === 'big_loss.npy')!.message, /^big_loss\.npy: /);
    assert.equal(byDefault.series.length, 2);

    // The whole pipeline (what the CLI and the extension's worker call) passes the cap through.
    const { inspections, problems } = await inspectPaths([run], { maxFileBytes: 1024 ** 2 });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      inspections[0]!.run.errors.map((e) => e.source),
      ['big_loss.npy', 'giant_loss.npy'],
    );
    const single = await inspectPaths([giant]);
    assert.deepEqual(single.inspections, []);
    assert.deepEqual(single.problems, ['giant_loss.npy: file is 3072 MB, over the 2048 MB limit']);
  } finally {
    rmSync(run, { recursive: true, force: true });
  }
});
