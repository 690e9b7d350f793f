// A notebook that trained a GAN as a run's pieces: the losses its cells printed, read by the
// printed-log reader cell by cell in execution order, and its inline images placed on the step
// printed just before them.
//
// - Stream outputs (stdout and stderr) go through one printed-log reader per cell, in output order;
//   an execute result's text too when it holds loss lines. ANSI colours and backspace redraws are
//   taken out first, and Colab's "Streaming output truncated to the last N lines." banner is told
//   in the run's notes (the lines shown are the end of the training, not its start).
// - A later cell whose counter starts again (a second `fit`, training resumed in a new cell) is the
//   same model trained on: its steps follow the earlier cell's, and a note says so.
// - An image after a loss line of its cell is a sample at that step, unless it is a chart. Images
//   before any loss line, or in cells that print no losses, are not samples of a step: a picture of
//   the training data is a reference, a chart is nothing, and the generator's output shown after
//   training (a final grid) is a result, on no step and never scored.
import type { RawSeries, Stage } from '../model';
import { t } from '../l10n';
import { ReadFailure } from '../formats/errors';
import { newPrintedReader } from '../formats/printed';
import { looksLikePrintedLog } from '../formats/printedSniff';
import type { LineReader } from '../formats/lineLog';
import type { EmbeddedImage, FormatRead } from '../formats/format';
import type { SkipReport } from '../formats/skipped';
import { roleOf } from '../roles';
import { decodeBase64Json } from '../samples/imageSource';
import { declaredSize } from '../samples/decoding';
import { NotNotebook, readNotebookCells, type Cell, type NotebookImage } from './cells';
import { cellDrawing, functionBodies, looksLikeChart, type CellDrawing } from './outputImages';

// A name that says it is a loss, of whichever network (`loss`, `Loss_D`, `errD`, `cost`).
const LOSS_NAME = /loss|cost|^err/i;
const COLAB_TRUNCATED = /^Streaming output truncated to the last (\d+) lines\.[^\n]*\n?/;

/**
 * Reads a notebook (`rel`: its name as messages give it): the losses its cells printed and its
 * inline images, in place; its notes (a truncated output, a counter started again, what the
 * printed-log reader set aside) and stages told in `report`. Throws ReadFailure naming it when it
 * is not a notebook or prints no loss lines.
 */
