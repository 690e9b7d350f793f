import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { SkipReport } from '../../../../src/core/formats/skipped';
import type { RawSeries } from '../../../../src/core/model';
import { readCsvSeries } from '../../../../src/core/formats/csv';
import { parseCsv } from '../../../../src/core/formats/csvRows';
import { readJsonlSeries } from '../../../../src/core/formats/jsonl';
import { readChainerLog } from '../../../../src/core/formats/chainer';
import { ReadFailure, lossFileKind, readLossFile } from '../../../../src/core/formats';

const bytes = (text: string) => new TextEncoder().encode(text);
const byName = (series: RawSeries[], name: string) => {
  const s = series.find((x) => x.name === name);
  assert.ok(s, `series ${name} in ${series.map((x) => x.name).join(', ')}`);
  return { steps: Array.from(s.steps), values: Array.from(s.values), column: s.column };
};
/** Asserts a ReadFailure whose one-line message matches. */
const refuses = (fn: () => unknown, message: RegExp) =>
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ReadFailure, `ReadFailure, got ${String(e)}`);
    assert.match(e.message, message);
    assert.ok(!e.message.includes('\n'), 'one line');
    return true;
  });

function python(script: string, cwd: string): void {
  execFileSync('python3', ['-c', script], { cwd, stdio: 'pipe' });
}
const hasNumpy = (() => {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();

// ── CSV ──────────────────────────────────────────────────────────────────────────────────────────

test('csv: step,d_loss,g_loss gives two series on the step column, with column indices', () => {
  const series = readCsvSeries(bytes('step,d_loss,g_loss\n0,0.69,0.73\n1,0.62,0.74\n2,0.57,0.75\n'), 'logs/metrics.csv');
  assert.deepEqual(
    series.map((s) => s.name),
    ['d_loss', 'g_loss'],
  );
  assert.deepEqual(byName(series, 'd_loss'), { steps: [0, 1, 2], values: [0.69, 0.62, 0.57], column: 1 });
  assert.deepEqual(byName(series, 'g_loss').column, 2);
});

test('csv: sparse Lightning metrics.csv keeps each series to its own rows; epoch is not a series', () => {
  const text = [
    'epoch,step,train/d_loss,train/g_loss,val/fid',
    '0,49,0.69,0.72,',
    '0,99,0.65,0.80,',
    '0,99,,,120.5',
    '1,149,0.60,0.90,',
    '1,199,0.58,0.95,',
    '1,199,,,98.1',
  ].join('\n');
  const series = readCsvSeries(bytes(text), 'lightning_logs/version_0/metrics.csv');
  assert.deepEqual(
    series.map((s) => s.name),
    ['train/d_loss', 'train/g_loss', 'val/fid'],
  );
  assert.deepEqual(byName(series, 'train/d_loss'), { steps: [49, 99, 149, 199], values: [0.69, 0.65, 0.6, 0.58], column: 2 });
  assert.deepEqual(byName(series, 'val/fid'), { steps: [99, 199], values: [120.5, 98.1], column: 4 });
});

test('csv: quoted headers and fields (RFC 4180: delimiters, doubled quotes, line breaks)', () => {
  const text = 'iteration,"D loss ""real""","G, loss",note\n' + '10,0.5,"0.7","first\nline, with comma"\n' + '20,0.4,0.8,"said ""hi"""\n';
  const series = readCsvSeries(bytes(text), 'losses.csv');
  assert.deepEqual(
    series.map((s) => s.name),
    ['D loss "real"', 'G, loss'],
  );
  assert.deepEqual(byName(series, 'G, loss').steps, [10, 20]);
  assert.deepEqual(byName(series, 'G, loss').values, [0.7, 0.8]);
  assert.deepEqual(parseCsv('a,"b\r\nc",d\r\ne,"",\r\n\r\n"x""y"', ',', 't.csv'), [['a', 'b\r\nc', 'd'], ['e', '', ''], ['x"y']]);
});

test('csv: nan, inf, -inf, NaN and PyTorch tensor(...) cells are data', () => {
  const text = 'step,d_loss,g_loss\n0,0.5,0.7\n1,nan,inf\n2,NaN,-inf\n3,-nan,Infinity\n4,"tensor(0.25, device=\'cuda:0\', grad_fn=<AddBackward0>)",1e-3\n';
  const series = readCsvSeries(bytes(text), 'losses.csv');
  const d = byName(series, 'd_loss').values;
  assert.equal(d.length, 5);
  assert.ok(Number.isNaN(d[1]) && Number.isNaN(d[2]) && Number.isNaN(d[3]));
  assert.equal(d[4], 0.25);
  assert.deepEqual(byName(series, 'g_loss').values, [0.7, Infinity, -Infinity, Infinity, 0.001]);
});

test('csv: a UTF-8 BOM and CRLF line ends do not leak into names or values', () => {
  const body = bytes('step,d_loss\r\n0,1.5\r\n1,2.5\r\n');
  const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...body]);
  const series = readCsvSeries(withBom, 'losses.csv');
  assert.deepEqual(
    series.map((s) => s.name),
    ['d_loss'],
  );
  assert.deepEqual(byName(series, 'd_loss'), { steps: [0, 1], values: [1.5, 2.5], column: 1 });
  // Excel's "Unicode text" is UTF-16LE with a BOM.
  const utf16 = new Uint8Array(Buffer.from('\ufeffstep,d_loss\r\n0,1.5\r\n', 'utf16le'));
  assert.deepEqual(byName(readCsvSeries(utf16, 'losses.csv'), 'd_loss'), { steps: [0], values: [1.5], column: 1 });
});

