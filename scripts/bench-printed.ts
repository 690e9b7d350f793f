// The printed-log reader on each shape it is proven on (README, "Printed log shapes"): a log of
// 1,000,000 records of that shape against a CSV of the same values (a step column and one column
// per printed number, headed by the names the printed log's series get, as a user's `losses.csv`
// names its losses) read by the CSV reader. Both are read as a user's file is, through the format
// registry (sniff, then read), by the readers bundled as users run them, in a process of their own
// (scripts/bench-printed-timer.ts says why). Whole reads of bytes already in memory, each pair
// measured in turn so both see the same machine; the median ratio of the pairs, the lowest and
// highest printed after the table. Target: the printed log within 2× the CSV.
// `BENCH_ONLY=printed npm run bench` runs these rows alone; BENCH_LOG_LINES changes the count.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { readLossFile } from '../src/core/formats';

type Record = (size: number | string, what: string, value: number, unit: string, target?: string) => void;

const v = (i: number, k: number) => (0.69 + 0.05 * Math.sin(i / (97 + k))).toFixed(4);
const PER_EPOCH = 2000;
const e = (i: number) => Math.floor(i / PER_EPOCH);
const b = (i: number) => i % PER_EPOCH;
const stamp = (i: number) =>
  `2023-01-02 ${String(10 + (Math.floor(i / 3_600_000) % 14)).padStart(2, '0')}:${String(Math.floor(i / 60_000) % 60).padStart(2, '0')}:${String(Math.floor(i / 1000) % 60).padStart(2, '0')},${String(i % 1000).padStart(3, '0')}`;

/** A shape: its log file's name, how record `i` is printed (one or more lines), and how many values it prints. */
interface BenchShape {
  name: string;
  file: string;
  values: number;
  line: (i: number) => string;
}

