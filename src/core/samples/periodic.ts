// Layout of sample grids whose tiles touch (no padding): numpy `np.concatenate` grids, Chainer's
// preview, PGGAN's and StyleGAN's fakes. Nothing is flat between the tiles, but every tile is the
// same kind of picture at the same place, so each axis's row/column profile repeats with the tile
// size as its period: digits centred on black make a dark–bright–dark band per tile, filled pictures
// (faces, scenes) make a jump in the edge profile at every boundary.
//
// For a candidate count n (the axis length divisible by n, tiles at least MIN_TILE px), the profile
// is folded into n periods and we measure how much of its variance the position within the period
// explains (R², pooled over the images that vote), corrected for what folding explains by chance
// ((P − 1)/(L − 1) for a period P of a length L). Several profiles are tried (mean luma, luma spread,
// edge jumps) and the best kept. A period's multiples explain as much as the period itself (a 28 px
// pattern also repeats every 56 px), so the smallest period that explains nearly as much as the
// best wins. An axis is only accepted with a strong periodicity; a single picture has none.

/** What periodicity needs from one image: per row (and per column) profiles, O(width + height). */
export interface AxisProfiles {
  /** Mean luma of each row / column. */
  mean: Float32Array;
  /** Luma standard deviation within each row / column. */
  spread: Float32Array;
  /** Mean absolute luma jump from the previous row / column. */
  edge: Float32Array;
}

export interface PeriodicAxis {
  count: number;
  size: number;
  /** Where the first tile starts (a padded grid's trailing border is left over at the end). */
  offset: number;
  /** The chance-corrected share of profile variance explained by the position within a tile (0..1). */
  strength: number;
}

/** Tiles smaller than this are not looked for (8×8 digits upscaled are the smallest seen). */
const MIN_TILE = 8;
/** Most tiles per axis looked for (StyleGAN's 30 columns, Chainer's 10, big make_grid 16). */
const MAX_COUNT = 64;
/** An axis is periodic when the chance-corrected explained share reaches this. */
export const MIN_STRENGTH = 0.5;
/**
 * The smallest period whose strength is within this share of the best one wins (multiples explain as
 * much). Set on 636 grids of the corpus and ../shared, one image at a time: with the square-tile rule
 * in periodicLayout, 0.92 misreads only PGGAN's blocky low-resolution fakes (a whole run votes them
 * right); 0.85 took half tiles (a digit's two halves) more often, 0.97 began to take double tiles.
 */
const NEAR_BEST = 0.92;

/** Chance-corrected explained variance of folding each profile into `count` periods, pooled over images. */
function foldStrength(profiles: Float32Array[], count: number, offset = 0, used = profiles[0]!.length): number {
  const length = used;
  const period = length / count;
  let between = 0;
  let total = 0;
  const phase = new Float64Array(period);
  for (const p of profiles) {
    let grand = 0;
    for (let i = 0; i < length; i++) grand += p[offset + i]!;
    grand /= length;
    phase.fill(0);
    for (let i = 0; i < length; i++) phase[i % period]! += p[offset + i]!;
    for (let k = 0; k < period; k++) {
      const m = phase[k]! / count;
      between += count * (m - grand) ** 2;
    }
    for (let i = 0; i < length; i++) total += (p[offset + i]! - grand) ** 2;
  }
  if (!(total > 1e-12)) return 0;
  const r2 = between / total;
  const chance = (period - 1) / (length - 1);
  return (r2 - chance) / (1 - chance);
}

/**
 * The tile count along one axis from the profiles of several same-sized images, or null when the
 * axis shows no strong periodicity. `minCount` is 3 unless the caller knows the tile size from the other axis.
 */
export function periodicAxis(images: AxisProfiles[], minCount = 3): PeriodicAxis | null {
  if (!images.length) return null;
  const candidates: PeriodicAxis[] = [];
  for (let count = Math.max(2, minCount); count <= MAX_COUNT; count++) {
    const c = bestFold(images, count);
    if (c) candidates.push(c);
  }
  if (!candidates.length) return null;
  const best = Math.max(...candidates.map((c) => c.strength));
  if (best < MIN_STRENGTH) return null;
  // The largest count (smallest period) that explains nearly as much as the best.
  const chosen = candidates.filter((c) => c.strength >= NEAR_BEST * best).sort((a, b) => b.count - a.count)[0]!;
  // A period must be the best's divisor: a stronger fold at 28 px cannot be replaced by an unrelated 20 px one.
  const top = candidates.find((c) => c.strength === best)!;
  if (top.size % chosen.size !== 0) return top;
  return chosen;
}

/**
 * The strongest fold into `count` periods: the whole axis, or all but a few border pixels at one end
 * (a padded grid is n × (pad + tile) + pad long), periods of at least MIN_TILE pixels.
 */
