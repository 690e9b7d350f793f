// The readers for what the major GAN codebases write (#14): junyanz loss_log.txt, printed training
// logs, MLflow's file store, StyleGAN's stats.jsonl and metric-*.jsonl. Written the way the
// codebases' own source writes them; each reader reads in one pass, skips and counts a damaged
// line, and a live refresh through the append cache parses only the appended bytes and gives
// exactly what a whole read gives.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { AppendCache } from '../../../../src/core/formats/appendCache';
import { discoverRuns } from '../../../../src/core/discover';
import { lossFileKind, readLossFile } from '../../../../src/core/formats';
import { loadRun } from '../../../../src/core/run';
import { newJunyanzReader } from '../../../../src/core/formats/junyanz';
import { newPrintedReader } from '../../../../src/core/formats/printed';
import { looksLikePrintedLog } from '../../../../src/core/formats/printedSniff';
import { newMlflowReader } from '../../../../src/core/formats/mlflow';
import type { RawSeries } from '../../../../src/core/model';
import type { SkipReport } from '../../../../src/core/formats/skipped';

let tmp = '';
before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'gan-codebase-readers-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const enc = (s: string) => new TextEncoder().encode(s);
const byName = (series: RawSeries[]) => Object.fromEntries(series.map((s) => [s.name, s]));
const arr = (a: Float64Array) => [...a].map((v) => Math.round(v * 1e6) / 1e6);

// util/visualizer.py: print_current_losses and the header written when the Visualizer is made.
const header = (date: string) => `================ Training Loss (${date}) ================\n`;
function junyanzLine(epoch: number, iters: number, losses: Record<string, number>): string {
  let message = `(epoch: ${epoch}, iters: ${iters}, time: 0.198, data: 0.002) `;
  for (const [k, v] of Object.entries(losses)) message += `${k}: ${v.toFixed(3)} `;
  return `${message}\n`;
}

test('loss_log.txt: step = epoch + iters / iters-per-epoch, every loss a series, the header skipped', () => {
  let text = header('Wed Aug 30 12:06:44 2023');
  for (let e = 1; e <= 3; e++) for (const it of [100, 200, 300, 400]) text += junyanzLine(e, it, { G_GAN: e + it / 1000, G_L1: 40, D_real: 0.5, D_fake: 0.25 });
  assert.equal(lossFileKind('loss_log.txt'), 'junyanz');
  const s = byName(readLossFile('loss_log.txt', enc(text)));
  assert.deepEqual(Object.keys(s), ['G_GAN', 'G_L1', 'D_real', 'D_fake']);
  assert.deepEqual(arr(s.G_GAN!.steps), [1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75, 3, 3.25, 3.5, 3.75, 4]);
  assert.deepEqual(arr(s.G_GAN!.values).slice(0, 2), [1.1, 1.2]);
});

test('loss_log.txt: a launch from scratch (epochs from 1 again) keeps only the latest training', () => {
  const text =
    header('Sun Mar 10 00:32:05 2019') +
    junyanzLine(1, 100, { G_GAN: 3.013, D_real: 0.042, D_fake: 2.391 }) +
    header('Sun Mar 10 06:20:06 2019') +
    junyanzLine(1, 100, { G_GAN: 3.627, D_real: 0.043, D_fake: 0.034 }) +
    junyanzLine(1, 200, { G_GAN: 3.1, D_real: 0.04, D_fake: 0.03 }) +
    junyanzLine(2, 100, { G_GAN: 2.5, D_real: 0.1, D_fake: 0.2 });
  const s = byName(readLossFile('loss_log.txt', enc(text)));
  assert.deepEqual(arr(s.G_GAN!.values), [3.627, 3.1, 2.5]);
  assert.deepEqual(arr(s.G_GAN!.steps), [1.5, 2, 2.5]);
});

