// The previews one inspector panel waits for, made a few at a time in the order the user meets
// them (the newest step first: the gallery opens there), each told to the webview as it is ready.
// No `vscode`: the panel gives it how to post, and Node tests drive it with the real worker.
import { performance } from 'node:perf_hooks';
import type { RunSummary } from '../../protocol';
import type { SamplePreviews, ShownImage } from './samplePreviews';
import type { ImageSource } from '../../core/samples/imageSource';

/** A pending sample or reference of one of the panel's runs. */
export interface WantedImage {
  runId: string;
  /** Relative to the run root, as the webview knows it. */
  path: string;
  file: string;
}

/** Previews asked for at once per panel: the worker's pool also scores the run's grids meanwhile. */
const AT_ONCE = 2;

/**
 * What to show for every sample and reference of the runs (their run-relative paths and where their
 * bytes are), found with a few files read at a time; keyed by `${runId}\0${path}`. An embedded image
 * is extracted to a file first; one that cannot be read is left out (the webview shows no image).
 */
export async function shownImages(
  previews: SamplePreviews,
  runs: { runId: string; images: { path: string; src: ImageSource }[] }[],
): Promise<Map<string, ShownImage>> {
  const items = runs.flatMap((r) => r.images.map((x) => ({ key: `${r.runId}\0${x.path}`, src: x.src })));
  const out = new Map<string, ShownImage>();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(8, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        const file = await previews.fileOf(item.src);
        if (file !== null) out.set(item.key, await previews.shown(file));
      }
    }),
  );
  return out;
}

/**
 * The pending images of a run summary in the order they are needed: the newest step and its
 * references first, results last. `fileOf` gives the image file of a run-relative path (the
 * extracted copy of an embedded one).
 */
export function previewOrder(summary: RunSummary, fileOf: (path: string) => string): WantedImage[] {
  const want = (p: string) => ({ runId: summary.id, path: p, file: fileOf(p) });
  const samples = [...summary.samples].sort((a, b) => b.step - a.step);
  const newest = samples[0]?.step;
  const refsFirst = summary.references.filter((r) => r.pending && (r.step === null || r.step === newest));
  const out = [
    ...samples.slice(0, 1).filter((s) => s.pending),
    ...refsFirst,
    ...samples.slice(1).filter((s) => s.pending),
    ...summary.references.filter((r) => r.pending && !refsFirst.includes(r)),
    ...summary.results.filter((r) => r.pending),
  ];
  return out.map((x) => want(x.path));
}

export class PreviewQueue {
  private wanted: WantedImage[] = [];
  private running = 0;
  private disposed = false;
  private batch: { started: number; first?: number; made: number } | undefined;

  /**
   * @param post tells the webview the image to show for a wanted one (the preview, or the file when none could be made).
   * @param done one call per batch, when nothing is left to make: how many and how long (for the log).
   */
  constructor(
    private readonly previews: SamplePreviews,
    private readonly post: (image: WantedImage, file: string) => void,
    private readonly done?: (made: number, firstMs: number, allMs: number) => void,
  ) {}

  /** The images wanted now, in order, each file once (replaces the list; those being made keep going). */
  want(images: WantedImage[]): void {
    if (this.disposed) return;
    const seen = new Set<string>();
    this.wanted = images.filter((w) => {
      if (seen.has(w.file)) return false;
      seen.add(w.file);
      return true;
    });
    if (this.wanted.length && !this.batch) this.batch = { started: performance.now(), made: 0 };
    this.pump();
  }

  /** The user is looking at this one: it is made next (if it is still waiting). */
  prefer(runId: string, path: string): void {
    const i = this.wanted.findIndex((w) => w.runId === runId && w.path === path);
    if (i > 0) this.wanted.unshift(...this.wanted.splice(i, 1));
  }

  dispose(): void {
    this.disposed = true;
    this.wanted = [];
  }

  private pump(): void {
    while (!this.disposed && this.running < AT_ONCE && this.wanted.length) {
      const image = this.wanted.shift()!;
      this.running++;
      void this.previews.request(image.file).then((file) => {
        this.running--;
        if (this.disposed) return;
        const batch = this.batch;
        if (batch) {
          batch.made++;
          batch.first ??= performance.now() - batch.started;
        }
        this.post(image, file);
        this.pump();
        if (!this.running && !this.wanted.length && batch) {
          this.batch = undefined;
          this.done?.(batch.made, batch.first ?? 0, performance.now() - batch.started);
        }
      });
    }
  }
}
