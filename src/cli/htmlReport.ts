// The standalone HTML report: the inspector webview app inlined with the run data and sample
// images embedded, so one file opens from disk in any browser and fetches nothing.
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import zhTw from '../../l10n/bundle.l10n.zh-tw.json';
import { decimate } from '../chart/decimate';
import { runSummary } from '../chart/runSummary';
import { DEFAULT_SMOOTHING, emaDebiased } from '../chart/smoothing';
import type { Inspection } from '../core/inspect';
import { t } from '../core/l10n';
import { previewPath, wantsPreview } from '../core/samples/preview';
import { imageSizeOf, previewOf } from '../core/samples/previewFile';
import { imageSourceOf, readImageBytes, runFolder, sourceName, type ImageSource } from '../core/samples/imageSource';
import { declaredSize } from '../core/samples/decoding';
import { readSample } from '../core/samples/digest';
import type { Run } from '../core/model';
import { STANDALONE_DATA_ID, seriesId, type RunSummary, type StandaloneData } from '../protocol';
import { webviewScriptPath } from './webviewBundle';

export interface HtmlReportOptions {
  lang: 'en' | 'zh-tw';
  /** Where the built webview app is; found next to the running CLI bundle by default. */
  webviewScript?: string;
  /**
   * Where the decode pool saved previews while it scored the grids (preview.ts's previewPath): those
   * are embedded as they are instead of decoding each large grid a second time.
   */
  previewDir?: string;
}

/** Above this many points a series is pre-decimated (M4, so spikes stay) before it is embedded. */
const MAX_EMBEDDED_POINTS = 400_000;
const EMBED_BUCKETS = 50_000;
/** Sample images embedded per report, evenly spread over the run, and their total size (previews for large grids). */
const MAX_SAMPLES = 200;
// Results (test outputs, a batch by position) embedded after the samples, within the same budget.
const MAX_RESULTS = 32;
const MAX_SAMPLE_BYTES = 40 * 1024 * 1024;

const MIME: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };
const FORMAT_MIME = { png: 'image/png', jpeg: 'image/jpeg', gif: 'image/gif' } as const;

const base64Of = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

/** Evenly spread indices: all of them when there are at most `max`. */
function spread(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)));
}

/**
 * 0..n-1 as first, last, middle, then the middles of the halves and so on: whenever the budget
 * runs out, what was embedded still spans the run (how training ends is never the part left out).
 */
export function coarseToFine(n: number): number[] {
  if (n <= 0) return [];
  const order = n === 1 ? [0] : [0, n - 1];
  const seen = new Set(order);
  let spans: [number, number][] = [[0, n - 1]];
  while (spans.length) {
    const next: [number, number][] = [];
    for (const [a, b] of spans) {
      if (b - a < 2) continue;
      const m = (a + b) >> 1;
      if (!seen.has(m)) {
        seen.add(m);
        order.push(m);
      }
      next.push([a, m], [m, b]);
    }
    spans = next;
  }
  return order;
}

async function embedSamples(summary: RunSummary, run: Run, budget: Budget, previewDir?: string): Promise<void> {
  const folder = runFolder(run);
  const sources = new Map([...run.samples, ...(run.references ?? []), ...(run.results ?? [])].map((x) => [x.path, imageSourceOf(folder, x)]));
  const sourceOf = (rel: string) => sources.get(rel) ?? { file: path.join(folder, ...rel.split('/')) };
  const keep = spread(summary.samples.length, MAX_SAMPLES).map((i) => summary.samples[i]!);
  const order = coarseToFine(keep.length).map((i) => keep[i]!);
  const uris = await dataUris(
    order.map((s) => sourceOf(s.path)),
    budget,
    previewDir,
  );
  summary.samples = order.flatMap((s, i) => (uris[i] ? [{ ...s, uri: uris[i] }] : [])).sort((a, b) => a.step - b.step);
  // References beside the kept samples only (and step-less ones, like reals.png), inside the same budget.
  const steps = new Set(summary.samples.map((x) => x.step));
  const refs = summary.references.filter((x) => x.step === null || steps.has(x.step));
  const refUris = await dataUris(
    refs.map((r) => sourceOf(r.path)),
    budget,
    previewDir,
  );
  summary.references = refs.flatMap((r, i) => (refUris[i] ? [{ ...r, uri: refUris[i] }] : []));
  // The run's results (images on no step) last, in what is left of the budget.
  const results = summary.results.slice(0, MAX_RESULTS);
  const resultUris = await dataUris(
    results.map((r) => sourceOf(r.path)),
    budget,
    previewDir,
  );
  summary.results = results.flatMap((r, i) => (resultUris[i] ? [{ ...r, uri: resultUris[i] }] : []));
}

interface Budget {
  /** Bytes of images still allowed in the report. */
  left: number;
  /** A preview did not fit: no more are made (each costs a decode of its grid). */
  previewsFull?: boolean;
}

interface Prepared {
  src: ImageSource;
  mime: string;
  size: number;
  /** The preview of an image larger than PREVIEW_ABOVE, when one could be made. */
  preview: Buffer | null;
  /** An embedded image's bytes, read to learn its size. */
  bytes?: Uint8Array;
}