test('loss_log.txt: a resumed launch that repeats an epoch leaves no duplicate steps', () => {
  let text = header('a');
  for (let e = 1; e <= 5; e++) for (const it of [100, 200]) text += junyanzLine(e, it, { D_A: e, G_A: 1 });
  text += header('b'); // resumed from the epoch 3 checkpoint
  for (let e = 4; e <= 6; e++) for (const it of [100, 200]) text += junyanzLine(e, it, { D_A: 10 * e, G_A: 1 });
  const s = byName(readLossFile('loss_log.txt', enc(text)));
  assert.deepEqual(arr(s.D_A!.steps), [1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7]);
  assert.deepEqual(arr(s.D_A!.values), [1, 1, 2, 2, 3, 3, 40, 40, 50, 50, 60, 60]);
});

test('loss_log.txt: a damaged line is skipped and counted, never fatal', () => {
  const text =
    header('x') +
    junyanzLine(1, 100, { G_GAN: 1, D_real: 1 }) +
    '(epoch: 1, iters: 200, time: 0.1, data: 0.1) G_GAN: oops D_real: 1\n' +
    '(epoch: 1, it\n' +
    junyanzLine(1, 300, { G_GAN: 2, D_real: 1 });
  const reader = newJunyanzReader('loss_log.txt');
  const used = reader.push(text);
  const report: SkipReport = { skipped: null };
  const s = byName(reader.series(text.slice(used), false, report));
  assert.deepEqual(arr(s.G_GAN!.values), [1, 2]);
  assert.deepEqual(report.skipped, { count: 2, first: { line: 3 }, reason: 'not an "(epoch: …, iters: …)" loss line' });
  assert.throws(() => readLossFile('loss_log.txt', enc(header('x'))), /loss_log\.txt: no "\(epoch/);
});

// The PyTorch DCGAN tutorial (beginner_source/dcgan_faces_tutorial.py) and PyTorch-GAN (gan.py, cyclegan.py).
const dcganLine = (epoch: number, epochs: number, i: number, n: number, d: number, g: number) =>
  `[${epoch}/${epochs}][${i}/${n}]\tLoss_D: ${d.toFixed(4)}\tLoss_G: ${g.toFixed(4)}\tD(x): 0.5500\tD(G(z)): 0.5200 / 0.0100\n`;

test('printed log (DCGAN tutorial): step = epoch × batches + batch; other lines passed over', () => {
  let text = 'Random Seed:  999\nStarting Training Loop...\n/usr/lib/python3/site-packages/torch/x.py:12: UserWarning: something\n';
  for (let e = 0; e < 2; e++) for (let i = 0; i < 1583; i += 50) text += dcganLine(e, 5, i, 1583, 1 + i / 1e4, 5 - i / 1e4);
  text += 'Traceback (most recent call last):\nKeyboardInterrupt\n';
  writeFileSync(path.join(tmp, 'train.log'), text);
  assert.equal(lossFileKind('train.log', enc(text)), 'printed');
  const s = byName(readLossFile('train.log', enc(text)));
  assert.deepEqual(Object.keys(s), ['Loss_D', 'Loss_G', 'D(x)', 'D(G(z))', 'D(G(z)) after G step']);
  assert.equal(s.Loss_D!.steps[1], 50);
  assert.equal(s.Loss_D!.steps[32], 1583);
  assert.equal(s.Loss_D!.values.length, 64);
});

test('printed log (PyTorch-GAN): `\\r[Epoch …] [Batch …] [D loss: …] [G loss: …, adv: …]` lines, CR-separated', () => {
  let text = 'Namespace(n_epochs=200, batch_size=64, lr=0.0002, b1=0.5, b2=0.999, n_cpu=8, latent_dim=100, img_size=28, channels=1, sample_interval=400)\n';
  for (let i = 0; i < 938; i += 100)
    text += `\r[Epoch 1/200] [Batch ${i}/938] [D loss: 0.${500 + i}] [G loss: 0.9, adv: 0.6, cycle: 0.1, identity: 0.2] ETA: 1:02:03.4`;
  const s = byName(readLossFile('nohup.out', enc(text)));
  assert.deepEqual(Object.keys(s), ['D loss', 'G loss', 'G loss/adv', 'G loss/cycle', 'G loss/identity']);
  assert.deepEqual([...s['D loss']!.steps], [938, 1038, 1138, 1238, 1338, 1438, 1538, 1638, 1738, 1838]);
});

test('printed logs are told from other text by their content, and need enough loss lines', () => {
  assert.equal(lossFileKind('requirements.txt', enc('torch==2.0\nnumpy\n')), null);
  assert.equal(lossFileKind('notes.log', enc('D loss: 0.5 G loss: 0.7\n')), null, 'one line is not a log');
  assert.ok(looksLikePrintedLog('Epoch [1/100], Step [200/600], d_loss: 0.0542, g_loss: 4.0812, D(x): 0.99, D(G(z)): 0.03\n'.repeat(3)));
  assert.ok(looksLikePrintedLog('1 [D loss: 0.5, acc.: 50.00%] [G loss: 0.8]\n'.repeat(3)));
  assert.ok(!looksLikePrintedLog('lr: 0.0002\nbeta1: 0.5\nbatch_size: 64\nepoch: 3\n'));
});

test('printed log: a relaunch appended to the same file keeps the latest launch', () => {
  let text = '';
  for (let i = 0; i < 5; i++) text += `[Epoch 0/5] [Batch ${i}/10] [D loss: 1] [G loss: 1]\n`;
  for (let i = 0; i < 3; i++) text += `[Epoch 0/5] [Batch ${i}/10] [D loss: 2] [G loss: 2]\n`;
  const s = byName(readLossFile('train.log', enc(text)));
  assert.deepEqual([...s['D loss']!.steps], [0, 1, 2]);
  assert.deepEqual([...s['D loss']!.values], [2, 2, 2]);
});

test("StyleGAN2-ADA stats.jsonl: the mean of each statistic on the kimg axis; metric-*.jsonl on the snapshots' kimg", () => {
  const tick = (kimg: number, d: number) =>
    JSON.stringify({
      'Loss/D/loss': { num: 4000, mean: d, std: 0.4 },
      'Loss/G/loss': { num: 4000, mean: 1.6, std: 0.7 },
      'Progress/kimg': { num: 1, mean: kimg, std: 0 },
      'Timing/sec_per_tick': { num: 1, mean: 150, std: 0 },
      timestamp: 1714485852.27,
    });
  const s = byName(readLossFile('stats.jsonl', enc([tick(0.032, 0.2), tick(4.032, 0.8), tick(8.032, 0.9)].join('\n') + '\n')));
  assert.deepEqual(Object.keys(s), ['Loss/D/loss', 'Loss/G/loss', 'Timing/sec_per_tick']);
  assert.deepEqual([...s['Loss/D/loss']!.steps], [0.032, 4.032, 8.032]);
  assert.deepEqual([...s['Loss/D/loss']!.values], [0.2, 0.8, 0.9]);
  const report = (kimg: number, fid: number) =>
    JSON.stringify({
      results: { fid50k_full: fid },
      metric: 'fid50k_full',
      total_time: 541.9,
      total_time_str: '9m 02s',
      num_gpus: 1,
      snapshot_pkl: `network-snapshot-${String(kimg).padStart(6, '0')}.pkl`,
      timestamp: 1714470115.78,
    });
  const m = readLossFile('metric-fid50k_full.jsonl', enc(`${report(0, 418)}\n${report(200, 120)}\n${report(400, 28.8)}\n`));
  assert.deepEqual(
    m.map((x) => x.name),
    ['Metrics/fid50k_full'],
  );
  assert.deepEqual([...m[0]!.steps], [0, 200, 400]);
  assert.deepEqual([...m[0]!.values], [418, 120, 28.8]);
});

test('MLflow file store: mlruns/<exp>/<run>/metrics/<key> found as one run, lines `timestamp value step`', async () => {
  const run = path.join(tmp, 'proj', 'mlruns', '0', '5f1e2d3c4b5a');
  mkdirSync(path.join(run, 'metrics', 'Loss'), { recursive: true });
  mkdirSync(path.join(run, 'params'), { recursive: true });
  writeFileSync(path.join(run, 'meta.yaml'), 'artifact_uri: file:///x\nrun_id: 5f1e2d3c4b5a\nstatus: 3\n');
  writeFileSync(path.join(run, 'params', 'lr'), '0.0002');
  let d = '';
  let g = '';
  for (let i = 0; i < 50; i++) {
    d += `${1700000000000 + i} ${0.69 + 0.01 * Math.sin(i)} ${i * 10}\n`;
    g += `${1700000000000 + i} ${0.7 + 0.01 * Math.cos(i)} ${i * 10}\n`;
  }
  writeFileSync(path.join(run, 'metrics', 'Loss', 'D'), d + 'garbage line here\n');
  writeFileSync(path.join(run, 'metrics', 'g_loss'), g);
  const locs = await discoverRuns(path.join(tmp, 'proj'));
  assert.deepEqual(
    locs.map((l) => [l.name, l.lossFiles]),
    [['mlruns/0/5f1e2d3c4b5a', ['metrics/g_loss', 'metrics/Loss/D']]],
  );
  const loaded = await loadRun(locs[0]!);
  assert.deepEqual(
    loaded.errors.map((e) => e.message),
    ['metrics/Loss/D: skipped 1 damaged record at line 51 (not a "timestamp value step" line)'],
    'the damaged line is counted, the file still read',
  );
  assert.deepEqual(loaded.errors[0]!.skipped, { count: 1, first: { line: 51 }, reason: 'not a "timestamp value step" line' });
  const roles = Object.fromEntries(loaded.series.map((s) => [s.name, s.role]));
  assert.deepEqual(roles, { g_loss: 'generator', 'Loss/D': 'discriminator' });
  assert.equal(loaded.series.find((s) => s.name === 'Loss/D')!.steps[49], 490);
});

// One whole read against reading the same bytes in pieces through the append cache.
async function appendsEqualWholeRead(name: string, pieces: string[]) {
  const file = path.join(tmp, `append-${Math.random().toString(36).slice(2)}`, name);
  mkdirSync(path.dirname(file), { recursive: true });
  const cache = new AppendCache();
  writeFileSync(file, '');
  let parsed = 0;
  for (const piece of pieces) {
    appendFileSync(file, piece);
    const { size, mtimeMs, ino } = statSync(file);
    const viaCache = await cache.read(file, name, { size, mtimeMs, ino }).catch((e: Error) => e.message);
    let whole: RawSeries[] | string;
    try {
      whole = readLossFile(name, readFileSync(file));
    } catch (e) {
      whole = (e as Error).message;
    }
    assert.deepEqual(viaCache, whole, `after ${size} bytes`);
    parsed += cache.lastRead(file)?.bytesParsed ?? 0;
  }
  return parsed;
}

test('live refresh: loss_log.txt and printed logs parse only appended bytes and equal a whole read', async () => {
  let log = header('a');
  const pieces = [log];
  for (let e = 1; e <= 4; e++) {
    let chunk = '';
    for (const it of [100, 200, 300]) chunk += junyanzLine(e, it, { G_GAN: e, G_L1: 4, D_real: 0.1, D_fake: 0.2 });
    pieces.push(chunk.slice(0, 37), chunk.slice(37));
    log += chunk;
  }
  pieces.push(header('b'), junyanzLine(2, 100, { G_GAN: 9, G_L1: 4, D_real: 0.1, D_fake: 0.2 }));
  const parsed = await appendsEqualWholeRead('loss_log.txt', pieces);
  assert.ok(parsed < 2 * pieces.join('').length, `parsed ${parsed} bytes for ${pieces.join('').length}`);

  const printed: string[] = ['Starting Training Loop...\n'];
  for (let i = 0; i < 12; i++) printed.push(dcganLine(0, 1, i * 10, 200, 1, 2).slice(0, 20), dcganLine(0, 1, i * 10, 200, 1, 2).slice(20));
  await appendsEqualWholeRead('train.log', printed);
});

test('fuzz: damaged loss_log.txt and printed logs never throw anything but a named ReadFailure, and cut pieces read as the whole', () => {
  const line = fc.oneof(
    fc
      .record({ e: fc.integer({ min: 0, max: 5 }), i: fc.integer({ min: 0, max: 500 }), v: fc.double({ noNaN: false }) })
      .map(({ e, i, v }) => `(epoch: ${e}, iters: ${i}, time: 0.1, data: 0.2) G_GAN: ${v} D_real: 0.5 `),
    fc
      .record({ e: fc.integer({ min: 0, max: 5 }), i: fc.integer({ min: 0, max: 500 }), v: fc.double() })
      .map(({ e, i, v }) => `[${e}/5][${i}/500]\tLoss_D: ${v}\tLoss_G: 1.0\tD(x): 0.5\tD(G(z)): 0.5 / 0.4`),
    fc.string(),
    fc.constant(header('x').trimEnd()),
    fc.record({ t: fc.nat(), v: fc.double(), s: fc.integer({ min: -5, max: 500 }) }).map(({ t, v, s }) => `${1700000000000 + t} ${v} ${s}`),
  );
  fc.assert(
    fc.property(fc.array(line, { maxLength: 40 }), fc.constantFrom('\n', '\r\n', '\r'), fc.nat(), (lines, eol, cut) => {
      const text = lines.join(eol);
      for (const [name, make] of [
        ['loss_log.txt', newJunyanzReader],
        ['train.log', newPrintedReader],
        ['metrics/d_loss', newMlflowReader],
      ] as const) {
        let whole: { series: RawSeries[]; report: SkipReport } | string;
        try {
          const r = make(name);
          const report: SkipReport = { skipped: null };
          whole = { series: r.series(text.slice(r.push(text)), false, report), report };
        } catch (e) {
          assert.match((e as Error).message, new RegExp(`^${name.replace('.', '\\.')}: `));
          whole = (e as Error).message;
        }
        // The same text pushed in two pieces (as a live refresh sees it, with a look at the first
        // piece's series in between) reads the same, its skipped lines told the same (#19's report).
        const at = text.length ? cut % text.length : 0;
        const r = make(name);
        const first = r.push(text.slice(0, at));
        try {
          r.series(text.slice(first, at), true, { skipped: null });
        } catch {
          // Nothing readable yet: the whole read says what it says.
        }
        let pieces: { series: RawSeries[]; report: SkipReport } | string;
        try {
          const rest = text.slice(first);
          const report: SkipReport = { skipped: null };
          pieces = { series: r.series(rest.slice(r.push(rest)), true, report), report };
        } catch (e) {
          pieces = (e as Error).message;
        }
        assert.deepEqual(pieces, whole);
      }
    }),
    { numRuns: 300 },
  );
});

test("skipped damaged lines reach the run as one SkippedRecords error per file (#19's channel), through a whole read and the append cache alike; a printed log inspects alone", async () => {
  const dir = path.join(tmp, 'skipped');
  mkdirSync(dir, { recursive: true });
  let text = header('x');
  for (let e = 1; e <= 3; e++) text += junyanzLine(e, 100, { G_GAN: 1, D_real: 0.5, D_fake: 0.5 });
  text += '(epoch: 4, iters: 100, time: 0.1, data: 0.1) G_GAN: 1.0 D_real: ##### D_fake: 0.5 \n';
  text += junyanzLine(4, 200, { G_GAN: 1, D_real: 0.5, D_fake: 0.5 });
  writeFileSync(path.join(dir, 'loss_log.txt'), text);
  const loc = { root: dir, name: 'skipped', lossFiles: ['loss_log.txt'], sampleFiles: [] };
  const expected = ['loss_log.txt: skipped 1 damaged record at line 5 (not an "(epoch: …, iters: …)" loss line)'];
  const whole = await loadRun(loc);
  assert.deepEqual(
    whole.errors.map((e) => e.message),
    expected,
  );
  assert.deepEqual(whole.errors[0]!.skipped, { count: 1, first: { line: 5 }, reason: 'not an "(epoch: …, iters: …)" loss line' });
  const cache = new AppendCache();
  assert.deepEqual(
    (await loadRun(loc, { appendCache: cache })).errors.map((e) => e.message),
    expected,
  );
  appendFileSync(path.join(dir, 'loss_log.txt'), junyanzLine(5, 100, { G_GAN: 1, D_real: 0.5, D_fake: 0.5 }));
  const again = await loadRun(loc, { appendCache: cache });
  assert.equal(cache.lastRead(path.join(dir, 'loss_log.txt'))?.incremental, true);
  assert.deepEqual(
    again.errors.map((e) => e.message),
    expected,
  );

  let printed = 'Starting Training Loop...\n';
  for (let i = 0; i < 10; i++) printed += dcganLine(0, 1, i, 10, 1, 2);
  writeFileSync(path.join(dir, 'nohup.out'), printed);
  const { inspectPaths } = await import('../../../../src/core/inspect');
  const { inspections, problems } = await inspectPaths([path.join(dir, 'nohup.out')]);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    inspections[0]!.run.series
      .filter((s) => s.role !== 'other')
      .map((s) => s.name)
      .sort(),
    ['Loss_D', 'Loss_G'],
  );
  assert.equal(inspections[0]!.run.stepUnit, 'iteration');
});

