// Sample grids → tiles → one diversity score per step, the evidence for mode collapse.
//
// Layout: a grid saved by torchvision `make_grid` or by a matplotlib subplot figure leaves rows and
// columns of flat pixels (padding, margins) between the tiles, in every image of the run. We take
// the rows/columns that are flat in all of a few images spread over the run, read the content bands
// between them, and accept them as a grid when the bands are evenly spaced. Grids without padding
// are accepted only on evidence: strong pixel jumps at every boundary of an even 2..12 split.
//
// Score: each tile is box-downscaled to 16×16 and standardised (zero mean, unit variance; a nearly
// flat tile is not blown up). The step's score is the mean over tile pairs of the RMS difference
// between them, which is sqrt(2·(1 − r)) for correlation r: 0 for identical tiles, about 1.41 for
// unrelated ones (pure noise), around 1 for varied digits. Brightness and contrast drift over
// training therefore do not count as diversity; shape does.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { DiversityPoint, Run } from './model';
import { decodeImage, type GrayImage } from './imageDecode';
import { axisProfiles, periodicLayout, type AxisProfiles } from './gridLayout';

/** Side of the downscaled tile the score compares. */
export const TILE_SIDE = 16;
/** More tiles than this per step are subsampled evenly: the pair count grows with the square. */
const MAX_TILES_PER_STEP = 64;
/** Images spread over the run that vote on the layout. */
const LAYOUT_IMAGES = 8;
/** A row/column whose pixels all lie within this luma range is flat (padding, margin). */
const FLAT_RANGE = 0.06;
/** A tile with less luma spread than this is treated as blank rather than stretched to unit variance. */
const MIN_TILE_STD = 0.02;
const READ_CONCURRENCY = 4;
/** Strips per axis in which row/column flatness is recorded (see ImageProfile). */
const STRIPS = 16;
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
  /** Row and column profiles for grids whose tiles touch (gridLayout.ts). */
  rowAxis: AxisProfiles;
  colAxis: AxisProfiles;
}

interface CacheEntry {
  stamp: string;
  profile: ImageProfile;
  tilesByLayout: Map<string, Float32Array[]>;
}

/**
 * Decoded results by file path, valid while the file's mtime and size are unchanged, so a live
 * refresh only decodes the new images. Failures are remembered the same way (a half-written image
 * is retried once it changes). Bounded by the number of tiles held (about 1 KB each).
 */
export class DiversityCache {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly failures = new Map<string, { stamp: string; message: string }>();
  private tiles = 0;
  /** Decode attempts through this cache so far, failed ones included (tests and the bench read it). */
  decodes = 0;

  constructor(private readonly maxTiles = 50_000) {}

  get(file: string, stamp: string): CacheEntry | undefined {
    const entry = this.entries.get(file);
    if (!entry || entry.stamp !== stamp) return undefined;
    // Re-insert so eviction drops the least recently used first.
    this.entries.delete(file);
    this.entries.set(file, entry);
    return entry;
  }

  set(file: string, entry: CacheEntry): void {
    this.drop(file);
    this.entries.set(file, entry);
  }

  /** Records that `entry` now holds `count` more tiles, evicting old entries past the bound. */
  addTiles(entry: CacheEntry, count: number): void {
    this.tiles += count;
    for (const [file, old] of this.entries) {
      if (this.tiles <= this.maxTiles || old === entry) break;
      this.drop(file);
    }
  }

  failure(file: string, stamp: string): string | undefined {
    const f = this.failures.get(file);
    return f && f.stamp === stamp ? f.message : undefined;
  }

  setFailure(file: string, stamp: string, message: string): void {
    this.failures.set(file, { stamp, message });
  }

  get size(): number {
    return this.entries.size;
  }

  private drop(file: string): void {
    const old = this.entries.get(file);
    if (!old) return;
    for (const t of old.tilesByLayout.values()) this.tiles -= t.length;
    this.entries.delete(file);
  }
}

export interface DiversityOptions {
  grid?: { rows: number; cols: number };
  cache?: DiversityCache;
  /** Called once per image that cannot be read or decoded; the image is left out. */
  onError?: (samplePath: string, message: string) => void;
  /** Called once per image size with the layout found for it (`single` when no grid was found). */
  onLayout?: (layout: GridLayout, width: number, height: number) => void;
}