/**
 * The images as data: URIs, in order, inside the budget: one larger than PREVIEW_ABOVE as its
 * preview (a 7680×4096 grid is 50 MB, over the whole budget; its preview about 1 MB), others as
 * they are. The next image's preview is made while this one is placed: two decodes at once.
 */
async function dataUris(sources: ImageSource[], budget: Budget, previewDir?: string): Promise<(string | null)[]> {
  const prepared: Promise<Prepared | null>[] = [];
  const prepare = (i: number) => (prepared[i] ??= prepareImage(sources[i]!, budget, previewDir));
  const out: (string | null)[] = [];
  for (let i = 0; i < sources.length; i++) {
    const item = prepare(i);
    if (i + 1 < sources.length) void prepare(i + 1);
    out.push(await place(await item, budget));
  }
  return out;
}

async function prepareImage(src: ImageSource, budget: Budget, previewDir?: string): Promise<Prepared | null> {
  if (src.embedded) return prepareEmbedded(src, src.embedded.format, budget);
  const file = src.file;
  const mime = MIME[path.extname(file).toLowerCase()];
  if (!mime) return null;
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return null;
  const size = await imageSizeOf(file);
  const large = !!size && wantsPreview(size.width, size.height);
  if (!large || budget.previewsFull) return { src, mime, size: info.size, preview: null };
  // Made while the grid was scored, for this version of the file; else made now.
  const saved = previewDir ? await readFile(previewPath(previewDir, file, info.mtimeMs, info.size)).catch(() => null) : null;
  return { src, mime, size: info.size, preview: saved ?? (await previewOf(file)) };
}

/** An image inside another file (a notebook's output, an image summary): its bytes, or its preview when large. */
async function prepareEmbedded(src: ImageSource, format: keyof typeof FORMAT_MIME, budget: Budget): Promise<Prepared | null> {
  const mime = FORMAT_MIME[format];
  const bytes = await readImageBytes(src, sourceName(src)).catch(() => null);
  if (!bytes) return null;
  const size = declaredSize(bytes, format);
  if (!size || !wantsPreview(size.width, size.height) || budget.previewsFull) return { src, mime, size: bytes.length, preview: null, bytes };
  const made = await readSample(src, sourceName(src), { preview: true }).catch(() => null);
  return {
    src,
    mime,
    size: bytes.length,
    preview: made?.preview ? Buffer.from(made.preview.buffer, made.preview.byteOffset, made.preview.byteLength) : null,
    bytes,
  };
}

async function place(image: Prepared | null, budget: Budget): Promise<string | null> {
  if (!image) return null;
  const { preview } = image;
  if (preview && preview.length <= budget.left) {
    budget.left -= preview.length;
    return `data:image/png;base64,${preview.toString('base64')}`;
  }
  if (preview) budget.previewsFull = true;
  if (image.size > budget.left) return null;
  const bytes = image.bytes ?? (await readFile(image.src.file).catch(() => null));
  if (!bytes || bytes.length > budget.left) return null;
  budget.left -= bytes.length;
  return `data:${image.mime};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;
}

/** JSON that is safe inside a <script> element: no `<`, `>`, `&` or line separators as themselves. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function renderHtmlReport(inspections: Inspection[], opts: HtmlReportOptions): Promise<string> {
  const script = (await readFile(webviewScriptPath(opts.webviewScript), 'utf8')).replace(/<\/(script)/gi, '<\\/$1');
  const budget: Budget = { left: MAX_SAMPLE_BYTES };
  const runs: RunSummary[] = [];
  const series: StandaloneData['series'] = [];
  for (const [i, inspection] of inspections.entries()) {
    const runId = `run${i}`;
    const summary = runSummary(inspection, runId, () => '');
    await embedSamples(summary, inspection.run, budget, opts.previewDir);
    runs.push(summary);
    inspection.run.series.forEach((s, j) => {
      const id = seriesId(runId, j);
      if (s.values.length <= MAX_EMBEDDED_POINTS || !s.steps.length) {
        series.push({ id, steps: base64Of(s.steps), values: base64Of(s.values) });
        return;
      }
      const smoothed = emaDebiased(s.values, DEFAULT_SMOOTHING);
      const d = decimate(s.steps, s.values, s.steps[0]!, s.steps[s.steps.length - 1]!, EMBED_BUCKETS, smoothed);
      series.push({ id, steps: base64Of(d.steps), values: base64Of(d.values), smoothed: base64Of(d.smoothed!), smoothing: DEFAULT_SMOOTHING });
    });
  }
  const data: StandaloneData = {
    init: { runs, settings: { smoothing: DEFAULT_SMOOTHING }, l10n: opts.lang === 'zh-tw' ? (zhTw as Record<string, string>) : undefined },
    series,
  };
  const nonce = randomBytes(18).toString('base64');
  const csp = `default-src 'none'; img-src data: blob:; font-src data:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; connect-src 'none'; form-action 'none'; base-uri 'none'`;
  const title = t('GAN run report: {0}', inspections.map((x) => x.run.name).join(', ') || t('no runs'));
  return `<!DOCTYPE html>
<html lang="${opts.lang === 'zh-tw' ? 'zh-Hant-TW' : 'en'}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
</head>
<body class="standalone">
<div id="app"></div>
<script type="application/json" id="${STANDALONE_DATA_ID}">${scriptJson(data)}</script>
<script nonce="${nonce}">${script}</script>
</body>
</html>
`;
}
