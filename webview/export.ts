// Exports: the chart as PNG, the visible series as CSV, findings as Markdown, samples as a GIF.
import { GIFEncoder, applyPalette, quantize } from 'gifenc';
import type { Finding } from '../src/core/model';
import { t } from '../src/core/l10n';
import type { SampleRef } from '../src/protocol';
import type { SeriesData } from './chart';
import { themeColor } from './colors';
import { kindLabel, severityLabel } from './findings';

export async function chartPng(canvas: HTMLCanvasElement): Promise<Uint8Array> {
  // The chart canvas is transparent; paint the theme background under it so the PNG reads anywhere.
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = themeColor('--vscode-editor-background', '#ffffff');
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(canvas, 0, 0);
  const blob = await new Promise<Blob | null>((resolve) => out.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error(t('the chart could not be encoded as PNG'));
  return new Uint8Array(await blob.arrayBuffer());
}

/** A CSV field: quoted when needed, and a leading =+-@ defused so spreadsheets do not run it. */
export function csvField(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const num = (v: number) => (Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Inf' : '-Inf');

/** Long format (one row per series and step) because decimated series do not share steps. */
export function seriesCsv(series: SeriesData[], start: number, end: number): string {
  const rows = ['series,step,raw,smoothed'];
  for (const s of series) {
    const name = csvField(s.label);
    for (let i = 0; i < s.steps.length; i++) {
      const step = s.steps[i]!;
      if (step < start || step > end) continue;
      rows.push(`${name},${num(step)},${num(s.values[i]!)},${num(s.smoothed[i]!)}`);
    }
  }
  return rows.join('\n') + '\n';
}

/** Escapes Markdown and HTML syntax so a name or message shows as the text it is. */
export function mdText(s: string): string {
  return s.replace(/[\\`*_{}[\]()<>#+!|~&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`)).replace(/\r?\n/g, ' ');
}

export function findingsMarkdown(runs: { name: string; findings: Finding[] }[]): string {
  const lines: string[] = [];
  for (const run of runs) {
    lines.push(`# ${t('Findings for {0}', mdText(run.name))}`, '');
    if (!run.findings.length) lines.push(t('No findings.'), '');
    for (const f of run.findings) {
      const steps = f.start === f.end ? t('step {0}', f.start) : t('steps {0}–{1}', f.start, f.end);
      lines.push(`## ${mdText(kindLabel(f.kind))} (${severityLabel(f.severity)}), ${steps}`, '', mdText(f.message), '');
      const evidence = Object.entries(f.evidence ?? {});
      if (evidence.length) {
        lines.push(`| ${t('evidence')} | ${t('value')} |`, '| --- | --- |');
        for (const [k, v] of evidence) lines.push(`| ${mdText(k)} | ${mdText(String(v))} |`);
        lines.push('');
      }
      if (f.advice) lines.push(`**${t('Try')}:** ${mdText(f.advice)}`, '');
    }
  }
  return lines.join('\n');
}

function loadImage(uri: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    // Webview resources are served cross-origin; without CORS the canvas would be tainted.
    if (!uri.startsWith('data:')) img.crossOrigin = 'anonymous';
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error(t('{0}: the image could not be loaded', uri)));
    img.src = uri;
  });
}

/** The sample progression as an animated GIF, frames scaled to at most `maxSide` pixels. */
export async function samplesGif(samples: SampleRef[], maxSide = 320, delayMs = 400): Promise<Uint8Array> {
  const gif = GIFEncoder();
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  let width = 0;
  let height = 0;
  for (const s of samples) {
    const img = await loadImage(s.uri);
    if (!width) {
      const scale = Math.min(1, maxSide / Math.max(img.naturalWidth, img.naturalHeight));
      width = Math.max(1, Math.round(img.naturalWidth * scale));
      height = Math.max(1, Math.round(img.naturalHeight * scale));
      canvas.width = width;
      canvas.height = height;
    }
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(img, 0, 0, width, height);
    const { data } = ctx.getImageData(0, 0, width, height);
    const palette = quantize(data, 256);
    gif.writeFrame(applyPalette(data, palette), width, height, { palette, delay: delayMs });
  }
  gif.finish();
  return gif.bytes();
}
