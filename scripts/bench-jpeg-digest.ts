// One digest of one JPEG in this fresh process, for bench-grids.ts's JPEG rows: `stream` (jpegRows.ts,
// as gan-inspect reads a sample now) or `whole` (jpeg-js decoding the whole image, as before #16).
// Prints {"ms", "score"}: the time and the grid's diversity score under the layout the digest finds
// (bench-grids.ts measures the peak memory with its --require hook).
// Usage: node --import tsx scripts/bench-jpeg-digest.ts stream|whole FILE
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { digestBytes, digestSampleFile } from '../src/core/samples/digest';
import { cutDigestTiles, diversityScore } from '../src/core/samples/diversity';
import { inferLayout } from '../src/core/samples/layout';

async function main(): Promise<void> {
  const [mode, file] = process.argv.slice(2) as [string, string];
  const t0 = performance.now();
  const digest = mode === 'whole' ? digestBytes(readFileSync(file), file) : await digestSampleFile(file, file);
  const ms = performance.now() - t0;
  const score = diversityScore(cutDigestTiles(digest, inferLayout([digest.profile])));
  console.log(JSON.stringify({ ms, score }));
}

void main();
