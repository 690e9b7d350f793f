// Three ways scripts save losses that no codebase named, written here as the scripts write them
// (python3: json.dump, np.savez / np.savez_compressed, BigGAN-PyTorch's MyLogger lines):
// a JSON dict of lists (Keras' history too), a list of records, Sacred's metrics.json; `.npz`
// archives of loss arrays (a dataset archive is no run); per-key `<step>: <value>` logs, whose D
// halves in two files are judged as one D. Settings files are never loss files.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { selectFormat } from '../../../../src/core/formats';
import { discoverRuns } from '../../../../src/core/discover';
import { inspectPaths } from '../../../../src/core/inspect';
import type { Series } from '../../../../src/core/model';

let root = '';
const PY = `
import json, math, os, sys, numpy as np
root = sys.argv[1]
def d(*p):
    os.makedirs(os.path.join(root, *p), exist_ok=True); return os.path.join(root, *p)
n = 300
D = [0.69 + 0.05 * math.sin(i / 7) for i in range(n)]
G = [0.8 + 0.1 * math.cos(i / 9) for i in range(n)]
G[200] = float('nan')
json.dump({'D_losses': D, 'G_losses': G}, open(os.path.join(d('dict'), 'losses.json'), 'w'))
json.dump({'epoch': list(range(1, 31)), 'd_loss': D[:30], 'g_loss': G[:30], 'd_acc': [0.5] * 30}, open(os.path.join(d('keras'), 'history.json'), 'w'))
json.dump([{'epoch': e, 'D_loss': D[e], 'G_loss': G[e]} for e in range(40)], open(os.path.join(d('records'), 'train_log.json'), 'w'), indent=2)
stamp = '2024-01-01T00:00:00.000000'
json.dump({k: {'steps': list(range(0, 1000, 10)), 'values': v[:100], 'timestamps': [stamp] * 100} for k, v in (('d_loss', D), ('g_loss', G))}, open(os.path.join(d('sacred', 'runs', '1'), 'metrics.json'), 'w'))
json.dump({'lr': 0.0002, 'betas': [0.5, 0.999], 'seed': 1}, open(os.path.join(d('sacred', 'runs', '1'), 'config.json'), 'w'))
np.savez(os.path.join(d('npz'), 'losses.npz'), d_loss=np.array(D), g_loss=np.array(G))
np.savez_compressed(os.path.join(d('npzc'), 'train_history.npz'), d_loss=np.array(D, dtype=np.float32), g_loss=np.array(G, dtype=np.float32))
np.savez(os.path.join(d('npzimg'), 'gan_out.npz'), d_loss=np.array(D), samples=np.zeros((16, 28, 28)))
np.savez(os.path.join(d('npzpos'), 'losses.npz'), np.array(D), np.array(G))
np.savez(os.path.join(d('data'), 'mnist.npz'), x_train=np.zeros((100, 28, 28), dtype=np.uint8), y_train=np.arange(100) % 10)
# BigGAN-PyTorch utils.MyLogger: logs/<experiment>/<key>.log, '%d: %s\\n' % (itr, '%3.3e' % value);
# resumed from the checkpoint at itr 500 after running to 600.
logs = d('biggan', 'logs', 'BigGAN_C10_seed0')
for key, base in (('G_loss', 1.0), ('D_loss_real', 0.4), ('D_loss_fake', 0.6)):
    with open(os.path.join(logs, key + '.log'), 'a') as f:
        for itr in list(range(50, 601, 50)) + list(range(550, 1001, 50)):
            f.write('%d: %s\\n' % (itr, '%3.3e' % (base + itr / 1e4)))
`;

before(() => {
  root = mkdtempSync(path.join(tmpdir(), 'gan-json-npz-keyed-'));
  execFileSync('python3', ['-c', PY, root]);
});
after(() => rmSync(root, { recursive: true, force: true }));

async function only(dir: string) {
  const { inspections, problems } = await inspectPaths([path.join(root, dir)]);
  assert.deepEqual(problems, [], dir);
  assert.equal(inspections.length, 1, dir);
  return inspections[0]!.run;
}
const byRole = (series: Series[], role: Series['role']) => series.filter((s) => s.role === role).map((s) => s.name);

