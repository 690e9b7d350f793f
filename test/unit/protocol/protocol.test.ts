import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { isSafeFileName, isSafeRelativePath, validateFromWebview, type FieldChecks } from '../../../src/protocol';
import { runSummary } from '../../../src/chart/runSummary';
import { PanelSeries, MAX_MESSAGE_BYTES, resolveInsideRun } from '../../../src/extension/inspector/data';
import { viewBytes } from '../../../src/chart/decimate';
import type { Run } from '../../../src/core/model';
import { formulationOf } from '../../../src/core/formulation';

const goodBody = { seriesIds: ['run0/0', 'run0/1'], start: 0, end: 100, width: 800, smoothing: 0.6 };
const goodView = { type: 'request', id: 3, op: 'view', body: goodBody };
/** A view request whose body is changed by `change`. */
const viewWith = (change: Record<string, unknown>) => ({ ...goodView, body: { ...goodBody, ...change } });

test('accepts each well-formed message', () => {
  assert.deepEqual(validateFromWebview({ type: 'ready' }), { type: 'ready' });
  assert.ok(validateFromWebview(goodView));
  assert.ok(validateFromWebview({ type: 'cancel', id: 3 }));
  assert.ok(validateFromWebview({ type: 'openSample', runId: 'run0', path: 'image/400.png' }));
  assert.ok(validateFromWebview({ type: 'export', name: 'losses.csv', data: 'step,raw\n' }));
  assert.ok(validateFromWebview({ type: 'export', name: 'chart.png', data: new Uint8Array([137, 80]).buffer }));
  assert.deepEqual(validateFromWebview({ type: 'painted', points: 7996 }), { type: 'painted', points: 7996 });
  assert.ok(validateFromWebview({ type: 'painted', points: 0 }));
  assert.ok(validateFromWebview({ type: 'showingSample', runId: 'run0', path: 'fakes000400.png' }));
});

test('a message field without its check, or a check for no field, does not compile (npm test type-checks this file)', () => {
  type Message = { type: 'zoom'; start: number; end: number };
  const ok = (v: unknown) => typeof v === 'number';
  const checks: FieldChecks<Message> = { start: ok, end: ok };
  // @ts-expect-error `end` has no check
  const missing: FieldChecks<Message> = { start: ok };
  // @ts-expect-error `width` is no field of the message
  const extra: FieldChecks<Message> = { start: ok, end: ok, width: ok };
  assert.deepEqual(Object.keys(checks), ['start', 'end']);
  assert.equal(Object.keys(missing).length + Object.keys(extra).length, 4);
});

