// Decoded samples kept between inspections of the same run: a live refresh decodes only new images.
import type { ImageProfile } from './layout';

export interface CacheEntry {
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
