// Sample-grid scoring at StyleGAN size (issue 16): 12 different 7680×4096 grids of ~50 MB (30×16
// tiles of 256 px) and 300 small 5×5 grids, each scored by the built CLI (`gan-inspect DIR --json`,
// decode pool included) in a fresh process: wall time, peak memory (the process with its worker
// threads), and the ratio to the floor, zlib alone inflating the same files' image data on one
// thread. The grids are made once by scripts/make-big-grids.py (python3 + numpy) under
// bench-results/inputs/. Called by scripts/bench.ts; BENCH_GRIDS=0 skips it, BENCH_ONLY=grids runs
// it alone; BENCH_BASELINE_CLI=/path/to/cli.js adds one run of another build for comparison. Then
// one 7680×4096 JPEG grid (PIL, quality 90, 4:2:0; scripts/make-big-jpeg.py) digested streamed and
// by jpeg-js whole, each in a fresh process (scripts/bench-jpeg-digest.ts): time and peak memory.
// Prints nothing itself but a note.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as zlib from 'node:zlib';
import { decodeImage } from '../src/core/samples/decoding';
import { digestSampleFile } from '../src/core/samples/digest';
import { cutDigestTiles, cutTiles, diversityScore } from '../src/core/samples/diversity';
import { imageProfile, inferLayout, layoutKey } from '../src/core/samples/layout';

/** A `--require` hook printing `maxrss-kb N` (the process's peak resident memory) on exit. */
export const PEAK_MEMORY_HOOK = `process.on('exit', () => {
  let kb = process.resourceUsage().maxRSS;
  try {
    const m = /VmHWM:\\s+(\\d+) kB/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'));
    if (m) kb = Number(m[1]);
  } catch {}
  process.stderr.write('maxrss-kb ' + kb + '\\n');
});
`;

type Record = (size: number | string, what: string, value: number, unit: string, target?: string) => void;

const SETS = [
  { key: '12 big', dir: 'grids-7680x4096', count: 12, args: [] as string[], tiles: 480 },
  { key: '300 small', dir: 'grids-5x5', count: 300, args: ['5', '5', '28'], tiles: 25 },
];

function pngFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.png'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** The IDAT payload of a PNG, concatenated: what zlib has to inflate. */
function idat(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let p = 8; p + 8 <= bytes.length;) {
    const length = bytes.readUInt32BE(p);
    if (bytes.toString('latin1', p + 4, p + 8) === 'IDAT') parts.push(bytes.subarray(p + 8, p + 8 + length));
    p += 12 + length;
  }
  return Buffer.concat(parts);
}

/** One thread of zlib, nothing else: the floor a decoder that must inflate every byte cannot beat. */
function inflateFloorMs(files: string[]): number {
  let ms = 0;
  for (const f of files) {
    const data = idat(readFileSync(f));
    const t0 = performance.now();
    zlib.inflateSync(data);
    ms += performance.now() - t0;
  }
  return ms;
}