test('refuses forged or malformed messages', () => {
  const forged: unknown[] = [
    null,
    undefined,
    42,
    'ready',
    [],
    { type: 'eval', code: 'process.exit()' },
    { type: '__proto__' },
    { type: 'toString' },
    { type: 'ready', extra: 1 },
    { ...goodView, id: -1 },
    { ...goodView, id: 1.5 },
    { ...goodView, op: 'inspect' },
    { ...goodView, op: '__proto__' },
    { ...goodView, body: null },
    { ...goodView, body: [] },
    { ...goodView, evil: true },
    (() => {
      const { body: _, ...rest } = goodView;
      return rest;
    })(),
    viewWith({ seriesIds: 'run0/0' }),
    viewWith({ seriesIds: [1, 2] }),
    viewWith({ seriesIds: Array.from({ length: 65 }, (_, i) => `s${i}`) }),
    viewWith({ start: Number.NaN }),
    viewWith({ end: Infinity }),
    viewWith({ start: 10, end: 5 }),
    viewWith({ width: 0 }),
    viewWith({ width: 1e9 }),
    viewWith({ width: '800' }),
    viewWith({ smoothing: 1 }),
    viewWith({ smoothing: -0.1 }),
    viewWith({ evil: true }),
    (() => {
      const { width: _, ...rest } = goodBody;
      return { ...goodView, body: rest };
    })(),
    // The view request as it was before the one RPC: no host takes it any more.
    { type: 'requestView', requestId: 3, ...goodBody },
    { type: 'cancel' },
    { type: 'cancel', id: -1 },
    { type: 'cancel', id: 3, op: 'view' },
    // No host acted on it, so the webview no longer sends it and the hosts no longer take it.
    { type: 'selectStep', step: 1200 },
    { type: 'openSample', runId: 'run0', path: '../../etc/passwd' },
    { type: 'openSample', runId: 'run0', path: 'image/../../secret.png' },
    { type: 'openSample', runId: 'run0', path: '/etc/passwd' },
    { type: 'openSample', runId: 'run0', path: 'C:/Windows/win.ini' },
    { type: 'openSample', runId: 'run0', path: 'image\\..\\..\\x.png' },
    { type: 'openSample', runId: 'run0', path: 'image//x.png' },
    { type: 'openSample', runId: 'run0', path: 'a\u0000b.png' },
    { type: 'openSample', runId: '', path: 'image/0.png' },
    { type: 'export', name: '../evil.sh', data: 'x' },
    { type: 'export', name: 'dir/evil.sh', data: 'x' },
    { type: 'export', name: '..', data: 'x' },
    { type: 'export', name: 'ok.csv', data: { length: 3 } },
    { type: 'export', name: 'ok.csv', data: [1, 2, 3] },
    { type: 'showingSample', runId: 'run0', path: '../x.png' },
    { type: 'showingSample', runId: 'run0' },
    { type: 'showingSample', runId: 'run0', path: 'x.png', uri: 'file:///etc/passwd' },
    { type: 'painted' },
    { type: 'painted', points: -1 },
    { type: 'painted', points: 1.5 },
    { type: 'painted', points: Number.NaN },
    { type: 'painted', points: Infinity },
    { type: 'painted', points: 2 ** 60 },
    { type: 'painted', points: '4000' },
    { type: 'painted', points: 4000, ms: 12 },
  ];
  for (const msg of forged) assert.equal(validateFromWebview(msg), null, `accepted ${JSON.stringify(msg)}`);
  assert.equal(isSafeRelativePath('image/0.png'), true);
  assert.equal(isSafeFileName('run-losses.csv'), true);
  assert.equal(isSafeFileName('a:b'), false);
});

test('an inherited or prototype-polluted field does not count', () => {
  const msg = Object.create({ runId: 'run0', path: 'image/400.png' });
  msg.type = 'openSample';
  assert.equal(validateFromWebview(msg), null);
});

