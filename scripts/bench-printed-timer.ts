// The timing half of scripts/bench-printed.ts, run in a process of its own and bundled by esbuild
// as `npm run build` bundles the extension and the CLI: the readers as users run them, in a process
// holding nothing else. (The bench process does not qualify: tsx's file-by-file transpile turns
// every imported constant into a getter call, and npyjs, loaded whole there and by src/core under
// tsx, defines a `class … extends String` that makes V8 drop its fast path for String.prototype's
// methods in the whole process; the bundles tree-shake it away. Both made both readers 2–3× slower,
// unevenly.) Argument: JSON `{ reps, pairs: [{ log, csv }] }`; prints JSON `[{ log: ms[], csv: ms[] }]`.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readLossFile } from '../src/core/formats';

interface Job {
  reps: number;
  pairs: { log: string; csv: string }[];
}

function timeRead(name: string, bytes: Uint8Array): number {
  const t0 = performance.now();
  readLossFile(name, bytes);
  return performance.now() - t0;
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const results: { log: number[]; csv: number[] }[] = [];
for (const pair of job.pairs) {
  const log = readFileSync(pair.log);
  const table = readFileSync(pair.csv);
  const name = path.basename(pair.log);
  // One read of each first: the JIT's first pass is not what a user waits on twice.
  timeRead(name, log);
  timeRead('values.csv', table);
  const times = { log: [] as number[], csv: [] as number[] };
  for (let r = 0; r < job.reps; r++) {
    times.log.push(timeRead(name, log));
    times.csv.push(timeRead('values.csv', table));
  }
  results.push(times);
}
process.stdout.write(JSON.stringify(results));
