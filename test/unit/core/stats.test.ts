// A series' statistics are worked out once (src/core/stats.ts): the analysis keeps those of its
// block pass on the series, and every later reader (the tree row, the inspector's summary, the JSON
// report) takes that same object instead of making another pass over the values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { inspectPaths } from '../../../src/core/inspect';
import { seriesStats, statsOf } from '../../../src/core/stats';
import { toJsonReport } from '../../../src/core/report/json';
import { runSummary } from '../../../src/chart/runSummary';
import { seriesDescription } from '../../../src/extension/tree/describe';
import { formatNumber } from '../../../src/core/present';
import type { SeriesStats } from '../../../src/core/model';

test("each series' statistics are one object, made once and read by every consumer", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gan-stats-'));
  try {
    const rows = ['step,d_loss,g_loss,lr'];
    for (let i = 0; i < 500; i++)
      rows.push(`${i},${(0.69 + 0.1 * Math.sin(i / 7)).toFixed(4)},${i === 300 ? 'nan' : (0.7 + 0.2 * Math.cos(i / 5)).toFixed(4)},0.0002`);
    writeFileSync(path.join(dir, 'losses.csv'), `${rows.join('\n')}\n`);
    const { inspections } = await inspectPaths([dir]);
    const inspection = inspections[0]!;
    const { series } = inspection.run;
    assert.deepEqual(
      series.map((s) => s.name),
      ['d_loss', 'g_loss', 'lr'],
    );
    // The analysis's block pass left D's and G's on the series: the right numbers, no second pass needed.
    for (const s of series.filter((x) => x.role !== 'other')) {
      assert.ok(s.stats, `${s.name}: kept by the analysis`);
      assert.deepEqual(s.stats, seriesStats(s.values), s.name);
    }
    // A series the analysis does not judge gets its statistics from the first reader that asks.
    const lr = series[2]!;
    assert.equal(lr.stats, undefined);
    const made = statsOf(lr);
    assert.equal(statsOf(lr), made, 'asked again: the same object');

    // Every reader takes the one object on the series: a marked copy shows where they read from.
    const marked = series.map((s) => ({ ...statsOf(s), min: 12345 + series.indexOf(s) }) satisfies SeriesStats);
    series.forEach((s, i) => (s.stats = marked[i]));
    const summary = runSummary(inspection, 'run0', () => '');
    const json = toJsonReport([inspection]);
    series.forEach((s, i) => {
      assert.equal(summary.series[i]!.stats, marked[i], `${s.name}: the inspector's summary`);
      assert.equal(json.runs[0]!.series[i]!.stats, marked[i], `${s.name}: the JSON report`);
      assert.match(seriesDescription(s), new RegExp(`min ${formatNumber(12345 + i).replace(/[.,]/g, '\\$&')}`), `${s.name}: the tree row`);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