export function readNotebook(bytes: Uint8Array, rel: string, report?: SkipReport): FormatRead {
  let cells: Cell[];
  let sources: string[];
  try {
    ({ cells, sources } = readNotebookCells(bytes));
  } catch (e) {
    if (e instanceof NotNotebook) throw new ReadFailure(t('{0}: not a Jupyter notebook ({1})', rel, e.message));
    throw e;
  }
  const functions = functionBodies(sources);
  const merged = new Map<string, { steps: number[]; values: number[]; stepsPerEpoch?: number }>();
  const out = { series: [] as RawSeries[], images: [] as EmbeddedImage[], notes: [] as string[], stages: [] as Stage[] };
  /** The last step placed so far, over every cell read; null before the first loss line. */
  let end: number | null = null;
  let endCell: Cell | null = null;
  for (const cell of cells) {
    const { series, images, truncated, told } = readCell(cell, rel);
    const before = end;
    let offset = 0;
    if (series.length) {
      const first = Math.min(...series.map((s) => s.steps[0]!));
      const last = Math.max(...series.map((s) => s.steps[s.steps.length - 1]!));
      if (end !== null && first <= end) {
        offset = end + strideOf(series) - first;
        out.notes.push(
          t('{0} counts from {1} again: its steps are placed after those of {2}, from {3} on.', cellName(cell), first, cellName(endCell!), first + offset),
        );
      }
      for (const s of series) {
        let m = merged.get(s.name);
        if (!m) merged.set(s.name, (m = { steps: [], values: [] }));
        for (let i = 0; i < s.steps.length; i++) {
          m.steps.push(s.steps[i]! + offset);
          m.values.push(s.values[i]!);
        }
        if (s.stepsPerEpoch && m.stepsPerEpoch === undefined) m.stepsPerEpoch = s.stepsPerEpoch;
      }
      if (truncated !== null) {
        // Without a counter in its lines, the steps count the lines kept, not the training's.
        out.notes.push(
          first === 0
            ? t(
                'Colab kept only the last {0} lines of the output of {1}: the training began earlier, and its steps here count from where the output was cut.',
                truncated,
                cellName(cell),
              )
            : t(
                'Colab kept only the last {0} lines of the output of {1}: the training began before step {2}, the first one shown.',
                truncated,
                cellName(cell),
                first + offset,
              ),
        );
      }
      out.notes.push(...(told.notes ?? []));
      for (const stage of told.stages ?? []) out.stages.push({ ...stage, start: stage.start + offset, offset: stage.offset + offset });
      end = last + offset;
      endCell = cell;
    }
    if (!images.length) continue;
    const drawing = cellDrawing(cell.source, functions);
    // A cell that shows charts among its samples shows them at one size: one look per size.
    const chartBySize = new Map<string, boolean>();
    for (const shown of images) {
      const step = shown.step !== null && series.length ? shown.step + offset : before;
      const chart = () => {
        const decoded = decodeBase64Json(bytes.subarray(shown.image.span.start, shown.image.span.end));
        if (!decoded) return false;
        const size = declaredSize(decoded, shown.image.format);
        const key = size ? `${size.width}x${size.height}` : `?${shown.output}`;
        let known = chartBySize.get(key);
        if (known === undefined) chartBySize.set(key, (known = looksLikeChart(decoded, shown.image.format)));
        return known;
      };
      const place = placeImage(drawing, chart, step !== null && series.length > 0);
      if (place === 'plot' || (place === 'result' && step === null)) continue;
      out.images.push({
        name: `cell${cell.index}-out${shown.output}`,
        step: place === 'sample' ? step : null,
        ...(place === 'real' ? { kind: 'reference' as const } : place === 'result' ? { kind: 'result' as const } : {}),
        format: shown.image.format,
        offset: shown.image.span.start,
        length: shown.image.span.end - shown.image.span.start,
        encoding: 'base64',
        cell: cell.index,
      });
    }
  }
  if (!merged.size) throw new ReadFailure(t('{0}: no training loss lines in the outputs of its cells', rel));
  for (const [name, m] of merged) {
    out.series.push({
      name,
      column: null,
      steps: Float64Array.from(m.steps),
      values: Float64Array.from(m.values),
      ...(m.stepsPerEpoch ? { stepsPerEpoch: m.stepsPerEpoch } : {}),
    });
  }
  if (report) {
    report.skipped = null;
    if (out.notes.length) report.notes = out.notes;
    if (out.stages.length) report.stages = out.stages;
  }
  return { series: out.series, images: out.images };
}

/**
 * What an image is: a sample (after a loss line of its cell), the training data, a chart, or the
 * generator's output shown outside training (`result`). The cell's code decides when it draws only
 * charts or only pictures; otherwise the pixels tell a chart.
 */
function placeImage(drawing: CellDrawing, looksLikeChart: () => boolean, onStep: boolean): 'sample' | 'real' | 'plot' | 'result' {
  if (drawing.charts && !drawing.pictures) return 'plot';
  const chart = () => !(drawing.pictures && !drawing.charts) && looksLikeChart();
  if (onStep) return chart() ? 'plot' : 'sample';
  if (drawing.real && !drawing.generated) return 'real';
  return chart() ? 'plot' : 'result';
}

interface CellRead {
  series: RawSeries[];
  /** Each image with the step of the cell's last loss line before it (null: none yet). */
  images: { image: NotebookImage; output: number; step: number | null }[];
  /** Lines Colab kept when it truncated the output; null when it did not. */
  truncated: number | null;
  /** What the printed-log reader told of the cell's lines (relaunches set aside, stages). */
  told: Pick<SkipReport, 'notes' | 'stages'>;
}

