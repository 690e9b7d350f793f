// A baseline JPEG read as rows while its bytes are read: one MCU row of component planes (16 lines
// of a 7680 px grid, about 200 KB) instead of jpeg-js's coefficient blocks, planes and frame for
// the whole image (several hundred MB at 7680×4096). Pixels are jpeg-js's: its IDCT (jpegScan.ts),
// its nearest-sample upsampling and its YCbCr→RGB conversion (always applied to three components,
// as jpeg-js does by default), then decoding.ts's luma. Progressive and other JPEGs answer 'whole':
// the caller decodes them with jpeg-js as before.
import type { ByteReader } from './rowConsumer';
import { BitReader, buildHuffman, flatSample, idct, NEED_MORE, ZIGZAG, type HuffmanTable, type ScanComponent } from './jpegScan';
import type { RowConsumer } from './rowConsumer';
import { lumaOf } from './decoding';

export interface JpegRowOptions {
  /** Throws to refuse an image by its declared size, before any pixel memory is allocated. */
  accept?: (width: number, height: number) => void;
  /** Bytes of the file read per call (default 1 MiB). */
  readSize?: number;
  /** Never read past this many bytes of the file (its size when the read began). */
  limit?: number;
}

interface FrameComponent {
  id: number;
  h: number;
  v: number;
  tq: number;
}

interface Frame {
  width: number;
  height: number;
  components: FrameComponent[];
}

const TRUNCATED = 'image data ends early (truncated or still being written)';

/** The file's bytes through the bit reader's buffer, refilled (and grown, for a huge MCU row) on demand. */
class Source {
  private filePos = 0;

  constructor(
    readonly r: BitReader,
    private readonly file: ByteReader,
    private readonly limit: number,
    readSize: number,
  ) {
    r.buf = new Uint8Array(Math.max(64, Math.min(readSize, limit)));
  }

  /** Drops the bytes before `keep`, reads more after the rest; returns how far positions moved. */
  async more(keep: number): Promise<number> {
    const r = this.r;
    if (keep > 0) r.buf.copyWithin(0, keep, r.end);
    r.pos -= keep;
    r.end -= keep;
    if (r.end === r.buf.length) {
      const bigger = new Uint8Array(r.buf.length * 2);
      bigger.set(r.buf);
      r.buf = bigger;
    }
    const want = Math.min(r.buf.length - r.end, this.limit - this.filePos);
    const { bytesRead } = want > 0 ? await this.file.read(r.buf, r.end, want, this.filePos) : { bytesRead: 0 };
    this.filePos += bytesRead;
    r.end += bytesRead;
    if (bytesRead === 0 || this.filePos >= this.limit) r.eof = true;
    return keep;
  }

  async ensure(n: number): Promise<void> {
    while (this.r.end - this.r.pos < n) {
      if (this.r.eof) throw new Error(TRUNCATED);
      await this.more(this.r.pos);
    }
  }

  u8(): number {
    return this.r.buf[this.r.pos++]!;
  }

  u16(): number {
    const r = this.r;
    r.pos += 2;
    return (r.buf[r.pos - 2]! << 8) | r.buf[r.pos - 1]!;
  }

  /** A segment's body (after its length field), whole in the buffer. */
  async segment(): Promise<number> {
    await this.ensure(2);
    const length = this.u16();
    if (length < 2) throw new Error('segment length is too short');
    await this.ensure(length - 2);
    return length - 2;
  }

  async skipSegment(): Promise<void> {
    const length = await this.segment();
    this.r.pos += length;
  }
}

/**
 * Reads the JPEG in `file` and feeds its rows to `consumer`. Returns 'whole' without calling the
 * consumer when the file is not a baseline JPEG this reader streams (progressive, 12-bit, CMYK,
 * one scan per component...). Throws a one-line reason, without the file name, on a damaged,
 * truncated or refused image; never reads past the end-of-image marker or `limit`.
 */
