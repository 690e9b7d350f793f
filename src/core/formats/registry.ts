// The one list of formats, and the one place that picks a file's format: discovery, the single-file
// path, live refresh, restore, step units, the messages and the manifest all ask it (as loaders.gl's
// `selectLoader` picks among registered loaders). A new format is one object (format.ts) in its own
// file plus one line in FORMATS below.
import { t } from '../l10n';
import type { FileFormat, FolderEntry, FolderFormat, FolderRun, FormatRead, ReadContext, RunSniff } from './format';
import { ReadFailure } from './errors';
import { matchedName, nameMatcher, type MatchedName } from './globs';
import { npyFormat } from './npy.format';
import { csvFormat } from './csv.format';
import { jsonlFormat } from './jsonl.format';
import { tfeventsFormat } from './tfevents.format';
import { junyanzFormat } from './junyanz.format';
import { mlflowMetricFormat, mlflowRunFormat } from './mlflow.format';
import { chainerFormat } from './chainer.format';
import { printedFormat } from './printed.format';
import { notebookFormat } from './notebook.format';
import { wandbFormat, wandbRunFormat } from './wandb.format';
import { jsonFormat } from './json.format';
import { keyedLogFormat } from './keyedLog.format';
import { npzFormat } from './npz.format';

/** What reading a file through the registry gives: what its format read, and which format that was. */
export interface RegistryRead extends FormatRead {
  format: FileFormat;
}

/** How a name speaks for a format: it is one on sight, or only its content can tell. */
export type NameClaim = 'sure' | 'maybe';

// What `sniff` is given when a format does not say how much it needs.
const DEFAULT_SNIFF_BYTES = 4096;

interface Compiled {
  format: FileFormat;
  sure: (name: MatchedName) => boolean;
  maybe: (name: MatchedName) => boolean;
  never: (name: MatchedName) => boolean;
}

/** A list of file and folder formats, and the choices made from it. Earlier formats win ties. */
export class FormatRegistry {
  private readonly compiled: readonly Compiled[];
  private readonly anyFormat: (name: MatchedName) => boolean;
  /** The most first bytes any format's sniff looks at: what a reader of the head should read. */
  readonly sniffWindow: number;

  constructor(
    readonly files: readonly FileFormat[],
    readonly folders: readonly FolderFormat[] = [],
  ) {
    this.compiled = files.map((format) => ({
      format,
      sure: nameMatcher(format.names),
      maybe: nameMatcher(format.maybeNames ?? []),
      never: nameMatcher(format.notNames ?? []),
    }));
    // Most files of a big tree (images, captions) are no format's: one test says so.
    this.anyFormat = nameMatcher(files.flatMap((f) => [...f.names, ...(f.maybeNames ?? [])]));
    this.sniffWindow = Math.max(DEFAULT_SNIFF_BYTES, ...files.map((f) => f.sniffBytes ?? DEFAULT_SNIFF_BYTES));
  }

  /** This registry and one more format, registered last. */
  with(format: FileFormat | FolderFormat): FormatRegistry {
    return 'read' in format ? new FormatRegistry([...this.files, format], this.folders) : new FormatRegistry(this.files, [...this.folders, format]);
  }

  /** The formats a name may be, the ones it names on sight first, each in registry order. */
  claims(fileName: string): { format: FileFormat; claim: NameClaim }[] {
    const sure: { format: FileFormat; claim: NameClaim }[] = [];
    const maybe: { format: FileFormat; claim: NameClaim }[] = [];
    const name = matchedName(fileName);
    if (!this.anyFormat(name)) return [];
    for (const c of this.compiled) {
      if (c.never(name)) continue;
      if (c.sure(name)) sure.push({ format: c.format, claim: 'sure' });
      else if (c.maybe(name)) maybe.push({ format: c.format, claim: 'maybe' });
    }
    return [...sure, ...maybe];
  }

  /**
   * The format of a file. Without `head` (its first bytes; `sniffWindow` of them is enough): the
   * format its name says on sight, else null. With `head`, content wins over names: the first of
   * the formats the name may be whose sniff knows the bytes, else one the name says on sight that
   * has no sniff (its reader judges the bytes), else null (the bytes are none of what the name says).
   */
  selectFormat(fileName: string, head?: Uint8Array): FileFormat | null {
    if (!head) return this.claims(fileName).find((c) => c.claim === 'sure')?.format ?? null;
    return this.sniffed(fileName, head)?.format ?? null;
  }

