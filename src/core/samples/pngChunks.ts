// The chunk layer of a PNG for pngRows.ts: its header, and the file's bytes read through one
// reused buffer, whole for small chunks or streamed in pieces for image data.
import type { ByteReader } from './rowConsumer';

export const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

export interface Header {
  width: number;
  height: number;
  depth: number;
  colorType: number;
  interlaced: boolean;
}

export function parseHeader(b: Buffer): Header {
  if (b.length !== 13) throw new Error('image header has the wrong length');
  const width = b.readUInt32BE(0);
  const height = b.readUInt32BE(4);
  const depth = b[8]!;
  const colorType = b[9]!;
  if (width === 0 || height === 0) throw new Error('image has no pixels');
  if (!DEPTHS[colorType]?.includes(depth)) throw new Error(`unsupported colour type ${colorType} with bit depth ${depth}`);
  if (b[10] !== 0 || b[11] !== 0 || b[12]! > 1) throw new Error('unsupported compression, filter or interlace method');
  return { width, height, depth, colorType, interlaced: b[12] === 1 };
}

/** File bytes through one reused buffer: whole small pieces, or a long run streamed in pieces. */
export class ChunkReader {
  private readonly buf: Buffer;
  private start = 0;
  private end = 0;
  private position = 0;

  constructor(
    private readonly file: ByteReader,
    size: number,
  ) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** A copy of the next `n` bytes. */
  async take(n: number): Promise<Buffer> {
    const out = Buffer.allocUnsafe(n);
    let got = 0;
    while (got < n) {
      if (this.start === this.end) await this.fill();
      const k = Math.min(n - got, this.end - this.start);
      this.buf.copy(out, got, this.start, this.start + k);
      this.start += k;
      got += k;
    }
    return out;
  }

  /** The next `n` bytes as views of the buffer, each valid until the next piece is asked for. */
  async *pieces(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.start === this.end) await this.fill();
      const k = Math.min(left, this.end - this.start);
      yield this.buf.subarray(this.start, this.start + k);
      this.start += k;
      left -= k;
    }
  }

  private async fill(): Promise<void> {
    const { bytesRead } = await this.file.read(this.buf, 0, this.buf.length, this.position);
    if (bytesRead === 0) throw new Error('file is truncated');
    this.position += bytesRead;
    this.start = 0;
    this.end = bytesRead;
  }
}
