// What a format is, for the registry (registry.ts): one object per format that says how its files
// are named, how its first bytes look, how it is read whole and, where a file can grow, read on
// from where the last read stopped. Shaped after loaders.gl's loader objects: a new format is one
// object in one file plus one line in the registry's list, and every consumer (discovery, the
// single-file path, live refresh, restore, messages, the manifest) asks the registry.
import type { RawSeries, ReadError } from '../model';
import type { CountingSteps } from './npy';
import type { SkipReport } from './skipped';

/** What a run's reading shares with a reader. */
export interface ReadContext {
  /** The run's 0…N−1 steps, shared by its `.npy` files (see CountingSteps); a reader makes its own if none. */
  counting?: CountingSteps;
  /** Where the reader tells of the damaged records it skipped (see skipped.ts). */
  report?: SkipReport;
}

/**
 * An image a file holds inside itself: a notebook's inline output, a TensorBoard image summary.
 * Told by where its encoded bytes are, never copied out: the run lists it (`Sample.embedded`) and
 * its bytes are read when it is scored or shown (samples/imageSource.ts), so a 2 GB event file's
 * images are not held while its series are, and a notebook's base64 is not decoded to be listed.
 */
export interface EmbeddedImage {
  /** Where in the file it is, as the run's path for it names it (`cell12-out3`, a summary's `G/image/0@28`); a safe relative path. */
  name: string;
  /** The step it was made at, when the file says (the summary's step, the step printed before it); null if not said. */
  step: number | null;
  /**
   * What the file says it is: a generated sample (when not said), a picture of the training data or
   * inputs (`reference`), or the generator's output shown outside training (`result`, on no step).
   */
  kind?: 'sample' | 'reference' | 'result';
  format: 'png' | 'jpeg' | 'gif';
  /** Where its bytes are in the file: the image itself ('raw'), or a JSON string or list of strings of base64 ('base64'). */
  offset: number;
  length: number;
  encoding: 'raw' | 'base64';
  /** The notebook cell it is an output of (0-based, as stored), to reveal it. */
  cell?: number;
}

/** What reading a file gives. */
export interface FormatRead {
  series: RawSeries[];
  /** Sample images held in the file itself, in file order (none for formats that only hold numbers). */
  images?: EmbeddedImage[];
}

/** A reader that goes on from where its last read stopped, for a file training keeps appending to. */
export interface IncrementalReader {
  /** Reads the complete records of `bytes` (which start at file offset `offset`); returns the bytes consumed. */
  push(bytes: Uint8Array, offset: number): number;
  /** What a whole read of every byte pushed so far gives (once after each push); skipped damage told in `report`. */
  result(report?: SkipReport): FormatRead;
  /** Memory it keeps, in bytes. */
  readonly heldBytes: number;
  /** True when no later read can continue this one: the file is read whole every time. */
  readonly wholeOnly?: boolean;
}

/** What a run file's sniff tells besides "this is one" (one look at a notebook's bytes serves both). */
export interface RunSniff {
  /**
   * Which image files beside it are its own (a notebook's `generated_samples/epoch_{epoch}.png`,
   * from the paths its code writes), as a test of paths relative to the folder holding it. Null: none.
   */
  owns: ((rel: string) => boolean) | null;
}

/**
 * A format of one file. Names are globs: `*` and `?` within a name, `**` across folders; a glob
 * without `/` is matched against the file's base name, one with `/` against its whole path
 * (forward slashes). Matching ignores case.
 */
export interface FileFormat {
  /** Stable and short: `csv`, `tfevents`. */
  readonly id: string;
  /** What the user calls it, in messages and the welcome view, through t(). */
  label(): string;
  /** Names its files are written as (`metrics.csv`); the registry's tests select each for this format. */
  readonly examples: readonly string[];
  /** Names it reads on sight: discovery lists them without opening them. */
  readonly names: readonly string[];
  /** Names only the content can tell (`*.log`, `*.json`): discovery opens them and asks `sniff`. */
  readonly maybeNames?: readonly string[];
  /** Never this format, whatever the globs above say (`opt.txt`, `gan-run.json`). */
  readonly notNames?: readonly string[];
  /**
   * Whether the first bytes are this format: content wins over names. Without it the name decides.
   * A file that is a run of its own may answer what else the same look told (RunSniff).
   */
  sniff?(head: Uint8Array, fileName: string): boolean | RunSniff;
  /** How many first bytes `sniff` looks at; 4 KiB when not said. */
  readonly sniffBytes?: number;
  /** Reads the whole file; throws ReadFailure with a one-line message naming the file. */
  read(bytes: Uint8Array, fileName: string, context: ReadContext): FormatRead;
  /** The reader live refresh keeps per file; absent (or null for a file) when files are rewritten whole (`.npy`, Chainer's `log`). */
  incremental?(fileName: string): IncrementalReader | null;
  /** Given the file's first 64 KiB while the rest is still being read (`.npy` makes its steps then). */
  whileReading?(head: Uint8Array, fileSize: number, context: ReadContext): void;
  /** The unit of the file's steps (`epoch`, `kimg`, `iteration`), from its name and series names; null when not said. */
  stepUnit?(fileName: string, seriesNames: readonly string[]): string | null;
  /** The file is a run of its own (a notebook): discovery lists it as a run, not as a loss file of its folder. */
  readonly isRun?: boolean;
  /** `workspaceContains` globs that wake the extension: specific to runs (never every `.txt` of the workspace). */
  readonly wake: readonly string[];
}

/** One entry of a folder, as `readdir(…, { withFileTypes: true })` lists it (a symbolic link is neither). */
export interface FolderEntry {
  readonly name: string;
  isFile(): boolean;
  isDirectory(): boolean;
}

/** What a folder format finds in a run folder, relative to it. */
export interface FolderRun {
  lossFiles: string[];
  /** Read only when `lossFiles` give no series (a W&B run's console, `files/output.log`). */
  fallbackLossFiles?: string[];
  /** Sample images the format lists itself (W&B's `files/media/images/**`): all the run's own, whatever their names. */
  images?: string[];
}

/** How a run's image paths are read: which are references, and the step each was saved at. */
export interface ImageNaming {
  isReference: (relPath: string) => boolean;
  step: (relPath: string) => number | null;
}

/** A format whose runs are folders of a known structure (MLflow, W&B): the folder is a run by its entries. */
export interface FolderFormat {
  readonly id: string;
  label(): string;
  /** Run folders as they are laid out (`mlruns/0/<run id>/`). */
  readonly examples: readonly string[];
  /** The run a folder is by its structure (its entries, and inside it where the format must look), else null. */
  runOf(folder: string, entries: readonly FolderEntry[]): Promise<FolderRun | null>;
  /**
   * Subfolders that are part of the run, not searched for runs of their own (MLflow's `metrics`).
   * `'all'`: the run is what `runOf` lists, nothing else in the folder is looked at, and the run
   * keeps its folder as its root (W&B).
   */
  readonly ownFolders?: readonly string[] | 'all';
  /** How its images are named, when not as sample images usually are (W&B's `<key>_<step>_<hash>.png`). */
  readonly imageNaming?: ImageNaming;
  /** The settings the run recorded itself (W&B's `config.yaml`), for what reads the loss formulation. */
  settings?(root: string): Promise<Record<string, unknown> | null>;
  /** The one line saying why a run of it shows nothing, when it has nothing to read; null when it has. */
  emptyRun?(run: { name: string; lossFiles: readonly string[]; fallbackLossFiles?: readonly string[] }): ReadError | null;
  readonly wake: readonly string[];
}
