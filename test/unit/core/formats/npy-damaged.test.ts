// Damaged and hostile .npy files: every one is refused with a one-line NpyError naming the file,
// never another exception, a hang or a huge allocation. Cases follow numpy/lib/tests/test_format.py.
import { UNIT_DIR } from '../../../support/dirs';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { CountingSteps, NpyError, parseNpy, readNpySeries } from '../../../../src/core/formats/npy';

const repoRoot = join(UNIT_DIR, '..', '..');
let dir = '';
let numpyBad: Record<string, string> = {};
let numpyGood: string[] = [];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'npy-damaged-'));
  execFileSync('python3', [join(repoRoot, 'scripts', 'make-npy-fixtures.py'), dir]);
  numpyBad = JSON.parse(readFileSync(join(dir, 'bad', 'manifest.json'), 'utf8'));
  numpyGood = Object.keys(JSON.parse(readFileSync(join(dir, 'good', 'manifest.json'), 'utf8')));
});
after(() => rmSync(dir, { recursive: true, force: true }));

let malformedCases = 0;

/** Refused with an NpyError whose single-line message is "<file>: <reason matching>". */
function assertRefused(bytes: Uint8Array, fileName: string, reason: RegExp, opts?: { maxElements?: number }) {
  malformedCases++;
  assert.throws(
    () => parseNpy(bytes, fileName, opts),
    (e: unknown) => {
      assert.ok(e instanceof NpyError, `${fileName}: not an NpyError: ${String(e)}`);
      assert.ok(e.message.startsWith(`${fileName}: `), e.message);
      assert.match(e.message.slice(fileName.length + 2), reason);
      assert.doesNotMatch(e.message, /[\n\r\u2028\u2029]/);
      return true;
    },
    `${fileName} was read but should be refused (${reason})`,
  );
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** A version 1.0 file with this exact header text (padded to 64) and data. */
function v1(header: string, data: Uint8Array = new Uint8Array(0), pad = true): Uint8Array {
  const text = pad ? header + ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n' : header;
  const out = new Uint8Array(10 + text.length + data.length);
  out.set([...MAGIC, 1, 0, text.length & 0xff, text.length >> 8]);
  out.set(latin1(text), 10);
  out.set(data, 10 + text.length);
  return out;
}

const f8 = (...values: number[]) => new Uint8Array(new Float64Array(values).buffer);
const plain = (shape: string, descr = '<f8') => `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;

test('numpy-written files that are not loss arrays are refused with the right reason', () => {
  const reasons: Record<string, RegExp> = {
    object: /object arrays .* never unpickled/,
    complex: /complex dtype/,
    empty: /empty array \(shape \(0,\)\)/,
    'zero-d': /0-d array/,
    structured: /structured dtypes/,
    'huge-header': /header is \d+ bytes, over the limit of 10000/,
    string: /string or void dtype/,
    datetime: /date\/time dtype/,
    dtype: /unsupported dtype/,
    'truncated-partial': /data is truncated: shape \(.*\) of [<>|]\w+ needs \d+ bytes, found \d+ \(ends inside an element\)/,
    'truncated-whole': /data is truncated: shape \(.*\) of [<>|]\w+ needs \d+ bytes, found \d+$/,
  };
  const names = Object.keys(numpyBad);
  assert.ok(names.length >= 200, `only ${names.length} numpy-written bad files`);
  for (const name of names) {
    assertRefused(readFileSync(join(dir, 'bad', name)), name, reasons[numpyBad[name]!]!);
  }
});

test('truncation says how many bytes were expected and found', () => {
  const whole = v1(plain('(3,)'), f8(1, 2));
  assertRefused(whole, 'd.npy', /^data is truncated: shape \(3,\) of <f8 needs 24 bytes, found 16$/);
  const partial = v1(plain('(3, 2)'), f8(1, 2, 3, 4, 5, 6).subarray(0, 45));
  assertRefused(partial, 'p.npy', /^data is truncated: shape \(3, 2\) of <f8 needs 48 bytes, found 45 \(ends inside an element\)$/);
  assertRefused(v1(plain('(3,)')), 'none.npy', /needs 24 bytes, found 0$/);
});

test('bad magic, truncated magic/version and unsupported versions (test_format.py malformed_magic, bad_version_magic)', () => {
  const malformedMagic = ['\x92NUMPY\x01\x00', '\x00NUMPY\x01\x00', '\x93numpy\x01\x00', '\x93MATLB\x01\x00', '\x93NUMPY\x01', '\x93NUMPY', ''];
  for (const m of malformedMagic) {
    // A prefix of the magic (even an empty file) is a truncated .npy; anything else is not one.
    const reason =
      '\x93NUMPY'.startsWith(m) || m.startsWith('\x93NUMPY') ? /^truncated: the magic string and version need 8 bytes, found \d$/ : /^not a \.npy file/;
    assertRefused(latin1(m), 'm.npy', reason);
  }
  for (const m of ['\x93NUMPY\x01\x01', '\x93NUMPY\x00\x00', '\x93NUMPY\x00\x01', '\x93NUMPY\x02\x02', '\x93NUMPY\xff\xff', '\x93NUMPY\x04\x00']) {
    assertRefused(latin1(m + '\x46\x00' + plain('(1,)')), 'v.npy', /^unsupported \.npy format version \d+\.\d+$/);
  }
  // test_format.py lists 2.0 without a header length among the bad magics: it is truncated.
  assertRefused(latin1('\x93NUMPY\x02\x00'), 'v2.npy', /^truncated: the header length field needs 12 bytes, found 8$/);
  assertRefused(latin1('\x93NUMPY\x01\x00\x46'), 'h.npy', /^truncated: the header length field needs 10 bytes, found 9$/);
  assertRefused(latin1('\x93NUMPY\x03\x00\x46\x00\x00'), 'h3.npy', /^truncated: the header length field needs 12 bytes, found 11$/);
  // A PNG or a pickle renamed to .npy.
  assertRefused(latin1('\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR'), 'png.npy', /^not a \.npy file/);
  assertRefused(latin1('\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00]'), 'pickle.npy', /^not a \.npy file/);
});

test('header length beyond the file, and headers over the 10,000-byte limit (test_format.py test_bad_header, test_huge_header)', () => {
  // '\x01\x00': a header of length 1 that is not there.
  assertRefused(latin1('\x93NUMPY\x01\x00\x01\x00'), 'short.npy', /^header length 1 goes beyond the end of the file \(10 bytes\)$/);
  const full = v1(plain('(1,)'), f8(1));
  assertRefused(full.subarray(0, 40), 'cut.npy', /^header length \d+ goes beyond the end of the file \(40 bytes\)$/);
  const v2 = new Uint8Array(12 + 16);
  v2.set([...MAGIC, 2, 0]);
  new DataView(v2.buffer).setUint32(8, 0xffffffff, true);
  assertRefused(v2, 'v2.npy', /^header is 4294967295 bytes, over the limit of 10000$/);
  const long = v1(`{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }${' '.repeat(10_001)}`, f8(1));
  assertRefused(long, 'long.npy', /^header is \d+ bytes, over the limit of 10000$/);
  // Empty header: a zero length.
  assertRefused(latin1('\x93NUMPY\x01\x00\x00\x00'), 'empty.npy', /^header is not a plain dict literal \(it ends early, at character 0\)$/);
});

test('headers without exactly descr, fortran_order and shape are refused (test_format.py test_bad_header)', () => {
  // numpy's own bytes: {'descr': 'x', 'shape': (1, 2), } with length 0x36.
  const numpyMissing = latin1("\x93NUMPY\x01\x006\x00{'descr': 'x', 'shape': (1, 2), }                    \n");
  assertRefused(numpyMissing, 'missing.npy', /^(header is missing the key 'fortran_order'|unsupported dtype "x")$/);
  assertRefused(v1("{'descr': '<f8', 'shape': (1, 2), }", f8(1, 2)), 'nofo.npy', /^header is missing the key 'fortran_order'$/);
  assertRefused(v1("{'descr': '<f8', 'fortran_order': False}", f8(1)), 'noshape.npy', /^header is missing the key 'shape'$/);
  assertRefused(v1("{'fortran_order': False, 'shape': (1,)}", f8(1)), 'nodescr.npy', /^header is missing the key 'descr'$/);
  // numpy's write_array_header_1_0 with "extrakey": -1.
  assertRefused(
    v1("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), 'extrakey': -1, }", f8(1, 2)),
    'extra.npy',
    /^header has an unexpected key "extrakey" \(expected descr, fortran_order, shape\)$/,
  );
  assertRefused(v1("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (1,)}", f8(1)), 'dup.npy', /^header repeats the key "descr"$/);
  assertRefused(v1('{}', f8(1)), 'empty-dict.npy', /^header is missing the key 'descr'$/);
});

test('headers that are not a plain dict literal are never evaluated, only refused', () => {
  const cases: [string, RegExp][] = [
    ["__import__('os').system('rm -rf /')", /^header is not a plain dict literal \(unexpected "__import__\(/],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (1,)} + {}", /not a plain dict literal/],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': __import__('os')}", /unexpected key "x"/],
    ["{'descr': '<f8', 'fortran_order': bool(0), 'shape': (1,)}", /fortran_order is not True or False/],
    ["{'descr': '<f8', 'fortran_order': 0, 'shape': (1,)}", /fortran_order is not True or False/],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': [1]}", /not a plain dict literal/],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (1)}", /shape \(…\) is a number, not a tuple/],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (-1,)}", /negative dimension/],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (1.5,)}", /not a plain dict literal/],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (2*2,)}", /not a plain dict literal/],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (1,,)}", /not a plain dict literal/],
    ["{'descr': '<\\x66\\x38', 'fortran_order': False, 'shape': (1,)}", /not a plain dict literal/],
    ["{'descr': '<f8, 'fortran_order': False, 'shape': (1,)}", /not a plain dict literal/],
    ["{'descr': <f8, 'fortran_order': False, 'shape': (1,)}", /not a plain dict literal/],
    ["{descr: '<f8', 'fortran_order': False, 'shape': (1,)}", /not a plain dict literal/],
    ["{'descr': '<f8' 'fortran_order': False, 'shape': (1,)}", /not a plain dict literal/],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (1,)", /it ends early/],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (1,)} trailing", /unexpected "trailing/],
    ["['descr', '<f8']", /not a plain dict literal/],
    ["{'descr': [('x', '<f8'), ('y', '<f8')], 'fortran_order': False, 'shape': (1,)}", /structured dtypes/],
    ["{'descr': ('<f8', (2,)), 'fortran_order': False, 'shape': (1,)}", /sub-array dtypes/],
    ["{'descr': 'x', 'fortran_order': False, 'shape': (1,)}", /^unsupported dtype "x"$/],
    ["{'descr': '<f3', 'fortran_order': False, 'shape': (1,)}", /^unsupported dtype "<f3"$/],
    ["{'descr': '<i16', 'fortran_order': False, 'shape': (1,)}", /^unsupported dtype "<i16"$/],
    ["{'descr': '<f16', 'fortran_order': False, 'shape': (1,)}", /^unsupported dtype "<f16"$/],
    ["{'descr': '|b2', 'fortran_order': False, 'shape': (1,)}", /^unsupported dtype "\|b2"$/],
    ["{'descr': '|O', 'fortran_order': False, 'shape': (1,)}", /object arrays \(dtype "\|O"\) hold pickled Python objects and are never unpickled/],
    ["{'descr': '<c16', 'fortran_order': False, 'shape': (1,)}", /complex dtype "<c16"/],
    ["{'descr': '<U3', 'fortran_order': False, 'shape': (1,)}", /string or void dtype "<U3"/],
    ["{'descr': '|S8', 'fortran_order': False, 'shape': (1,)}", /string or void dtype "\|S8"/],
    ["{'descr': '|V8', 'fortran_order': False, 'shape': (1,)}", /string or void dtype "\|V8"/],
    ["{'descr': '<M8[s]', 'fortran_order': False, 'shape': (1,)}", /date\/time dtype "<M8\[s\]"/],
    ["{'descr': '<f8 ', 'fortran_order': False, 'shape': (1,)}", /^unsupported dtype "<f8 "$/],
    ["{'descr': '', 'fortran_order': False, 'shape': (1,)}", /^unsupported dtype ""$/],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': ()}", /^0-d array/],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (0,)}", /^empty array \(shape \(0,\)\)$/],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (4, 0)}", /^empty array \(shape \(4, 0\)\)$/],
  ];
  for (const [header, reason] of cases) {
    // Enough data for any shape here, so only the header can be the reason.
    assertRefused(v1(header, f8(1, 2, 3, 4, 5, 6, 7, 8)), 'h.npy', reason);
  }
  // A header with a line break inside still gives a one-line message.
  assertRefused(v1("{'descr': '<f8',\n 'fortran_order': False,\n 'shape': (1,), 'a\nb': 1}", f8(1)), 'nl.npy', /not a plain dict literal/);
  // Invalid UTF-8 in a 3.0 header.
  const v3 = v1(plain('(1,)'), f8(1)).slice();
  const headerLength = v3[8]! | (v3[9]! << 8);
  const as3 = new Uint8Array(v3.length + 2);
  as3.set([...MAGIC, 3, 0]);
  new DataView(as3.buffer).setUint32(8, headerLength, true);
  as3.set(v3.subarray(10), 12);
  as3[12 + 60] = 0xff;
  assertRefused(as3, 'bad-utf8.npy', /^header is not valid UTF-8$/);
});

test('absurd shapes are refused before anything is allocated', () => {
  const t0 = performance.now();
  assertRefused(v1(plain('(1000000000000000,)'), f8(1)), 'lie.npy', /^shape \(1000000000000000,\) has more than 200000000 elements$/);
  assertRefused(v1(plain('(100000, 100000, 100000)'), f8(1)), 'lie3.npy', /has more than 200000000 elements/);
  assertRefused(v1(plain('(1180591620717411303424,)'), f8(1)), 'lie70.npy', /^shape \(…,\) has more than 200000000 elements$/);
  assertRefused(v1(plain(`(${'9'.repeat(5000)},)`), f8(1)), 'digits.npy', /more than 200000000 elements|not a plain dict literal/);
  // Within the element limit but far beyond the file: refused on length, still without allocating.
  assertRefused(v1(plain('(150000000,)'), f8(1)), 'long.npy', /^data is truncated: shape \(150000000,\) of <f8 needs 1200000000 bytes, found 8$/);
  assert.ok(performance.now() - t0 < 500, 'refusals must be instant');
  // The limit is the caller's to choose.
  assertRefused(v1(plain('(8,)'), f8(1, 2, 3, 4, 5, 6, 7, 8)), 'cap.npy', /^shape \(8,\) has more than 4 elements$/, { maxElements: 4 });
  assert.equal(parseNpy(v1(plain('(4,)'), f8(1, 2, 3, 4)), 'ok.npy', { maxElements: 4 }).data.length, 4);
});

test('readNpySeries passes parse refusals through as NpyError', () => {
  assert.throws(
    () => readNpySeries(latin1('\x93NUMPY\x01\x00'), 'x.npy'),
    (e: unknown) => e instanceof NpyError && e.message === 'x.npy: truncated: the header length field needs 10 bytes, found 8',
  );
});

/** Reads or refuses; anything else (another exception type, a wrong length) fails the property. */
let fuzzRead = 0;
const fuzzReasons = new Set<string>();
function readsOrRefuses(bytes: Uint8Array): boolean {
  // The steps made from a file's first bytes while the rest is read: never a throw, whatever they hold.
  new CountingSteps().prepare(bytes.subarray(0, 100), bytes.length);
  try {
    const got = parseNpy(bytes, 'fuzz.npy', { maxElements: 1_000_000 });
    fuzzRead++;
    const count = got.shape.reduce((a, b) => a * b, 1);
    assert.equal(got.data.length, count);
    assert.ok(count > 0 && count <= 1_000_000);
    try {
      readNpySeries(bytes, 'fuzz.npy');
    } catch (e) {
      if (!(e instanceof NpyError)) throw e;
    }
    return true;
  } catch (e) {
    if (e instanceof NpyError) {
      assert.doesNotMatch(e.message, /[\n\r\u2028\u2029]/);
      assert.ok(e.message.startsWith('fuzz.npy: '));
      // The reason without numbers and quoted text, to count distinct refusal paths.
      fuzzReasons.add(e.reason.replace(/".*"|\(.*\)|\d+/g, '…'));
      return true;
    }
    throw e;
  }
}

// NPY_FUZZ_RUNS=50000 for a longer hunt; the default keeps the unit tier fast.
const FUZZ_RUNS = Number(process.env.NPY_FUZZ_RUNS ?? 2500);
let fuzzIterations = 0;

function seeds(): Uint8Array[] {
  const pick = [
    'f8_v1.npy',
    'f8_v2.npy',
    'f8_v3.npy',
    'fortran_4x3x2_f4.npy',
    'fortran_5x3_be.npy',
    'i8_be.npy',
    'u2_le.npy',
    'bool.npy',
    'D_loss.npy',
    'i1_na.npy',
  ];
  for (const name of pick) assert.ok(numpyGood.includes(name), name);
  const handOld = v1(plain('(2, 3)'), f8(1, 2, 3, 4, 5, 6), false);
  return [...pick.map((name) => new Uint8Array(readFileSync(join(dir, 'good', name)))), handOld];
}

test(`fuzz: mutated header bytes of valid files are read or refused (${FUZZ_RUNS} runs)`, () => {
  const files = seeds();
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: files.length - 1 }),
      fc.array(
        fc.tuple(fc.nat(), fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...latin1('{}()[],:\' "-0123456789LTrueFals\n\\<>|=fiubOcUSV')))),
        { minLength: 1, maxLength: 8 },
      ),
      (which, edits) => {
        fuzzIterations++;
        const bytes = files[which]!.slice();
        const headerEnd = Math.min(bytes.length, 140);
        for (const [at, value] of edits) bytes[at % headerEnd] = value;
        return readsOrRefuses(bytes);
      },
    ),
    { numRuns: FUZZ_RUNS, seed: 20260301 },
  );
});

test(`fuzz: lying header length fields and truncation at any point (${FUZZ_RUNS} runs)`, () => {
  const files = seeds();
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: files.length - 1 }),
      fc.option(fc.integer({ min: 0, max: 0xffffffff })),
      fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
      (which, headerLength, keep) => {
        fuzzIterations++;
        const bytes = files[which]!.slice();
        if (headerLength !== null) {
          const view = new DataView(bytes.buffer);
          if (bytes[6] === 1) view.setUint16(8, headerLength & 0xffff, true);
          else view.setUint32(8, headerLength, true);
        }
        return readsOrRefuses(bytes.subarray(0, Math.floor(bytes.length * keep)));
      },
    ),
    { numRuns: FUZZ_RUNS, seed: 7799 },
  );
});

test(`fuzz: headers assembled from grammar tokens, with lying shapes (${FUZZ_RUNS} runs)`, () => {
  const token = fc.constantFrom(
    '{',
    '}',
    '(',
    ')',
    '[',
    ']',
    ',',
    ':',
    ' ',
    "'descr'",
    "'fortran_order'",
    "'shape'",
    "'<f8'",
    "'>i8'",
    "'|b1'",
    "'<f2'",
    "'|O'",
    "'<c8'",
    'True',
    'False',
    '0',
    '1',
    '3',
    '-1',
    '1000000000000000',
    '99999999999999999999999',
    'L',
    "'",
    '"',
    '\\',
    '\n',
    '\x00',
    '\u00e9',
    '\u2028',
  );
  const wellFormed = fc
    .record({
      descr: fc.constantFrom('<f8', '>f8', '<f4', '>f2', '|u1', '<i8', '>u8', '|b1', '=i4', '|O', '<c16', '<U2'),
      fortran: fc.boolean(),
      shape: fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constantFrom(10 ** 15, 2 ** 31, 2 ** 53 + 2)), { maxLength: 4 }),
      data: fc.uint8Array({ maxLength: 600 }),
      exact: fc.boolean(),
    })
    .map(({ descr, fortran, shape, data, exact }) => {
      const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
      // Half the time the data is exactly as long as the shape says (when that is small).
      const needed = shape.reduce((a, b) => a * b, 1) * Number(/\d+/.exec(descr)?.[0] ?? 8);
      const body = exact && needed <= 4096 ? Uint8Array.from({ length: needed }, (_, i) => data[i % Math.max(1, data.length)] ?? i) : data;
      return v1(`{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${dims}, }`, body);
    });
  const soup = fc.tuple(fc.array(token, { maxLength: 40 }), fc.uint8Array({ maxLength: 64 })).map(([tokens, data]) => v1(tokens.join(''), data));
  fc.assert(
    fc.property(fc.oneof(wellFormed, soup), (bytes) => {
      fuzzIterations++;
      return readsOrRefuses(bytes);
    }),
    { numRuns: FUZZ_RUNS, seed: 2014 },
  );
});

test('fuzz: random bytes after a valid magic and version are read or refused', () => {
  fc.assert(
    fc.property(fc.constantFrom(1, 2, 3), fc.uint8Array({ maxLength: 300 }), (major, rest) => {
      fuzzIterations++;
      const bytes = new Uint8Array(8 + rest.length);
      bytes.set([...MAGIC, major, 0]);
      bytes.set(rest, 8);
      return readsOrRefuses(bytes);
    }),
    { numRuns: FUZZ_RUNS, seed: 93 },
  );
});

test('summary of damaged-file coverage', () => {
  console.log(
    `malformed cases refused: ${malformedCases}; fuzz iterations: ${fuzzIterations} (${fuzzRead} read, ${fuzzReasons.size} distinct refusal reasons)`,
  );
  // The fuzzer must reach both outcomes and many different refusals, or it tests nothing.
  assert.ok(fuzzRead > 100, `only ${fuzzRead} fuzz inputs were readable`);
  assert.ok(fuzzReasons.size >= 15, [...fuzzReasons].join(' | '));
  assert.ok(malformedCases >= 250);
  assert.ok(fuzzIterations >= 4 * FUZZ_RUNS);
});
