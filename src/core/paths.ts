// Paths, one owner: file names as the readers see them (relative to the run, '/'-separated
// everywhere, and also '\'-separated on Windows, where on Linux and macOS '\' is an ordinary
// character in a file name), and whether a path lies inside a folder. Pure string functions, so
// the webview may use them too.
// Read through globalThis: the webview has no `process`.
const WINDOWS = (globalThis as { process?: { platform?: string } }).process?.platform === 'win32';
const SEPARATOR = WINDOWS ? /[\\/]/ : /\//;
const SEP = WINDOWS ? '\\' : '/';

/** The last component of a path ("result/d_loss.npy" → "d_loss.npy"). */
export function fileBaseName(name: string): string {
  const parts = name.split(SEPARATOR);
  return parts[parts.length - 1] ?? name;
}

/** The folder part of a relative '/'-separated path: "a/b/c.png" → "a/b", "c.png" → "", "" → null. */
export function parentOf(rel: string): string | null {
  if (rel === '') return null;
  const slash = rel.lastIndexOf('/');
  return slash < 0 ? '' : rel.slice(0, slash);
}

/** A native path in the '/'-separated form the run model uses. */
export function toPosix(p: string): string {
  return WINDOWS ? p.replace(/\\/g, '/') : p;
}

/**
 * True when the absolute path `p` is `folder` or inside it. Both must be resolved (`path.resolve`:
 * no `.` or `..` segments left). A child named `..data` is inside; `/runs-old` is not inside `/runs`.
 */
export function isInside(folder: string, p: string): boolean {
  const a = WINDOWS ? folder.toLowerCase() : folder;
  const b = WINDOWS ? p.toLowerCase() : p;
  if (a === b) return true;
  return b.startsWith(a.endsWith(SEP) || a.endsWith('/') ? a : a + SEP);
}

/** `p` relative to `folder`, '/'-separated ('' for the folder itself), or null when it is not inside. */
export function relativeInside(folder: string, p: string): string | null {
  if (!isInside(folder, p)) return null;
  const rest = p.slice(folder.length).replace(/^[\\/]+/, '');
  return toPosix(rest);
}

/** True when the relative '/'-separated path `rel` is `ancestor` or under it ('' holds everything). */
export function isUnder(rel: string, ancestor: string): boolean {
  return ancestor === '' || rel === ancestor || rel.startsWith(`${ancestor}/`);
}
