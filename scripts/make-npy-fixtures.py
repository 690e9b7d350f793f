#!/usr/bin/env python3
"""Writes .npy files with numpy (the ground truth) for test/unit/npy*.test.ts.

Usage: make-npy-fixtures.py OUT_DIR
  OUT_DIR/good/*.npy + good/manifest.json: {file: {dtype, shape, fortran, version, values}}
      values are the C-order float64 values; NaN/Inf/-0 are spelled "nan", "inf", "-inf", "-0".
  OUT_DIR/bad/*.npy + bad/manifest.json: {file: reason-category}
Cases mirror numpy/lib/tests/test_format.py (basic_arrays, record_arrays, truncation, huge header,
unicode field names, pickled objects) plus every dtype/byte order/version the reader must handle.
"""
import json
import math
import os
import sys
import warnings

import numpy as np
from numpy.lib import format as npformat

out = sys.argv[1]
good_dir = os.path.join(out, 'good')
bad_dir = os.path.join(out, 'bad')
os.makedirs(good_dir, exist_ok=True)
os.makedirs(bad_dir, exist_ok=True)
good = {}
bad = {}
warnings.simplefilter('ignore')


def encode(x):
    x = float(x)
    if math.isnan(x):
        return 'nan'
    if math.isinf(x):
        return 'inf' if x > 0 else '-inf'
    if x == 0 and math.copysign(1, x) < 0:
        return '-0'
    return x


def expected_values(a):
    flat = np.ascontiguousarray(a).ravel(order='C')
    if flat.dtype.kind in 'iu':
        # Python's float(int) rounds correctly, whatever the width.
        return [encode(float(int(v))) for v in flat]
    return [encode(v) for v in flat.astype(np.float64)]


def save_good(name, a, version=None, extra=b''):
    path = os.path.join(good_dir, name + '.npy')
    with open(path, 'wb') as f:
        npformat.write_array(f, a, version=version, allow_pickle=False)
        f.write(extra)
    with open(path, 'rb') as f:
        major = f.read(8)[6]
    good[name + '.npy'] = {
        'dtype': a.dtype.str,
        'shape': list(a.shape),
        'fortran': bool(a.flags.f_contiguous and not a.flags.c_contiguous),
        'version': f'{major}.0',
        'values': expected_values(a),
    }


def save_bad(name, a, category, version=None, truncate=0, allow_pickle=False):
    path = os.path.join(bad_dir, name + '.npy')
    with open(path, 'wb') as f:
        npformat.write_array(f, a, version=version, allow_pickle=allow_pickle)
    if truncate:
        size = os.path.getsize(path)
        with open(path, 'rb+') as f:
            f.truncate(size - truncate)
    bad[name + '.npy'] = category


specials = np.array([0.0, -0.0, 1.5, -2.25, np.nan, np.inf, -np.inf, 5e-324, 1.7976931348623157e308,
                     2.2250738585072014e-308, 0.1, 1 / 3, -1e-300])

# Format versions.
for v in [(1, 0), (2, 0), (3, 0)]:
    save_good(f'f8_v{v[0]}', specials, version=v)

# Every float width, both byte orders.
for order in '<>':
    save_good(f'f8_{"le" if order == "<" else "be"}', specials.astype(order + 'f8'))
    save_good(f'f4_{"le" if order == "<" else "be"}', specials.astype(order + 'f4'))
    # Every half-precision bit pattern: exact decoding of all 65,536 values.
    save_good(f'f2_all_{"le" if order == "<" else "be"}', np.arange(65536, dtype=np.uint16).view(np.float16).astype(order + 'f2'))
    # A short half-precision array (decoded value by value, not through the 65,536-entry table).
    save_good(f'f2_short_{"le" if order == "<" else "be"}', np.arange(0, 65536, 61, dtype=np.uint16).view(np.float16).astype(order + 'f2'))

# Every integer width, both byte orders, with the extremes.
for kind in 'iu':
    for size in [1, 2, 4, 8]:
        dt = np.dtype(f'{kind}{size}')
        info = np.iinfo(dt)
        vals = [info.min, info.min + 1, 0, 1, 2, 100, info.max - 1, info.max]
        if size == 8:
            vals += [2**53 + 1, 2**53 + 3, 2**62 + 12345] + ([-(2**53) - 1, -(2**62) - 7] if kind == 'i' else [2**63 + 2**11 + 1, 2**64 - 2**10])
        for order in ('<>' if size > 1 else '|'):
            a = np.array(vals, dtype=dt.newbyteorder(order if order != '|' else '='))
            save_good(f'{kind}{size}_{ {"<": "le", ">": "be", "|": "na"}[order] }', a)

save_good('bool', np.array([True, False, False, True, True]))