export async function readJpegRows(file: ByteReader, consumer: RowConsumer, opts: JpegRowOptions = {}): Promise<'streamed' | 'whole'> {
  const r = new BitReader();
  const src = new Source(r, file, opts.limit ?? Number.MAX_SAFE_INTEGER, opts.readSize ?? 1 << 20);
  await src.ensure(2);
  if (src.u8() !== 0xff || src.u8() !== 0xd8) throw new Error('no start-of-image marker');
  const quant: (Int32Array | undefined)[] = [];
  const dc: (HuffmanTable | undefined)[] = [];
  const ac: (HuffmanTable | undefined)[] = [];
  let interval = 0;
  let frame: Frame | undefined;
  for (;;) {
    await src.ensure(2);
    if (src.u8() !== 0xff) return 'whole';
    const marker = src.u8();
    if (marker === 0xff) {
      r.pos--; // fill byte
    } else if ((marker >= 0xe0 && marker <= 0xef) || marker === 0xfe || marker === 0xdc) {
      await src.skipSegment();
    } else if (marker === 0xdb) {
      const end = (await src.segment()) + r.pos;
      while (r.pos < end) {
        const spec = src.u8();
        const wide = spec >> 4;
        if (wide > 1) throw new Error('DQT: invalid table spec');
        if (r.pos + 64 * (wide + 1) > end) throw new Error('DQT: table runs past its segment');
        const table = new Int32Array(64);
        for (let j = 0; j < 64; j++) table[ZIGZAG[j]!] = wide ? src.u16() : src.u8();
        quant[spec & 15] = table;
      }
    } else if (marker === 0xc4) {
      const end = (await src.segment()) + r.pos;
      while (r.pos < end) {
        if (r.pos + 17 > end) throw new Error('DHT: table runs past its segment');
        const spec = src.u8();
        const counts = r.buf.slice(r.pos, r.pos + 16);
        r.pos += 16;
        const total = counts.reduce((s, c) => s + c, 0);
        if (r.pos + total > end) throw new Error('DHT: table runs past its segment');
        const values = r.buf.slice(r.pos, r.pos + total);
        r.pos += total;
        (spec >> 4 === 0 ? dc : ac)[spec & 15] = buildHuffman(counts, values);
      }
    } else if (marker === 0xdd) {
      if ((await src.segment()) !== 2) throw new Error('DRI: wrong length');
      interval = src.u16();
    } else if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (frame) throw new Error('more than one frame');
      const length = await src.segment();
      if (length < 6) throw new Error('frame header is too short');
      const precision = src.u8();
      const height = src.u16();
      const width = src.u16();
      const count = src.u8();
      if (length !== 6 + 3 * count) throw new Error('frame header has the wrong length');
      if (width === 0 || height === 0) throw new Error('image has no pixels');
      const components: FrameComponent[] = [];
      for (let i = 0; i < count; i++) {
        const id = src.u8();
        const hv = src.u8();
        const tq = src.u8();
        if (hv >> 4 === 0 || (hv & 15) === 0) throw new Error('Invalid sampling factor, expected values above 0');
        if (components.some((c) => c.id === id)) throw new Error(`component ${id} is declared twice`);
        components.push({ id, h: hv >> 4, v: hv & 15, tq });
      }
      opts.accept?.(width, height);
      frame = { width, height, components };
      const streamable =
        (marker === 0xc0 || marker === 0xc1) && precision === 8 && (count === 1 || count === 3) && components.every((c) => c.h <= 4 && c.v <= 4);
      if (!streamable) return 'whole';
    } else if (marker === 0xda) {
      if (!frame) throw new Error('image data before the frame header');
      const length = await src.segment();
      const count = src.u8();
      if (length !== 4 + 2 * count) throw new Error('scan header has the wrong length');
      const order: number[] = [];
      const scan: ScanComponent[] = [];
      for (let i = 0; i < count; i++) {
        const index = frame.components.findIndex((c) => c.id === r.buf[r.pos]);
        if (index < 0) throw new Error(`scan names unknown component ${r.buf[r.pos]}`);
        const tables = r.buf[r.pos + 1]!;
        r.pos += 2;
        const d = dc[tables >> 4];
        const a = ac[tables & 15];
        const q = quant[frame.components[index]!.tq];
        if (!d || !a) throw new Error('scan uses an undefined Huffman table');
        if (!q) throw new Error('component uses an undefined quantization table');
        if (order.includes(index)) throw new Error('scan names a component twice');
        order.push(index);
        scan.push({ dc: d, ac: a, quant: q, pred: 0 });
      }
      r.pos += 3; // spectral selection and approximation: fixed in a baseline scan
      // One scan with every component; a scan per component would need whole planes.
      if (count !== frame.components.length) return 'whole';
      await decodeScan(src, frame, order, scan, interval, consumer);
      await afterScan(src);
      return 'streamed';
    } else {
      return 'whole';
    }
  }
}