function readCell(cell: Cell, rel: string): CellRead {
  const reader = newPrintedReader(rel);
  // Each stream's unfinished last line waits for the rest of it (stdout and stderr interleave).
  const partial = new Map<string, string>();
  const images: CellRead['images'] = [];
  let truncated: number | null = null;
  let last = '';
  cell.outputs.forEach((output, index) => {
    if (output.kind === 'stream') {
      let text = clean(output.text);
      const banner = COLAB_TRUNCATED.exec(text);
      if (banner) {
        truncated = Number(banner[1]);
        text = text.slice(banner[0].length);
      }
      const buffered = (partial.get(output.name) ?? '') + text;
      partial.set(output.name, buffered.slice(reader.push(buffered)));
      last = output.name;
    } else if (output.kind === 'display') {
      // A result whose text is a log (a returned string of loss lines) is read as one.
      if (output.log && output.plain && looksLikePrintedLog(output.plain, 1)) reader.push(`${clean(output.plain)}\n`);
      // fastai's training table, shown as HTML: its rows as the console table prints them.
      if (output.table) reader.push(output.table);
      if (output.image) images.push({ image: output.image, output: index, step: lastStep(reader, partial.get(last) ?? '') });
    }
  });
  let series: RawSeries[] = [];
  const told: SkipReport = { skipped: null };
  try {
    series = reader.series([...partial.values()].filter(Boolean).join('\n'), false, told);
  } catch (e) {
    if (!(e instanceof ReadFailure)) throw e;
  }
  // A cell that printed numbers but no loss (`Time for epoch 1 is 3.2 sec`, a model summary's
  // `Total params`, an evaluation's FID alone) is not training output: a notebook's other cells print numbers too.
  if (!series.some((s) => roleOf(s.name) !== 'other' || LOSS_NAME.test(s.name))) series = [];
  return { series, images, truncated, told };
}

/** The step of the last loss line read so far (its unfinished line `rest` included); null before any. */
function lastStep(reader: LineReader, rest: string): number | null {
  try {
    let step = -Infinity;
    for (const s of reader.series(rest)) if (s.steps.length) step = Math.max(step, s.steps[s.steps.length - 1]!);
    return Number.isFinite(step) ? step : null;
  } catch (e) {
    if (e instanceof ReadFailure) return null;
    throw e;
  }
}

/** The usual step between two loss lines of a cell (its longest series' median gap; 1 for one line). */
function strideOf(series: RawSeries[]): number {
  const longest = series.reduce((a, b) => (b.steps.length > a.steps.length ? b : a));
  const gaps: number[] = [];
  for (let i = 1; i < longest.steps.length; i++) gaps.push(longest.steps[i]! - longest.steps[i - 1]!);
  gaps.sort((a, b) => a - b);
  const median = gaps[gaps.length >> 1];
  return median !== undefined && median > 0 ? median : 1;
}

/** How a notebook shows a cell: its execution count `[n]`, else its position. */
function cellName(cell: Cell): string {
  return cell.count !== null ? t('cell [{0}]', cell.count) : t('cell {0}', cell.index + 1);
}

/**
 * Terminal control sequences out: ANSI colours and cursor moves, and a backspace with the
 * character it erases (Keras redraws its progress bar that way).
 */
export function clean(text: string): string {
  // eslint-disable-next-line no-control-regex -- escape sequences are what this removes
  let out = text.replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g, '');
  if (out.includes('\b')) {
    // eslint-disable-next-line no-control-regex -- backspaces are what this applies
    for (let before = ''; before !== out;) [before, out] = [out, out.replace(/[^\n\x08]\x08/g, '')];
    // eslint-disable-next-line no-control-regex -- backspaces are what this applies
    out = out.replace(/\x08/g, '');
  }
  return out;
}
