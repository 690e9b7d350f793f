import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { readWandb, readWandbRun, WandbReader } from '../../../../src/core/formats/wandb';
import { crc32, WandbWriter } from '../../../../src/core/formats/wandbLog';
import { ReadFailure, readLossFile, lossFileKind } from '../../../../src/core/formats';
import type { SkipReport } from '../../../../src/core/formats/skipped';
import type { RawSeries } from '../../../../src/core/model';
import { historyRecord, recordStarts, wandbFile, wandbRecord } from '../../../support/wandb';

const refuses = (fn: () => unknown, message: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof ReadFailure && message.test(e.message) && !e.message.includes('\n'));
const values = (s: RawSeries | undefined) => Array.from(s!.values);
const steps = (s: RawSeries | undefined) => Array.from(s!.steps);
const named = (series: RawSeries[], name: string) => series.find((s) => s.name === name);
const u32 = (b: Uint8Array, p: number) => (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;

/** `n` rows of D and G, each `wandb.log({"d_loss": …, "g_loss": …})`. */
const dgRecords = (n: number, from = 0) =>
  Array.from({ length: n }, (_, k) =>
    historyRecord(from + k, [
      ['d_loss', String(0.69 + (from + k) / 1e4)],
      ['g_loss', String(-2.5 + (from + k) / 1e3)],
    ]),
  );

test('crc32 is zlib.crc32 (IEEE polynomial, not masked), the checksum wandb writes', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) & 0xff);
  assert.equal(crc32(bytes), zlibCrc32(bytes));
});

test('the writer frames as wandb does: the :W&B header, chunks of crc32(type + data), 32 KiB blocks padded with zeros', () => {
  const records = [historyRecord(0, [['loss', '0.5']]), new Uint8Array(40000).fill(7), historyRecord(1, [['loss', '0.25']])];
  const bytes = wandbFile(records);
  assert.deepEqual(Array.from(bytes.subarray(0, 7)), [0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe, 0]);
  // The first record: one FULL chunk right after the header.
  assert.equal(bytes[7 + 6], 1);
  const len = bytes[7 + 4]! | (bytes[7 + 5]! << 8);
  assert.equal(len, records[0]!.length);
  assert.equal(u32(bytes, 7), zlibCrc32(bytes.subarray(7 + 6, 7 + 7 + len)));
  // The 40,000-byte record: a FIRST chunk to the end of block 0, its LAST at the start of block 1.
  const first = 7 + 7 + len;
  assert.equal(bytes[first + 6], 2);
  assert.equal(first + 7 + (bytes[first + 4]! | (bytes[first + 5]! << 8)), 32768);
  assert.equal(bytes[32768 + 6], 4);
});

test('history rows: one series per scalar key on _step; _runtime, _timestamp, booleans and strings are not series; NaN and ±Infinity are data', () => {
  const records = [
    wandbRecord({ run: { runId: 'abc', project: 'gan' } }),
    historyRecord(0, [
      ['d_loss', '0.693'],
      ['g_loss', '-2.79'],
      ['lr', '0.0002'],
      ['done', 'false'],
      ['phase', '"train"'],
    ]),
    wandbRecord({ outputRaw: { outputType: 1, line: 'epoch 0' } }),
    historyRecord(1, [
      ['d_loss', 'NaN'],
      ['g_loss', 'Infinity'],
    ]),
    historyRecord(2, [
      ['d_loss', '0.5'],
      ['g_loss', '-Infinity'],
    ]),
    wandbRecord({ summary: { update: [{ key: 'd_loss', valueJson: '0.5' }] } }),
    wandbRecord({ exit: { exitCode: 0, runtime: 12 } }),
  ];
  const series = readWandb(wandbFile(records), 'run-abc.wandb');
  assert.deepEqual(
    series.map((s) => s.name),
    ['d_loss', 'g_loss', 'lr'],
  );
  assert.deepEqual(steps(named(series, 'd_loss')), [0, 1, 2]);
  const d = values(named(series, 'd_loss'));
  assert.equal(d[0], 0.693);
  assert.ok(Number.isNaN(d[1]));
  assert.deepEqual(values(named(series, 'g_loss')), [-2.79, Infinity, -Infinity]);
  assert.equal(named(series, 'd_loss')!.column, null);
});

test('each key logged by its own wandb.log call has its own steps; the record step is the step when no _step item came', () => {
  const records = [
    historyRecord(0, [['D', '0.7']]),
    historyRecord(1, [['G', '-2.8']]),
    historyRecord(2, [['D', '0.69']]),
    historyRecord(3, [['G', '-2.7']]),
    historyRecord(7, [['G', '-2.6']], { stepItem: false }),
  ];
  const series = readWandb(wandbFile(records), 'run-x.wandb');
  assert.deepEqual(steps(named(series, 'D')), [0, 2]);
  assert.deepEqual(steps(named(series, 'G')), [1, 3, 7]);
});

