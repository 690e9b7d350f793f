// The standalone report carries a run's results (images on no step) with their images embedded,
// after the samples and inside the same budget, so the report's gallery shows them too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { renderHtmlReport } from '../../../src/cli/htmlReport';
import { inspectPaths } from '../../../src/core/inspect';
import { STANDALONE_DATA_ID, type StandaloneData } from '../../../src/protocol';

let dir = '';

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'gan-report-results-'));
  const samples = path.join(dir, 'dcgan', 'samples');
  mkdirSync(samples, { recursive: true });
  const png = new PNG({ width: 8, height: 8 });
  png.data.fill(200);
  for (const name of ['train_00_0099.png', 'train_01_0099.png', 'test_arange_0.png', 'test_arange_11.png'])
    writeFileSync(path.join(samples, name), PNG.sync.write(png));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('results are embedded in the HTML report as images, apart from the samples', async () => {
  const { inspections } = await inspectPaths([dir]);
  const script = path.join(dir, 'app.js');
  writeFileSync(script, '/* the app */');
  const html = await renderHtmlReport(inspections, { lang: 'en', webviewScript: script });
  const m = new RegExp(`<script type="application/json" id="${STANDALONE_DATA_ID}">(.*?)</script>`, 's').exec(html);
  assert.ok(m, 'no data element');
  const run = (JSON.parse(m[1]!) as StandaloneData).init.runs[0]!;
  assert.deepEqual(
    run.samples.map((s) => s.path),
    ['train_00_0099.png', 'train_01_0099.png'],
  );
  assert.deepEqual(
    run.results.map((r) => r.path),
    ['test_arange_0.png', 'test_arange_11.png'],
  );
  for (const r of run.results) assert.match(r.uri, /^data:image\/png;base64,/);
});
