// The WebAssembly half of sample decoding (source: assembly/digestKernel.ts): undoing PNG scanline
// filters, 8-bit RGB(A) to luma, and folding luma rows into the layout profile and the downscaled
// copy. Each ScanlineKernel or ProfileKernel is its own instance with its own memory, laid out once
// for one image, so nothing is shared between images, threads or concurrent decodes.
import { DIGEST_KERNEL_WASM } from './digestKernel.wasm';

// The few WebAssembly APIs used here (this project's lib settings leave the global untyped).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface Exports {
  memory: WasmMemory;
  unfilter(line: number, prev: number, length: number, bpp: number): number;
  unfilterRgbLuma(line: number, prev: number, length: number, gray: number): number;
  lumaRgba(rgba: number, n: number, gray: number): void;
  setup(...args: number[]): void;
  digestRow(y: number): number;
}

// Compiled once when this module loads (a few KB, well under a millisecond); instances are per image.
const KERNEL = new wasm.Module(Buffer.from(DIGEST_KERNEL_WASM, 'base64'));

/** A bump allocator over a fresh instance's memory, grown once to the size the image needs. */
class Arena {
  readonly exports: Exports;
  private top = 1024;
  private readonly sizes: number[] = [];

  constructor(bytes: readonly number[]) {
    this.exports = new wasm.Instance(KERNEL, {}).exports as unknown as Exports;
    // 16-byte aligned blocks (vector loads, f64 arrays), after the module's own first KB.
    let total = this.top;
    for (const b of bytes) {
      this.sizes.push(total);
      total += Math.ceil(b / 16) * 16;
    }
    const have = this.exports.memory.buffer.byteLength;
    if (total > have) this.exports.memory.grow(Math.ceil((total - have) / 65536));
  }

  /** Byte offset of block `i` of the sizes given to the constructor. */
  at(i: number): number {
    return this.sizes[i]!;
  }

  get buffer(): ArrayBuffer {
    return this.exports.memory.buffer;
  }
}

/** Two scanlines (the current and the one above) and a luma row, for one PNG's rows. */
export class ScanlineKernel {
  private readonly arena: Arena;
  private lineAt: number;
  private prevAt: number;
  /** The scanline being filled, then unfiltered in place (its filter byte first). */
  line: Uint8Array;
  /** The unfiltered scanline above it. */
  prev: Uint8Array;
  /** Luma of the last scanline turned to luma here. */
  readonly gray: Float32Array;

  constructor(lineBytes: number, width: number) {
    this.arena = new Arena([lineBytes, lineBytes, 4 * width]);
    this.lineAt = this.arena.at(0);
    this.prevAt = this.arena.at(1);
    this.line = new Uint8Array(this.arena.buffer, this.lineAt, lineBytes);
    this.prev = new Uint8Array(this.arena.buffer, this.prevAt, lineBytes);
    this.gray = new Float32Array(this.arena.buffer, this.arena.at(2), width);
  }

  /** Undoes the filter of `line` (the first `length` bytes) against `prev`. */
  unfilter(length: number, bpp: number): void {
    if (this.arena.exports.unfilter(this.lineAt, this.prevAt, length, bpp) !== 0) throw new Error(`unknown scanline filter ${this.line[0]}`);
  }

  /** Unfilters an 8-bit RGB `line` and makes its luma (`gray`) in the same pass. */
  unfilterRgb(length: number): void {
    if (this.arena.exports.unfilterRgbLuma(this.lineAt, this.prevAt, length, this.gray.byteOffset) !== 0)
      throw new Error(`unknown scanline filter ${this.line[0]}`);
  }

  /** `gray` from `n` pixels of the unfiltered 8-bit RGBA line (8-bit RGB gets it from unfilterRgb). */
  lumaRgba(n: number): void {
    this.arena.exports.lumaRgba(this.lineAt + 1, n, this.gray.byteOffset);
  }

  /** The line just made becomes the one above the next. */
  advance(): void {
    [this.line, this.prev] = [this.prev, this.line];
    [this.lineAt, this.prevAt] = [this.prevAt, this.lineAt];
  }
}