test('nested keys and dicts: parent.child series; images logged whole, flattened, or as a list are media at the row step', () => {
  const image = (path: string) => JSON.stringify({ _type: 'image-file', sha256: 'ab', size: 10, path, format: 'png', width: 64, height: 64 });
  const records = [
    historyRecord(0, [
      ['loss', '{"D": 0.7, "G": {"adv": 1.5, "l1": 0.2}}'],
      [['train', 'd_loss'], '0.71'],
      ['samples', image('media/images/samples_0_4607c70d6608b079ec1d.png')],
      ['hist', '{"_type": "histogram", "values": [1, 2], "bins": [0, 1, 2]}'],
    ]),
    // wandb-core writes a typed value flattened: one item per field.
    historyRecord(5, [
      [['fake', '_type'], '"image-file"'],
      [['fake', 'path'], '"media/images/fake_5_69b92002d2cae9acc513.png"'],
      [['fake', 'width'], '256'],
      [
        'grid',
        JSON.stringify({ _type: 'images/separated', format: 'png', count: 2, filenames: ['media/images/grid_5_0_aa.png', 'media/images/grid_5_1_bb.png'] }),
      ],
      ['old', JSON.stringify({ _type: 'images/separated', format: 'jpg', count: 2, width: 8, height: 8 })],
    ]),
  ];
  const read = readWandbRun(wandbFile(records), 'run-x.wandb');
  assert.deepEqual(read.series.map((s) => s.name).sort(), ['loss.D', 'loss.G.adv', 'loss.G.l1', 'train.d_loss']);
  assert.deepEqual(values(named(read.series, 'loss.G.adv')), [1.5]);
  assert.deepEqual(read.media, [
    { key: 'samples', step: 0, path: 'media/images/samples_0_4607c70d6608b079ec1d.png' },
    { key: 'grid', step: 5, path: 'media/images/grid_5_0_aa.png' },
    { key: 'grid', step: 5, path: 'media/images/grid_5_1_bb.png' },
    // Before `filenames`, wandb saved a list's images as <key>_<step>_<index>.<format>.
    { key: 'old', step: 5, path: 'media/images/old_5_0.jpg' },
    { key: 'old', step: 5, path: 'media/images/old_5_1.jpg' },
    { key: 'fake', step: 5, path: 'media/images/fake_5_69b92002d2cae9acc513.png' },
  ]);
  assert.equal(read.rows, 2);
});

test('rows that hold only media give no series and no error; no history row is refused with why', () => {
  const media = readWandbRun(
    wandbFile([historyRecord(0, [['img', JSON.stringify({ _type: 'image-file', path: 'media/images/img_0_ab.png' })]])]),
    'run-m.wandb',
  );
  assert.deepEqual(media.series, []);
  assert.equal(media.media.length, 1);
  refuses(
    () => readWandb(wandbFile([wandbRecord({ run: { runId: 'c' } }), wandbRecord({ exit: { exitCode: 1, runtime: 7 } })]), 'run-c.wandb'),
    /^run-c\.wandb: no history rows \(the run logged nothing; it exited with code 1 after 7 s\)$/,
  );
  refuses(
    () => readWandb(wandbFile([wandbRecord({ run: { runId: 'c' } })]), 'run-c.wandb'),
    /^run-c\.wandb: no history rows \(nothing logged with wandb\.log yet\)$/,
  );
  refuses(
    () => readWandb(new TextEncoder().encode('{"_step": 0, "loss": 1}\n'), 'run-c.wandb'),
    /^run-c\.wandb: not a W&B run file \(it does not start with the :W&B header\)$/,
  );
});

test('a .wandb file and a wandb-history.jsonl are W&B files by name; readLossFile reads them', () => {
  assert.equal(lossFileKind('run-p5eltm86.wandb'), 'wandb');
  assert.equal(lossFileKind('files/wandb-history.jsonl'), 'wandb');
  assert.equal(lossFileKind('losses.jsonl'), 'jsonl');
  const series = readLossFile('run-x.wandb', wandbFile(dgRecords(3)));
  assert.deepEqual(
    series.map((s) => s.name),
    ['d_loss', 'g_loss'],
  );
  const jsonl = [
    '{"d_loss": 0.7, "g_loss": NaN, "_step": 0, "_runtime": 1.2, "_timestamp": 1580000000.5}',
    '{"d_loss": 0.6, "samples": {"_type": "image-file", "path": "media/images/samples_1_ab.png", "width": 8}, "_step": 1}',
    'garbage',
    '{"d_loss": 0.5, "_step": 2, "g_loss": -Infinity}',
    '{"d_loss": 0.4, "_st',
  ].join('\n');
  const report: SkipReport = { skipped: null };
  const old = readLossFile('files/wandb-history.jsonl', new TextEncoder().encode(jsonl), undefined, report);
  assert.deepEqual(
    old.map((s) => s.name),
    ['d_loss', 'g_loss'],
  );
  assert.deepEqual(steps(old[0]), [0, 1, 2]);
  assert.deepEqual(values(old[1]).map(String), ['NaN', '-Infinity']);
  assert.deepEqual(report.skipped, { count: 1, first: { line: 3 }, reason: 'not a JSON object' });
});

