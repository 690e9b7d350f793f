// File names as the readers see them: relative to the run, '/'-separated everywhere, and also
// '\'-separated on Windows. On Linux and macOS '\' is an ordinary character in a file name.
const SEPARATOR = typeof process !== 'undefined' && process.platform === 'win32' ? /[\\/]/ : /\//;

/** The last component of a path ("result/d_loss.npy" → "d_loss.npy"). */
export function fileBaseName(name: string): string {
  const parts = name.split(SEPARATOR);
  return parts[parts.length - 1] ?? name;
}

/** The path with '/' between its components ("logs\\d.csv" → "logs/d.csv" on Windows only). */
export function posixPath(name: string): string {
  return name.split(SEPARATOR).join('/');
}
