// Private bundles of our entry points, built as esbuild.config.mjs builds dist/ but into a test's own
// folder, so test files running in parallel never read a half-written bundle.
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const repoRoot = path.resolve(__dirname, '..', '..');

/** `entry` (relative to the repository, e.g. 'src/cli/main.ts') bundled for Node as CommonJS into `outfile`. */
export async function bundleForNode(entry: string, outfile: string, extra: Pick<esbuild.BuildOptions, 'banner'> = {}): Promise<string> {
  await esbuild.build({
    entryPoints: [path.join(repoRoot, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'error',
    ...extra,
  });
  return outfile;
}

/** The inspector app (webview/main.ts) bundled for the browser into `outfile`, as dist/webview.js is made. */
export async function bundleWebview(outfile: string): Promise<string> {
  await esbuild.build({
    entryPoints: [path.join(repoRoot, 'webview/main.ts')],
    outfile,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'text', '.ttf': 'dataurl' },
    logLevel: 'error',
  });
  return outfile;
}