// wandb's own writer, written from wandb/sdk/internal/datastore.py (`_write_data`, `_write_record`)
// with the protobuf encoded by hand: the reader is checked against it, not only against our writer.
const DATASTORE_PY = String.raw`
import json, struct, sys, zlib
BLOCK, HEADER = 32768, 7
def varint(n):
    out = b''
    while True:
        b = n & 0x7f; n >>= 7
        if n: out += bytes([b | 0x80])
        else: return out + bytes([b])
def lenf(field, data): return varint(field << 3 | 2) + varint(len(data)) + data
def intf(field, v): return varint(field << 3) + varint(v)
class DataStore:
    def __init__(self, fp):
        self.fp, self.index = fp, 0
        self.crc = [0] + [zlib.crc32(bytes([x])) & 0xffffffff for x in range(1, 5)]
        self.put(struct.pack('<4sHB', b':W&B', 0xBEE1, 0))
    def put(self, b):
        self.fp.write(b); self.index += len(b)
    def record(self, s, dtype=1):
        self.put(struct.pack('<IHB', zlib.crc32(s, self.crc[dtype]) & 0xffffffff, len(s), dtype) + s)
    def write(self, s):
        left = BLOCK - self.index % BLOCK
        if left < HEADER:
            self.put(b'\x00' * left); left = BLOCK
        if len(s) + HEADER <= left: return self.record(s)
        used = left - HEADER
        self.record(s[:used], 2)
        while len(s) - used > BLOCK - HEADER:
            self.record(s[used:used + BLOCK - HEADER], 3); used += BLOCK - HEADER
        self.record(s[used:], 4)
def history(step, items):
    body = b''.join(lenf(1, lenf(1, k.encode()) + lenf(16, v.encode())) for k, v in items + [('_step', str(step))])
    return intf(1, step + 1) + lenf(2, body + (lenf(2, intf(1, step)) if step else b''))
expected = {'d_loss': [], 'g_loss': []}
with open(sys.argv[1], 'wb') as fp, open(sys.argv[2], 'wb') as raw:
    ds = DataStore(fp)
    for step in range(3000):
        d, g = 0.69 + (step % 97) / 1000, -2.8 + step / 1000
        items = [('d_loss', json.dumps(d)), ('g_loss', json.dumps(g))]
        if step == 1234: items.append(('caption', json.dumps('x' * 70000)))
        record = history(step, items)
        ds.write(record)
        raw.write(struct.pack('<I', len(record)) + record)
        expected['d_loss'].append(d); expected['g_loss'].append(g)
print(json.dumps(expected))
`;

