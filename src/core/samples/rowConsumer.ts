// What a streaming image reader (pngRows.ts, jpegRows.ts) hands its rows to.

/** Receives the image row by row, top to bottom. */
export interface RowConsumer {
  /** Called once, before any row, with the size from the header (already accepted by `accept`). */
  start(width: number, height: number): void;
  /** Row `y`: luma 0..1 composited on black. The array is reused for the next row. */
  row(y: number, gray: Float32Array): void;
  /**
   * When present, row `y` in colour too (8-bit RGBA, before `row`), for previews. Not called for
   * interlaced PNGs, whose rows come in passes: see colorPass.
   */
  colorRow?(y: number, rgba: Uint8Array): void;
  /** Interlaced PNGs: `count` pixels of row `y` in colour (8-bit RGBA), at columns x0, x0 + dx, ... */
  colorPass?(y: number, x0: number, dx: number, rgba: Uint8Array, count: number): void;
}

/** Where a streaming image reader reads its bytes: a FileHandle, or an image in memory or inside another file (imageSource.ts). */
export interface ByteReader {
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
}
