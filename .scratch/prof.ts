import { readFileSync } from 'node:fs';
import { readNotebookCells } from '../src/core/notebook/cells';
import { readNotebook } from '../src/core/notebook/read';
const f = process.argv[2]!;
const b = readFileSync(f);
for (let k = 0; k < 3; k++) {
let t0 = performance.now(); readNotebookCells(b); const t1 = performance.now(); JSON.parse(b.toString()); const t2 = performance.now(); readNotebook(b, 'x.ipynb'); const t3 = performance.now();
console.log('cells', (t1 - t0).toFixed(1), 'JSON.parse', (t2 - t1).toFixed(1), 'readNotebook', (t3 - t2).toFixed(1));
}