export const BENCH_SHAPES: BenchShape[] = [
  {
    name: 'DCGAN tutorial',
    file: 'dcgan.log',
    values: 5,
    line: (i) => `[${e(i)}/500][${b(i)}/${PER_EPOCH}]\tLoss_D: ${v(i, 0)}\tLoss_G: ${v(i, 1)}\tD(x): ${v(i, 2)}\tD(G(z)): ${v(i, 3)} / ${v(i, 4)}\n`,
  },
  {
    name: 'PyTorch-GAN',
    file: 'pytorch-gan.log',
    values: 2,
    line: (i) => `[Epoch ${e(i)}/500] [Batch ${b(i)}/${PER_EPOCH}] [D loss: ${v(i, 0)}] [G loss: ${v(i, 1)}]\n`,
  },
  {
    name: 'DCGAN-tensorflow (global counter)',
    file: 'carpedm20.log',
    values: 2,
    line: (i) =>
      `[${String(i).padStart(8)} Epoch:[${String(e(i)).padStart(2)}/500] [${String(b(i)).padStart(4)}/${PER_EPOCH}] time: ${(i * 0.03).toFixed(4)}, d_loss: ${v(i, 0)}, g_loss: ${v(i, 1)}\n`,
  },
  {
    name: 'Keras-GAN',
    file: 'keras-gan.log',
    values: 3,
    line: (i) => `${i} [D loss: ${v(i, 0)}, acc.: ${(50 + 10 * Math.sin(i)).toFixed(2)}%] [G loss: ${v(i, 1)}]\n`,
  },
  {
    name: 'Keras DCGAN, A loss',
    file: 'keras-dcgan.log',
    values: 4,
    line: (i) => `${i}: [D loss: ${v(i, 0)}, acc: ${v(i, 2)}]  [A loss: ${v(i, 1)}, acc: ${v(i, 3)}]\n`,
  },
  { name: 'Machine Learning Mastery', file: 'mlm.log', values: 2, line: (i) => `>${e(i) + 1}, ${b(i) + 1}/${PER_EPOCH}, d=${v(i, 0)}, g=${v(i, 1)}\n` },
  { name: 'Name [value]', file: 'brackets.log', values: 2, line: (i) => `Epoch [${e(i)}] Batch [${b(i)}] Disc Loss [${v(i, 0)}] Gen Loss [${v(i, 1)}]\n` },
  { name: 'Caffe k:v;', file: 'caffe.log', values: 2, line: (i) => `iteration:${i};errorD:${v(i, 0)};loss_G:${v(i, 1)}\n` },
  {
    name: 'Python logging',
    file: 'logging.log',
    values: 2,
    line: (i) => `${stamp(i)} - INFO - Epoch ${e(i)}/500 | Step ${b(i)}/${PER_EPOCH} | D loss: ${v(i, 0)} | G loss: ${v(i, 1)}\n`,
  },
  {
    name: 'Keras fit',
    file: 'keras-fit.log',
    values: 2,
    line: (i) => `Epoch ${i + 1}/${1_000_000}\n274/274 [==============================] - 9s 32ms/step - g_loss: ${v(i, 1)} - d_loss: ${v(i, 0)}\n`,
  },
  {
    name: 'tqdm postfix',
    file: 'tqdm.log',
    values: 2,
    line: (i) =>
      `Epoch ${e(i)}: ${Math.floor((100 * b(i)) / PER_EPOCH)}%|████      | ${b(i)}/${PER_EPOCH} [00:10<00:12,  4.50it/s, d_loss=${v(i, 0)}, g_loss=${v(i, 1)}]\n`,
  },
  {
    // tqdm's stderr in a file: each redraw ends in a carriage return, a line only at the epoch's end.
    name: 'tqdm carriage returns',
    file: 'tqdm-cr.log',
    values: 2,
    line: (i) =>
      `\rEpoch ${e(i)}: ${Math.floor((100 * b(i)) / PER_EPOCH)}%|████      | ${b(i)}/${PER_EPOCH} [00:10<00:12,  4.50it/s, d_loss=${v(i, 0)}, g_loss=${v(i, 1)}]${b(i) === PER_EPOCH - 1 ? '\n' : ''}`,
  },
  { name: 'Epoch: e, Batch: b', file: 'epoch-batch.log', values: 2, line: (i) => `Epoch: ${e(i)}, Batch: ${b(i)}, D Loss: ${v(i, 0)}, G Loss: ${v(i, 1)}\n` },
  {
    name: 'SinGAN scales',
    file: 'singan.log',
    values: 2,
    line: (i) => `scale ${Math.floor(i / 2000)}:[${i % 2000}/2000]\nerrD: ${v(i, 0)} errG: ${v(i, 1)}\n`,
  },
  {
    name: 'progressive depths',
    file: 'progan.log',
    values: 2,
    line: (i) =>
      `${i % 20000 === 0 ? `Currently working on Depth: ${i / 20000}\n` : ''}${i % PER_EPOCH === 0 ? `Epoch: ${(i % 20000) / PER_EPOCH + 1}\n` : ''}Elapsed: [0:00:05.123456]  batch: ${b(i) + 1}  d_loss: ${v(i, 0)}  g_loss: ${v(i, 1)}\n`,
  },
  { name: 'header-less TSV', file: 'loss.log', values: 2, line: (i) => `${i}\t${v(i, 0)}\t${v(i, 1)}\n` },
  { name: 'np.savetxt', file: 'losses.txt', values: 2, line: (i) => `${Number(v(i, 0)).toExponential(18)} ${Number(v(i, 1)).toExponential(18)}\n` },
  {
    name: 'StyleGAN tick lines',
    file: 'log.txt',
    values: 6,
    line: (i) =>
      `tick ${i}     kimg ${(i * 4).toFixed(1)}      time 1h 00m 59s   sec/tick ${v(i, 0)}   sec/kimg ${v(i, 1)}   maintenance ${v(i, 2)}  cpumem ${v(i, 3)}   gpumem ${v(i, 4)}   augment ${v(i, 5)}\n`,
  },
];

