// Where the tiles of a sample grid are. A grid saved by torchvision `make_grid` or by a matplotlib
// subplot figure leaves rows and columns of flat pixels (padding, margins) between the tiles, in every
// image of the run. We take the rows/columns that are flat in all of a few images spread over the run,
// read the content bands between them, and accept them as a grid when the bands are evenly spaced.
// Grids without padding are accepted only on evidence: strong pixel jumps at every boundary of an even
// 2..12 split.
import type { GrayImage } from './decoding';
import { axisProfiles, periodicLayout, type AxisProfiles } from './periodic';

/** A row/column whose pixels all lie within this luma range is flat (padding, margin). */
export const FLAT_RANGE = 0.06;
/** Strips per axis in which row/column flatness is recorded (see ImageProfile). */
export const STRIPS = 16;
/** A tile boundary without padding must be this many times the pixel jump a few rows away. */
const EDGE_RATIO = 2;
/** Edge evidence is only looked for when fewer rows (and columns) than this share are flat. */
const MAX_FLAT_SHARE_FOR_EDGES = 0.1;

/** Tile rectangles along one axis: `count` tiles of `size` pixels starting at `starts`. */
export interface AxisLayout {
  count: number;
  starts: number[];
  size: number;
}

export interface GridLayout {
  rows: AxisLayout;
  cols: AxisLayout;
  /** How the layout was found. */
  source: 'separators' | 'periodic' | 'edges' | 'config' | 'single';
}

/** What layout inference needs from one image; small (O(width + height)), so it is cached. */
export interface ImageProfile {
  width: number;
  height: number;
  /**
   * Flatness of each row within each of STRIPS vertical strips ([strip * height + y] = 1 when flat),
   * and of each column within each of STRIPS horizontal strips ([strip * width + x]). Strips let a
   * title or axis label that crosses the gaps be left out once the grid's extent is known.
   */
  rowFlat: Uint8Array;
  colFlat: Uint8Array;
  /** Mean absolute luma jump from the previous row / column. */
  rowEdge: Float32Array;
  colEdge: Float32Array;
  /** Row and column profiles for grids whose tiles touch (periodic.ts). */
  rowAxis: AxisProfiles;
  colAxis: AxisProfiles;
}

/** Row/column flatness (per strip) and edge profiles of one image. */
export function imageProfile(image: GrayImage): ImageProfile {
  const { width: w, height: h, gray } = image;
  const xStrip = stripOf(w);
  const yStrip = stripOf(h);
  const rowMin = new Float32Array(STRIPS);
  const rowMax = new Float32Array(STRIPS);
  const rowFlat = new Uint8Array(STRIPS * h);
  const rowEdge = new Float32Array(h);
  const colMin = new Float32Array(STRIPS * w).fill(Infinity);
  const colMax = new Float32Array(STRIPS * w).fill(-Infinity);
  const colEdge = new Float32Array(w);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const colBase = yStrip[y]! * w;
    rowMin.fill(Infinity);
    rowMax.fill(-Infinity);
    let jump = 0;
    for (let x = 0; x < w; x++) {
      const v = gray[row + x]!;
      const j = xStrip[x]!;
      if (v < rowMin[j]!) rowMin[j] = v;
      if (v > rowMax[j]!) rowMax[j] = v;
      const c = colBase + x;
      if (v < colMin[c]!) colMin[c] = v;
      if (v > colMax[c]!) colMax[c] = v;
      if (y > 0) jump += Math.abs(v - gray[row - w + x]!);
      if (x > 0) colEdge[x]! += Math.abs(v - gray[row + x - 1]!);
    }
    // An empty strip (image narrower than STRIPS) has max - min = -Infinity: flat, no constraint.
    for (let j = 0; j < STRIPS; j++) rowFlat[j * h + y] = rowMax[j]! - rowMin[j]! <= FLAT_RANGE ? 1 : 0;
    rowEdge[y] = jump / w;
  }
  const colFlat = new Uint8Array(STRIPS * w);
  for (let i = 0; i < colFlat.length; i++) colFlat[i] = colMax[i]! - colMin[i]! <= FLAT_RANGE ? 1 : 0;
  for (let x = 0; x < w; x++) colEdge[x] = colEdge[x]! / h;
  const axes = axisProfiles(gray, w, h);
  return { width: w, height: h, rowFlat, colFlat, rowEdge, colEdge, rowAxis: axes.rows, colAxis: axes.cols };
}

