// What the printed-log reader (printed.ts) asks of a line's UTF-8 bytes before its template reads
// them undecoded (`PrintedLog.bytesLineAt`): whether it is one of the few lines read as text.
import { bytesOf, holdsBytes } from './templateBytes';

export { holdsBytes };

export const TICK_BYTES = bytesOf('tick ');
export const SNAPSHOT_BYTES = bytesOf('network-snapshot-');

/** Whether `bytes` from `from` to the line's break hold `chars` (one line's text) somewhere. */
export function holdsInLine(bytes: Uint8Array, from: number, chars: Uint8Array): boolean {
  for (let i = from; bytes[i] !== 10 && bytes[i] !== 13; i++) if (bytes[i] === chars[0] && holdsBytes(bytes, i, chars)) return true;
  return false;
}

/**
 * Whether the line whose first character past its indent is at `first` may be a launch's header
 * (printed.ts `LAUNCH_HEADER`: `Namespace(`, `---- Options ----`, `=== … ===`, `Start(ing) training`):
 * printed.ts's `mayBeLaunchHeader`, with `Start` spelled out so that `Step …` lines stay undecoded.
 */
export function mayBeLaunchHeaderBytes(bytes: Uint8Array, first: number): boolean {
  const c = bytes[first]!;
  const d = bytes[first + 1]!;
  if (c === 78) return (d | 32) === 97;
  if (c === 45 || c === 61) return d === c;
  if (c !== 83 && c !== 115) return false;
  return (d | 32) === 116 && (bytes[first + 2]! | 32) === 97 && (bytes[first + 3]! | 32) === 114 && (bytes[first + 4]! | 32) === 116;
}
