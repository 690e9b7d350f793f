// The .npy reader against files numpy itself wrote (scripts/make-npy-fixtures.py) and the real runs.
import { UNIT_DIR } from '../../../support/dirs';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { NpyError, parseNpy, readNpySeries } from '../../../../src/core/formats/npy';
import { REAL_RUNS, realRunsSkip } from '../../../support/realRuns';

const repoRoot = join(UNIT_DIR, '..', '..');
const realRuns = REAL_RUNS;

type Encoded = number | 'nan' | 'inf' | '-inf' | '-0';
interface Expected {
  dtype: string;
  shape: number[];
  fortran: boolean;
  version: string;
  values: Encoded[];
}

let dir = '';
let manifest: Record<string, Expected> = {};

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'npy-test-'));
  execFileSync('python3', [join(repoRoot, 'scripts', 'make-npy-fixtures.py'), dir]);
  manifest = JSON.parse(readFileSync(join(dir, 'good', 'manifest.json'), 'utf8'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function decode(e: Encoded): number {
  if (e === 'nan') return NaN;
  if (e === 'inf') return Infinity;
  if (e === '-inf') return -Infinity;
  if (e === '-0') return -0;
  return e;
}

/** Exact comparison: NaN equals NaN, and 0 and -0 differ. */
function assertValues(actual: Float64Array, expected: Encoded[], label: string) {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) {
    const want = decode(expected[i]!);
    if (!Object.is(actual[i], want)) assert.fail(`${label}[${i}]: got ${actual[i]}, numpy says ${want}`);
  }
}

/** Throws an NpyError whose one-line message matches. */
function assertRefused(fn: () => unknown, message: RegExp) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof NpyError, `not an NpyError: ${String(e)}`);
    assert.match(e.message, message);
    assert.doesNotMatch(e.message, /\n/);
    return true;
  });
}

function good(name: string): Uint8Array {
  return readFileSync(join(dir, 'good', name));
}

