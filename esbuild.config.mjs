// One build for every bundle: the extension host and the CLI (node, cjs), the webview app (browser).
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { codiconSubset } from './scripts/codiconSubset.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  legalComments: 'none',
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension/activate.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
];
if (existsSync('webview/main.ts')) {
  builds.push({
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'text' },
    plugins: [codiconSubset('webview/style.css')],
    banner: { js: "performance.mark('gan-inspector-script');" },
  });
}
if (existsSync('src/extension/worker/worker.ts')) {
  builds.push({ ...common, entryPoints: ['src/extension/worker/worker.ts'], outfile: 'dist/worker.js', platform: 'node', format: 'cjs', target: 'node20' });
}
if (existsSync('src/core/samples/decodeWorker.ts')) {
  builds.push({
    ...common,
    entryPoints: ['src/core/samples/decodeWorker.ts'],
    outfile: 'dist/decodeWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  });
}

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
