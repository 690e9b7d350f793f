// A copy of a run whose files were last written long ago. A clean checkout (CI) gives every
// committed file the checkout's time, so a committed run looks live for its first minutes; tests
// that mean "a run trained long ago" must say so with the files' times, not rely on the checkout.
import { cpSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

/** Sets the times of a file or folder tree to `secondsAgo` before now. */
export function ageTree(path: string, secondsAgo = 3600): void {
  const then = Date.now() / 1000 - secondsAgo;
  const age = (p: string): void => {
    if (statSync(p).isDirectory()) for (const n of readdirSync(p)) age(join(p, n));
    utimesSync(p, then, then);
  };
  age(path);
}

/** Copies `source` to `dest` and ages the copy (an hour by default). Returns `dest`. */
export function agedCopy(source: string, dest: string, secondsAgo = 3600): string {
  cpSync(source, dest, { recursive: true });
  ageTree(dest, secondsAgo);
  return dest;
}