  /** selectFormat by the bytes, with what the sniff told besides (a notebook's own images). */
  sniffed(fileName: string, head: Uint8Array): { format: FileFormat; owns: RunSniff['owns'] } | null {
    const claims = this.claims(fileName);
    for (const { format } of claims) {
      const known = format.sniff?.(head.subarray(0, format.sniffBytes ?? DEFAULT_SNIFF_BYTES), fileName);
      if (known) return { format, owns: known === true ? null : known.owns };
    }
    const format = claims.find((c) => c.claim === 'sure' && !c.format.sniff)?.format;
    return format ? { format, owns: null } : null;
  }

  /**
   * The format that reads a file: what selectFormat picks from its bytes, else what its name says
   * on sight, else the first its name may be. Failing the content, the reader says what the file
   * lacks ("not valid JSON", "no training loss lines") rather than "unknown format".
   */
  formatFor(fileName: string, head?: Uint8Array): FileFormat | null {
    return (head && this.selectFormat(fileName, head)) ?? this.selectFormat(fileName) ?? this.claims(fileName)[0]?.format ?? null;
  }

  /** What a name alone says: the format it is on sight, `'content'` when only its first bytes can tell, null when it is no format's. */
  byName(fileName: string): FileFormat | 'content' | null {
    const claims = this.claims(fileName);
    return claims.find((c) => c.claim === 'sure')?.format ?? (claims.length ? 'content' : null);
  }

  /** True when the name may be a format only its content can tell: worth opening to see. */
  needsContent(fileName: string): boolean {
    const claims = this.claims(fileName);
    return claims.length > 0 && !claims.some((c) => c.claim === 'sure');
  }

  /** The format of files that are runs of their own (a notebook) the name may be, whatever its content; null when none. */
  runFormat(fileName: string): FileFormat | null {
    return this.claims(fileName).find((c) => c.format.isRun)?.format ?? null;
  }

  /** How many first bytes tell the format of `fileName`. */
  headBytesFor(fileName: string): number {
    return Math.max(0, ...this.claims(fileName).map((c) => (c.format.sniff ? (c.format.sniffBytes ?? DEFAULT_SNIFF_BYTES) : 0)));
  }

  /** True when a read of the file may continue the last one (some format it may be reads incrementally, this file or others). */
  continues(fileName: string): boolean {
    return this.claims(fileName).some((c) => c.format.incremental !== undefined);
  }

  /** The run a folder is by its structure, and the folder format that says so; null for any other folder. */
  async folderRunOf(folder: string, entries: readonly FolderEntry[]): Promise<{ format: FolderFormat; run: FolderRun } | null> {
    for (const format of this.folders) {
      const run = await format.runOf(folder, entries);
      if (run) return { format, run };
    }
    return null;
  }

  /** The folder format of that id. */
  folderFormat(id: string): FolderFormat | undefined {
    return this.folders.find((f) => f.id === id);
  }

  /** Reads a file whole with the format its bytes and name pick; throws ReadFailure when none does. */
  read(fileName: string, bytes: Uint8Array, context: ReadContext = {}): RegistryRead {
    const format = this.formatFor(fileName, bytes.subarray(0, this.sniffWindow));
    if (!format) throw new ReadFailure(this.notALossFile(fileName));
    return { ...format.read(bytes, fileName, context), format };
  }

  /** Every format's label, file formats first, in registry order. */
  labels(): string[] {
    return [...this.files, ...this.folders].map((f) => f.label());
  }

  /** The refusal of a file no format reads, listing what is read (so the list cannot go stale). */
  notALossFile(fileName: string): string {
    return t('{0}: not a loss file format this reader knows (it reads {1})', fileName, listOf(this.files.map((f) => f.label())));
  }
}

/** Labels joined as a list in the UI language (`a, b, c`; `a、b、c`). */
export function listOf(items: readonly string[]): string {
  return items.length ? items.reduce((list, item) => t('{0}, {1}', list, item)) : '';
}

/** Every format read, in the order names are tried: the first whose name (and content) fits wins. */
export const FORMATS = new FormatRegistry(
  [
    npyFormat,
    npzFormat,
    wandbFormat,
    csvFormat,
    jsonlFormat,
    tfeventsFormat,
    junyanzFormat,
    mlflowMetricFormat,
    chainerFormat,
    jsonFormat,
    printedFormat,
    // After the printed-log reader: its reader is what a `.log` no format's content fits is read by.
    keyedLogFormat,
    notebookFormat,
  ],
  [wandbRunFormat, mlflowRunFormat],
);

/** FORMATS.selectFormat: the format of a file by its name, and by its first bytes when given. */
export function selectFormat(fileName: string, head?: Uint8Array): FileFormat | null {
  return FORMATS.selectFormat(fileName, head);
}
