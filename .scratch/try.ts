import { readFileSync } from 'node:fs';
import { readNotebook } from '../src/core/notebook/read';
for (const f of process.argv.slice(2)) {
  const t0 = performance.now();
  const r = readNotebook(readFileSync(f), f.split('/').pop()!);
  console.log('==', f, (performance.now() - t0).toFixed(0), 'ms');
  for (const s of r.series) console.log('  series', s.name, s.steps.length, s.steps[0], '..', s.steps[s.steps.length - 1], 'v', s.values[0], s.values[s.values.length - 1]);
  for (const s of r.samples) console.log('  sample', s.step, s.path, s.embedded?.length);
  for (const s of r.references) console.log('  ref', s.step, s.path);
  for (const n of r.notes) console.log('  note', n);
}