/** One diversity point per sample step that has at least two tiles, in step order. */
export async function sampleDiversity(run: Run, opts: DiversityOptions = {}): Promise<DiversityPoint[]> {
  const cache = opts.cache ?? new DiversityCache();
  const grid = usableGrid(opts.grid ?? run.config.grid);
  const samples = [...run.samples].sort((a, b) => a.step - b.step);
  if (samples.length === 0) return [];
  const files = samples.map((s) => ({ step: s.step, rel: s.path, abs: path.join(run.root, s.path), stamp: '' }));
  const failed = new Set<string>();
  const fail = (f: { rel: string; abs: string; stamp: string }, err: unknown) => {
    if (failed.has(f.rel)) return;
    failed.add(f.rel);
    const message = err instanceof Error ? err.message : String(err);
    if (f.stamp) cache.setFailure(f.abs, f.stamp, message);
    opts.onError?.(f.rel, message);
  };

  await eachLimited(files, READ_CONCURRENCY, async (f) => {
    try {
      const st = await fs.stat(f.abs);
      f.stamp = `${st.mtimeMs}:${st.size}`;
    } catch (err) {
      fail(f, err);
      return;
    }
    const known = cache.failure(f.abs, f.stamp);
    if (known !== undefined) fail(f, new Error(known));
  });
  const readable = files.filter((f) => f.stamp && !failed.has(f.rel));

  // Decoded images of this call that are still needed; dropped as soon as their tiles are cut.
  const pending = new Map<string, GrayImage>();
  const load = async (f: (typeof files)[number]): Promise<CacheEntry> => {
    const hit = cache.get(f.abs, f.stamp);
    if (hit) return hit;
    const bytes = await fs.readFile(f.abs);
    cache.decodes++;
    const image = decodeImage(bytes, f.rel);
    const entry: CacheEntry = { stamp: f.stamp, profile: imageProfile(image), tilesByLayout: new Map() };
    cache.set(f.abs, entry);
    pending.set(f.abs, image);
    return entry;
  };

  // The layout is voted on by a few images spread over the run, one layout per image size.
  const voters = spread(readable, LAYOUT_IMAGES);
  const profilesBySize = new Map<string, ImageProfile[]>();
  await eachLimited(voters, READ_CONCURRENCY, async (f) => {
    try {
      const { profile } = await load(f);
      const key = `${profile.width}x${profile.height}`;
      profilesBySize.set(key, [...(profilesBySize.get(key) ?? []), profile]);
    } catch (err) {
      fail(f, err);
    }
  });
  const layouts = new Map<string, GridLayout>();
  for (const [key, profiles] of profilesBySize) {
    const layout = inferLayout(profiles, grid);
    layouts.set(key, layout);
    opts.onLayout?.(layout, profiles[0]!.width, profiles[0]!.height);
  }

  const tilesByFile = new Map<string, Float32Array[]>();
  await eachLimited(readable, READ_CONCURRENCY, async (f) => {
    if (failed.has(f.rel)) return;
    try {
      const entry = await load(f);
      const sizeKey = `${entry.profile.width}x${entry.profile.height}`;
      let layout = layouts.get(sizeKey);
      if (!layout) {
        layout = inferLayout([entry.profile], grid);
        layouts.set(sizeKey, layout);
        opts.onLayout?.(layout, entry.profile.width, entry.profile.height);
      }
      const key = layoutKey(layout);
      let tiles = entry.tilesByLayout.get(key);
      if (!tiles) {
        let image = pending.get(f.abs);
        if (!image) {
          const bytes = await fs.readFile(f.abs);
          cache.decodes++;
          image = decodeImage(bytes, f.rel);
        }
        tiles = cutTiles(image, layout);
        entry.tilesByLayout.set(key, tiles);
        cache.addTiles(entry, tiles.length);
      }
      pending.delete(f.abs);
      tilesByFile.set(f.abs, tiles);
    } catch (err) {
      fail(f, err);
    }
  });

  const points: DiversityPoint[] = [];
  for (let i = 0; i < readable.length; ) {
    const step = readable[i]!.step;
    const tiles: Float32Array[] = [];
    for (; i < readable.length && readable[i]!.step === step; i++) {
      const got = tilesByFile.get(readable[i]!.abs);
      if (got) tiles.push(...got);
    }
    if (tiles.length < 2) continue;
    points.push({ step, score: diversityScore(tiles), tiles: tiles.length, duplicates: duplicateShare(tiles) });
  }
  return points;
}

/** A configured grid only when both counts are whole numbers from 1 to 64 (gan-run.json is hand-written). */
function usableGrid(grid: { rows: number; cols: number } | undefined): { rows: number; cols: number } | undefined {
  const ok = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 64;
  return grid && ok(grid.rows) && ok(grid.cols) ? grid : undefined;
}