/** What ProfileKernel gives back at the end: the profile's arrays and the downscaled copy, copied out. */
export interface ProfileArrays {
  rowFlat: Uint8Array;
  rowEdge: Float32Array;
  rowSum: Float64Array;
  rowSq: Float64Array;
  colMin: Float32Array;
  colMax: Float32Array;
  colEdge: Float32Array;
  colSum: Float64Array;
  colSq: Float64Array;
  small: Float32Array;
}

/** Luma rows folded into layout.ts's profile and a box-downscaled copy (DigestBuilder's arithmetic). */
export class ProfileKernel {
  private readonly arena: Arena;
  /** Where the caller puts row y's luma before `row(y)`. */
  readonly gray: Float32Array;
  private readonly views: Omit<ProfileArrays, 'small'>;
  /** The row of the downscaled copy the kernel has just completed. */
  private readonly smallRow: Float32Array;
  /** The downscaled copy, kept here in JavaScript memory as its rows complete. */
  private readonly small: Float32Array;

  constructor(width: number, height: number, strips: number, xStarts: Int32Array, yStrip: Uint8Array, factor: number, smallWidth: number, smallHeight: number) {
    const sizes = {
      gray: 4 * width,
      prevGray: 4 * width,
      xStarts: 4 * (strips + 1),
      yStrip: height,
      rowFlat: strips * height,
      rowEdge: 4 * height,
      rowSum: 8 * height,
      rowSq: 8 * height,
      colMin: 4 * strips * width,
      colMax: 4 * strips * width,
      colEdge: 4 * width,
      colSum: 8 * width,
      colSq: 8 * width,
      small: 4 * smallWidth,
      acc: 8 * smallWidth,
    };
    const names = Object.keys(sizes) as Array<keyof typeof sizes>;
    this.arena = new Arena(names.map((n) => sizes[n]));
    const at = (n: keyof typeof sizes) => this.arena.at(names.indexOf(n));
    const buf = this.arena.buffer;
    this.gray = new Float32Array(buf, at('gray'), width);
    new Int32Array(buf, at('xStarts'), strips + 1).set(xStarts);
    new Uint8Array(buf, at('yStrip'), height).set(yStrip);
    this.views = {
      rowFlat: new Uint8Array(buf, at('rowFlat'), strips * height),
      rowEdge: new Float32Array(buf, at('rowEdge'), height),
      rowSum: new Float64Array(buf, at('rowSum'), height),
      rowSq: new Float64Array(buf, at('rowSq'), height),
      colMin: new Float32Array(buf, at('colMin'), strips * width).fill(Infinity),
      colMax: new Float32Array(buf, at('colMax'), strips * width).fill(-Infinity),
      colEdge: new Float32Array(buf, at('colEdge'), width),
      colSum: new Float64Array(buf, at('colSum'), width),
      colSq: new Float64Array(buf, at('colSq'), width),
    };
    this.smallRow = new Float32Array(buf, at('small'), smallWidth);
    this.small = new Float32Array(smallWidth * smallHeight);
    this.arena.exports.setup(
      width,
      height,
      factor,
      smallWidth,
      at('gray'),
      at('prevGray'),
      at('xStarts'),
      at('yStrip'),
      at('rowFlat'),
      at('rowEdge'),
      at('rowSum'),
      at('rowSq'),
      at('colMin'),
      at('colMax'),
      at('colEdge'),
      at('colSum'),
      at('colSq'),
      at('small'),
      at('acc'),
    );
  }

  /** Folds in row `y`, whose luma is in `gray` (copied there first when it is another array). */
  row(y: number, gray: Float32Array): void {
    if (gray !== this.gray) this.gray.set(gray.subarray(0, this.gray.length));
    const done = this.arena.exports.digestRow(y);
    if (done >= 0) this.small.set(this.smallRow, done * this.smallRow.length);
  }

  /** Copies of the profile's arrays, out of the instance's memory (let go with this object), and the downscaled copy. */
  result(): ProfileArrays {
    const v = this.views;
    return {
      rowFlat: v.rowFlat.slice(),
      rowEdge: v.rowEdge.slice(),
      rowSum: v.rowSum.slice(),
      rowSq: v.rowSq.slice(),
      colMin: v.colMin.slice(),
      colMax: v.colMax.slice(),
      colEdge: v.colEdge.slice(),
      colSum: v.colSum.slice(),
      colSq: v.colSq.slice(),
      small: this.small,
    };
  }
}