test('StyleGAN2 (TF) metric-fid50k.txt: one line per snapshot, on the snapshot kimg, as Metrics/<name>', () => {
  // metric_base.py: '%-30s' % network_name + ' time %-12s' % format_time(t) + ' fid50k ' + '%-10.4f' % value
  const line = (kimg: number, time: string, fields: string) =>
    `${`network-snapshot-${String(kimg).padStart(6, '0')}`.padEnd(30)} time ${time.padEnd(12)} ${fields}\n`;
  const text = line(0, '3m 21s', 'fid50k 418.1234  ') + line(1000, '1h 02m 03s', 'fid50k 35.0012  ') + line(2000, '3m 20s', 'fid50k 28.8000  ');
  assert.equal(lossFileKind('metric-fid50k.txt'), 'printed');
  const s = readLossFile('metric-fid50k.txt', enc(text));
  assert.deepEqual(
    s.map((x) => x.name),
    ['Metrics/fid50k'],
  );
  assert.deepEqual([...s[0]!.steps], [0, 1000, 2000]);
  assert.deepEqual([...s[0]!.values], [418.1234, 35.0012, 28.8]);
  const pr = readLossFile('metric-pr50k3.txt', enc(line(400, '5m 02s', 'pr50k3_precision 0.6512     pr50k3_recall 0.4021  ')));
  assert.deepEqual(
    pr.map((x) => x.name),
    ['Metrics/pr50k3_precision', 'Metrics/pr50k3_recall'],
  );
});

