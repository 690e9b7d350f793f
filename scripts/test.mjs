// Runs every test tier in one `node --test` invocation so one summary line counts them all.
// Usage: node scripts/test.mjs [unit|browser|e2e ...]   (default: all tiers)
// Before running, says per tier what is missing to run it; the tiers' own tests then skip
// (outside CI) or fail (CI=true) with the same one-line reason.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const tiers = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'browser', 'e2e'];
const inCi = process.env.CI === 'true';

function collect(dir) {
  let out = [];
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries.sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(collect(p));
    else if (/\.test\.(ts|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const codeServer = join(
  process.env.GAN_E2E_CACHE ?? join(homedir(), '.cache', 'gan-run-inspector'),
  'code-server-4.100.3',
  'node_modules',
  '.bin',
  'code-server',
);
const prerequisites = {
  unit: [],
  browser: [[chromium, 'apt-get install -y chromium (or set CHROMIUM_PATH)']],
  e2e: [
    [chromium, 'apt-get install -y chromium (or set CHROMIUM_PATH)'],
    [codeServer, 'bash scripts/install-code-server.sh'],
  ],
};
for (const tier of tiers) {
  for (const [path, install] of prerequisites[tier] ?? []) {
    if (!existsSync(path)) console.error(`${inCi ? 'FAIL' : 'skip'} ${tier} tier: ${path} is missing: ${install}`);
  }
}

const files = tiers.flatMap((tier) => collect(join('test', tier)));
if (!files.length) {
  console.error(`no test files in tiers: ${tiers.join(', ')}`);
  process.exit(1);
}
// One id per run: the .vsix listing test and the e2e files (separate processes) package once.
for (const name of existsSync('dist-vsix') ? readdirSync('dist-vsix') : []) {
  if (name.startsWith('.packaged-')) rmSync(join('dist-vsix', name), { force: true });
}
const env = { ...process.env, GAN_TEST_RUN: process.env.GAN_TEST_RUN ?? `${Date.now()}-${process.pid}` };
const started = Date.now();
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit', env });
console.log(`\ntiers ${tiers.join(', ')}: ${files.length} test files in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(r.status ?? 1);
