// Images embedded in other files (a notebook's outputs, TensorBoard image summaries) as files the
// webview can load: each is extracted once into the preview folder, named by its content (the same
// image shown twice is one file), and from there it is shown, and previewed when large, exactly as
// a sample saved as a file. The folder keeps at most a budget of them, the oldest dropped first.
// No `vscode`: Node tests drive it.
import { createHash } from 'node:crypto';
import { readdir, stat, unlink, utimes } from 'node:fs/promises';
import * as path from 'node:path';
import { readImageBytes, sourceKey, sourceName, type ImageSource } from '../../core/samples/imageSource';
import { savePreview } from '../../core/samples/preview';

const PREFIX = 'embedded-';
const EXT = { png: 'png', jpeg: 'jpg', gif: 'gif' } as const;
/** Extracted images kept in the folder, in bytes. */
const DEFAULT_BUDGET = 256 * 1024 * 1024;

export class EmbeddedFiles {
  /** The extracted file of a source, by its key and its container's version. */
  private readonly known = new Map<string, Promise<string>>();
  /** The files the finished extractions gave, by the same keys (to forget the ones pruned). */
  private readonly made = new Map<string, string>();
  /** Bytes of extracted images in the folder (counted on first use), and whether it was counted. */
  private held = 0;
  private counted: Promise<void> | undefined;

  constructor(
    private readonly dir: string,
    private readonly budget = DEFAULT_BUDGET,
  ) {}

  /** The file to show for an image: the image file itself, or its extracted copy. Throws the image's one-line error. */
  async fileOf(src: ImageSource): Promise<string> {
    const e = src.embedded;
    if (!e) return src.file;
    const st = await stat(src.file);
    const key = `${sourceKey(src)}\0${st.mtimeMs}:${st.size}`;
    let made = this.known.get(key);
    if (!made) {
      made = this.extract(src, e.format);
      this.known.set(key, made);
      made.then(
        (file) => this.made.set(key, file),
        () => this.known.delete(key),
      );
    }
    return made;
  }

  private async extract(src: ImageSource, format: keyof typeof EXT): Promise<string> {
    const bytes = await readImageBytes(src, sourceName(src));
    const name = `${PREFIX}${createHash('sha1').update(bytes).digest('hex').slice(0, 32)}.${EXT[format]}`;
    const file = path.join(this.dir, name);
    const there = await stat(file).catch(() => undefined);
    if (there) {
      // In use again: the newest, so the last to be dropped.
      const now = new Date();
      await utimes(file, now, now).catch(() => undefined);
      return file;
    }
    await (this.counted ??= this.count());
    await savePreview(file, bytes);
    this.held += bytes.length;
    if (this.held > this.budget) await this.prune(file);
    return file;
  }

  private async count(): Promise<void> {
    for (const f of await this.files()) this.held += f.size;
  }

  /** Drops the oldest extracted images until the folder is within the budget (never `keep`). */
  private async prune(keep: string): Promise<void> {
    const files = (await this.files()).sort((a, b) => a.mtimeMs - b.mtimeMs);
    this.held = files.reduce((n, f) => n + f.size, 0);
    for (const f of files) {
      if (this.held <= this.budget) break;
      if (f.file === keep) continue;
      await unlink(f.file).catch(() => undefined);
      this.held -= f.size;
      for (const [key, file] of this.made) {
        if (file !== f.file) continue;
        this.made.delete(key);
        this.known.delete(key);
      }
    }
  }

  private async files(): Promise<{ file: string; size: number; mtimeMs: number }[]> {
    const names = (await readdir(this.dir).catch(() => [] as string[])).filter((n) => n.startsWith(PREFIX) && !n.endsWith('.tmp'));
    const out: { file: string; size: number; mtimeMs: number }[] = [];
    for (const n of names) {
      const file = path.join(this.dir, n);
      const st = await stat(file).catch(() => undefined);
      if (st) out.push({ file, size: st.size, mtimeMs: st.mtimeMs });
    }
    return out;
  }
}