/** Markers between the scan and the end of the image: only ones that cannot change its pixels. */
async function afterScan(src: Source): Promise<void> {
  const r = src.r;
  for (;;) {
    await src.ensure(2);
    if (r.buf[r.pos] !== 0xff) throw new Error('data after the image is not a marker');
    const marker = r.buf[r.pos + 1]!;
    r.pos += 2;
    if (marker === 0xd9) return;
    if (marker === 0xff) r.pos--;
    else if ((marker >= 0xe0 && marker <= 0xef) || marker === 0xfe || marker === 0xdc || marker === 0xdd || marker === 0xc4) await src.skipSegment();
    else throw new Error(`unsupported marker ff${marker.toString(16)} after the image data`);
  }
}

async function decodeScan(src: Source, frame: Frame, order: number[], scan: ScanComponent[], interval: number, consumer: RowConsumer): Promise<void> {
  const r = src.r;
  const { width, height, components } = frame;
  const maxH = Math.max(...components.map((c) => c.h));
  const maxV = Math.max(...components.map((c) => c.v));
  const single = components.length === 1;
  // A lone component is coded in blocks, not MCUs (as jpeg-js and the spec do it).
  const unitsPerRow = single ? Math.ceil(width / 8) : Math.ceil(width / 8 / maxH);
  const unitRows = single ? Math.ceil(height / 8) : Math.ceil(height / 8 / maxV);
  const blocksH = components.map((c) => (single ? 1 : c.h));
  const blocksV = components.map((c) => (single ? 1 : c.v));
  const planeWidth = components.map((_, i) => unitsPerRow * blocksH[i]! * 8);
  const planes = components.map((_, i) => new Uint8Array(planeWidth[i]! * blocksV[i]! * 8));
  // The last line of each plane's previous MCU row: a 1/3 scale can round a row's line down into it.
  const carried = components.map((_, i) => new Uint8Array(planeWidth[i]!));
  const scaleX = components.map((c) => c.h / maxH);
  const scaleY = components.map((c) => c.v / maxV);
  const columns = components.map((_, i) => Int32Array.from({ length: width }, (_, x) => (x * scaleX[i]!) | 0));
  const outRows = single ? 8 : maxV * 8;
  const gray = new Float32Array(width);
  const rgba = new Uint8Array(consumer.colorRow ? width * 4 : 0);
  const zz = new Int32Array(64);
  const work = new Int32Array(64);
  const total = unitsPerRow * unitRows;
  const every = interval || total;
  let todo = every;
  const strict = single && interval > 0 && total % interval !== 0;
  consumer.start(width, height);

  const decodeRow = (row: number): void => {
    for (let col = 0; col < unitsPerRow; col++) {
      if (todo === 0) {
        restart(r, scan);
        todo = every;
      }
      for (let s = 0; s < scan.length; s++) {
        const i = order[s]!;
        const c = scan[s]!;
        const bh = blocksH[i]!;
        const bv = blocksV[i]!;
        const stride = planeWidth[i]!;
        for (let j = 0; j < bv; j++) {
          for (let k = 0; k < bh; k++) {
            const at = j * 8 * stride + (col * bh + k) * 8;
            if (r.block(c, zz)) {
              idct(zz, c.quant, work, planes[i]!, at, stride);
            } else {
              const v = flatSample(zz[0]!, c.quant);
              for (let o = at; o < at + 8 * stride; o += stride) planes[i]!.fill(v, o, o + 8);
            }
          }
        }
      }
      todo--;
    }
    // jpeg-js decodes a lone component's last restart interval whole, past the image into the
    // padding blocks it keeps below it (for a vertical sampling factor above 1): their bits too.
    if (row === unitRows - 1 && strict) {
      const padRows = Math.ceil(height / 8 / maxV) * maxV;
      for (let m = total; m < Math.ceil(total / every) * every && Math.floor(m / unitsPerRow) < padRows; m++) r.block(scan[0]!, zz);
    }
  };

  for (let row = 0; row < unitRows; row++) {
    if (!r.eof && r.end - r.pos < r.buf.length / 2) await src.more(r.pos);
    for (let i = 0; i < components.length; i++) {
      const lines = blocksV[i]! * 8;
      carried[i]!.set(planes[i]!.subarray((lines - 1) * planeWidth[i]!, lines * planeWidth[i]!));
    }
    for (;;) {
      const saved = { pos: r.pos, acc: r.acc, n: r.n, atMarker: r.atMarker, todo, preds: scan.map((c) => c.pred) };
      try {
        decodeRow(row);
        break;
      } catch (err) {
        if (err !== NEED_MORE) throw err;
        Object.assign(r, { acc: saved.acc, n: saved.n, atMarker: saved.atMarker });
        todo = saved.todo;
        scan.forEach((c, i) => (c.pred = saved.preds[i]!));
        r.pos = saved.pos;
        await src.more(saved.pos);
      }
    }
    const y0 = row * outRows;
    for (let y = y0; y < Math.min(height, y0 + outRows); y++) {
      const lines = components.map((_, i) => {
        const local = ((y * scaleY[i]!) | 0) - row * blocksV[i]! * 8;
        if (local < 0) return carried[i]!;
        return planes[i]!.subarray(local * planeWidth[i]!, (local + 1) * planeWidth[i]!);
      });
      emitRow(y, lines, columns, gray, rgba, consumer);
    }
  }
  // Past the last MCU: jpeg-js skips to the next marker (and over a restart marker there), except
  // after a lone component's last, partial restart interval, where the marker must come at once.
  if (strict && r.n >= 8) throw new Error('marker was not found');
  r.acc = 0;
  r.n = 0;
  r.atMarker = false;
  for (;;) {
    await src.ensure(2);
    if (r.buf[r.pos] === 0xff && r.buf[r.pos + 1] !== 0) break;
    if (strict) throw new Error('marker was not found');
    r.pos++;
  }
  if (r.buf[r.pos + 1]! >= 0xd0 && r.buf[r.pos + 1]! <= 0xd7) r.pos += 2;
}

