// The inspector's init message: each run's summary with the URIs of the images the page may show
// (large grids by their previews, made later: sent as pending), and the previews to make, in order.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Inspection } from '../../core/inspect';
import type { InitMessage } from '../../protocol';
import { runSummary } from '../../chart/runSummary';
import { imageSourceOf, runFolder } from '../../core/samples/imageSource';
import { currentSettings } from '../workspaceSettings';
import { previewOrder, shownImages, type WantedImage } from './previewQueue';
import { restoreStateOf } from './restore';
import type { SamplePreviews } from './samplePreviews';

export async function initMessageOf(
  shown: { id: string; inspection: Inspection }[],
  previews: SamplePreviews,
  imageUri: (file: string) => string,
  roots: string[],
): Promise<{ message: InitMessage; wanted: WantedImage[] }> {
  const settings = currentSettings();
  const images = await shownImages(
    previews,
    shown.map(({ id, inspection: { run } }) => ({
      runId: id,
      images: [...run.samples, ...(run.references ?? []), ...(run.results ?? [])].map((x) => ({ path: x.path, src: imageSourceOf(runFolder(run), x) })),
    })),
  );
  const wanted: WantedImage[] = [];
  const runs = shown.map(({ id, inspection }) => {
    // Large grids are shown by their previews, never as they are (50 MB at every scrubber step):
    // a pending one is sent without a URI until its preview is made. A double-click opens the original.
    // An embedded image is shown from its copy in the preview folder (as a preview is).
    const image = (rel: string) => images.get(`${id}\0${rel}`);
    const summary = runSummary(inspection, id, (rel) => {
      const shownImage = image(rel);
      return !shownImage || shownImage.pending ? '' : imageUri(shownImage.file);
    });
    for (const x of [...summary.samples, ...summary.references, ...summary.results]) if (image(x.path)?.pending) x.pending = true;
    const folder = runFolder(inspection.run);
    wanted.push(...previewOrder(summary, (rel) => image(rel)?.file ?? path.join(folder, ...rel.split('/'))));
    return summary;
  });
  const message: InitMessage = {
    type: 'init',
    host: 'vscode',
    runs,
    settings: { smoothing: settings.smoothing },
    l10n: vscode.l10n.bundle,
    // Opaque to the webview, which hands it back in its state for the serializer.
    restore: restoreStateOf(roots),
  };
  return { message, wanted };
}