test('csv: pandas index column, Keras epoch column, no step column, tab-separated', () => {
  const pandas = readCsvSeries(bytes(',d_loss,g_loss\n0,0.1,0.2\n1,0.3,0.4\n'), 'losses.csv');
  assert.deepEqual(
    pandas.map((s) => s.name),
    ['d_loss', 'g_loss'],
  );
  assert.deepEqual(byName(pandas, 'g_loss').steps, [0, 1]);
  const keras = readCsvSeries(bytes('epoch,d_loss,g_loss,time\n1,0.6,0.9,12.5\n2,0.5,1.0,25.1\n'), 'training.log.csv');
  assert.deepEqual(
    keras.map((s) => s.name),
    ['d_loss', 'g_loss'],
  );
  assert.deepEqual(byName(keras, 'd_loss').steps, [1, 2]);
  const plain = readCsvSeries(bytes('d_loss,g_loss\n0.6,0.9\n0.5,1.0\n0.4,1.1'), 'losses.csv');
  assert.deepEqual(byName(plain, 'g_loss'), { steps: [0, 1, 2], values: [0.9, 1.0, 1.1], column: 1 });
  const tabs = readCsvSeries(bytes('step\tloss_D\n5\t0.3\n6\t0.2\n'), 'losses.csv');
  assert.deepEqual(byName(tabs, 'loss_D').steps, [5, 6]);
});

test('csv: rows appended by a resumed run are sorted by step', () => {
  const series = readCsvSeries(bytes('step,d_loss\n0,1\n10,2\n20,3\n10,4\n20,5\n'), 'losses.csv');
  assert.deepEqual(byName(series, 'd_loss'), { steps: [0, 10, 10, 20, 20], values: [1, 2, 4, 3, 5], column: 1 });
});

test('csv: refusals name the file and the reason', () => {
  refuses(() => readCsvSeries(bytes(''), 'a.csv'), /^a\.csv: the file is empty$/);
  refuses(() => readCsvSeries(bytes('step,d_loss\n'), 'c.csv'), /^c\.csv: a header but no data rows$/);
  refuses(() => readCsvSeries(bytes('name,comment\nrun1,good\n'), 'd.csv'), /^d\.csv: no numeric column/);
  refuses(() => readCsvSeries(bytes('step,time\n0,1.5\n'), 'e.csv'), /^e\.csv: no numeric column/);
  // A quote never closed is a damaged row (skipped, see damaged-records.test.ts); with no other row there is nothing to read.
  refuses(() => readCsvSeries(bytes('step,d_loss\n0,"0.5\n'), 'f.csv'), /^f\.csv: line 2: a quoted cell is never closed$/);
  refuses(() => readCsvSeries(bytes('"step,d_loss\n0,0.5\n'), 'h.csv'), /^h\.csv: the quoted field starting on line 1 is never closed$/);
  refuses(() => readCsvSeries(new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0, 1, 2]), 'g.csv'), /^g\.csv: not a text file/);
});

test('csv without a header (#23): read, its columns numbered after the file, none called D or G; a rising whole first column is the step', () => {
  const plain = readCsvSeries(bytes('0.5,0.7\n0.4,0.8\n'), 'b.csv');
  assert.deepEqual(
    plain.map((s) => [s.name, s.column, [...s.steps], [...s.values]]),
    [
      ['b[0]', 0, [0, 1], [0.5, 0.4]],
      ['b[1]', 1, [0, 1], [0.7, 0.8]],
    ],
  );
  const stepped = readCsvSeries(bytes('10,0.5,0.7\n20,0.4,0.8\n30,0.3,0.9\n'), 'losses.csv');
  assert.deepEqual(
    stepped.map((s) => [s.name, [...s.steps], [...s.values]]),
    [
      ['losses[1]', [10, 20, 30], [0.5, 0.4, 0.3]],
      ['losses[2]', [10, 20, 30], [0.7, 0.8, 0.9]],
    ],
  );
  // A line of text among the rows is a damaged row, skipped and told (#19's channel).
  const report: SkipReport = { skipped: null };
  assert.deepEqual(readCsvSeries(bytes('0.5,0.7\nnot,numbers\n0.4,0.8\n'), 'c.csv', report)[0]!.values, Float64Array.from([0.5, 0.4]));
  assert.deepEqual(report.skipped, { count: 1, first: { line: 2 }, reason: 'not a row of numbers' });
});