test('pytorch/examples dcgan: fake_samples_epoch_NNN.png line up with a printed log on its iteration axis', async () => {
  const dir = path.join(tmp, 'dcgan-example');
  mkdirSync(dir, { recursive: true });
  let log = '';
  for (let e = 0; e < 3; e++) for (let i = 0; i < 50; i += 10) log += `[${e}/3][${i}/50] Loss_D: 1.0 Loss_G: 2.0 D(x): 0.5 D(G(z)): 0.4 / 0.3\n`;
  writeFileSync(path.join(dir, 'train.log'), log);
  for (const e of [0, 1, 2]) writeFileSync(path.join(dir, `fake_samples_epoch_${String(e).padStart(3, '0')}.png`), '');
  writeFileSync(path.join(dir, 'real_samples.png'), '');
  const [loc] = await discoverRuns(dir);
  const run = await loadRun(loc!);
  assert.equal(run.stepUnit, 'iteration');
  assert.deepEqual(
    run.samples.map((x) => x.step),
    [49, 99, 149],
  );
  assert.equal(run.series.find((s) => s.name === 'Loss_D')!.steps.at(-1), 140);
  assert.deepEqual(run.references, [{ step: null, path: 'real_samples.png' }]);
});

test("a loss_log.txt that is not junyanz's but a printed log is read as one", () => {
  let text = 'Namespace(lr=0.0002)\n';
  for (let i = 0; i < 5; i++) text += `epoch 0 iter ${i * 10} D loss: 0.${5 + i} G loss: 1.${i}\n`;
  const s = byName(readLossFile('loss_log.txt', enc(text)));
  assert.deepEqual(Object.keys(s), ['D loss', 'G loss']);
  assert.deepEqual([...s['D loss']!.steps], [0, 10, 20, 30, 40]);
});
