// Where the built inspector app (dist/webview.js) is, for the HTML report: a packaging question of
// the CLI, not of the report's content.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { t } from '../core/l10n';

export function webviewScriptPath(explicit?: string): string {
  // Bundled: dist/cli.js sits next to dist/webview.js. From source (tests): the repo's dist/.
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [explicit, path.join(here, 'webview.js'), path.resolve(here, '../../dist/webview.js'), path.resolve('dist/webview.js')].filter(
    (p): p is string => !!p,
  );
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(t('{0}: the inspector app is missing (run the build first)', candidates[candidates.length - 1]!));
  return found;
}
