// Reads NumPy `.npy` files (format 1.0/2.0/3.0) into float64 values in C order, and turns loss
// arrays into named series.
//
// Why not npyjs's `parse`: it finds the header keys with regexes (a malformed header is half-read,
// never refused), decodes it as latin1 even for 3.0 (utf8), rejects big-endian dtypes, ignores
// `fortran_order`, never checks the data length against the shape (a truncated file silently
// yields fewer values, extra bytes become extra values), builds views from offset 0 of the
// ArrayBuffer (wrong for a Node Buffer slice), throws a RangeError on unaligned data and turns
// bools into a JS array. So the header is parsed here with a strict literal grammar (never
// evaluated) and every length is checked before anything is allocated; npyjs still decodes float16.
import { fileBaseName } from '../paths';
import { float16ToFloat32 } from 'npyjs';
import { t } from '../l10n';
import type { RawSeries } from '../model';
import { formatShape, NpyError, readLayout, type Dtype, type Layout, type NpyArray } from './npyHeader';

export { NpyError, type NpyArray };

const DEFAULT_MAX_ELEMENTS = 200_000_000;
/** More columns than this is a matrix (latent seeds, images), not a loss history. */
const MAX_SERIES_COLUMNS = 16;
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Parses `.npy` bytes. Throws NpyError (never another error) for anything it cannot read. */
export function parseNpy(bytes: Uint8Array, fileName: string, opts?: { maxElements?: number }): NpyArray {
  const layout = readLayout(bytes, fileName, opts?.maxElements ?? DEFAULT_MAX_ELEMENTS);
  return { ...layout.array, data: readData(bytes, layout) };
}

/**
 * Turns a loss array into named series: `(N,)`/`(N,1)` is one series; `(N,k)` is one series per
 * column (`<base>[<col>]`), except that an integer, strictly increasing first column is the steps.
 * Series of one file share one `steps` array; files read with the same `counting` (one run) too.
 */
export function readNpySeries(bytes: Uint8Array, fileName: string, counting = new CountingSteps()): RawSeries[] {
  const layout = readLayout(bytes, fileName, DEFAULT_MAX_ELEMENTS);
  const { shape } = layout.array;
  const rows = shape[0]!;
  const columns = shape.length === 2 ? shape[1]! : 1;
  // Checked before converting anything: an image stack can be large and is refused anyway.
  if (shape.length > 2 || columns > MAX_SERIES_COLUMNS) {
    throw new NpyError(fileName, t('shape {0} is not a loss history', formatShape(shape)));
  }
  const data = readData(bytes, layout);
  const base = baseName(fileName);
  if (columns === 1) return [{ name: base, column: null, steps: counting.of(rows), values: data }];

  const firstColumn = column(data, rows, columns, 0);
  const hasSteps = isStepColumn(firstColumn);
  const steps = hasSteps ? firstColumn : counting.of(rows);
  const series: RawSeries[] = [];
  for (let c = hasSteps ? 1 : 0; c < columns; c++) {
    series.push({ name: `${base}[${c}]`, column: c, steps, values: c === 0 ? firstColumn : column(data, rows, columns, c) });
  }
  return series;
}

function readData(bytes: Uint8Array, layout: Layout): Float64Array {
  const data = toFloat64(bytes, layout.dataOffset, layout.count, layout.dtype);
  const { shape, fortranOrder } = layout.array;
  return fortranOrder && shape.length > 1 ? fortranToC(data, shape) : data;
}

/** Arrays at least this long are decoded through a table of all 65,536 half-precision bit patterns. */
const HALF_TABLE_FROM = 65536;

/**
 * The table, decoded by npyjs. Made per read and dropped with it (no module state): 65,536 decodes
 * are small beside the array that needs them.
 */
function halfTable(): Float64Array {
  const table = new Float64Array(65536);
  for (let i = 0; i < 65536; i++) table[i] = float16ToFloat32(i);
  return table;
}

/**
 * To float64 in one pass. Native-order float64 at an aligned offset is returned as a view
 * (zero-copy). Unaligned or byte-swapped data is first copied once into fresh (aligned) memory
 * and swapped there with integer ops, which is several times faster than a DataView loop.
 */
function toFloat64(bytes: Uint8Array, offset: number, count: number, d: Dtype): Float64Array {
  const byteLength = count * d.size;
  const swap = d.size > 1 && d.little !== HOST_LITTLE_ENDIAN;
  let buffer: ArrayBufferLike = bytes.buffer;
  let at = bytes.byteOffset + offset;
  if (swap || at % d.size !== 0) {
    // Unaligned data comes from pooled Node Buffers or odd header lengths.
    const copy = new Uint8Array(byteLength);
    copy.set(bytes.subarray(offset, offset + byteLength));
    if (swap) swapBytes(copy.buffer, count, d.size);
    buffer = copy.buffer;
    at = 0;
  }
  switch (`${d.kind}${d.size}`) {
    case 'f8':
      return new Float64Array(buffer, at, count);
    case 'f4':
      return widen(new Float32Array(buffer, at, count));
    case 'f2': {
      const u16 = new Uint16Array(buffer, at, count);
      const out = new Float64Array(count);
      if (count < HALF_TABLE_FROM) {
        for (let i = 0; i < count; i++) out[i] = float16ToFloat32(u16[i]!);
      } else {
        const table = halfTable();
        for (let i = 0; i < count; i++) out[i] = table[u16[i]!]!;
      }
      return out;
    }
    case 'i1':
      return widen(new Int8Array(buffer, at, count));
    case 'u1':
      return widen(new Uint8Array(buffer, at, count));
    case 'b1': {
      const u8 = new Uint8Array(buffer, at, count);
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = u8[i] ? 1 : 0;
      return out;
    }
    case 'i2':
      return widen(new Int16Array(buffer, at, count));
    case 'u2':
      return widen(new Uint16Array(buffer, at, count));
    case 'i4':
      return widen(new Int32Array(buffer, at, count));
    case 'u4':
      return widen(new Uint32Array(buffer, at, count));
    default: {
      // i8/u8: hi * 2^32 is exact and adding lo rounds once, exactly like Number(bigint), without BigInts.
      const words = new Uint32Array(buffer, at, count * 2);
      const signed = d.kind === 'i';
      const lo = HOST_LITTLE_ENDIAN ? 0 : 1;
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const hi = signed ? words[2 * i + 1 - lo]! | 0 : words[2 * i + 1 - lo]!;
        out[i] = hi * 4294967296 + words[2 * i + lo]!;
      }
      return out;
    }
  }
}