function stripOf(length: number): Uint8Array {
  const strip = new Uint8Array(length);
  for (let i = 0; i < length; i++) strip[i] = Math.min(STRIPS - 1, Math.floor((i * STRIPS) / length));
  return strip;
}

/**
 * Positions along one axis that are flat in every image, judged only within the strips lying inside
 * [from, to) of the other axis (all strips when none does).
 */
function flatAlong(profiles: ImageProfile[], axis: 'row' | 'col', from = 0, to = Infinity): Uint8Array {
  const first = profiles[0]!;
  const length = axis === 'row' ? first.height : first.width;
  const across = axis === 'row' ? first.width : first.height;
  const strips: number[] = [];
  for (let j = 0; j < STRIPS; j++) {
    const a = Math.ceil((j * across) / STRIPS);
    const b = Math.ceil(((j + 1) * across) / STRIPS);
    if (b > a && a >= from && b <= to) strips.push(j);
  }
  const use = strips.length ? strips : Array.from({ length: STRIPS }, (_, j) => j);
  const out = new Uint8Array(length).fill(1);
  for (const p of profiles) {
    const flat = axis === 'row' ? p.rowFlat : p.colFlat;
    for (const j of use) for (let i = 0; i < length; i++) out[i] = out[i]! & flat[j * length + i]!;
  }
  return out;
}

/**
 * The grid layout of same-sized images from their profiles. `grid` (from gan-run.json) fixes the
 * counts; the inferred rectangles are still used when they agree with it.
 */
export function inferLayout(profiles: ImageProfile[], grid?: { rows: number; cols: number }): GridLayout {
  const first = profiles[0];
  if (!first) throw new Error('inferLayout needs at least one image profile');
  const { width, height } = first;
  const rowSep = flatAlong(profiles, 'row');
  const colSep = flatAlong(profiles, 'col');
  let rows = axisFromBands(bands(rowSep));
  let cols = axisFromBands(bands(colSep));
  // A title or label crossing the gaps hides one axis's separators: look again within the other's extent.
  const within = (axis: 'row' | 'col', other: AxisLayout | null, found: AxisLayout | null) => {
    if (!other || other.count < 2) return found;
    const end = other.starts[other.count - 1]! + other.size;
    const again = axisFromBands(bands(flatAlong(profiles, axis, other.starts[0]!, end)));
    return again && again.count > (found?.count ?? 0) ? again : found;
  };
  cols = within('col', rows, cols);
  rows = within('row', cols, rows);
  if (grid) {
    const r = rows && rows.count === grid.rows ? rows : evenSplit(height, grid.rows);
    const c = cols && cols.count === grid.cols ? cols : evenSplit(width, grid.cols);
    return { rows: r, cols: c, source: 'config' };
  }
  // Two bands from one flat stripe across a single image (a plain-coloured face) is not a grid.
  const separated = rows && cols && rows.count * cols.count >= 3 ? { rows, cols, source: 'separators' as const } : null;
  if (separated && separated.rows.count >= 2 && separated.cols.count >= 2) return separated;
  // Tiles that touch: the profiles repeat with the tile size as period. Digits on black touching
  // side by side leave flat columns between them but no flat rows, which separators alone read as
  // one row of tall tiles. Separator rectangles are kept where both agree on the count (they sit
  // inside any padding).
  const periodic = periodicLayout(
    profiles.map((p) => p.rowAxis),
    profiles.map((p) => p.colAxis),
  );
  if (periodic) {
    return {
      rows: rows && rows.count === periodic.rows.count ? rows : periodic.rows,
      cols: cols && cols.count === periodic.cols.count ? cols : periodic.cols,
      source: 'periodic',
    };
  }
  if (separated) return separated;
  // Without padding, only pictures filled edge to edge qualify: a lone digit on black has sharp
  // stroke edges that can line up with an even split by chance.
  if (flatShare(rowSep) < MAX_FLAT_SHARE_FOR_EDGES && flatShare(colSep) < MAX_FLAT_SHARE_FOR_EDGES) {
    const edgeRows = axisFromEdges(meanOf(profiles.map((p) => p.rowEdge)));
    const edgeCols = axisFromEdges(meanOf(profiles.map((p) => p.colEdge)));
    if (edgeRows && edgeCols) return { rows: edgeRows, cols: edgeCols, source: 'edges' };
  }
  return {
    rows: rows && rows.count === 1 ? rows : evenSplit(height, 1),
    cols: cols && cols.count === 1 ? cols : evenSplit(width, 1),
    source: 'single',
  };
}

