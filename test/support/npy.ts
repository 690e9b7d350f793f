// The one writer of `.npy` fixtures in TypeScript: the bytes np.save writes for a 1-D little-endian
// float64 array (format 1.0, header padded to a multiple of 64, ending in a newline). Tests of the
// reader itself use files numpy wrote (scripts/make-npy-fixtures.py); this is for tests that need
// a run on disk.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function npyBytes(values: ArrayLike<number>): Buffer {
  const dict = `{'descr': '<f8', 'fortran_order': False, 'shape': (${values.length},), }`;
  // magic(6) + version(2) + header length(2) + header.
  const header = dict + ' '.repeat((64 - ((10 + dict.length + 1) % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  const data = Buffer.alloc(values.length * 8);
  for (let i = 0; i < values.length; i++) data.writeDoubleLE(values[i]!, i * 8);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), data]);
}

/** Writes `npyBytes(values)` to `path`, making its folder. */
export function writeNpy(path: string, values: ArrayLike<number>): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, npyBytes(values));
}
