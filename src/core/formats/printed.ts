// Training logs printed to the terminal and saved to a file (`train.log`, `nohup.out`, `log.txt`):
// - the PyTorch DCGAN tutorial: `[%d/%d][%d/%d]\tLoss_D: %.4f\tLoss_G: %.4f\tD(x): %.4f\tD(G(z)): %.4f / %.4f`
// - eriklindernoren PyTorch-GAN: `[Epoch %d/%d] [Batch %d/%d] [D loss: %f] [G loss: %f]`, with more
//   terms inside a bracket (`[G loss: %f, adv: %f, cycle: %f, identity: %f]`), often after a `\r`;
// - the common shapes: `Epoch [1/100], Step [200/600], d_loss: 0.05, g_loss: 4.08`,
//   `100 [D loss: 0.5, acc.: 50.00%] [G loss: 0.8]`, `epoch 3 iter 200 D loss: 0.5 G loss: 0.7`;
// - StyleGAN / PGGAN tick lines: `tick 1 kimg 4.0 time 14m 08s sec/tick 151.7 … augment 0.035`.
// Every other line (warnings, `Namespace(...)`, progress bars, tracebacks) is passed over. A loss
// line is one whose `name: value` pairs include a D or G loss. Steps are iterations:
// `epoch × batches + batch`, else the iteration printed, else the loss line's number.
import type { RawSeries } from '../model';
import { t } from '../l10n';
import { roleOf } from '../roles';
import { decodeText, isBookkeepingKey, parseNumber } from './csv';
import { Columns, LineReader, type LineFormat } from './lineLog';

