// Per-block extremes of a series and its smoothed companion, so a view that spans millions of
// points reads a few thousand block entries instead of every point. Built once per (series,
// smoothing weight); `decimate` gives the same output with or without it (tested point for point).
// Two levels: blocks of 256 points, and blocks of 16 of those (4,096), so a 10,000,000-step view
// reads a couple of blocks per bucket plus < 256 points at each of its ends. (Blocks of 16 points
// left fewer points at the ends but cost twice as much to build, more than they saved a view.)

/** Extremes of each block of 2^shift points; only blocks without NaN/±Inf are summarised. */
export interface BlockIndex {
  shift: number;
  /** The same over blocks 16 times as long (made from this level's blocks), when the series has any. */
  coarser: BlockIndex | undefined;
  /** 1 when every value of the block is finite (and the block is whole), else 0: scanned point by point. */
  clean: Uint8Array;
  /** Index of the first minimum / maximum of `values` in the block (strict comparisons, in order). */
  minV: Int32Array;
  maxV: Int32Array;
  /** The same for the smoothed companion (a minimum NaN never wins a comparison: -1 when none). */
  minS: Int32Array;
  maxS: Int32Array;
}

/** 256 points, and 4,096 for the coarse level. */
export const BLOCK_SHIFT = 8;
const LEVEL_SHIFT = 4;
/** Below this many points a view scans everything anyway: no index. */
export const MIN_INDEXED = 1 << 16;

const CHUNK_BLOCKS = 256;

/**
 * The index of `values` and `smoothed` (same length). `previous`, an index of the same arrays when
 * they were shorter (a live run appended), gives its whole blocks: only the new ones are summarised.
 */
export function buildBlockIndex(values: Float64Array, smoothed: Float64Array, shift = BLOCK_SHIFT, previous?: BlockIndex): BlockIndex {
  const blocks = values.length >>> shift;
  const { level: index, from } = newLevel(shift, blocks, previous);
  // In chunks, so V8 optimises the small loop early (see stats.ts).
  for (let b = from; b < blocks; b += CHUNK_BLOCKS) summarise(values, smoothed, index, b, Math.min(blocks, b + CHUNK_BLOCKS));
  index.coarser = coarserLevel(values, smoothed, index, previous?.shift === shift ? previous.coarser : undefined);
  return index;
}

/**
 * A level of `blocks` blocks of 2^shift points, holding `previous`'s blocks (the same level of the
 * series when shorter) when it has them; `from` is the first block left to summarise.
 */
function newLevel(shift: number, blocks: number, previous: BlockIndex | undefined): { level: BlockIndex; from: number } {
  const level: BlockIndex = {
    shift,
    coarser: undefined,
    clean: new Uint8Array(blocks),
    minV: new Int32Array(blocks),
    maxV: new Int32Array(blocks),
    minS: new Int32Array(blocks),
    maxS: new Int32Array(blocks),
  };
  if (!previous || previous.shift !== shift || previous.clean.length > blocks) return { level, from: 0 };
  for (const k of ['clean', 'minV', 'maxV', 'minS', 'maxS'] as const) level[k].set(previous[k]);
  return { level, from: previous.clean.length };
}

/** The coarse level from the fine one: 16 fine entries per coarse block, no second pass over the points. */
function coarserLevel(values: Float64Array, smoothed: Float64Array, fine: BlockIndex, previous: BlockIndex | undefined): BlockIndex | undefined {
  const blocks = fine.clean.length >>> LEVEL_SHIFT;
  if (!blocks) return undefined;
  const { level, from } = newLevel(fine.shift + LEVEL_SHIFT, blocks, previous);
  const per = 1 << LEVEL_SHIFT;
  for (let c = from; c < blocks; c++) {
    let clean = 1;
    let minV = -1;
    let maxV = -1;
    let minS = -1;
    let maxS = -1;
    // Fine blocks in order with strict comparisons: the first extreme wins, as over the points.
    for (let b = c * per; b < (c + 1) * per; b++) {
      if (fine.clean[b] !== 1) {
        clean = 0;
        break;
      }
      const a = fine.minV[b]!;
      if (minV < 0 || values[a]! < values[minV]!) minV = a;
      const x = fine.maxV[b]!;
      if (maxV < 0 || values[x]! > values[maxV]!) maxV = x;
      const e = fine.minS[b]!;
      if (e >= 0 && (minS < 0 || smoothed[e]! < smoothed[minS]!)) minS = e;
      const f = fine.maxS[b]!;
      if (f >= 0 && (maxS < 0 || smoothed[f]! > smoothed[maxS]!)) maxS = f;
    }
    level.clean[c] = clean;
    level.minV[c] = minV;
    level.maxV[c] = maxV;
    level.minS[c] = minS;
    level.maxS[c] = maxS;
  }
  return level;
}

function summarise(values: Float64Array, smoothed: Float64Array, index: BlockIndex, fromBlock: number, toBlock: number): void {
  const size = 1 << index.shift;
  for (let b = fromBlock; b < toBlock; b++) {
    const start = b * size;
    let minV = start;
    let maxV = start;
    let lo = values[start]!;
    let hi = lo;
    let minS = -1;
    let maxS = -1;
    let loS = Infinity;
    let hiS = -Infinity;
    let clean = 1;
    for (let k = start; k < start + size; k++) {
      const v = values[k]!;
      if (v - v !== 0) {
        clean = 0;
        break;
      }
      if (v < lo) {
        lo = v;
        minV = k;
      }
      if (v > hi) {
        hi = v;
        maxV = k;
      }
      const s = smoothed[k]!;
      if (s < loS) {
        loS = s;
        minS = k;
      }
      if (s > hiS) {
        hiS = s;
        maxS = k;
      }
    }
    index.clean[b] = clean;
    index.minV[b] = minV;
    index.maxV[b] = maxV;
    index.minS[b] = minS;
    index.maxS[b] = maxS;
  }
}