function write(file: string, shape: BenchShape, lines: number): void {
  if (existsSync(file)) return;
  const parts: string[] = ['Starting Training Loop...\n'];
  for (let i = 0; i < lines; i++) parts.push(shape.line(i));
  writeFileSync(file, parts.join(''));
}

/** The names the printed log's series get, in order: the CSV's header after `step`. */
function seriesNames(shape: BenchShape): string[] {
  let text = 'Starting Training Loop...\n';
  for (let i = 0; i < 50; i++) text += shape.line(i);
  return readLossFile(shape.file, new TextEncoder().encode(text)).map((s) => s.name);
}

function writeCsv(file: string, names: string[], lines: number): void {
  const cell = (name: string) => (/[",]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name);
  const header = `step,${names.map(cell).join(',')}\n`;
  if (existsSync(file) && readFileSync(file).subarray(0, header.length).toString() === header) return;
  const parts: string[] = [header];
  for (let i = 0; i < lines; i++) parts.push(`${i},${names.map((_x, k) => v(i, k)).join(',')}\n`);
  writeFileSync(file, parts.join(''));
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Times each (log, CSV) pair `reps` times in a fresh process running the readers bundled as
 * esbuild.config.mjs bundles dist/ (see scripts/bench-printed-timer.ts).
 */
function timePairs(out: string, pairs: { log: string; csv: string }[], reps: number): { log: number[]; csv: number[] }[] {
  const timer = path.join(out, 'inputs', 'printed-timer.cjs');
  buildSync({
    entryPoints: [path.resolve('scripts/bench-printed-timer.ts')],
    outfile: timer,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  const run = spawnSync(process.execPath, [timer, JSON.stringify({ reps, pairs })], { encoding: 'utf8', maxBuffer: 16 * 2 ** 20 });
  if (run.status !== 0) throw new Error(`printed-log timer failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as { log: number[]; csv: number[] }[];
}

/** Rows `printed log: <shape>` and `… / CSV`, the ratio the target is for. */
export function benchPrintedShapes(record: Record, out: string, lines: number, reps = 5): void {
  const dir = path.join(out, 'inputs', `printed-shapes-${lines}`);
  mkdirSync(dir, { recursive: true });
  const size = `${(lines / 1e6).toLocaleString('en-US')}M records`;
  const pairs = BENCH_SHAPES.map((shape) => {
    const file = path.join(dir, shape.file);
    const csv = path.join(dir, `${shape.file}.csv`);
    write(file, shape, lines);
    const names = seriesNames(shape);
    if (names.length !== shape.values) throw new Error(`${shape.name}: ${names.length} series, ${shape.values} expected`);
    writeCsv(csv, names, lines);
    return { log: file, csv };
  });
  const ratios: number[] = [];
  const spreads: string[] = [];
  timePairs(out, pairs, reps).forEach((times, k) => {
    const shape = BENCH_SHAPES[k]!;
    const ratiosOfPairs = times.log.map((t, i) => t / times.csv[i]!);
    const ratio = median(ratiosOfPairs);
    ratios.push(ratio);
    spreads.push(
      `${shape.name}: ${ratio.toFixed(2)}× (${Math.min(...ratiosOfPairs).toFixed(2)}–${Math.max(...ratiosOfPairs).toFixed(2)}), ${median(times.log).toFixed(0)} ms / CSV ${median(times.csv).toFixed(0)} ms`,
    );
    record(size, `printed log: ${shape.name} (${shape.values} values a record)`, median(times.log), 'ms');
    record(size, `printed log: ${shape.name} / CSV of the same values`, ratio, '×', '≤ 2×');
  });
  record(size, 'printed logs / CSV, worst shape', Math.max(...ratios), '×', '≤ 2×');
  console.log(`printed / CSV, median of ${reps} pairs (lowest–highest), printed and CSV medians:\n  ${spreads.join('\n  ')}`);
}
