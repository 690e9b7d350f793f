// Sample grids → tiles → one diversity score per step, the evidence for mode collapse. Where the
// tiles are is layout.ts's job; decoded results are kept in a DiversityCache (cache.ts).
//
// Score: each tile is box-downscaled to 16×16 and standardised (zero mean, unit variance; a nearly
// flat tile is not blown up). The step's score is the mean over tile pairs of the RMS difference
// between them, which is sqrt(2·(1 − r)) for correlation r: 0 for identical tiles, about 1.41 for
// unrelated ones (pure noise), around 1 for varied digits. Brightness and contrast drift over
// training therefore do not count as diversity; shape does.
import { promises as fs } from 'node:fs';
import type { DiversityPoint, Run } from '../model';
import type { GrayImage } from './decoding';
import { DiversityCache, type CacheEntry } from './cache';
import { digestSampleFile, type SampleDigest } from './digest';
import { inferLayout, layoutKey, type GridLayout, type ImageProfile } from './layout';
import { imageSourceOf, runFolder, sourceKey, type ImageSource } from './imageSource';

/** Side of the downscaled tile the score compares. */
export const TILE_SIDE = 16;
/** More tiles than this per step are subsampled evenly: the pair count grows with the square. */
const MAX_TILES_PER_STEP = 64;
/** Images spread over the run that vote on the layout. */
const LAYOUT_IMAGES = 8;
/** A tile with less luma spread than this is treated as blank rather than stretched to unit variance. */
const MIN_TILE_STD = 0.02;
const READ_CONCURRENCY = 4;

export interface DiversityOptions {
  grid?: { rows: number; cols: number };
  cache?: DiversityCache;
  /** Called once per image that cannot be read or decoded; the image is left out. */
  onError?: (samplePath: string, message: string) => void;
  /**
   * Worker threads (a DecodePool) that digest sample files when there is enough to decode to be
   * worth them; without one, or for a few small files, they are digested on this thread.
   */
  pool?: { digest(file: ImageSource, name: string): Promise<SampleDigest> };
  /** Called each time an image is decoded (not found in the cache): a refresh's log tells how many were. */
  onDecode?: (samplePath: string) => void;
  /** Called once per image size with the layout found for it (`single` when no grid was found). */
  onLayout?: (layout: GridLayout, width: number, height: number) => void;
}

/** Less new image data than this is digested on the caller's thread: starting workers costs more. */
const POOL_MIN_BYTES = 4 * 1024 * 1024;