/** A .npy v1.0 file built by hand: header padded so the data starts at a multiple of `align`. */
function handMade(descr: string, shape: string, data: Uint8Array, align = 16, fortran = false, suffix = ''): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shape}, }${suffix}`;
  const used = 10 + header.length + 1;
  header += ' '.repeat((align - (used % align)) % align) + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(data, 10 + header.length);
  return out;
}

function f64le(values: number[]): Uint8Array {
  return new Uint8Array(new Float64Array(values).buffer);
}

test('every numpy-written variant reads to exactly numpy’s values, shape, order and version', () => {
  const names = Object.keys(manifest);
  assert.ok(names.length >= 100, `only ${names.length} fixtures`);
  for (const name of names) {
    const want = manifest[name]!;
    const got = parseNpy(good(name), name);
    assert.equal(got.dtype, want.dtype, `${name}: dtype`);
    assert.deepEqual(got.shape, want.shape, `${name}: shape`);
    assert.equal(got.fortranOrder, want.fortran, `${name}: fortran_order`);
    assert.equal(got.version, want.version, `${name}: version`);
    assertValues(got.data, want.values, name);
  }
});

test('the fixtures cover versions 1.0/2.0/3.0, both byte orders, Fortran order and every width', () => {
  const all = Object.values(manifest);
  assert.deepEqual([...new Set(all.map((e) => e.version))].sort(), ['1.0', '2.0', '3.0']);
  const dtypes = new Set(all.map((e) => e.dtype));
  for (const d of [
    '<f2',
    '>f2',
    '<f4',
    '>f4',
    '<f8',
    '>f8',
    '|i1',
    '|u1',
    '<i2',
    '>i2',
    '<u2',
    '>u2',
    '<i4',
    '>i4',
    '<u4',
    '>u4',
    '<i8',
    '>i8',
    '<u8',
    '>u8',
    '|b1',
  ]) {
    assert.ok(dtypes.has(d), `no fixture for ${d}`);
  }
  assert.ok(all.some((e) => e.fortran && e.shape.length === 3));
  assert.ok(all.some((e) => e.fortran && e.dtype === '>f8'));
});

test('data at any byte offset (Node Buffer slices, odd header lengths) reads the same', () => {
  for (const name of [
    'f8_le.npy',
    'f8_be.npy',
    'f4_le.npy',
    'f2_all_le.npy',
    'i2_le.npy',
    'u4_le.npy',
    'i8_le.npy',
    'u8_be.npy',
    'bool.npy',
    'fortran_5x3.npy',
  ]) {
    const bytes = good(name);
    for (const shift of [1, 2, 3, 4, 5, 6, 7]) {
      const host = new Uint8Array(bytes.length + shift);
      host.set(bytes, shift);
      const view = host.subarray(shift);
      assertValues(parseNpy(view, name).data, manifest[name]!.values, `${name}+${shift}`);
      // A Node Buffer over the same memory, as readFileSync's pooled small buffers are.
      assertValues(parseNpy(Buffer.from(host.buffer, shift, bytes.length), name).data, manifest[name]!.values, `Buffer ${name}+${shift}`);
    }
  }
});

test('aligned little-endian float64 is a zero-copy view of the input bytes', () => {
  const bytes = good('f8_le.npy');
  const got = parseNpy(bytes, 'f8_le.npy');
  assert.equal(got.data.buffer, bytes.buffer);
  const shifted = new Uint8Array(bytes.length + 3);
  shifted.set(bytes, 3);
  assert.notEqual(parseNpy(shifted.subarray(3), 'x.npy').data.buffer, shifted.buffer);
});

test('the old 16-byte header alignment (numpy < 1.14, as in Raj-7799) and unaligned headers read', () => {
  const values = [0, 1.0635466575622559, 0.4375, 1, 0.865607738494873, 0.5625];
  const old = handMade('<f8', '(2, 3)', f64le(values), 16);
  assert.equal((old[8]! | (old[9]! << 8)) + 10, 80);
  assert.deepEqual([...parseNpy(old, 'D_loss.npy').data], values);
  for (const align of [1, 2, 4, 8, 64]) {
    assert.deepEqual([...parseNpy(handMade('<f8', '(6,)', f64le(values), align), 'a.npy').data], values, `align ${align}`);
  }
});

test("'=' (native), '|' and unmarked byte orders mean little-endian; Python 2 'L' shapes read", () => {
  const values = [1.5, -2, 3.25];
  for (const descr of ['=f8', '|f8', 'f8']) {
    const got = parseNpy(handMade(descr, '(3,)', f64le(values)), 'a.npy');
    assert.equal(got.dtype, descr);
    assert.deepEqual([...got.data], values);
  }
  assert.deepEqual(parseNpy(handMade('<f8', '(3L,)', f64le(values)), 'py2.npy').shape, [3]);
  assert.deepEqual(parseNpy(handMade('<f8', '(1L, 3L)', f64le(values)), 'py2.npy').shape, [1, 3]);
  // numpy pads with spaces; NUL padding from other writers is tolerated too.
  assert.deepEqual([...parseNpy(handMade('<f8', '(3,)', f64le(values), 16, false, '\0\0\0'), 'nul.npy').data], values);
  // Double-quoted keys are the same Python literal.
  const dq = handMade('<f8', '(3,)', f64le(values)).slice();
  const text = String.fromCharCode(...dq.subarray(10, 10 + (dq[8]! | (dq[9]! << 8)))).replace(/'/g, '"');
  for (let i = 0; i < text.length; i++) dq[10 + i] = text.charCodeAt(i);
  assert.deepEqual([...parseNpy(dq, 'dq.npy').data], values);
});

test('a 3.0 header is decoded as UTF-8 (1.0/2.0 as latin1)', () => {
  // Same bytes, two versions: an unknown key with a non-ASCII name must be shown as written.
  const key = Buffer.from("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'shapé': 1}\n", 'utf8');
  const v3 = new Uint8Array(12 + key.length + 8);
  v3.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 3, 0]);
  new DataView(v3.buffer).setUint32(8, key.length, true);
  v3.set(key, 12);
  assertRefused(() => parseNpy(v3, 'u.npy'), /^u\.npy: header has an unexpected key "shapé"/);
  const v2 = v3.slice();
  v2[6] = 2;
  assertRefused(() => parseNpy(v2, 'u.npy'), /^u\.npy: header has an unexpected key "shapÃ©"/);
});

test('extra bytes after the array are ignored', () => {
  const got = parseNpy(good('extra_bytes.npy'), 'extra_bytes.npy');
  assert.deepEqual(got.shape, [13]);
  assertValues(got.data, manifest['extra_bytes.npy']!.values, 'extra_bytes');
});

test('readNpySeries: (N,) and (N,1) are one series over steps 0..N-1 named after the file', () => {
  for (const [name, n] of [
    ['single.npy', 1],
    ['f8_le.npy', 13],
    ['col_n1.npy', 15],
  ] as const) {
    const series = readNpySeries(good(name), `results/${name}`);
    assert.equal(series.length, 1);
    assert.equal(series[0]!.name, name.replace('.npy', ''));
    assert.equal(series[0]!.column, null);
    assert.deepEqual(
      [...series[0]!.steps],
      Array.from({ length: n }, (_, i) => i),
    );
    assertValues(series[0]!.values, manifest[name]!.values, name);
  }
  // '\\' separates folders on Windows only; elsewhere it is part of the file's name.
  assert.equal(readNpySeries(good('single.npy'), 'C:\\runs\\g_losses.NPY')[0]!.name, process.platform === 'win32' ? 'g_losses' : 'C:\\runs\\g_losses');
  assert.equal(readNpySeries(good('single.npy'), 'runs/exp1/g_losses.npy')[0]!.name, 'g_losses');
});

test('readNpySeries: a [step, d_loss, accuracy] array gives the steps and one series per other column', () => {
  for (const name of ['D_loss.npy', 'D_loss_fortran.npy']) {
    const series = readNpySeries(good(name), 'D_loss.npy');
    assert.deepEqual(
      series.map((s) => [s.name, s.column]),
      [
        ['D_loss[1]', 1],
        ['D_loss[2]', 2],
      ],
    );
    const values = manifest[name]!.values.map(decode);
    const steps = values.filter((_, i) => i % 3 === 0);
    assert.deepEqual([...series[0]!.steps], steps);
    assert.equal(steps[1], 5);
    assert.deepEqual(
      [...series[0]!.values],
      values.filter((_, i) => i % 3 === 1),
    );
    assert.deepEqual(
      [...series[1]!.values],
      values.filter((_, i) => i % 3 === 2),
    );
  }
});

test('readNpySeries: columns without a step column are each a series over 0..N-1', () => {
  const losses = readNpySeries(good('losses.npy'), 'losses.npy');
  assert.deepEqual(
    losses.map((s) => [s.name, s.column]),
    [
      ['losses[0]', 0],
      ['losses[1]', 1],
    ],
  );
  assert.equal(losses[0]!.steps[39], 39);
  const values = manifest['losses.npy']!.values.map(decode);
  assert.deepEqual(
    [...losses[1]!.values],
    values.filter((_, i) => i % 2 === 1),
  );
  // Integer but not strictly increasing: not steps.
  assert.deepEqual(
    readNpySeries(good('not_steps.npy'), 'not_steps.npy').map((s) => s.name),
    ['not_steps[0]', 'not_steps[1]'],
  );
  assert.equal(readNpySeries(good('cols16.npy'), 'cols16.npy').length, 16);
});

test('readNpySeries refuses matrices and higher-dimensional arrays as not a loss history', () => {
  assertRefused(() => readNpySeries(good('seed.npy'), 'seed.npy'), /^seed\.npy: shape \(25, 100\) is not a loss history$/);
  assertRefused(() => readNpySeries(good('cols17.npy'), 'cols17.npy'), /^cols17\.npy: shape \(10, 17\) is not a loss history/);
  assertRefused(() => readNpySeries(good('c_2x3x4.npy'), 'c_2x3x4.npy'), /^c_2x3x4\.npy: shape \(2, 3, 4\) is not a loss history/);
});

test('10,000,000 float64 values: an aligned little-endian array is a view of the file bytes (no copy); unaligned and big-endian ones are read exactly (npm run bench times them)', () => {
  const n = 10_000_000;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = Math.sin(i) * 3;
  const le = handMade('<f8', `(${n},)`, new Uint8Array(values.buffer), 64);
  const same = (got: ArrayLike<number>) => {
    assert.equal(got.length, n);
    for (const i of [0, 1, 12345, n >> 1, n - 1]) assert.equal(got[i], values[i]);
  };
  const aligned = parseNpy(le, 'big.npy').data as Float64Array;
  same(aligned);
  assert.equal(aligned.buffer, le.buffer, 'zero-copy: the data is a view of the bytes read');
  assert.equal(aligned.byteOffset, le.byteLength - n * 8);
  const unalignedHost = new Uint8Array(le.length + 1);
  unalignedHost.set(le, 1);
  const unaligned = parseNpy(unalignedHost.subarray(1), 'big.npy').data as Float64Array;
  same(unaligned);
  assert.notEqual(unaligned.buffer, unalignedHost.buffer, 'an unaligned array is copied once, into aligned memory');
  const be = le;
  be[be.indexOf(0x3c, 10)] = 0x3e; // the descr's "<" becomes ">"
  const dv = new DataView(be.buffer);
  const dataAt = be.length - n * 8;
  for (let i = 0; i < n; i++) dv.setFloat64(dataAt + i * 8, values[i]!, false);
  same(parseNpy(be, 'big.npy').data as Float64Array);
});

function realNpyFiles(root: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(root)) {
    const p = join(root, name);
    if (statSync(p).isDirectory()) out.push(...realNpyFiles(p));
    else if (name.endsWith('.npy')) out.push(p);
  }
  return out;
}

test('every .npy in the real runs reads to exactly numpy’s float64 values', { skip: realRunsSkip() }, () => {
  const files = realNpyFiles(realRuns);
  assert.ok(files.length >= 10);
  // numpy's own view of each file, as raw float64 bytes.
  const script = 'import sys, numpy as np\nfor src, dst in zip(sys.argv[1::2], sys.argv[2::2]):\n    np.load(src).astype("<f8").tofile(dst)\n';
  const args = files.flatMap((f, i) => [f, join(dir, `real-${i}.f8`)]);
  execFileSync('python3', ['-c', script, ...args]);
  files.forEach((file, i) => {
    const got = parseNpy(readFileSync(file), relative(realRuns, file));
    const want = new Float64Array(new Uint8Array(readFileSync(join(dir, `real-${i}.f8`))).buffer);
    assert.deepEqual(got.data, want, file);
  });
});

test('real runs: seed.npy is not a loss history; Raj-7799 D_loss.npy has steps 0..100000 and two series', { skip: realRunsSkip() }, () => {
  const seed = join(realRuns, 'bharat029-anime-face-generation-with-gan', 'seed.npy');
  assertRefused(() => readNpySeries(readFileSync(seed), 'seed.npy'), /^seed\.npy: shape \(25, 100\) is not a loss history$/);
  const dLoss = join(realRuns, 'Raj-7799-Image-Generation-using-GAN', 'D_loss.npy');
  const series = readNpySeries(readFileSync(dLoss), basename(dLoss));
  assert.deepEqual(
    series.map((s) => [s.name, s.column]),
    [
      ['D_loss[1]', 1],
      ['D_loss[2]', 2],
    ],
  );
  for (const s of series) {
    assert.equal(s.steps.length, 100001);
    assert.equal(s.steps[0], 0);
    assert.equal(s.steps[100000], 100000);
  }
  assert.equal(series[0]!.values[0], 1.0635466575622559);
  assert.equal(series[1]!.values[0], 0.4375);
  // Every real loss file other than the latent seed gives at least one series.
  for (const file of realNpyFiles(realRuns)) {
    if (basename(file) === 'seed.npy') continue;
    assert.ok(readNpySeries(readFileSync(file), basename(file)).length >= 1, file);
  }
});