export function layoutKey(l: GridLayout): string {
  return `${l.rows.starts.join(',')}/${l.rows.size}x${l.cols.starts.join(',')}/${l.cols.size}`;
}

function flatShare(mask: Uint8Array): number {
  let flat = 0;
  for (let i = 0; i < mask.length; i++) flat += mask[i]!;
  return mask.length ? flat / mask.length : 1;
}

function meanOf(arrays: Float32Array[]): Float32Array {
  const out = new Float32Array(arrays[0]!.length);
  for (const a of arrays) for (let i = 0; i < out.length; i++) out[i] = out[i]! + a[i]! / arrays.length;
  return out;
}

/** Runs of non-flat positions as [start, end). */
function bands(flat: Uint8Array): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i <= flat.length; i++) {
    const content = i < flat.length && flat[i] === 0;
    if (content && start < 0) start = i;
    if (!content && start >= 0) {
      out.push([start, i]);
      start = -1;
    }
  }
  return out;
}

/**
 * Evenly spaced content bands → tile positions on this axis; null when they are not a grid.
 * A title above or a caption below the grid is an extra band at an end: tried without it too.
 */
function axisFromBands(found: Array<[number, number]>): AxisLayout | null {
  const longest = Math.max(0, ...found.map(([s, e]) => e - s));
  // A stray line or two of content in a margin is not a tile.
  const kept = found.filter(([s, e]) => e - s >= Math.max(2, 0.2 * longest));
  const n = kept.length;
  const whole = regularBands(kept);
  if (whole || n < 4) return whole;
  for (const trimmed of [kept.slice(1), kept.slice(0, -1), kept.slice(1, -1)]) {
    const axis = regularBands(trimmed);
    if (axis && axis.count >= 3) return axis;
  }
  return null;
}

function regularBands(kept: Array<[number, number]>): AxisLayout | null {
  const n = kept.length;
  if (n === 0) return null;
  const size = Math.max(...kept.map(([s, e]) => e - s));
  if (n === 1) return { count: 1, starts: [kept[0]![0]], size };
  const centers = kept.map(([s, e]) => (s + e) / 2);
  const pitch = (centers[n - 1]! - centers[0]!) / (n - 1);
  const offset = centers.reduce((acc, c, i) => acc + c - i * pitch, 0) / n;
  const regular = centers.every((c, i) => Math.abs(c - (offset + i * pitch)) <= Math.max(2, 0.12 * pitch));
  const similar = kept.every(([s, e]) => e - s >= 0.4 * size);
  if (!regular || !similar || size > pitch) return null;
  return { count: n, starts: centers.map((_, i) => Math.max(0, Math.round(offset + i * pitch - size / 2))), size };
}

/**
 * An even split into 2..12 tiles whose every boundary is a much stronger pixel jump than the rows
 * a few pixels away (compared at the same phase, so periodic checkerboard or JPEG-block artefacts
 * do not pass as boundaries). The largest split that passes wins.
 */
function axisFromEdges(edge: Float32Array): AxisLayout | null {
  const length = edge.length;
  // ±1 pixel: rounding of uneven splits and JPEG smear the jump over neighbouring rows.
  const peak = (i: number) => Math.max(edge[i - 1] ?? 0, edge[i] ?? 0, edge[i + 1] ?? 0);
  let best: AxisLayout | null = null;
  for (let n = 2; n <= 12; n++) {
    const pitch = length / n;
    if (pitch < 8) break;
    const offset = pitch >= 20 ? 8 : Math.max(2, Math.round(pitch / 2));
    let ok = true;
    for (let k = 1; k < n && ok; k++) {
      const b = Math.round(k * pitch);
      const around = (peak(b - offset) + peak(b + offset)) / 2;
      ok = peak(b) > 0.02 && peak(b) >= EDGE_RATIO * around;
    }
    if (ok) best = evenSplit(length, n);
  }
  return best;
}

function evenSplit(length: number, n: number): AxisLayout {
  const pitch = length / n;
  return { count: n, starts: Array.from({ length: n }, (_, i) => Math.round(i * pitch)), size: Math.floor(pitch) };
}
