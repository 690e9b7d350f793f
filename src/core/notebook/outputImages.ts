// What an inline image of a notebook is: a plot of the training (loss or FID curves: never a
// sample), a picture of the training data (a reference), or the generator's output. The cell's
// code says it where it can (with the functions it calls, defined in other cells); a chart drawn
// by code outside the notebook (a trainer library's "show graphs") is told by its pixels.
import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';
import { digestBytes } from '../samples/digest';
import { inferLayout } from '../samples/layout';

/** What the code of a cell (and of the functions it calls) draws. */
export interface CellDrawing {
  /** Line charts: `plt.plot`, `ax.semilogy`, `sns.lineplot`… */
  charts: boolean;
  /** Pictures: `imshow`, `make_grid`, `save_image`, a `show_batch`-like helper… */
  pictures: boolean;
  /** The training data is named: `real`, `dataset`, a data loader, `x_train`, `load_data`… */
  real: boolean;
  /** The generator is named: `generator`, `netG`, `G(`, `fake`, `predict(`, a latent or noise vector… */
  generated: boolean;
}

const CHART = /\.(plot|semilogy|semilogx|loglog|errorbar|lineplot|relplot)\s*\(|\bplot_(losses|loss|history|metrics)\s*\(/;
const PICTURE = /\b(imshow|matshow|make_grid|save_image|show_batch|show_images|plot_images|display_image|image_grid)\s*\(|Image\.(open|fromarray)\s*\(/;
const REAL = /\breal|dataset|data_?loader|loader\b|train_images|x_train|train_x\b|load_data|next\(\s*iter\(|_iter\b|\.next\(\)|\.data\[/i;
const GENERATED = /fake|generat|\bgen\b|\bgen_|\bgen\(|net_?G\b|\bG\(|predict\(|latent|noise|sample_images|\bz\b/i;
/** Functions a cell calls are looked up this deep (a `train()` that calls `generate_and_save_images()`). */
const CALL_DEPTH = 2;

/** The definitions of the notebook's functions, by name, from every code cell's source. */
export function functionBodies(sources: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const source of sources) {
    const lines = source.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const m = /^(\s*)def\s+([A-Za-z_]\w*)\s*\(/.exec(lines[i]!);
      if (!m) continue;
      const indent = m[1]!.length;
      let j = i + 1;
      // The body: every following line indented deeper (or blank).
      while (j < lines.length && (/^\s*$/.test(lines[j]!) || /^\s*/.exec(lines[j]!)![0].length > indent)) j++;
      out.set(m[2]!, lines.slice(i, j).join('\n'));
    }
  }
  return out;
}

/** What a cell draws, reading the functions it calls as well. */
export function cellDrawing(source: string, functions: Map<string, string>): CellDrawing {
  let code = withoutComments(source);
  const seen = new Set<string>();
  let frontier = code;
  for (let depth = 0; depth < CALL_DEPTH; depth++) {
    let added = '';
    for (const m of frontier.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) {
      const body = functions.get(m[1]!);
      if (body === undefined || seen.has(m[1]!)) continue;
      seen.add(m[1]!);
      added += `\n${withoutComments(body)}`;
    }
    if (!added) break;
    code += added;
    frontier = added;
  }
  return { charts: CHART.test(code), pictures: PICTURE.test(code), real: REAL.test(code), generated: GENERATED.test(code) };
}

function withoutComments(code: string): string {
  return code.replace(/#[^\n]*/g, '');
}

/** Images larger than this are never taken for charts: a chart is a figure of a few hundred pixels. */
const MAX_CHART_PIXELS = 4_000_000;
/** A chart is mostly its background… */
const CHART_BACKGROUND = 0.8;
/** …and much of what is drawn on it is coloured (the lines), not grey (digits drawn with a grey colormap). */
const CHART_COLOURED = 0.15;
/** Pixels looked at: a figure's background and colours show in a sample of them. */
const CHART_SAMPLES = 250_000;

/**
 * True when the image looks like a line chart: at least 80% of it one background colour, at least
 * 15% of the rest clearly coloured, and no grid of tiles in it. A sample grid of grey digits on
 * white (matplotlib's `gray_r`) is as empty, but grey; a grid of samples has tiles.
 */
export function looksLikeChart(bytes: Uint8Array, format: 'png' | 'jpeg' | 'gif'): boolean {
  let rgba: { width: number; height: number; data: Uint8Array };
  try {
    if (format === 'png') {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      rgba = png;
    } else if (format === 'jpeg') rgba = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_CHART_PIXELS / 1e6 });
    else return false;
  } catch {
    return false;
  }
  const { width, height, data } = rgba;
  const pixels = width * height;
  if (!pixels || pixels > MAX_CHART_PIXELS) return false;
  // The background: the fullest bin of a 4-bit-per-channel histogram (a sample of the pixels), as its mean colour.
  const every = Math.max(1, Math.floor(pixels / CHART_SAMPLES));
  const counts = new Uint32Array(4096);
  const sums = new Float64Array(4096 * 3);
  let seen = 0;
  for (let i = 0; i < pixels; i += every, seen++) {
    const r = data[4 * i]!;
    const g = data[4 * i + 1]!;
    const b = data[4 * i + 2]!;
    const bin = ((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4);
    counts[bin]!++;
    sums[3 * bin] += r;
    sums[3 * bin + 1] += g;
    sums[3 * bin + 2] += b;
  }
  let bin = 0;
  for (let k = 1; k < 4096; k++) if (counts[k]! > counts[bin]!) bin = k;
  if (counts[bin]! / seen < CHART_BACKGROUND) return false;
  const n = counts[bin]!;
  const [br, bg, bb] = [sums[3 * bin]! / n, sums[3 * bin + 1]! / n, sums[3 * bin + 2]! / n];
  let drawn = 0;
  let coloured = 0;
  for (let i = 0; i < pixels; i += every) {
    const r = data[4 * i]!;
    const g = data[4 * i + 1]!;
    const b = data[4 * i + 2]!;
    if (Math.abs(r - br) + Math.abs(g - bg) + Math.abs(b - bb) < 48) continue;
    drawn++;
    if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
  }
  if (!drawn || coloured / drawn < CHART_COLOURED) return false;
  try {
    return inferLayout([digestBytes(bytes, 'chart').profile]).source === 'single';
  } catch {
    return false;
  }
}