/** Mean pairwise RMS difference between standardised tiles (see the file comment). */
export function diversityScore(tiles: Float32Array[]): number {
  const used = tiles.length > MAX_TILES_PER_STEP ? spread(tiles, MAX_TILES_PER_STEP) : tiles;
  const n = used.length;
  if (n < 2) return NaN;
  let sum = 0;
  for (let a = 0; a < n; a++) {
    const ta = used[a]!;
    for (let b = a + 1; b < n; b++) {
      const tb = used[b]!;
      let d2 = 0;
      for (let k = 0; k < ta.length; k++) {
        const d = ta[k]! - tb[k]!;
        d2 += d * d;
      }
      sum += Math.sqrt(d2 / ta.length);
    }
  }
  return sum / ((n * (n - 1)) / 2);
}

/** Two tiles this close (RMS difference of standardised tiles; correlation ≥ 0.955) are copies. */
export const COPY_DISTANCE = 0.3;

/**
 * Share of tile pairs that are copies of each other: 0 in a varied grid, 1 when every tile is the same
 * image, about 1/k when the generator makes only k different images (a partial collapse, which the
 * mean score hides: the pairs between the k images are still far apart).
 */
export function duplicateShare(tiles: Float32Array[]): number {
  const used = tiles.length > MAX_TILES_PER_STEP ? spread(tiles, MAX_TILES_PER_STEP) : tiles;
  const n = used.length;
  if (n < 2) return NaN;
  const limit = COPY_DISTANCE * COPY_DISTANCE * used[0]!.length;
  let copies = 0;
  for (let a = 0; a < n; a++) {
    const ta = used[a]!;
    for (let b = a + 1; b < n; b++) {
      const tb = used[b]!;
      let d2 = 0;
      for (let k = 0; k < ta.length && d2 < limit; k++) {
        const d = ta[k]! - tb[k]!;
        d2 += d * d;
      }
      if (d2 < limit) copies++;
    }
  }
  return copies / ((n * (n - 1)) / 2);
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
      if (x > 0) colEdge[x] += Math.abs(v - gray[row + x - 1]!);
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
  const periodic = periodicLayout(profiles.map((p) => p.rowAxis), profiles.map((p) => p.colAxis));
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

/** Standardised TILE_SIDE² vectors of every tile of `image`, row by row. */
export function cutTiles(image: GrayImage, layout: GridLayout): Float32Array[] {
  const tiles: Float32Array[] = [];
  const xBins = binEdges(layout.cols.size);
  const yBins = binEdges(layout.rows.size);
  for (const y0 of layout.rows.starts) {
    for (const x0 of layout.cols.starts) {
      tiles.push(standardise(downscale(image, x0, y0, xBins, yBins)));
    }
  }
  return tiles;
}

function layoutKey(l: GridLayout): string {
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

/** For each output bin, the [from, to) source offsets it averages (works for up- and downscaling). */
function binEdges(size: number): Int32Array {
  const edges = new Int32Array(TILE_SIDE * 2);
  for (let u = 0; u < TILE_SIDE; u++) {
    const from = Math.min(size - 1, Math.floor((u * size) / TILE_SIDE));
    edges[2 * u] = from;
    edges[2 * u + 1] = Math.max(from + 1, Math.floor(((u + 1) * size) / TILE_SIDE));
  }
  return edges;
}

function downscale(image: GrayImage, x0: number, y0: number, xBins: Int32Array, yBins: Int32Array): Float32Array {
  const { width, height, gray } = image;
  const out = new Float32Array(TILE_SIDE * TILE_SIDE);
  for (let v = 0; v < TILE_SIDE; v++) {
    const yFrom = y0 + yBins[2 * v]!;
    const yTo = Math.min(height, y0 + yBins[2 * v + 1]!);
    for (let u = 0; u < TILE_SIDE; u++) {
      const xFrom = x0 + xBins[2 * u]!;
      const xTo = Math.min(width, x0 + xBins[2 * u + 1]!);
      let sum = 0;
      let count = 0;
      for (let y = yFrom; y < yTo; y++) {
        const row = y * width;
        for (let x = xFrom; x < xTo; x++) sum += gray[row + x]!;
        count += Math.max(0, xTo - xFrom);
      }
      out[v * TILE_SIDE + u] = count ? sum / count : 0;
    }
  }
  return out;
}

function standardise(v: Float32Array): Float32Array {
  let mean = 0;
  for (let i = 0; i < v.length; i++) mean += v[i]!;
  mean /= v.length;
  let variance = 0;
  for (let i = 0; i < v.length; i++) variance += (v[i]! - mean) ** 2;
  const scale = 1 / Math.max(Math.sqrt(variance / v.length), MIN_TILE_STD);
  for (let i = 0; i < v.length; i++) v[i] = (v[i]! - mean) * scale;
  return v;
}

/** Up to `k` items evenly spread over `items`, first and last included. */
function spread<T>(items: T[], k: number): T[] {
  if (items.length <= k) return items;
  return Array.from({ length: k }, (_, i) => items[Math.round((i * (items.length - 1)) / (k - 1))]!);
}

async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
