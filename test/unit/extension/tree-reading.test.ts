// The GAN Runs tree while a workspace is read, through the real worker thread (bundled as
// dist/worker.js is): every discovered run is a row at once ("reading…", a spinner), a run whose
// losses are in shows them while its samples are scored (still a spinner), and the health follows;
// in a scan, a run read but not judged yet shows its numbers.
import { UNIT_DIR } from '../../support/dirs';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import type { RunLocation } from '../../../src/core/discover';
import { WorkerClient } from '../../../src/extension/worker/client';
import { childrenOf, viewOf } from '../../../src/extension/tree/treeModel';
import { setGlance, setInspection, type RunEntry } from '../../../src/extension/runs/runEntry';
import { writeNpy } from '../../support/npy';
import { CODEBASE_RUNS, REAL_RUNS, realRunsSkip } from '../../support/realRuns';

const repoRoot = path.join(UNIT_DIR, '..', '..');
const skip = realRunsSkip(REAL_RUNS) || realRunsSkip(CODEBASE_RUNS);
let tmp = '';
let workerFile = '';

before(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'gan-tree-reading-'));
  workerFile = path.join(tmp, 'worker.js');
  const build = (entry: string, out: string) =>
    esbuild.build({
      entryPoints: [path.join(repoRoot, entry)],
      outfile: path.join(tmp, out),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'error',
    });
  await build('src/extension/worker/worker.ts', 'worker.js');
  // The decode pool beside it, as in dist/: large grids are scored on worker threads.
  await build('src/core/samples/decodeWorker.ts', 'decodeWorker.js');
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('a workspace of real runs: every run is a row at once, read or not, and each turns into its normal row when read', { skip }, async () => {
  const client = new WorkerClient(workerFile);
  try {
    const locs: RunLocation[] = [];
    for (const root of [REAL_RUNS, CODEBASE_RUNS]) locs.push(...(await client.discover(root, { maxDepth: 6 })));
    assert.ok(locs.length >= 15, `${locs.length} runs found`);
    // What RunStore does after a scan: every location becomes an entry before any is read.
    const runs = new Map<string, RunEntry>(locs.map((l) => [l.root, { root: l.root, name: l.name }]));
    const rows = () => childrenOf(undefined, runs).map((n) => viewOf(n, runs)!);
    assert.equal(rows().length, locs.length, 'every discovered run is listed before any is read');
    assert.ok(
      rows().every((r) => r.icon.id === 'loading~spin' && r.description === 'reading…'),
      'all reading',
    );

    const seenScoring: string[] = [];
    const times: { name: string; ms: number }[] = [];
    const started = Date.now();
    await Promise.all(
      locs.map(async (loc) => {
        const entry = runs.get(loc.root)!;
        const inspection = await client.inspect(
          loc,
          {},
          {
            onLosses: (losses) => {
              setInspection(entry, losses, true);
              const row = viewOf({ kind: 'run', runRoot: loc.root }, runs)!;
              if (losses.run.samples.length) {
                // The losses are shown, the health is not known yet: a spinner, and what is being done.
                assert.equal(row.icon.id, 'loading~spin', loc.name);
                assert.match(row.description ?? '', /scoring (1 sample|[\d,]+ samples)…/, loc.name);
                seenScoring.push(loc.name);
              } else assert.notEqual(row.icon.id, 'loading~spin', loc.name);
            },
          },
        );
        setInspection(entry, inspection);
        times.push({ name: loc.name, ms: Date.now() - started });
        assert.equal(rows().length, locs.length, 'the rows stay while the others are read');
      }),
    );
    const after = rows();
    assert.ok(
      after.every((r) => r.icon.id !== 'loading~spin' && r.description !== 'reading…'),
      after
        .filter((r) => r.icon.id === 'loading~spin')
        .map((r) => r.label)
        .join(', '),
    );
    assert.ok(seenScoring.length >= 5, `runs shown with their losses while their samples were scored: ${seenScoring.join(', ')}`);
    times.sort((a, b) => a.ms - b.ms);
    console.log(`read ${times.length} runs; first at ${times[0]!.ms} ms, last (${times.at(-1)!.name}) at ${times.at(-1)!.ms} ms`);
  } finally {
    client.dispose();
  }
});

test("a scan's runs: each row shows its numbers the moment its run is read, and no run is judged while another is being read", async () => {
  // A small run and a large one (its read takes far longer), asked for at once as a scan's two lanes do.
  const small = path.join(tmp, 'scan-small');
  const large = path.join(tmp, 'scan-large');
  const curve = (n: number, level: number) => Float64Array.from({ length: n }, (_, i) => level + 0.1 * Math.sin(i / 50));
  writeNpy(path.join(small, 'discriminator_loss.npy'), curve(2_000, 0.7));
  writeNpy(path.join(small, 'generator_loss.npy'), curve(2_000, 1.4));
  writeNpy(path.join(large, 'discriminator_loss.npy'), curve(3_000_000, 0.6));
  writeNpy(path.join(large, 'generator_loss.npy'), curve(3_000_000, 1.2));
  const client = new WorkerClient(workerFile);
  try {
    const locs = [...(await client.discover(small)), ...(await client.discover(large))];
    assert.equal(locs.length, 2);
    const runs = new Map<string, RunEntry>(locs.map((l) => [l.root, { root: l.root, name: l.name }]));
    const told: string[] = [];
    const rowWhenRead = new Map<string, { icon: string; description: string }>();
    const judged = await Promise.all(
      locs.map(async (loc) => {
        const entry = runs.get(loc.root)!;
        const inspection = await client.inspect(
          loc,
          { holdScoring: true, glanceFirst: true },
          {
            onRead: (glance) => {
              told.push(`read ${loc.name}`);
              setGlance(entry, glance);
              const row = viewOf({ kind: 'run', runRoot: loc.root }, runs)!;
              rowWhenRead.set(loc.name, { icon: row.icon.id, description: row.description ?? '' });
            },
            onLosses: (losses) => {
              told.push(`judged ${loc.name}`);
              setInspection(entry, losses, true);
            },
          },
        );
        setInspection(entry, inspection);
        return viewOf({ kind: 'run', runRoot: loc.root }, runs)!;
      }),
    );
    // The small run is judged only once the large one is read (without glanceFirst, right after its own read).
    assert.deepEqual(told.slice(0, 2), ['read scan-small', 'read scan-large']);
    assert.deepEqual(told.slice(2).sort(), ['judged scan-large', 'judged scan-small']);
    for (const [i, loc] of locs.entries()) {
      const read = rowWhenRead.get(loc.name)!;
      // Read, not judged: a spinner and the numbers the judged row shows, then "checking…".
      assert.equal(read.icon, 'loading~spin', loc.name);
      assert.equal(read.description, `${judged[i]!.description} · checking…`, loc.name);
      assert.match(read.description, /^[\d,]+ steps · D \d\.\d+ · G \d\.\d+ · checking…$/, loc.name);
      assert.notEqual(judged[i]!.icon.id, 'loading~spin', loc.name);
    }
  } finally {
    client.dispose();
  }
});
