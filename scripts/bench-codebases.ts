// Reading the text logs the GAN codebases write (#14), next to the CSV reader on the same number
// of values: a 1,000,000-line junyanz loss_log.txt (4 losses a line) against a 1,000,000-row CSV
// of 4 value columns, and a 1,000,000-line printed DCGAN-tutorial log (5 values a line) against a
// CSV of 5. Whole reads of bytes already in memory (the file read is the same for all).
// Called by scripts/bench.ts; prints nothing itself.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readLossFile } from '../src/core/formats';

type Record = (size: number | string, what: string, value: number, unit: string, target?: string) => void;

const v = (i: number, k: number) => (0.69 + 0.05 * Math.sin(i / (97 + k))).toFixed(3);

function write(file: string, make: (i: number) => string, lines: number, header = ''): void {
  if (existsSync(file)) return;
  const parts: string[] = [header];
  for (let i = 0; i < lines; i++) parts.push(make(i));
  writeFileSync(file, parts.join(''));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeRead(name: string, bytes: Uint8Array, reps = 3): number {
  readLossFile(name, bytes);
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    readLossFile(name, bytes);
    times.push(performance.now() - t0);
  }
  return median(times);
}

export function benchCodebaseLogs(record: Record, out: string, lines: number): void {
  const dir = path.join(out, 'inputs', `codebase-logs-${lines}`);
  mkdirSync(dir, { recursive: true });
  const perEpoch = 2000;
  // util/visualizer.py print_current_losses, one launch header.
  const junyanz = path.join(dir, 'loss_log.txt');
  write(
    junyanz,
    (i) =>
      `(epoch: ${1 + Math.floor(i / 20)}, iters: ${((i % 20) + 1) * 100}, time: 0.198, data: 0.002) G_GAN: ${v(i, 0)} G_L1: ${v(i, 1)} D_real: ${v(i, 2)} D_fake: ${v(i, 3)} \n`,
    lines,
    '================ Training Loss (Wed Aug 30 12:06:44 2023) ================\n',
  );
  const csv4 = path.join(dir, 'four.csv');
  write(csv4, (i) => `${i},${v(i, 0)},${v(i, 1)},${v(i, 2)},${v(i, 3)}\n`, lines, 'step,G_GAN,G_L1,D_real,D_fake\n');
  // The PyTorch DCGAN tutorial's print, saved from the terminal.
  const printed = path.join(dir, 'train.log');
  write(
    printed,
    (i) =>
      `[${Math.floor(i / perEpoch)}/500][${i % perEpoch}/${perEpoch}]\tLoss_D: ${v(i, 0)}\tLoss_G: ${v(i, 1)}\tD(x): ${v(i, 2)}\tD(G(z)): ${v(i, 3)} / ${v(i, 4)}\n`,
    lines,
    'Starting Training Loop...\n',
  );
  const csv5 = path.join(dir, 'five.csv');
  write(csv5, (i) => `${i},${v(i, 0)},${v(i, 1)},${v(i, 2)},${v(i, 3)},${v(i, 4)}\n`, lines, 'step,Loss_D,Loss_G,D(x),D(G(z)),D(G(z)) after\n');

  const size = `${(lines / 1e6).toLocaleString('en-US')}M lines`;
  record(size, 'junyanz loss_log.txt read (4 values a line)', timeRead('loss_log.txt', readFileSync(junyanz)), 'ms');
  record(size, 'CSV read, same 4 values a row', timeRead('four.csv', readFileSync(csv4)), 'ms');
  record(size, 'printed DCGAN-tutorial log read (5 values a line)', timeRead('train.log', readFileSync(printed)), 'ms');
  record(size, 'CSV read, same 5 values a row', timeRead('five.csv', readFileSync(csv5)), 'ms');
}