test('paths must resolve inside the run, symlinks included', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gan-protocol-'));
  try {
    const root = path.join(dir, 'run');
    await mkdir(path.join(root, 'image'), { recursive: true });
    await writeFile(path.join(root, 'image', '0.png'), 'png');
    await writeFile(path.join(dir, 'secret.txt'), 'secret');
    await symlink(path.join(dir, 'secret.txt'), path.join(root, 'image', 'link.png'));
    assert.equal(await resolveInsideRun(root, 'image/0.png'), path.join(await import('node:fs/promises').then((f) => f.realpath(root)), 'image', '0.png'));
    assert.equal(await resolveInsideRun(root, 'image/link.png'), null, 'a symlink out of the run is refused');
    assert.equal(await resolveInsideRun(root, '../secret.txt'), null);
    assert.equal(await resolveInsideRun(root, 'image/missing.png'), null);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

function bigRun(n: number): Run {
  const steps = new Float64Array(n);
  const d = new Float64Array(n);
  const g = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    steps[i] = i;
    d[i] = 0.7 + Math.sin(i) * 0.1;
    g[i] = 1 + ((i * 7919) % 101) / 50;
  }
  g[n >> 1] = Number.NaN;
  return {
    root: '/tmp/none',
    name: 'big',
    series: [
      { name: 'd', role: 'discriminator', source: 'd.npy', column: null, steps, values: d },
      { name: 'g', role: 'generator', source: 'g.npy', column: null, steps, values: g },
    ],
    samples: [{ step: 0, path: 'image/0.png' }],
    errors: [],
    config: {},
    formulation: formulationOf('bce'),
  };
}

test('views of a 2,000,000-step run stay under 1 MB per message and come from the cache', () => {
  const run = bigRun(2_000_000);
  const data = new PanelSeries([{ runId: 'run0', inspection: { run, findings: [], diversity: [] } }]);
  const req = { seriesIds: ['run0/0', 'run0/1', 'run0/9'], start: 0, end: 1_999_999, width: 8192, smoothing: 0.6 };
  const view = data.view(req);
  assert.equal(view.series.length, 2, 'unknown ids are left out');
  const bytes = viewBytes(view.series);
  assert.ok(bytes <= MAX_MESSAGE_BYTES, `${bytes} bytes`);
  assert.ok(new Float64Array(view.series[1]!.gaps).length === 2, 'the NaN is a gap');
  const again = data.view({ ...req });
  assert.equal(again.series[0], view.series[0], 'same zoom level → cached payload');
  const zoomed = data.view({ ...req, start: 1000, end: 1100, width: 800 });
  assert.equal(zoomed.series[0]!.exact, true);
  assert.equal(zoomed.series[0]!.total, 101);
});

test('a live refresh: the new data takes over the smoothing of a run that only grew, and never of one rewritten', async () => {
  const grownFrom = (run: Run, extra: number, change?: number): Run => ({
    ...run,
    series: run.series.map((x) => {
      const n = x.values.length;
      const steps = new Float64Array(n + extra);
      const values = new Float64Array(n + extra);
      steps.set(x.steps);
      values.set(x.values);
      for (let i = n; i < n + extra; i++) [steps[i], values[i]] = [i, 0.69 + Math.cos(i) / 10];
      if (change !== undefined) values[change]! += 1e-9;
      return { ...x, steps, values };
    }),
  });
  const req = { seriesIds: ['run0/0', 'run0/1'], start: 0, end: 2_099_999, width: 1200, smoothing: 0.6 };
  const viewOf = (data: PanelSeries) => data.view(req).series.map((v) => [...new Float64Array(v.smoothed)]);
  const first = bigRun(2_000_000);
  const before = new PanelSeries([{ runId: 'run0', inspection: { run: first, findings: [], diversity: [] } }]);
  await before.prewarmInSlices(0.6);
  for (const [what, run, carried] of [
    ['grown', grownFrom(first, 100_000), true],
    ['rewritten early on', grownFrom(first, 100_000, 5), false],
  ] as const) {
    const after = new PanelSeries([{ runId: 'run0', inspection: { run, findings: [], diversity: [] } }], before);
    // Carried over = smoothed already, before any view asks (the cache's own map, read as a test may).
    const known = [...(after as unknown as { cache: { smoothedBy: Map<string, unknown> } }).cache.smoothedBy.keys()];
    assert.equal(known.length === 2 && known.every((k) => k.endsWith('@0.6')), carried, `${what}: ${known.join(', ') || 'nothing carried'}`);
    const fresh = new PanelSeries([{ runId: 'run0', inspection: { run, findings: [], diversity: [] } }]);
    assert.deepEqual(viewOf(after), viewOf(fresh), `${what}: the views are those of a fresh smoothing`);
  }
});

test('runSummary gives the webview names, roles, ranges and sample URIs, not the numbers', () => {
  const run = bigRun(1000);
  const s = runSummary({ run, findings: [], diversity: [] }, 'run0', (rel) => `https://example.invalid/${rel}`);
  assert.equal(s.series[0]!.id, 'run0/0');
  assert.equal(s.series[1]!.stats.nonFinite, 1);
  assert.equal(s.series[0]!.lastStep, 999);
  assert.equal(s.samples[0]!.uri, 'https://example.invalid/image/0.png');
  assert.ok(!('values' in s.series[0]!));
});
