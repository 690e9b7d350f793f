// `npm run eval`: the engine on the labelled corpus; prints precision, recall and onset error per
// finding kind, and `N labelled runs`. `--verbose` lists every run's truth and findings.
// Usage: npm run eval [-- --verbose] [-- <corpus folder>]
import * as path from 'node:path';
import { corpusDir, evaluateCorpus, formatEvaluation } from './evaluate';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const dir = args.find((a) => !a.startsWith('--')) ?? corpusDir(path.resolve(__dirname, '..', '..'));
  const ev = await evaluateCorpus(dir);
  console.log(formatEvaluation(ev, verbose));
}

main().catch((err) => {
  console.error(`eval: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
