import { writeFileSync } from 'node:fs';
import { discoverRuns } from '../src/core/discover';
import { loadRun } from '../src/core/run';
import { imageSourceOf, readImageBytes, runFolder } from '../src/core/samples/imageSource';
(async () => {
  const [loc] = (await discoverRuns(process.argv[2]!)).filter((l) => l.root.includes(process.argv[3] ?? ''));
  const run = await loadRun(loc!);
  const s = run.samples.filter((x) => x.embedded)[Number(process.argv[4] ?? 0)]!;
  const bytes = await readImageBytes(imageSourceOf(runFolder(run), s), s.path);
  writeFileSync('/tmp/nb/out.png', bytes);
  console.log(s.path, bytes.length);
})();