/** At the end of a restart interval: the marker must follow (any RSTn, as jpeg-js accepts). */
function restart(r: BitReader, scan: ScanComponent[]): void {
  // A whole byte left unread means the interval's data did not end where it should.
  if (r.n >= 8) throw new Error('restart marker not found');
  r.n = 0;
  r.acc = 0;
  if (r.end - r.pos < 2) {
    if (!r.eof) throw NEED_MORE;
    throw new Error(TRUNCATED);
  }
  const m = r.buf[r.pos + 1]!;
  if (r.buf[r.pos] !== 0xff || m < 0xd0 || m > 0xd7) throw new Error('restart marker not found');
  r.pos += 2;
  r.atMarker = false;
  for (const c of scan) c.pred = 0;
}

function emitRow(y: number, lines: Uint8Array[], columns: Int32Array[], gray: Float32Array, rgba: Uint8Array, consumer: RowConsumer): void {
  const width = gray.length;
  const color = rgba.length > 0;
  if (lines.length === 1) {
    const l0 = lines[0]!;
    const x0 = columns[0]!;
    for (let x = 0; x < width; x++) {
      const v = l0[x0[x]!]!;
      gray[x] = lumaOf(v, v, v, 255);
      if (color) {
        rgba[4 * x] = rgba[4 * x + 1] = rgba[4 * x + 2] = v;
        rgba[4 * x + 3] = 255;
      }
    }
  } else {
    const [l0, l1, l2] = lines as [Uint8Array, Uint8Array, Uint8Array];
    const [x0, x1, x2] = columns as [Int32Array, Int32Array, Int32Array];
    for (let x = 0; x < width; x++) {
      const Y = l0[x0[x]!]!;
      const cb = l1[x1[x]!]! - 128;
      const cr = l2[x2[x]!]! - 128;
      // jpeg-js's clampTo8bit, then the truncation of its Uint8Array store.
      let R = Y + 1.402 * cr;
      let G = Y - 0.3441363 * cb - 0.71413636 * cr;
      let B = Y + 1.772 * cb;
      R = R < 0 ? 0 : R > 255 ? 255 : R | 0;
      G = G < 0 ? 0 : G > 255 ? 255 : G | 0;
      B = B < 0 ? 0 : B > 255 ? 255 : B | 0;
      gray[x] = lumaOf(R, G, B, 255);
      if (color) {
        rgba[4 * x] = R;
        rgba[4 * x + 1] = G;
        rgba[4 * x + 2] = B;
        rgba[4 * x + 3] = 255;
      }
    }
  }
  if (color) consumer.colorRow!(y, rgba);
  consumer.row(y, gray);
}
