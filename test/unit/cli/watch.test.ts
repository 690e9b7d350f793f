// `gan-inspect --watch` on eval-corpus runs replayed while it watches: the NaN run's state, then
// its non-finite findings as JSON lines the moment they are written, and `--fail-on error` exits 3;
// a healthy run says nothing but its state and ends (exit 0) once it stopped training; a finished
// run gets its final verdict at once. Usage errors for the watch flags exit 2.
import { agedCopy } from '../../support/aged';
import { bundleForNode } from '../../support/bundles';
import { UNIT_DIR } from '../../support/dirs';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planReplay, replay } from '../../../scripts/replay-run';

const repoRoot = join(UNIT_DIR, '..', '..');
const corpus = join(repoRoot, 'test', 'corpus', 'runs');
let work = '';
let cli = '';

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'gan-watch-'));
  cli = join(work, 'cli.js');
  await bundleForNode('src/cli/main.ts', cli);
});
after(() => rmSync(work, { recursive: true, force: true }));

interface Watched {
  code: number | null;
  lines: Record<string, unknown>[];
  stderr: string;
  /** When each line came (ms since the epoch). */
  at: number[];
}

/** Replays a corpus run into a fresh folder while `gan-inspect --watch --json` watches it. */
async function watchReplay(name: string, args: string[], stepsPerSecond: number): Promise<{ watched: Watched; writes: { step: number; at: number }[] }> {
  const dest = join(work, name);
  const plan = await planReplay(join(corpus, name));
  const writing = replay(plan, dest, { stepsPerSecond, intervalMs: 100 });
  await new Promise((r) => setTimeout(r, 300));
  const child = spawn(process.execPath, [cli, '--watch', dest, '--json', '--interval', '0.2', '--live-minutes', '0.05', ...args], {
    env: { PATH: process.env.PATH ?? '' },
  });
  const watched: Watched = { code: null, lines: [], stderr: '', at: [] };
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      watched.lines.push(JSON.parse(buffer.slice(0, i)) as Record<string, unknown>);
      watched.at.push(Date.now());
      buffer = buffer.slice(i + 1);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (watched.stderr += chunk.toString()));
  watched.code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const writes = await writing;
  return { watched, writes };
}

test('--watch --fail-on error: the NaN run is told as it diverges, and the watch exits 3', { timeout: 90_000 }, async () => {
  const { watched, writes } = await watchReplay('nan-divergence', ['--fail-on', 'error'], 1000);
  assert.equal(watched.code, 3, watched.stderr);
  const states = watched.lines.filter((l) => l.type === 'state');
  const findings = watched.lines.filter((l) => l.type === 'finding');
  assert.ok(states.length >= 1 && states[0]!.training === true, JSON.stringify(states[0]));
  assert.ok(findings.length >= 1, 'a finding line');
  assert.deepEqual([...new Set(findings.map((f) => `${f.kind}/${f.severity}`))], ['non-finite/error']);
  assert.ok((findings[0]!.step as number) >= 3000);
  // Told within seconds of the write that put the first Infinity (step 3,000) on disk.
  const nanWrite = writes.find((w) => w.step >= 3000)!;
  const toldAt = watched.at[watched.lines.indexOf(findings[0]!)]!;
  assert.ok(toldAt - nanWrite.at < 3000, `told ${toldAt - nanWrite.at} ms after the write`);
});

test('--watch: a healthy run gives its state only, and the watch ends (exit 0) once it stopped training', { timeout: 90_000 }, async () => {
  const { watched } = await watchReplay('healthy-bce-tutorial', ['--fail-on', 'warning'], 4000);
  assert.equal(watched.code, 0, watched.stderr);
  assert.deepEqual(
    watched.lines.filter((l) => l.type === 'finding'),
    [],
  );
  const states = watched.lines.filter((l) => l.type === 'state');
  assert.equal(states[0]!.training, true);
  assert.equal(states[states.length - 1]!.training, false, 'the last state says it stopped training');
});

test('--watch on a finished run: its final verdict at once, in text', () => {
  // Copies trained an hour ago: a clean checkout's files are minutes old, which is live.
  const finished = agedCopy(join(corpus, 'nan-divergence'), join(work, 'finished-nan'));
  const r = spawnSync(process.execPath, [cli, '--watch', finished, '--fail-on', 'warning'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });
  assert.equal(r.status, 3, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0]!, /not training · step 5,999 · last record \d\d:\d\d:\d\d · 2 errors/);
  assert.match(r.stdout, /error: NaN\/Inf at step 3,000: The G loss becomes Infinity/);
  const ok = spawnSync(process.execPath, [cli, '--watch', agedCopy(join(corpus, 'healthy-hinge'), join(work, 'finished-hinge'))], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(ok.status, 0, ok.stderr);
});

test('usage: the watch flags need --watch and valid values; --watch prints no Markdown or HTML', () => {
  for (const args of [
    ['--fail-on', 'error', '.'],
    ['--watch', '--fail-on', 'info'],
    ['--watch', '--interval', '0'],
    ['--watch', '--markdown'],
    ['--watch', '--html', 'x.html'],
  ]) {
    const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: work });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^gan-inspect: /);
  }
  assert.match(spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' }).stdout, /gan-inspect --watch RUN \[--json\] \[--fail-on error\|warning\]/);
});

test('--watch FILE takes what `gan-inspect FILE` takes, as the format registry says: a printed log by its content, never a text file of no format', () => {
  const dir = join(work, 'one-file');
  mkdirSync(dir, { recursive: true });
  const lines = Array.from(
    { length: 300 },
    (_, i) =>
      `[${Math.floor(i / 30)}/10][${i % 30}/30]\tLoss_D: ${(0.5 + 0.1 * Math.sin(i / 7)).toFixed(4)}\tLoss_G: ${(1.5 + 0.2 * Math.cos(i / 5)).toFixed(4)}\n`,
  );
  writeFileSync(join(dir, 'train.log'), lines.join(''));
  writeFileSync(join(dir, 'notes.txt'), 'lr 0.0002, batch 64\n');
  const hourAgo = Date.now() / 1000 - 3600;
  for (const f of ['train.log', '.']) utimesSync(join(dir, f), hourAgo, hourAgo);
  const log = spawnSync(process.execPath, [cli, '--watch', join(dir, 'train.log'), '--json', '--live-minutes', '1'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(log.status, 0, log.stderr);
  const state = JSON.parse(log.stdout.trim().split('\n')[0]!) as Record<string, unknown>;
  assert.deepEqual([state.run, state.training, state.step], ['train.log', false, 299]);
  const notes = spawnSync(process.execPath, [cli, '--watch', join(dir, 'notes.txt')], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(notes.status, 1);
  assert.match(
    notes.stderr,
    /notes\.txt: not a loss file format this reader knows \(it reads .*W&B .wandb run histories.*printed training logs, per-key "step: value" logs, Jupyter notebooks that printed losses\)/,
  );
});
