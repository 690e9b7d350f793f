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
import { STANDALONE_DATA_ID, type RunSummary, type StandaloneData } from '../protocol';
import { webviewScriptPath } from './webviewBundle';

export interface HtmlReportOptions {
  lang: 'en' | 'zh-tw';
  /** Where the built webview app is; found next to the running CLI bundle by default. */
  webviewScript?: string;
}

/** Above this many points a series is pre-decimated (M4, so spikes stay) before it is embedded. */
const MAX_EMBEDDED_POINTS = 400_000;
const EMBED_BUCKETS = 50_000;
/** Sample images embedded per report, evenly spread over the run, and their total size. */
const MAX_SAMPLES = 200;
const MAX_SAMPLE_BYTES = 40 * 1024 * 1024;

const MIME: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };

const base64Of = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

/** Evenly spread indices: all of them when there are at most `max`. */
function spread(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)));
}

async function embedSamples(summary: RunSummary, root: string, budget: { left: number }): Promise<void> {
  const keep = spread(summary.samples.length, MAX_SAMPLES).map((i) => summary.samples[i]!);
  const out = [];
  for (const s of keep) {
    const mime = MIME[path.extname(s.path).toLowerCase()];
    if (!mime) continue;
    const file = path.join(root, ...s.path.split('/'));
    const info = await stat(file).catch(() => null);
    if (!info?.isFile() || info.size > budget.left) continue;
    const bytes = await readFile(file).catch(() => null);
    if (!bytes) continue;
    budget.left -= bytes.length;
    out.push({ ...s, uri: `data:${mime};base64,${bytes.toString('base64')}` });
  }
  summary.samples = out;
}

/** JSON that is safe inside a <script> element: no `<`, `>`, `&` or line separators as themselves. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function renderHtmlReport(inspections: Inspection[], opts: HtmlReportOptions): Promise<string> {
  const script = (await readFile(webviewScriptPath(opts.webviewScript), 'utf8')).replace(/<\/(script)/gi, '<\\/$1');
  const budget = { left: MAX_SAMPLE_BYTES };
  const runs: RunSummary[] = [];
  const series: StandaloneData['series'] = [];
  for (const [i, inspection] of inspections.entries()) {
    const runId = `run${i}`;
    const summary = runSummary(inspection, runId, () => '');
    await embedSamples(summary, inspection.run.root, budget);
    runs.push(summary);
    inspection.run.series.forEach((s, j) => {
      const id = `${runId}/${j}`;
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
