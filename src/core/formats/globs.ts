// The name globs formats declare (format.ts), matched the way VS Code and ripgrep read them, so one
// glob serves discovery here and the manifest's activation events and watchers there.
import { fileBaseName, toPosix } from '../paths';

/** A glob as a regular expression's source: `*` and `?` within a name, `**` across folders. */
function globSource(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` is any number of leading folders, none included; a `**` elsewhere is anything.
      const folders = glob[i + 2] === '/';
      re += folders ? '(?:.*/)?' : '.*';
      i += folders ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return re;
}

/** A glob as a case-insensitive regular expression for a whole name or path. */
export function globRegExp(glob: string): RegExp {
  return new RegExp(`^${globSource(glob)}$`, 'i');
}

/** Any of the globs, as one expression; null for none. */
function anyOf(globs: readonly string[]): RegExp | null {
  return globs.length ? new RegExp(`^(?:${globs.map(globSource).join('|')})$`, 'i') : null;
}

/** A file name as globs match it: its base name, and its whole path with '/' between components. */
export interface MatchedName {
  base: string;
  path: string;
}

export function matchedName(fileName: string): MatchedName {
  return { base: fileBaseName(fileName), path: toPosix(fileName) };
}

/** Whether a name matches any of `globs`: one without `/` is matched against the base name, one with it against the path. */
export function nameMatcher(globs: readonly string[]): (name: MatchedName) => boolean {
  const onBase = anyOf(globs.filter((g) => !g.includes('/')));
  const onPath = anyOf(globs.filter((g) => g.includes('/')));
  return (name) => (onBase !== null && onBase.test(name.base)) || (onPath !== null && name.path.includes('/') && onPath.test(name.path));
}
