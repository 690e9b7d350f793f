// The first view the host makes before the page asks (src/chart/firstView.ts, PanelSeries.firstView):
// made of the series a new chart shows, over the whole run, for a run small enough to make it
// beside the webview's start; used by the page only when it is the view it would ask for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstViewRequest, fullRangeOf, servedBy } from '../../../src/chart/firstView';
import { runSummary } from '../../../src/chart/runSummary';
import { FIRST_VIEW_MAX_VALUES, PanelSeries } from '../../../src/extension/inspector/data';
import { formulationOf } from '../../../src/core/formulation';
import type { Run, Series } from '../../../src/core/model';

function series(name: string, role: Series['role'], n: number): Series {
  const steps = Float64Array.from({ length: n }, (_, i) => 100 + i * 2);
  const values = Float64Array.from({ length: n }, (_, i) => 0.7 + Math.sin(i) / 10);
  return { name, role, source: `${name}.npy`, column: null, steps, values };
}

function runOf(n: number): Run {
  return {
    root: '/tmp/none',
    name: 'r',
    series: [series('d_loss', 'discriminator', n), series('g_loss', 'generator', n), series('lr', 'other', n)],
    samples: [{ step: 0, path: 'image/0.png' }],
    errors: [],
    config: {},
    formulation: formulationOf('bce'),
  };
}

const inspected = (run: Run) => ({ run, findings: [], diversity: [] });

test('the first view asks for the shown series over the whole run, samples included', () => {
  const run = runOf(1000);
  const summary = runSummary(inspected(run), 'run0', () => '');
  assert.deepEqual(fullRangeOf([summary]), { start: 0, end: 2098 });
  const req = firstViewRequest([summary], 900, 0.6);
  assert.deepEqual(req, { seriesIds: ['run0/0', 'run0/1'], start: 0, end: 2098, width: 900, smoothing: 0.6 });
});

test('the page uses the pushed view only for its own request; a coarser one is followed by the exact view', () => {
  const run = runOf(1000);
  const summary = runSummary(inspected(run), 'run0', () => '');
  const data = new PanelSeries([{ runId: 'run0', inspection: inspected(run) }]);
  const request = data.firstViewRequest([summary], 900, 0.6)!;
  const pushed = { request, result: data.view(request) };
  assert.equal(pushed.result.series.length, 2);
  const req = firstViewRequest([summary], 900, 0.6);
  assert.deepEqual(request, req, 'the panel makes the request the page makes');
  assert.deepEqual(servedBy(pushed, req), { view: pushed.result, exact: true });
  // The user had turned D off: the same view without it.
  assert.deepEqual(
    servedBy(pushed, { ...req, seriesIds: ['run0/1'] })!.view.series.map((s) => s.id),
    ['run0/1'],
  );
  assert.equal(servedBy(pushed, { ...req, width: 1200 })!.exact, false, 'fewer points than pixels');
  assert.equal(servedBy(pushed, { ...req, width: 600 })!.exact, true, 'more points than pixels lose nothing');
  assert.equal(servedBy(pushed, { ...req, width: 2000 }), null);
  assert.equal(servedBy(pushed, { ...req, width: 400 }), null);
  assert.equal(servedBy(pushed, { ...req, smoothing: 0.9 }), null);
  assert.equal(servedBy(pushed, { ...req, start: 10 }), null);
  assert.equal(servedBy(pushed, { ...req, seriesIds: ['run0/0', 'run0/2'] }), null, 'a series it does not hold');
});

test('a run too large to make its first view beside the page start gets none', () => {
  const small = runOf(FIRST_VIEW_MAX_VALUES / 2);
  const large = runOf(FIRST_VIEW_MAX_VALUES / 2 + 1);
  for (const [run, made] of [
    [small, true],
    [large, false],
  ] as const) {
    const summary = runSummary(inspected(run), 'run0', () => '');
    const data = new PanelSeries([{ runId: 'run0', inspection: inspected(run) }]);
    assert.equal(data.firstViewRequest([summary], 900, 0.6) !== undefined, made, `${run.series[0]!.values.length} values per series`);
  }
});