/** Typed-array `set` converts natively, much faster than a JS loop or `Float64Array.from`. */
function widen(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  out.set(values);
  return out;
}

/** Reverses the bytes of each element in place (buffer starts at 0, so it is aligned). */
function swapBytes(buffer: ArrayBufferLike, count: number, size: number): void {
  if (size === 2) {
    const u16 = new Uint16Array(buffer, 0, count);
    for (let i = 0; i < count; i++) {
      const x = u16[i]!;
      u16[i] = ((x & 0xff) << 8) | (x >>> 8);
    }
    return;
  }
  const u32 = new Uint32Array(buffer, 0, (count * size) / 4);
  const bswap = (x: number) => ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
  if (size === 4) {
    for (let i = 0; i < count; i++) u32[i] = bswap(u32[i]!);
    return;
  }
  for (let i = 0; i < 2 * count; i += 2) {
    const a = u32[i]!;
    u32[i] = bswap(u32[i + 1]!);
    u32[i + 1] = bswap(a);
  }
}

/** Reorders column-major values to row-major. */
function fortranToC(data: Float64Array, shape: number[]): Float64Array {
  const out = new Float64Array(data.length);
  if (shape.length === 2) {
    const [rows, cols] = shape as [number, number];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) out[r * cols + c] = data[c * rows + r]!;
    }
    return out;
  }
  // n-D: walk C order with an odometer and track the Fortran offset.
  const nd = shape.length;
  const fStride = new Array<number>(nd);
  let s = 1;
  for (let k = 0; k < nd; k++) {
    fStride[k] = s;
    s *= shape[k]!;
  }
  const index = new Array<number>(nd).fill(0);
  let f = 0;
  for (let i = 0; i < data.length; i++) {
    out[i] = data[f]!;
    for (let k = nd - 1; k >= 0; k--) {
      index[k]!++;
      f += fStride[k]!;
      if (index[k]! < shape[k]!) break;
      f -= fStride[k]! * shape[k]!;
      index[k] = 0;
    }
  }
  return out;
}

function baseName(fileName: string): string {
  const last = fileBaseName(fileName);
  return last.replace(/\.npy$/i, '');
}

/**
 * The steps 0…N−1 of `.npy` series, shared by the files of ONE run: the D and the G file (same length)
 * get the same array instead of 80 MB more per 10,000,000-step file. One is made per run load and
 * dropped with it, never kept by a module: the worker moves a run's arrays to the extension host,
 * and a module-level copy handed to the next run of the same length would be a detached buffer
 * (issue #13). Only whole arrays are shared, never views of a longer one, so posting a short run to
 * another thread never copies a long buffer.
 */
export class CountingSteps {
  private steps = new Float64Array(0);

  /** 0…n−1; the same array for every call with the same n until another length is asked for. */
  of(n: number): Float64Array {
    if (this.steps.length !== n || this.steps.buffer.byteLength === 0) {
      const steps = new Float64Array(n);
      // In chunks: a small function called often is optimised early; one long loop run once is not.
      for (let i = 0; i < n; i += 1 << 16) fillCounting(steps, i, Math.min(n, i + (1 << 16)));
      this.steps = steps;
    }
    return this.steps;
  }

  /**
   * Makes the steps a `.npy` of one series will get, from the file's first bytes, while the rest of
   * the file is still being read: writing 80 MB of fresh memory (a page fault per 4 KiB) is a fifth
   * of reading a 10,000,000-step run, and overlaps the read instead of following it. Never throws:
   * whatever is wrong with the file is for the real read to report.
   */
  prepare(head: Uint8Array, fileSize: number): void {
    try {
      const { shape } = readLayout(head, '', DEFAULT_MAX_ELEMENTS, fileSize).array;
      if (shape.length === 1 || (shape.length === 2 && shape[1] === 1)) this.of(shape[0]!);
    } catch {
      // reported by the read itself
    }
  }
}

function fillCounting(steps: Float64Array, from: number, to: number): void {
  for (let i = from; i < to; i++) steps[i] = i;
}

function column(data: Float64Array, rows: number, cols: number, c: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = data[r * cols + c]!;
  return out;
}

/** A `[step, …]` column: at least two rows, integers, strictly increasing. */
function isStepColumn(values: Float64Array): boolean {
  if (values.length < 2) return false;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isInteger(values[i])) return false;
    if (i > 0 && !(values[i]! > values[i - 1]!)) return false;
  }
  return true;
}