function bestFold(images: AxisProfiles[], count: number): PeriodicAxis | null {
  const length = images[0]!.mean.length;
  let best: PeriodicAxis | null = null;
  for (let rest = 0; rest <= MAX_BORDER; rest++) {
    const used = length - rest;
    if (used % count !== 0 || used / count < MIN_TILE) continue;
    for (const offset of rest ? [0, rest] : [0]) {
      // The pixels left over must be a flat border, not picture (a face's fine checkerboard
      // artefacts repeat too, but the image does not end in a border after them).
      if (rest && !images.every((p) => flatBetween(p.spread, offset ? 0 : used, offset ? rest : length))) continue;
      let strength = 0;
      for (const key of ['mean', 'spread', 'edge'] as const)
        strength = Math.max(
          strength,
          foldStrength(
            images.map((p) => p[key]),
            count,
            offset,
            used,
          ),
        );
      if (!best || strength > best.strength) best = { count, size: used / count, offset, strength };
    }
  }
  return best;
}

/** Luma spread below which a row or column is a flat border. */
const FLAT_SPREAD = 0.03;

function flatBetween(spread: Float32Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!(spread[i]! <= FLAT_SPREAD)) return false;
  return true;
}

/** Pixels at one end of an axis that may be left over (the closing border of a padded grid). */
const MAX_BORDER = 4;

export interface AxisTiles {
  count: number;
  starts: number[];
  size: number;
}

/**
 * Rows and columns of touching tiles, or null. Both axes must be periodic; when only one is, the
 * other is accepted with the same tile size (tiles are nearly always square) if that size divides it
 * and its own fold at that count is at least half as strong as required.
 */
export function periodicLayout(rowImages: AxisProfiles[], colImages: AxisProfiles[]): { rows: AxisTiles; cols: AxisTiles } | null {
  if (!rowImages.length || !colImages.length) return null;
  let rows = periodicAxis(rowImages);
  let cols = periodicAxis(colImages);
  const alongSize = (images: AxisProfiles[], size: number): PeriodicAxis | null => {
    const length = images[0]!.mean.length;
    const count = Math.round(length / size);
    if (count < 1 || Math.abs(length - count * size) > MAX_BORDER) return null;
    if (count === 1) return { count, size, offset: 0, strength: 1 };
    const fold = bestFold(images, count);
    return fold && fold.size === size && fold.strength >= MIN_STRENGTH / 2 ? fold : null;
  };
  if (rows && !cols) cols = alongSize(colImages, rows.size);
  if (cols && !rows) rows = alongSize(rowImages, cols.size);
  // Half or double: a tile's halves can repeat too (a digit's two halves, a face's blocky upsampling).
  // Generated tiles are square, so when one axis found twice the other's size, the size both axes
  // fold well at wins (the larger sum of strengths).
  if (rows && cols && Math.max(rows.size, cols.size) === 2 * Math.min(rows.size, cols.size)) {
    let best: [PeriodicAxis, PeriodicAxis] | null = null;
    for (const size of [rows.size, cols.size]) {
      const r = rows.size === size ? rows : alongSize(rowImages, size);
      const c = cols.size === size ? cols : alongSize(colImages, size);
      if (r && c && (!best || r.strength + c.strength > best[0].strength + best[1].strength)) best = [r, c];
    }
    if (best) [rows, cols] = best;
  }
  if (!rows || !cols || rows.count * cols.count < 4) return null;
  const tiles = (a: PeriodicAxis): AxisTiles => ({ count: a.count, size: a.size, starts: Array.from({ length: a.count }, (_, i) => a.offset + i * a.size) });
  return { rows: tiles(rows), cols: tiles(cols) };
}

/** Row and column profiles of a gray image (luma 0..1, row-major). */
export function axisProfiles(gray: Float32Array, width: number, height: number): { rows: AxisProfiles; cols: AxisProfiles } {
  const rowSum = new Float64Array(height);
  const rowSq = new Float64Array(height);
  const rowEdge = new Float32Array(height);
  const colSum = new Float64Array(width);
  const colSq = new Float64Array(width);
  const colEdge = new Float32Array(width);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let jump = 0;
    for (let x = 0; x < width; x++) {
      const v = gray[row + x]!;
      rowSum[y]! += v;
      rowSq[y]! += v * v;
      colSum[x]! += v;
      colSq[x]! += v * v;
      if (y > 0) jump += Math.abs(v - gray[row - width + x]!);
      if (x > 0) colEdge[x]! += Math.abs(v - gray[row + x - 1]!);
    }
    rowEdge[y] = jump / width;
  }
  for (let x = 0; x < width; x++) colEdge[x] = colEdge[x]! / height;
  return { rows: { ...meanAndSpread(rowSum, rowSq, width), edge: rowEdge }, cols: { ...meanAndSpread(colSum, colSq, height), edge: colEdge } };
}

/** Mean and standard deviation per row or column, from the sums of n values and of their squares. */
export function meanAndSpread(sum: Float64Array, sq: Float64Array, n: number): { mean: Float32Array; spread: Float32Array } {
  const mean = new Float32Array(sum.length);
  const spread = new Float32Array(sum.length);
  for (let i = 0; i < sum.length; i++) {
    const m = sum[i]! / n;
    mean[i] = m;
    spread[i] = Math.sqrt(Math.max(0, sq[i]! / n - m * m));
  }
  return { mean, spread };
}
