// The inspect pipeline with a long-lived image cache: what the extension's worker does on every live refresh.
import { UNIT_DIR } from '../../support/dirs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { discoverRuns } from '../../../src/core/discover';
import { DiversityCache } from '../../../src/core/samples/cache';
import { inspectLoadedRun } from '../../../src/core/inspect';
import { loadRun } from '../../../src/core/run';

const example = path.join(UNIT_DIR, '..', '..', 'examples', 'mnist-run');

test('a refresh with the same cache decodes only the sample grids that are new', async () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'gan-inspect-'));
  try {
    cpSync(example, tmp, { recursive: true });
    const cache = new DiversityCache();
    const [loc] = await discoverRuns(tmp);
    const first = await inspectLoadedRun(await loadRun(loc!), { cache });
    assert.equal(cache.decodes, 150, 'every grid decoded once');
    assert.ok(first.findings.some((f) => f.kind === 'mode-collapse'));

    // Training writes one more grid; the next inspection decodes just that one.
    copyFileSync(path.join(tmp, 'result', 'image', '29800.png'), path.join(tmp, 'result', 'image', '30000.png'));
    const [again] = await discoverRuns(tmp);
    const second = await inspectLoadedRun(await loadRun(again!), { cache });
    assert.equal(cache.decodes, 151);
    assert.equal(second.diversity.length, first.diversity.length + 1);
    // The collapse episode stays where it was (its evidence shifts a little: one more diverse step).
    const span = (i: typeof first) => i.findings.filter((f) => f.kind === 'mode-collapse').map((f) => [f.start, f.end]);
    assert.deepEqual(span(second), span(first));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