# Shapes and memory order.
base = np.arange(15, dtype=np.float64) * 1.25 - 3
save_good('col_n1', base.reshape(15, 1))
save_good('c_5x3', base.reshape(5, 3))
save_good('fortran_5x3', np.asfortranarray(base.reshape(5, 3)))
save_good('fortran_5x3_be', np.asfortranarray(base.reshape(5, 3)).astype('>f8', order='F'))
save_good('fortran_4x3x2_f4', np.asfortranarray((np.arange(24, dtype=np.float32) / 7).reshape(4, 3, 2)))
save_good('c_2x3x4', np.arange(24, dtype=np.int16).reshape(2, 3, 4))
steps = np.arange(0, 500, 5, dtype=np.float64)
save_good('D_loss', np.stack([steps, np.sin(steps) + 1, np.cos(steps) * 0.5], axis=1))
save_good('D_loss_fortran', np.asfortranarray(np.stack([steps, np.sin(steps) + 1, np.cos(steps) * 0.5], axis=1)))
save_good('losses', np.stack([np.linspace(1.4, 0.69, 40), np.linspace(0.6, 2.0, 40)], axis=1).astype('<f4'))
save_good('not_steps', np.stack([np.array([0, 1, 2, 2, 3], dtype=float), np.ones(5)], axis=1))
save_good('cols16', np.arange(10 * 16, dtype=np.float64).reshape(10, 16) / 3)
save_good('cols17', np.arange(10 * 17, dtype=np.float64).reshape(10, 17) / 3)
save_good('seed', (np.arange(25 * 100, dtype=np.float32) / 1000).reshape(25, 100))
save_good('extra_bytes', specials, extra=b'\x00garbage after the array\n')
save_good('single', np.array([0.693]))

# numpy's own basic_arrays from test_format.py: real ones must round-trip, the rest must be refused.
scalars = [np.uint8, np.int8, np.uint16, np.int16, np.uint32, np.int32, np.uint64, np.int64,
           np.float32, np.float64, np.complex64, np.complex128, object]
for scalar in scalars:
    for endian in '<>':
        dtype = np.dtype(scalar).newbyteorder(endian)
        name = f'{np.dtype(scalar).name}_{"le" if endian == "<" else "be"}'
        b = np.arange(1500).astype(dtype)
        arrays = {'empty': np.array([], dtype=dtype), 'rank0': np.array(10, dtype=dtype), '1d': b,
                  '2d_c': b.reshape((30, 50)), '2d_f': b.reshape((30, 50)).T,
                  '2d_noncontig': b.reshape((30, 50))[::-1, ::2]}
        for shape_name, a in arrays.items():
            tag = f'basic_{name}_{shape_name}'
            if dtype.kind == 'O':
                save_bad(tag, a, 'object', allow_pickle=True)
            elif dtype.kind == 'c':
                save_bad(tag, a, 'complex')
            elif shape_name == 'empty':
                save_bad(tag, a, 'empty')
            elif shape_name == 'rank0':
                save_bad(tag, a, 'zero-d')
            else:
                save_good(tag, a)
                # test_file_truncated: one byte short.
                one_short = 'truncated-whole' if a.dtype.itemsize == 1 else 'truncated-partial'
                save_bad(tag + '_truncated1', a, one_short, truncate=1)
                save_bad(tag + '_truncated_item', a, 'truncated-whole', truncate=a.dtype.itemsize)

Pdescr = [('x', 'i4', (2,)), ('y', 'f8', (2, 2)), ('z', 'u1')]
PbufferT = [([3, 2], [[6., 4.], [6., 4.]], 8), ([4, 3], [[7., 5.], [7., 5.]], 9)]
for endian in '<>':
    save_bad(f'record_P_{endian == "<" and "le" or "be"}', np.array(PbufferT, dtype=np.dtype(Pdescr).newbyteorder(endian)), 'structured')
save_bad('record_subarray', np.zeros(1, dtype=[('c', ('<f8', (5,)), (2,))]), 'structured')
# test_unicode_field_names: a 3.0 (utf8) header.
save_bad('unicode_fields_v3', np.array([(1, 3), (1, 2)], dtype=[('int', int), ('\u6574\u5f62', int)]), 'structured', version=(3, 0))
# test_huge_header: a 2.0 header far over 10,000 characters.
save_bad('huge_header', np.array(1, dtype='i,' * 10000 + 'i'), 'huge-header')
save_bad('strings', np.array(['a', 'bc']), 'string')
save_bad('bytes', np.array([b'a', b'bc']), 'string')
save_bad('void', np.zeros(3, dtype='V4'), 'string')
save_bad('datetime', np.array(['2020-01-01'], dtype='datetime64[D]'), 'datetime')
save_bad('longdouble', np.zeros(3, dtype=np.longdouble), 'dtype')

with open(os.path.join(good_dir, 'manifest.json'), 'w') as f:
    json.dump(good, f)
with open(os.path.join(bad_dir, 'manifest.json'), 'w') as f:
    json.dump(bad, f)
print(len(good), len(bad))