test('csv: any table written with RFC 4180 quoting parses back to the same cells', () => {
  const cell = fc.string({ unit: fc.constantFrom('a', 'b', '1', '.', ',', '"', '\n', '\r', ' ', 'é', '\t') });
  const table = fc.array(fc.array(cell, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 8 });
  fc.assert(
    fc.property(table, fc.constantFrom('\n', '\r\n'), (rows, eol) => {
      const text = rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join(eol);
      assert.deepEqual(parseCsv(text, ',', 'p.csv'), rows);
    }),
    { numRuns: 300 },
  );
});

// ── JSON lines ───────────────────────────────────────────────────────────────────────────────────

test('jsonl: numeric fields become series; bare NaN/Infinity from Python are data; strings and time are skipped', () => {
  const text = [
    '{"step": 0, "d_loss": 0.69, "g_loss": 0.72, "phase": "train", "time": 1700000000.5}',
    '',
    '{"step": 50, "d_loss": NaN, "g_loss": Infinity, "phase": "train", "time": 1700000010.5}',
    '{"step": 100, "d_loss": 0.4, "g_loss": -Infinity, "note": "NaN Infinity in a string"}',
    '{"step": 150, "eval": {"fid": 88.5}}',
  ].join('\r\n');
  const series = readJsonlSeries(bytes(text + '\n'), 'train_log.jsonl');
  assert.deepEqual(
    series.map((s) => s.name),
    ['d_loss', 'g_loss', 'eval/fid'],
  );
  const d = byName(series, 'd_loss');
  assert.deepEqual(d.steps, [0, 50, 100]);
  assert.equal(d.values[0], 0.69);
  assert.ok(Number.isNaN(d.values[1]));
  assert.deepEqual(byName(series, 'g_loss').values, [0.72, Infinity, -Infinity]);
  assert.deepEqual(byName(series, 'eval/fid'), { steps: [150], values: [88.5], column: null });
});

test('jsonl: without a step field the line index is the step; a cut last line is dropped', () => {
  const series = readJsonlSeries(bytes('{"loss_D": 1}\n{"loss_D": 2}\n{"loss_D": 3}\n{"loss_D": 4, "loss_'), 'log.ndjson');
  assert.deepEqual(byName(series, 'loss_D'), { steps: [0, 1, 2], values: [1, 2, 3], column: null });
});

test('jsonl: refusals name the line (when no line can be read; a damaged line among good ones is skipped)', () => {
  refuses(() => readJsonlSeries(bytes('{"step": 2, d: 2}\n\n'), 'x.jsonl'), /^x\.jsonl: line 1 is not valid JSON$/);
  refuses(() => readJsonlSeries(bytes('\n[1, 2]\n'), 'y.jsonl'), /^y\.jsonl: line 2 is not a JSON object$/);
  refuses(() => readJsonlSeries(bytes('{"step": 1, "name": "a"}\n'), 'z.jsonl'), /^z\.jsonl: no numeric field/);
  refuses(() => readJsonlSeries(bytes('\n\n'), 'e.jsonl'), /^e\.jsonl: the file is empty$/);
});

// ── Chainer LogReport ────────────────────────────────────────────────────────────────────────────

