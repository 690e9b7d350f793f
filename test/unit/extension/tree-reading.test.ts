// The GAN Runs tree while a workspace is read, through the real worker thread (bundled as
// dist/worker.js is): every discovered run is a row at once ("reading…", a spinner), a run whose
// losses are in shows them while its samples are scored (still a spinner), and the health follows.
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
import { setInspection, type RunEntry } from '../../../src/extension/runs/runEntry';
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