const NUM = String.raw`[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|nan|inf|infinity)`;
// `name: value` or `name=value`, a name of one or two words (`D loss`, `Loss_D`, `D(G(z))`), and
// the DCGAN tutorial's second value after ` / `.
const PAIR = new RegExp(String.raw`([A-Za-z_][\w().]*(?: [A-Za-z_][\w().]*)?)\s*[:=]\s*(${NUM})(%?)(?:\s*/\s*(${NUM}))?(?![\w/:])`, 'gi');
const DCGAN_HEAD = /^\s*\[(\d+)\/(\d+)\]\s*\[(\d+)\/(\d+)\]/;
const EPOCH = /(?:^|[^a-z])epoch\s*[:=]?\s*\[?\s*(\d+)(?:\s*\/\s*(\d+))?/i;
const BATCH = /(?:^|[^a-z])(batch|step|iter|iters|iteration|it|global_step|batches_done)\s*[:=]?\s*\[?\s*(\d+)(?:\s*\/\s*(\d+))?/i;
const LEADING_NUMBER = /^\s*(\d+)(?:\/\d+)?\s*[[:,]/;
const TICK = /^tick\s+(\d+)\s+kimg\s+([\d.]+)(.*)$/;
// A tick line's fields, named as stats.jsonl and TensorBoard name the same values.
const TICK_FIELDS: Record<string, string> = {
  lod: 'Progress/lod',
  minibatch: 'Progress/minibatch',
  'sec/tick': 'Timing/sec_per_tick',
  'sec/kimg': 'Timing/sec_per_kimg',
  maintenance: 'Timing/maintenance_sec',
  cpumem: 'Resources/cpu_mem_gb',
  gpumem: 'Resources/peak_gpu_mem_gb',
  augment: 'Progress/augment',
};
const PROGRESS_NAMES = /^(epoch|epochs|batch|step|iter|iters|iteration|it|global_step|batches_done)$/i;

/** The `name: value` pairs of a line, bracket terms named after their bracket's first (`G loss/adv`). */
export function linePairs(text: string): [string, number][] {
  const out: [string, number][] = [];
  // Brackets group the terms of one loss; outside them each pair stands alone.
  let depth = 0;
  let groupFirst: string | null = null;
  let from = 0;
  const scan = (segment: string, inBracket: boolean) => {
    for (const m of segment.matchAll(PAIR)) {
      const name = m[1]!.trim();
      if (PROGRESS_NAMES.test(name)) continue;
      const value = parseNumber(m[2]!);
      if (value === null) continue;
      // A term with a role of its own (`g_loss` in a progress bar's postfix) is not part of the bracket's loss.
      const full = inBracket && groupFirst !== null && roleOf(name) === 'other' ? `${groupFirst}/${name}` : name;
      if (inBracket && groupFirst === null) groupFirst = name;
      out.push([full, value]);
      if (m[4] !== undefined) {
        const second = parseNumber(m[4]);
        if (second !== null) out.push([`${full} after G step`, second]);
      }
    }
  };
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (i === text.length || c === '[' || c === ']') {
      scan(text.slice(from, i), depth > 0);
      if (c === '[') {
        depth++;
        groupFirst = null;
      } else if (c === ']' && depth > 0) depth--;
      from = i + 1;
    }
  }
  return out;
}

/** The step of a loss line (null when it prints none) and whether it counts iterations. */
export function lineStep(text: string): number | null {
  const dc = DCGAN_HEAD.exec(text);
  if (dc) return Number(dc[1]) * Number(dc[4]) + Number(dc[3]);
  const epoch = EPOCH.exec(text);
  const batch = BATCH.exec(text);
  if (batch) {
    const b = Number(batch[2]);
    if (epoch && batch[3] !== undefined) return Number(epoch[1]) * Number(batch[3]) + b;
    return b;
  }
  const lead = LEADING_NUMBER.exec(text);
  if (lead) return Number(lead[1]);
  if (epoch) return Number(epoch[1]);
  return null;
}

/** True when the line prints a D or G loss. */
export function isLossLine(pairs: [string, number][]): boolean {
  return pairs.some(([name]) => roleOf(name) !== 'other');
}

export class PrintedLog implements LineFormat {
  readonly columns = new Columns();
  /** Loss lines read: the step of a line that prints none. */
  private lossLines = 0;

  line(text: string, tentative: boolean): boolean {
    const trimmed = text.trimStart();
    if (trimmed.startsWith('tick ')) return this.tick(trimmed, tentative);
    // Cheap test first: most lines of a long log are not loss lines.
    if (!/[:=]/.test(text)) return true;
    const pairs = linePairs(text);
    if (!isLossLine(pairs)) return !(DCGAN_HEAD.test(text) || /\[Epoch \d+\/\d+\]/.test(text));
    const step = lineStep(text) ?? this.lossLines;
    if (!this.place(step, tentative)) return true;
    this.lossLines++;
    for (const [name, value] of pairs) if (!isBookkeepingKey(name)) this.columns.push(name, step, value);
    return true;
  }

  private tick(text: string, tentative: boolean): boolean {
    const m = TICK.exec(text);
    if (!m) return true;
    const kimg = Number(m[2]);
    if (!Number.isFinite(kimg)) return false;
    if (!this.place(kimg, tentative)) return true;
    const fields = m[3]!.trim().split(/\s+/);
    for (let i = 0; i + 1 < fields.length; i++) {
      const name = TICK_FIELDS[fields[i]!];
      if (!name) continue;
      const value = parseNumber(fields[i + 1]!);
      if (value !== null) this.columns.push(name, kimg, value);
      i++;
    }
    return true;
  }

  /** Makes room for a line at `step`; false when it must be passed over (an unfinished line going back). */
  private place(step: number, tentative: boolean): boolean {
    if (step <= this.columns.lastX) {
      if (tentative) return false;
      this.columns.cutFrom(step);
    }
    this.columns.lastX = step;
    return true;
  }

  mark(): unknown {
    return this.lossLines;
  }

  rollback(mark: unknown): void {
    this.lossLines = mark as number;
  }

  series(): RawSeries[] {
    return this.columns.series();
  }
}

export function newPrintedReader(fileName: string): LineReader {
  return new LineReader(new PrintedLog(), fileName, t('no training loss lines (such as "D loss: … G loss: …")'));
}

/** Reads a whole printed log. */
export function readPrintedLog(bytes: Uint8Array, fileName: string): RawSeries[] {
  const text = decodeText(bytes, fileName);
  const reader = newPrintedReader(fileName);
  return reader.series(text.slice(reader.push(text)));
}

/**
 * Whether the start of a text file (`head`, up to about 1 MiB) is a printed training log: at
 * least `min` loss lines or tick lines among whatever else it prints.
 */
export function looksLikePrintedLog(head: string, min = 3): boolean {
  let found = 0;
  for (const line of head.split(/\r\n|\r|\n/)) {
    const trimmed = line.trimStart();
    if (trimmed.startsWith('tick ') ? TICK.test(trimmed) : /[:=]/.test(line) && isLossLine(linePairs(line))) {
      if (++found >= min) return true;
    }
  }
  return false;
}