test('chainer: the log Python writes (json.dump, indent=4, NaN) reads by iteration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gan-chainer-'));
  try {
    // What chainer.training.extensions.LogReport writes: json.dump(self._log, f, indent=4).
    python(
      [
        'import json',
        'log = []',
        'for i in range(1, 6):',
        '    e = {"gen/loss": 2.0 - i * 0.1, "dis/loss": 0.5 + i * 0.01, "epoch": i // 3, "iteration": i * 100, "elapsed_time": i * 12.5}',
        '    if i == 4: e["gen/loss"] = float("nan")',
        '    if i % 2 == 0: e["validation/main/loss"] = 1.0 / i',
        '    log.append(e)',
        'json.dump(log, open("log", "w"), indent=4)',
      ].join('\n'),
      dir,
    );
    const raw = readFileSync(join(dir, 'log'));
    assert.ok(raw.toString().includes('NaN'), 'python wrote a bare NaN');
    const series = readLossFile('result/log', raw);
    assert.deepEqual(
      series.map((s) => s.name),
      ['gen/loss', 'dis/loss', 'validation/main/loss'],
    );
    const gen = byName(series, 'gen/loss');
    assert.deepEqual(gen.steps, [100, 200, 300, 400, 500]);
    assert.ok(Number.isNaN(gen.values[3]));
    assert.ok(Math.abs(gen.values[0]! - 1.9) < 1e-12);
    assert.deepEqual(byName(series, 'validation/main/loss').steps, [200, 400]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('chainer: refusals', () => {
  refuses(() => readChainerLog(bytes('{"iteration": 1, "gen/loss": 1}'), 'log'), /^log: not a Chainer log \(expected a JSON array of objects\)$/);
  refuses(() => readChainerLog(bytes('[{"iteration": 1, "gen/loss": 1x},'), 'log'), /^log: no record can be read; line 1: not valid JSON$/);
  refuses(() => readChainerLog(bytes('[{"iteration": 1, "gen/loss":'), 'log'), /^log: the log has no entries yet$/);
  refuses(() => readChainerLog(bytes('[]'), 'log'), /^log: the log has no entries yet$/);
});

// ── Dispatcher ───────────────────────────────────────────────────────────────────────────────────

test('lossFileKind by name (and first bytes for a generic .json)', () => {
  const cases: Array<[string, string | null]> = [
    ['d_losses.npy', 'npy'],
    ['results/G_LOSS.NPY', 'npy'],
    // A .csv is a loss table only when its first lines say so (a workspace's data.csv is not).
    ['logs/metrics.csv', null],
    ['train.jsonl', 'jsonl'],
    ['train.ndjson', 'jsonl'],
    ['result/log', 'chainer'],
    ['log.json', 'chainer'],
    ['logs/events.out.tfevents.1795673730.vm.462.0', 'tfevents'],
    // '\\' separates folders on Windows only; elsewhere it is part of the file's name.
    ['runs\\exp1\\events.out.tfevents.1700000000.host', process.platform === 'win32' ? 'tfevents' : null],
    ['catalog', null],
    ['config.json', null],
    ['losses.png', null],
    ['gan-run.json', null],
    ['events.out.tfevents', null],
  ];
  for (const [name, kind] of cases) assert.equal(lossFileKind(name), kind, name);
  assert.equal(lossFileKind('logs/metrics.csv', bytes('epoch,step,d_loss,g_loss\n0,0,0.7,0.7\n')), 'csv');
  assert.equal(lossFileKind('Losses.CSV', bytes('0.69,0.71\n0.68,0.72\n')), 'csv');
  assert.equal(lossFileKind('data.csv', bytes('a,b\n1,2\n')), null);
  assert.equal(lossFileKind('history.json', bytes('\ufeff [\n  {"iteration": 1}]')), 'chainer');
  assert.equal(lossFileKind('history.json', bytes('{"iteration": 1}')), null);
  assert.equal(lossFileKind('gan-run.json', bytes('[{"a": 1}]')), null);
  assert.equal(lossFileKind('log', bytes('Epoch 1/10 - d_loss 0.5')), null, 'a plain text log with its first bytes');
  assert.equal(lossFileKind('log', bytes('[\n    {\n        "main/loss"')), 'chainer');
});

test('readLossFile routes each kind and refuses unknown names', () => {
  assert.deepEqual(
    readLossFile('logs/metrics.csv', bytes('step,d_loss\n0,1\n')).map((s) => s.name),
    ['d_loss'],
  );
  assert.deepEqual(
    readLossFile('a.jsonl', bytes('{"step": 3, "g_loss": 1}\n')).map((s) => Array.from(s.steps)),
    [[3]],
  );
  assert.deepEqual(
    readLossFile('history.json', bytes('[{"iteration": 7, "dis/loss": 0.5}]')).map((s) => s.name),
    ['dis/loss'],
  );
  refuses(() => readLossFile('notes.txt', bytes('hello')), /^notes\.txt: not a loss file format/);
  refuses(() => readLossFile('result/log', bytes('Epoch 1/10 - d_loss 0.5')), /^result\/log: not valid JSON$/);
});

test('readLossFile reads a .npy written by numpy and turns NpyError into ReadFailure', { skip: hasNumpy ? false : 'python3 with numpy not available' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gan-npy-'));
  try {
    python('import numpy as np; np.save("d_losses.npy", np.array([0.7, 0.6, float("nan"), 0.5], dtype=np.float32))', dir);
    const raw = readFileSync(join(dir, 'd_losses.npy'));
    const series = readLossFile('d_losses.npy', raw);
    assert.equal(series.length, 1);
    assert.deepEqual(Array.from(series[0]!.steps), [0, 1, 2, 3]);
    const v = Array.from(series[0]!.values);
    assert.deepEqual([v[0], v[1], v[3]], [Math.fround(0.7), Math.fround(0.6), 0.5]);
    assert.ok(Number.isNaN(v[2]));
    refuses(() => readLossFile('results/d_losses.npy', raw.subarray(0, raw.length - 6)), /^results\/d_losses\.npy: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
