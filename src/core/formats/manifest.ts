// What the format registry tells VS Code: the `workspaceContains` activation events, the file names
// the Explorer offers "Inspect GAN run" on and the watcher watches, and the list of formats the
// welcome view names. package.json is static, so scripts/manifest-formats.ts writes these into it
// and a unit test fails when it drifts from the registry.
import { globRegExp } from './globs';
import { FORMATS, listOf, type FormatRegistry } from './registry';
import type { FileFormat } from './format';

/** Sample images, which are not a format of the registry (samples/naming.ts reads their names). */
export const SAMPLE_IMAGE_NAMES: readonly string[] = ['*.png', '*.jpg', '*.jpeg', '*.gif'];

const unique = (items: string[]) => [...new Set(items)];
const lastSegment = (glob: string) => glob.slice(glob.lastIndexOf('/') + 1);

/** Every format's wake globs, file formats first, in registry order, each once. */
export function wakeGlobs(formats: FormatRegistry = FORMATS): string[] {
  return unique([...formats.files, ...formats.folders].flatMap((f) => f.wake));
}

/** The activation events that wake the extension for a workspace holding any format read. */
export function workspaceContainsEvents(formats: FormatRegistry = FORMATS): string[] {
  return wakeGlobs(formats).map((glob) => `workspaceContains:${glob}`);
}

/**
 * File-name globs of a run's files: what each file format reads on sight, and the names it wakes
 * for (`train*.log`). Not the names only content can tell (every `*.txt` would be too many), but
 * those of a file that is a run of its own (`*.ipynb`): a workspace holds few, and its content tells.
 */
export function runFileNames(formats: FormatRegistry = FORMATS): string[] {
  const own = (f: FileFormat) => [...f.names, ...(f.isRun ? (f.maybeNames ?? []) : [])].filter((g) => !g.includes('/'));
  const globs = unique(formats.files.flatMap((f) => [...own(f), ...f.wake.map(lastSegment)]));
  // `metrics.csv` says nothing `*.csv` does not: a glob another one matches, read as a name, is left out.
  const matchers = globs.map(globRegExp);
  return globs.filter((g) => !globs.some((other, i) => other !== g && matchers[i]!.test(g)));
}

/** A file-name glob as a regular expression's source (names hold no `/`, so `*` is `.*`). */
function nameRegExpSource(glob: string): string {
  return glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
}

/** The Explorer context menu's `when` for "Inspect GAN run": a folder, a file of a run, or a sample image. */
export function explorerWhen(formats: FormatRegistry = FORMATS): string {
  const names = [...runFileNames(formats), ...SAMPLE_IMAGE_NAMES].map(nameRegExpSource);
  return `explorerResourceIsFolder || resourceFilename =~ /^(${names.join('|')})$/i`;
}

/** The formats the welcome view names, in the UI language. */
export function welcomeFormatList(formats: FormatRegistry = FORMATS): string {
  return listOf(formats.labels());
}