test("a file framed by wandb's datastore.py algorithm (in Python) reads back every row, the 70 KB row spanning three blocks too", (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gan-wandb-py-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'run-py.wandb');
  const rawFile = join(dir, 'records.bin');
  const py = spawnSync('python3', ['-c', DATASTORE_PY, file, rawFile], { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(py.status, 0, py.stderr);
  const expected = JSON.parse(py.stdout) as Record<string, number[]>;
  const bytes = new Uint8Array(readFileSync(file));
  assert.ok(bytes.length > 5 * 32768);
  const report: SkipReport = { skipped: null };
  const series = readWandb(bytes, 'run-py.wandb', report);
  assert.equal(report.skipped, null);
  assert.deepEqual(values(named(series, 'd_loss')), expected.d_loss);
  assert.deepEqual(values(named(series, 'g_loss')), expected.g_loss);
  assert.deepEqual(
    steps(named(series, 'g_loss')),
    Array.from({ length: 3000 }, (_, i) => i),
  );
  // Our writer (the one tests and the benchmark use) frames the same records into the very same bytes.
  const raw = new Uint8Array(readFileSync(rawFile));
  const ours = new WandbWriter();
  for (let p = 0; p < raw.length;) {
    const n = u32(raw, p);
    ours.write(raw.subarray(p + 4, p + 4 + n));
    p += 4 + n;
  }
  assert.deepEqual(Buffer.from(ours.take()), Buffer.from(bytes));
});

test('damage: a flipped byte loses only its record, and reading resumes at the next record', () => {
  const records = dgRecords(400);
  const starts = recordStarts(records);
  const bytes = wandbFile(records);
  const damaged = bytes.slice();
  damaged[starts[150]! + 20]! ^= 0x40;
  const report: SkipReport = { skipped: null };
  const series = readWandb(damaged, 'run-d.wandb', report);
  assert.deepEqual(report.skipped, { count: 1, first: { byte: starts[150] }, reason: 'the record fails its checksum' });
  assert.deepEqual(
    steps(series[0]),
    Array.from({ length: 400 }, (_, i) => i).filter((i) => i !== 150),
  );
  // A hole of zeros over three records: one damaged run, told once.
  const holed = bytes.slice();
  holed.fill(0, starts[10]! + 3, starts[13]! + 5);
  const r2: SkipReport = { skipped: null };
  const s2 = readWandb(holed, 'run-d.wandb', r2);
  assert.equal(r2.skipped!.count, 1);
  assert.deepEqual(r2.skipped!.first, { byte: starts[10] });
  assert.deepEqual(steps(s2[0]).slice(8, 12), [8, 9, 14, 15]);
});

test('damage: a cut-off tail is not damage; a broken record spanning blocks is lost alone; nothing readable is refused', () => {
  const big = historyRecord(50, [
    ['d_loss', '0.5'],
    ['note', JSON.stringify('y'.repeat(50000))],
  ]);
  const records = [...dgRecords(50), big, ...dgRecords(50, 51)];
  const starts = recordStarts(records);
  const bytes = wandbFile(records);
  // Cut inside the spanning record: the 50 rows before it, nothing said.
  const report: SkipReport = { skipped: null };
  const cut = readWandb(bytes.subarray(0, starts[50]! + 40000), 'run-t.wandb', report);
  assert.equal(report.skipped, null);
  assert.equal(cut[0]!.steps.length, 50);
  // Whole: 101 D values; the spanning record read across the block boundary.
  assert.equal(readWandb(bytes, 'run-t.wandb')[0]!.steps.length, 101);
  // Its LAST chunk (in block 1) damaged: that record is lost, every other kept.
  const damaged = bytes.slice();
  damaged[32768 + 100]! ^= 1;
  const r2: SkipReport = { skipped: null };
  const s2 = readWandb(damaged, 'run-t.wandb', r2);
  assert.deepEqual(r2.skipped, { count: 1, first: { byte: starts[50] }, reason: 'a record split across blocks is broken' });
  assert.equal(s2[0]!.steps.length, 100);
  assert.ok(!steps(s2[0]).includes(50));
  // Its FIRST chunk damaged: the LAST chunk left is a piece without its start, skipped with it as one record.
  const firstHit = bytes.slice();
  firstHit[starts[50]! + 30]! ^= 1;
  const r3: SkipReport = { skipped: null };
  assert.equal(readWandb(firstHit, 'run-t.wandb', r3)[0]!.steps.length, 100);
  assert.equal(r3.skipped!.count, 1);
  // Every chunk damaged: refused with the first reason.
  const all = bytes.slice();
  for (const s of starts) all[s + 8]! ^= 0xff;
  refuses(() => readWandb(all, 'run-t.wandb'), /^run-t\.wandb: not a W&B run file \(no record can be read; at byte 7: the record fails its checksum\)$/);
});

test('incremental: pushing the file in pieces, cut anywhere (inside a chunk, a spanning record, a block padding), equals the whole read', () => {
  const big = historyRecord(30, [
    ['d_loss', '0.5'],
    ['note', JSON.stringify('z'.repeat(40000))],
  ]);
  const records = [...dgRecords(30), big, ...dgRecords(500, 31)];
  const bytes = wandbFile(records);
  const damaged = bytes.slice();
  damaged[recordStarts(records)[200]! + 12]! ^= 4;
  for (const file of [bytes, damaged]) {
    const whole = new WandbReader('run-i.wandb');
    whole.push(file);
    const want = { series: whole.series(false), skipped: whole.skipped() };
    for (const cuts of [[3], [7, 100], [32760, 32770], [20000, 40000, 65530, 65540], Array.from({ length: 40 }, (_, i) => 1 + i * 1733)]) {
      const reader = new WandbReader('run-i.wandb');
      let consumed = 0;
      for (const end of [...cuts, file.length]) consumed += reader.push(file.subarray(consumed, end));
      assert.deepEqual({ series: reader.series(false), skipped: reader.skipped() }, want, `cuts ${cuts.join(',')}`);
    }
  }
});