export async function benchGrids(record: Record, outDir: string): Promise<void> {
  const maxrss = path.join(outDir, 'inputs', 'maxrss.cjs');
  mkdirSync(path.dirname(maxrss), { recursive: true });
  // The CLI reports its own peak resident memory (worker threads included: one process) on exit:
  // VmHWM, not getrusage's maxRSS, which Linux carries over from the forked copy of this (larger)
  // benchmark process across exec and so over-reports a small child.
  writeFileSync(maxrss, PEAK_MEMORY_HOOK);
  for (const set of SETS) {
    const dir = path.join(outDir, 'inputs', set.dir);
    if (pngFiles(existsSync(dir) ? dir : outDir).length < set.count || !existsSync(dir)) {
      mkdirSync(dir, { recursive: true });
      const made = spawnSync('python3', [path.resolve('scripts/make-big-grids.py'), dir, String(set.count), ...set.args], { stdio: 'ignore' });
      if (made.status !== 0) {
        console.log(`note: ${set.key} grids not made (python3 with numpy needed)`);
        continue;
      }
    }
    const files = pngFiles(dir);
    const mb = files.reduce((s, f) => s + readFileSync(f).length, 0) / 2 ** 20;
    // Three rounds, each the floor and then a fresh CLI run (a cold start: no cache survives a
    // process) right after it, so each ratio compares the two under the same load of a shared machine.
    const runs: { ms: number; kb: number; json: string; floor: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const floor = inflateFloorMs(files);
      const t0 = performance.now();
      const cli = spawnSync(process.execPath, ['--require', maxrss, path.resolve('dist/cli.js'), dir, '--json'], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
      const ms = performance.now() - t0;
      const kb = Number(/maxrss-kb (\d+)/.exec(cli.stderr)?.[1] ?? NaN);
      runs.push({ ms, kb, json: cli.stdout, floor });
    }
    const ratios = runs.map((r) => r.ms / r.floor).sort((a, b) => a - b);
    runs.sort((a, b) => a.ms - b.ms);
    const mid = runs[1]!;
    const floor = [...runs].sort((a, b) => a.floor - b.floor)[1]!.floor;
    const report = JSON.parse(mid.json) as { runs: { diversity: { step: number; score: number; tiles: number }[] }[] };
    const points = report.runs.flatMap((r) => r.diversity);
    const label = `${files.length} grids ${set.key === '12 big' ? '7680×4096' : '5×5'} (${mb.toFixed(0)} MB)`;
    record('grids', `${label}: zlib inflate alone, 1 thread (floor, median of 3)`, floor, 'ms');
    record('grids', `${label}: scored by gan-inspect --json (median of 3)`, mid.ms, 'ms');
    record('grids', `${label}: ratio to the inflate floor (median of 3 rounds)`, ratios[1]!, '×', set.key === '12 big' ? '≤ 1.5×' : undefined);
    record('grids', `${label}: ratio, best and worst round`, ratios[0]!, `× … ${ratios[2]!.toFixed(2)} ×`);
    record('grids', `${label}: peak memory of gan-inspect`, Math.max(...runs.map((r) => r.kb)) / 1024, 'MB', set.key === '12 big' ? '≤ 400 MB' : undefined);
    record('grids', `${label}: grids cut into ${set.tiles} tiles`, points.filter((p) => p.tiles === set.tiles).length, `of ${files.length}`);
    const baseline = process.env.BENCH_BASELINE_CLI;
    if (baseline && existsSync(baseline)) {
      // Another build of the CLI (e.g. main's dist/cli.js before this change), once, for comparison.
      const t0 = performance.now();
      const cli = spawnSync(process.execPath, ['--require', maxrss, baseline, dir, '--json'], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
      const ms = performance.now() - t0;
      const kb = Number(/maxrss-kb (\d+)/.exec(cli.stderr)?.[1] ?? NaN);
      const base = (JSON.parse(cli.stdout || '{"runs":[]}') as typeof report).runs.flatMap((r) => r.diversity);
      record('grids', `${label}: baseline CLI (${path.basename(path.dirname(path.dirname(baseline)))}), time`, ms, 'ms');
      record('grids', `${label}: baseline CLI, peak memory`, kb / 1024, 'MB');
      record('grids', `${label}: baseline CLI, grids cut into ${set.tiles} tiles`, base.filter((p) => p.tiles === set.tiles).length, `of ${files.length}`);
    }
    if (set.key === '12 big') {
      // The downscaled path against the whole-frame decoder on the first two grids.
      let worst = 0;
      for (const f of files.slice(0, 2)) {
        const whole = decodeImage(readFileSync(f), f);
        const layout = inferLayout([imageProfile(whole)]);
        const d = await digestSampleFile(f, f);
        if (layoutKey(inferLayout([d.profile])) !== layoutKey(layout)) worst = Infinity;
        worst = Math.max(worst, Math.abs(diversityScore(cutTiles(whole, layout)) - diversityScore(cutDigestTiles(d, layout))));
      }
      record('grids', `${label}: |score − whole-frame decoder's score|, worst of 2`, worst * 1000, '× 10⁻³');
    }
  }
  await benchBigJpeg(record, outDir);
}

/** A python3 with PIL (Debian's python3-pil belongs to /usr/bin/python3), or undefined. */
function pythonWithPil(): string | undefined {
  return ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import PIL, numpy'], { stdio: 'ignore' }).status === 0);
}

export async function benchBigJpeg(record: Record, outDir: string): Promise<void> {
  const file = path.join(outDir, 'inputs', 'jpeg-7680x4096', 'fakes000000.jpg');
  if (!existsSync(file)) {
    const python = pythonWithPil();
    mkdirSync(path.dirname(file), { recursive: true });
    if (!python || spawnSync(python, [path.resolve('scripts/make-big-jpeg.py'), file], { stdio: 'ignore' }).status !== 0) {
      console.log('note: the big JPEG grid was not made (python3 with numpy and PIL needed)');
      return;
    }
  }
  const label = `1 JPEG grid 7680×4096 (PIL q90 4:2:0, ${(readFileSync(file).length / 2 ** 20).toFixed(0)} MB)`;
  const scores: number[] = [];
  for (const mode of ['stream', 'whole'] as const) {
    const runs: { ms: number; maxrssMb: number; score: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const child = spawnSync(
        process.execPath,
        ['--require', path.join(outDir, 'inputs', 'maxrss.cjs'), '--import', 'tsx', path.resolve('scripts/bench-jpeg-digest.ts'), mode, file],
        { encoding: 'utf8' },
      );
      if (child.status !== 0) {
        console.log(`note: ${mode} JPEG digest failed: ${child.stderr.split('\n')[0]}`);
        break;
      }
      const kb = Number(/maxrss-kb (\d+)/.exec(child.stderr)?.[1] ?? NaN);
      runs.push({ ...(JSON.parse(child.stdout) as (typeof runs)[number]), maxrssMb: kb / 1024 });
    }
    if (runs.length === 0) continue;
    runs.sort((a, b) => a.ms - b.ms);
    const what = mode === 'stream' ? 'streamed (jpegRows.ts)' : 'jpeg-js whole (before #16)';
    record('grids', `${label}: digest ${what}, time (median of ${runs.length}, fresh process)`, runs[Math.floor(runs.length / 2)]!.ms, 'ms');
    record('grids', `${label}: digest ${what}, peak memory of the process`, Math.max(...runs.map((r) => r.maxrssMb)), 'MB');
    scores.push(runs[0]!.score);
  }
  if (scores.length === 2) record('grids', `${label}: |streamed score − jpeg-js score|`, Math.abs(scores[0]! - scores[1]!), '');
}
