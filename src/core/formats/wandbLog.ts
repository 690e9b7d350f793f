// The framing of a W&B `.wandb` file, as wandb's DataStore writes it (wandb/sdk/internal/datastore.py,
// core/pkg/leveldb/record.go): the file header, 32 KiB blocks of checksummed chunks (see wandb.ts
// for the reader). The writer is what tests and the benchmark make files with.

export const FILE_HEADER = 7;
export const BLOCK = 32768;
export const CHUNK_HEADER = 7;
export const FULL = 1;
export const FIRST = 2;
export const MIDDLE = 3;
export const LAST = 4;
// `:W&B`, then 0xBEE1 (zlib.crc32("Weights & Biases") & 0xffff) little-endian, then version 0.
const IDENT = [0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe];
const VERSION = 0;

/** True when `head` starts with a `.wandb` file's header (the version byte is not judged). */
export function isWandbHeader(head: Uint8Array): boolean {
  if (head.length < FILE_HEADER) return false;
  for (let i = 0; i < IDENT.length; i++) if (head[i] !== IDENT[i]) return false;
  return true;
}

// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), zlib.crc32's, eight bytes a step
// ("slicing by 8"): a million rows are 150 MB to check.
const CRC_TABLES = (() => {
  const t = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) for (let k = 1; k < 8; k++) t[k * 256 + n] = (t[(k - 1) * 256 + n]! >>> 8) ^ t[t[(k - 1) * 256 + n]! & 0xff]!;
  return t;
})();

/** zlib.crc32 of bytes[from, to). */
export function crc32(bytes: Uint8Array, from = 0, to = bytes.length): number {
  const t = CRC_TABLES;
  let crc = 0xffffffff;
  let i = from;
  for (; i + 8 <= to; i += 8) {
    const a = crc ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    crc =
      t[7 * 256 + (a & 0xff)]! ^
      t[6 * 256 + ((a >>> 8) & 0xff)]! ^
      t[5 * 256 + ((a >>> 16) & 0xff)]! ^
      t[4 * 256 + (a >>> 24)]! ^
      t[3 * 256 + bytes[i + 4]!]! ^
      t[2 * 256 + bytes[i + 5]!]! ^
      t[256 + bytes[i + 6]!]! ^
      t[bytes[i + 7]!]!;
  }
  for (; i < to; i++) crc = t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A chunk's checksum: CRC-32 over its type byte (at `typeAt`) and its data (up to `end`). */
export const chunkCrc = (bytes: Uint8Array, typeAt: number, end: number) => crc32(bytes, typeAt, end);

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Frames records as wandb's DataStore writes them: the file header first, then each record as one
 * FULL chunk or as FIRST, MIDDLE…, LAST chunks across 32 KiB blocks, block tails padded with zeros.
 * `take` hands out the bytes written since the last call (what a live run appends).
 */
export class WandbWriter {
  private index = 0;
  private out: Uint8Array[] = [];

  /** `continueAt`: go on at the end of a file of that many bytes (its header already written). */
  constructor(continueAt?: number) {
    if (continueAt === undefined) this.put(Uint8Array.from([...IDENT, VERSION]));
    else this.index = continueAt;
  }

  write(record: Uint8Array): void {
    let left = BLOCK - (this.index % BLOCK);
    if (left < CHUNK_HEADER) {
      this.put(new Uint8Array(left));
      left = BLOCK;
    }
    if (record.length + CHUNK_HEADER <= left) {
      this.chunk(FULL, record);
      return;
    }
    let used = left - CHUNK_HEADER;
    this.chunk(FIRST, record.subarray(0, used));
    while (record.length - used > BLOCK - CHUNK_HEADER) {
      this.chunk(MIDDLE, record.subarray(used, used + BLOCK - CHUNK_HEADER));
      used += BLOCK - CHUNK_HEADER;
    }
    this.chunk(LAST, record.subarray(used));
  }

  /** The bytes written since the last `take`. */
  take(): Uint8Array {
    const bytes = concat(this.out);
    this.out = [];
    return bytes;
  }

  private chunk(type: number, data: Uint8Array): void {
    const out = new Uint8Array(CHUNK_HEADER + data.length);
    out[4] = data.length & 0xff;
    out[5] = data.length >>> 8;
    out[6] = type;
    out.set(data, CHUNK_HEADER);
    const crc = crc32(out, 6);
    out[0] = crc & 0xff;
    out[1] = (crc >>> 8) & 0xff;
    out[2] = (crc >>> 16) & 0xff;
    out[3] = crc >>> 24;
    this.put(out);
  }

  private put(bytes: Uint8Array): void {
    this.out.push(bytes);
    this.index += bytes.length;
  }
}
