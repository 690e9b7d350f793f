// Which image the inspector's webview is given for a sample, without `vscode` so Node tests drive it
// with the real worker: a large grid (longer side over PREVIEW_ABOVE, read from its header) is only
// ever sent as its preview. While the preview is not made yet the sample is `pending`: the webview
// shows a placeholder, and the preview, asked of the worker ahead of the grids being scored, follows.
import { stat } from 'node:fs/promises';
import type { ImageSource } from '../../core/samples/imageSource';
import type { EmbeddedFiles } from './embeddedFiles';

// The image decoders are loaded when a panel first shows a sample, not when the extension activates.
const previews = () => import('../../core/samples/preview');
const previewFiles = () => import('../../core/samples/previewFile');

export interface ShownImage {
  /** The file to show: the preview, or the sample itself. */
  file: string;
  /** A large sample whose preview is not made yet: show nothing of it but a placeholder. */
  pending: boolean;
}

/** Makes the preview of a file now; resolves with its path, or null when none is needed or possible. */
export type PreviewMaker = (file: string) => Promise<string | null>;

/** One per extension (every panel shares it): header sizes and failures are remembered by file version. */
export class SamplePreviews {
  /** Whether a file (at a stamp: mtime and size) is large, from its header. */
  private readonly large = new Map<string, { stamp: string; large: boolean }>();
  /** Versions of files no preview could be made of: shown as they are rather than asked again. */
  private readonly failed = new Map<string, string>();
  private readonly making = new Map<string, Promise<string>>();

  /** Where embedded images are extracted to, made (with the decoders it loads) when a panel first shows one. */
  private embedded: Promise<EmbeddedFiles> | undefined;

  constructor(
    private readonly dir: string,
    private readonly make: PreviewMaker,
  ) {}

  /**
   * The file holding an image as an image of its own: the file itself, or, for an image embedded in
   * another file, its copy extracted into the preview folder (shown and previewed like any file).
   * Null when an embedded image cannot be read (its container changed): nothing to show.
   */
  async fileOf(src: ImageSource): Promise<string | null> {
    if (!src.embedded) return src.file;
    this.embedded ??= import('./embeddedFiles').then(({ EmbeddedFiles }) => new EmbeddedFiles(this.dir));
    return (await this.embedded).fileOf(src).catch(() => null);
  }

  /** What to show for `file` now. */
  async shown(file: string): Promise<ShownImage> {
    const st = await stat(file).catch(() => undefined);
    if (!st) return { file, pending: false };
    const { currentPreview, wantsPreview } = await previews();
    const preview = await currentPreview(this.dir, file, st);
    if (preview) return { file: preview, pending: false };
    const stamp = `${st.mtimeMs}:${st.size}`;
    if (this.failed.get(file) === stamp) return { file, pending: false };
    let known = this.large.get(file);
    if (known?.stamp !== stamp) {
      const size = await (await previewFiles()).imageSizeOf(file);
      known = { stamp, large: !!size && wantsPreview(size.width, size.height) };
      this.large.set(file, known);
    }
    return { file, pending: known.large };
  }

  /** Makes the preview of `file` (once however often asked); resolves with the image to show. */
  request(file: string): Promise<string> {
    let made = this.making.get(file);
    if (!made) {
      made = (async () => {
        const st = await stat(file).catch(() => undefined);
        const preview = await this.make(file).catch(() => null);
        if (preview) return preview;
        // No preview (a damaged file, a format without one yet): the file itself is all there is.
        if (st) this.failed.set(file, `${st.mtimeMs}:${st.size}`);
        return file;
      })().finally(() => this.making.delete(file));
      this.making.set(file, made);
    }
    return made;
  }
}
