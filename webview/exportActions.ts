// The export buttons: the chart as PNG, the shown losses as CSV, the findings as Markdown, the
// samples as a GIF, each saved through the host under the run's name. Apart from app.ts, which only
// says what is shown now.
import { t } from '../src/core/l10n';
import type { RunSummary } from '../src/protocol';
import type { LossChart, SeriesData } from './chart';
import { chartPng, findingsMarkdown, samplesGif, seriesCsv } from './export';
import type { Gallery } from './gallery';
import type { Host } from './host';

/** What the inspector shows when a button is pressed. */
export interface Shown {
  host: Host;
  runs: RunSummary[];
  chart: LossChart | undefined;
  gallery: Gallery | undefined;
  series: SeriesData[];
  range: { start: number; end: number };
  say(text: string): void;
  /** Resolves when one more pending sample preview has been made. */
  previewMade(): Promise<void>;
}

/** A file name from the (untrusted) run name: letters, digits, `._-` only. */
function baseName(shown: Shown): string {
  return (
    (shown.runs[0]?.name ?? 'run')
      .replace(/[^\p{L}\p{N}._-]+/gu, '_')
      .replace(/^[._]+/, '')
      .slice(0, 80) || 'run'
  );
}

export async function exportPng(shown: Shown): Promise<void> {
  if (!shown.chart) return;
  shown.host.save(`${baseName(shown)}-losses.png`, await chartPng(shown.chart.canvas), 'image/png');
}

export function exportCsv(shown: Shown): void {
  shown.host.save(`${baseName(shown)}-losses.csv`, seriesCsv(shown.series, shown.range.start, shown.range.end), 'text/csv');
}

export function exportMarkdown(shown: Shown): void {
  shown.host.save(`${baseName(shown)}-findings.md`, findingsMarkdown(shown.runs), 'text/markdown');
}

export async function exportGif(shown: Shown): Promise<void> {
  const { gallery } = shown;
  if (!gallery?.sampleList.length) throw new Error(t('This run has no sample images to animate.'));
  // Frames from the previews, never the large originals: wait for the ones still being made.
  while (gallery.pendingCount) {
    shown.say(t('Waiting for {0} sample previews…', gallery.pendingCount));
    await shown.previewMade();
  }
  const samples = gallery.sampleList;
  shown.say(t('Encoding {0} samples as GIF…', samples.length));
  shown.host.save(`${baseName(shown)}-samples.gif`, await samplesGif(samples), 'image/gif');
  shown.say(t('GIF of {0} samples ready.', samples.length));
}

/** The toolbar's four exports, each of what is shown when its button is pressed. */
export function exportsOf(shown: () => Shown) {
  return {
    exportPng: () => exportPng(shown()),
    exportCsv: () => exportCsv(shown()),
    exportMarkdown: () => exportMarkdown(shown()),
    exportGif: () => exportGif(shown()),
  };
}