/** One diversity point per sample step that has at least two tiles, in step order. */
export async function sampleDiversity(run: Run, opts: DiversityOptions = {}): Promise<DiversityPoint[]> {
  const cache = opts.cache ?? new DiversityCache();
  const grid = usableGrid(opts.grid ?? run.config.grid);
  const samples = [...run.samples].sort((a, b) => a.step - b.step);
  if (samples.length === 0) return [];
  const folder = runFolder(run);
  // `abs` keys the cache: the image file, or the file holding an embedded image and where in it.
  const files = samples.map((s) => {
    const src = imageSourceOf(folder, s);
    return { step: s.step, rel: s.path, src, abs: sourceKey(src), stamp: '', size: 0 };
  });
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
      const st = await fs.stat(f.src.file);
      f.stamp = `${st.mtimeMs}:${st.size}`;
      f.size = f.src.embedded?.length ?? st.size;
    } catch (err) {
      fail(f, err);
      return;
    }
    const known = cache.failure(f.abs, f.stamp);
    if (known !== undefined) fail(f, new Error(known));
  });
  const readable = files.filter((f) => f.stamp && !failed.has(f.rel));
  let newBytes = 0;
  for (const f of readable) if (!cache.get(f.abs, f.stamp)) newBytes += f.size;
  const pool = opts.pool;
  const digest =
    pool && newBytes >= POOL_MIN_BYTES
      ? (src: ImageSource, name: string) => pool.digest(src, name)
      : (src: ImageSource, name: string) => digestSampleFile(src, name);

  // Decoded images of this call that are still needed; dropped as soon as their tiles are cut.
  const pending = new Map<string, SampleDigest>();
  const load = async (f: (typeof files)[number]): Promise<CacheEntry> => {
    const hit = cache.get(f.abs, f.stamp);
    if (hit) return hit;
    cache.decodes++;
    opts.onDecode?.(f.rel);
    const image = await digest(f.src, f.rel);
    const entry: CacheEntry = { stamp: f.stamp, profile: image.profile, tilesByLayout: new Map() };
    cache.set(f.abs, entry);
    pending.set(f.abs, image);
    return entry;
  };

  // The layout is voted on by a few images spread over the run, one layout per image size. The
  // other images are decoded while the vote is still out (no idle core at the barrier) and cut into
  // tiles once it is in; at most READ_CONCURRENCY of them wait for it.
  const voters = spread(readable, LAYOUT_IMAGES);
  const isVoter = new Set(voters);
  const profilesBySize = new Map<string, ImageProfile[]>();
  const layouts = new Map<string, GridLayout>();
  let votesLeft = voters.length;
  let voted = () => {};
  const votesIn = new Promise<void>((resolve) => (voted = resolve));
  const vote = () => {
    if (--votesLeft > 0) return;
    for (const [key, profiles] of profilesBySize) {
      const layout = inferLayout(profiles, grid);
      layouts.set(key, layout);
      opts.onLayout?.(layout, profiles[0]!.width, profiles[0]!.height);
    }
    voted();
  };

  const tilesByFile = new Map<string, Float32Array[]>();
  const cut = async (f: (typeof files)[number]): Promise<void> => {
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
          cache.decodes++;
          opts.onDecode?.(f.rel);
          image = await digest(f.src, f.rel);
        }
        tiles = cutDigestTiles(image, layout);
        entry.tilesByLayout.set(key, tiles);
        cache.addTiles(entry, tiles.length);
      }
      pending.delete(f.abs);
      tilesByFile.set(f.abs, tiles);
    } catch (err) {
      fail(f, err);
    }
  };

  await eachLimited([...voters, ...readable.filter((f) => !isVoter.has(f))], READ_CONCURRENCY, async (f) => {
    if (isVoter.has(f)) {
      try {
        const { profile } = await load(f);
        const key = `${profile.width}x${profile.height}`;
        profilesBySize.set(key, [...(profilesBySize.get(key) ?? []), profile]);
      } catch (err) {
        fail(f, err);
      } finally {
        vote();
      }
      return;
    }
    // Every voter was started before any other image: waiting here cannot hold a voter back.
    try {
      await load(f);
    } catch (err) {
      fail(f, err);
      return;
    }
    await votesIn;
    await cut(f);
  });
  for (const f of voters) await cut(f);

  const points: DiversityPoint[] = [];
  for (let i = 0; i < readable.length;) {
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

/** Tiles of a digested sample: from the image itself, or area-weighted from its downscaled copy. */
export function cutDigestTiles(d: SampleDigest, layout: GridLayout): Float32Array[] {
  if (d.scale === 1) return cutTiles(d.small, layout);
  const { width, height } = d.profile;
  const xBins = binEdges(layout.cols.size);
  const yBins = binEdges(layout.rows.size);
  const tiles: Float32Array[] = [];
  for (const y0 of layout.rows.starts) {
    const ys = Array.from({ length: TILE_SIDE }, (_, v) => coverage(y0 + yBins[2 * v]!, Math.min(height, y0 + yBins[2 * v + 1]!), d.scale, height));
    for (const x0 of layout.cols.starts) {
      const out = new Float32Array(TILE_SIDE * TILE_SIDE);
      for (let u = 0; u < TILE_SIDE; u++) {
        const xs = coverage(x0 + xBins[2 * u]!, Math.min(width, x0 + xBins[2 * u + 1]!), d.scale, width);
        for (let v = 0; v < TILE_SIDE; v++) out[v * TILE_SIDE + u] = weightedMean(d.small, ys[v]!, xs);
      }
      tiles.push(standardise(out));
    }
  }
  return tiles;
}

/** Pixels of the downscaled axis that [from, to) of the full axis overlaps, with the overlap in full pixels. */
interface Coverage {
  index: Int32Array;
  weight: Float64Array;
}

function coverage(from: number, to: number, scale: number, length: number): Coverage {
  const index: number[] = [];
  const weight: number[] = [];
  for (let i = Math.floor(from / scale); i * scale < to; i++) {
    const w = Math.min(to, (i + 1) * scale, length) - Math.max(from, i * scale);
    if (w > 0) {
      index.push(i);
      weight.push(w);
    }
  }
  return { index: Int32Array.from(index), weight: Float64Array.from(weight) };
}

// Typed arrays and plain loops: this runs 480 tiles × 256 bins of a StyleGAN grid on the thread
// that also answers the UI (tuples and iterators made it ~30 ms a grid).
function weightedMean(image: GrayImage, ys: Coverage, xs: Coverage): number {
  const { gray, width } = image;
  let sum = 0;
  let weight = 0;
  for (let i = 0; i < ys.index.length; i++) {
    const row = ys.index[i]! * width;
    const wy = ys.weight[i]!;
    for (let j = 0; j < xs.index.length; j++) {
      const wx = xs.weight[j]!;
      sum += gray[row + xs.index[j]!]! * wy * wx;
      weight += wy * wx;
    }
  }
  return weight ? sum / weight : 0;
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