test("a JSON dict of lists (json.dump of the scripts' loss lists): D and G, NaN kept as NaN", async () => {
  const run = await only('dict');
  assert.deepEqual(byRole(run.series, 'discriminator'), ['D_losses']);
  assert.deepEqual(byRole(run.series, 'generator'), ['G_losses']);
  const g = run.series.find((s) => s.name === 'G_losses')!;
  assert.equal(g.values.length, 300);
  assert.ok(Number.isNaN(g.values[200]!));
  assert.equal(g.steps[299], 299);
});

test("Keras' history.json: an epoch list is the axis, never a series; a list of records reads as JSON lines do", async () => {
  const keras = await only('keras');
  assert.deepEqual(keras.series.map((s) => s.name).sort(), ['d_acc', 'd_loss', 'g_loss']);
  assert.deepEqual([...keras.series.find((s) => s.name === 'd_loss')!.steps.slice(0, 3)], [1, 2, 3]);
  const records = await only('records');
  assert.deepEqual(byRole(records.series, 'discriminator'), ['D_loss']);
  assert.equal(records.series.find((s) => s.name === 'G_loss')!.values.length, 40);
});

test("Sacred's metrics.json: each metric on its own steps; its config.json is no loss file", async () => {
  const run = await only('sacred');
  const d = run.series.find((s) => s.name === 'd_loss')!;
  assert.equal(d.role, 'discriminator');
  assert.deepEqual([d.steps[0], d.steps[99]], [0, 990]);
  assert.ok(!run.series.some((s) => s.source.endsWith('config.json')));
  assert.equal(selectFormat('config.json', readFileSync(path.join(root, 'sacred', 'runs', '1', 'config.json'))), null);
});

test('settings and data JSON are never loss files', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  assert.equal(selectFormat('settings.json', enc('{"editor.fontSize": 14, "betas": [0.5, 0.999]}')), null);
  assert.equal(selectFormat('package.json', enc('{"name": "x", "loss": [1, 2]}')), null);
  assert.equal(selectFormat('points.json', enc('[{"x": 1, "y": 2}, {"x": 2, "y": 3}]')), null);
  assert.equal(selectFormat('losses.json', enc('{"D_losses": [0.7, 0.6]}'))?.id, 'json');
});

test('.npz archives: stored and compressed, named by their keys; an image array beside the losses is left out', async () => {
  for (const dir of ['npz', 'npzc']) {
    const run = await only(dir);
    assert.deepEqual(byRole(run.series, 'discriminator'), ['d_loss'], dir);
    assert.deepEqual(byRole(run.series, 'generator'), ['g_loss'], dir);
    assert.equal(run.series.find((s) => s.name === 'd_loss')!.values.length, 300);
  }
  const withImages = await only('npzimg');
  assert.deepEqual(
    withImages.series.map((s) => s.name),
    ['d_loss'],
  );
  // Saved without keywords (arr_0, arr_1): read, but nothing says which is D or G.
  const positional = await only('npzpos');
  assert.deepEqual(positional.series.map((s) => `${s.name}:${s.role}`).sort(), ['arr_0:other', 'arr_1:other']);
});

test('a dataset archive (mnist.npz) is no run, and a damaged archive is one line naming it', async () => {
  assert.deepEqual(await discoverRuns(path.join(root, 'data')), []);
  const broken = path.join(root, 'broken');
  execFileSync('mkdir', ['-p', broken]);
  const bytes = readFileSync(path.join(root, 'npz', 'losses.npz'));
  writeFileSync(path.join(broken, 'losses.npz'), bytes.subarray(0, bytes.length - 200));
  const { inspections } = await inspectPaths([broken]);
  const errors = inspections.flatMap((i) => i.run.errors.map((e) => e.message));
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.match(errors[0]!, /^losses\.npz: /);
  assert.doesNotMatch(errors[0]!, /\n/);
});

test("BigGAN's per-key logs: one series per file on its iterations, the resumed launch kept, D judged from its halves in two files", async () => {
  const run = await only('biggan');
  const g = run.series.find((s) => s.role === 'generator')!;
  assert.equal(g.name, 'G_loss');
  assert.equal(g.values.length, 20, 'itr 50–500 of the first launch, 550–1000 of the resumed one');
  assert.deepEqual([g.steps[0], g.steps[9], g.steps[10], g.steps[19]], [50, 500, 550, 1000]);
  const d = run.series.find((s) => s.role === 'discriminator')!;
  assert.equal(d.name, '(D_loss_real + D_loss_fake) / 2');
  assert.ok(Math.abs(d.values[0]! - (0.405 + 0.605) / 2) < 1e-3, String(d.values[0]));
  assert.equal(run.formulation.dTerms, 'mean');
});
