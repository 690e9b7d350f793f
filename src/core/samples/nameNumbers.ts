// The numbers in a sample image's path and what each counts, from the word beside it: `epoch_5`
// counts epochs, `fakes000400` kimg, `run_3` names a run (never a step), `3/` says nothing alone.
const IMAGE_FILE = /\.(png|jpe?g|gif)$/i;

export type Count = 'epoch' | 'iteration' | 'kimg' | 'step' | 'batch' | 'stage';

/** A number in a path: where, what counts it (from the word before or after it), and its text. */
export interface Num {
  value: number;
  /** What the word beside it says it counts; 'id' never a step; null when nothing says. */
  count: Count | 'id' | null;
  /** The word before it (as written, lowercased), for a stage's label. */
  word: string;
  /** Index of the path part it is in (the file's stem is the last). */
  part: number;
  fraction: boolean;
  /** Written with leading zeros (`00010000`): a counter formatted to sort. */
  padded: boolean;
}

export interface Name {
  path: string;
  template: string;
  nums: Num[];
  /** Parts of the path, the last being the file's stem. */
  depth: number;
}

const EPOCH_WORDS: ReadonlySet<string> = new Set(['epoch', 'epochs', 'ep', 'e']);
const ITER_WORDS: ReadonlySet<string> = new Set([
  'step',
  'steps',
  'iter',
  'iters',
  'iteration',
  'iterations',
  'it',
  'update',
  'updates',
  'tick',
  'gs',
  'global',
]);
const KIMG_WORDS: ReadonlySet<string> = new Set(['kimg', 'fakes']);
export const STAGE_WORDS: ReadonlySet<string> = new Set(['scale', 's', 'depth', 'lod', 'level', 'stage', 'res', 'resolution', 'phase']);
// Numbers after these name a version, a run, a seed, a setting, a class or a position, never a step.
const ID_WORDS: ReadonlySet<string> = new Set([
  'v',
  'ver',
  'version',
  'run',
  'runs',
  'exp',
  'experiment',
  'seed',
  'gpu',
  'fold',
  'trial',
  'lightning',
  'model',
  'net',
  'layer',
  'dataset',
  'data',
  'class',
  'label',
  'digit',
  'conv',
  'factor',
  'alpha',
  'beta',
  'lambda',
  'lr',
  'x',
  'id',
  'index',
  'idx',
]);
// Words after a number saying what it counts (`400epochs.png`, `300_steps.png`).
const SUFFIX_COUNTS: Record<string, Count> = {
  epoch: 'epoch',
  epochs: 'epoch',
  step: 'iteration',
  steps: 'iteration',
  iter: 'iteration',
  iters: 'iteration',
  iterations: 'iteration',
};
// A number this large is an id, a timestamp or a photo's name (`…_889770228475494400_o`), not a step.
const NOT_A_STEP = 1e9;
// A content hash (W&B media `fake_B_0_69b92002d2cae9acc513.png`): hex with letters and digits, not numbers.
const HASH = /(?<![A-Za-z0-9])(?=[a-f0-9]*[a-f])(?=[a-f0-9]*\d)[a-f0-9]{8,}(?![A-Za-z0-9])/g;
// A copy made by a file manager (`fake_sample_0.4 (copy).png`): the same image again.
export const COPY = /\s*(\((copy|kopie|copie)( \d+)?\)|[ _-]+copy( \d+)?|\s-\s*copy( \(\d+\))?)$/i;
// junyanz test.py names outputs after the input photo (`IMG_1170_fake_B.png`); training names them `epoch003_fake_B.png`.
const JUNYANZ_TEST = /_(?:fake|real|rec|idt)_[ab]$/i;

function countOf(before: string, after: string): Count | 'id' | null {
  if (EPOCH_WORDS.has(before)) return 'epoch';
  if (ITER_WORDS.has(before)) return 'iteration';
  if (KIMG_WORDS.has(before)) return 'kimg';
  if (before === 'batch') return 'batch';
  if (STAGE_WORDS.has(before)) return 'stage';
  if (ID_WORDS.has(before)) return 'id';
  return SUFFIX_COUNTS[after] ?? null;
}

/** The numbers of a path relative to the run, with the template they leave (`#` for each). */
export function parse(path: string): Name {
  const parts = path.split('/');
  parts[parts.length - 1] = parts[parts.length - 1]!.replace(IMAGE_FILE, '').replace(COPY, '');
  const nums: Num[] = [];
  const wandb = /(^|\/)media\/images\/[^/]*_\d+_[a-f0-9]{8,}$/i.test(parts.join('/'));
  const templateParts = parts.map((raw, part) => {
    const text = raw.replace(HASH, '<h>');
    return text.replace(/\d+\.\d+|\d+/g, (digits, at: number) => {
      const head = text.slice(0, at);
      const wordBefore = /([A-Za-z]+)[ _=-]?$/.exec(head)?.[1] ?? '';
      // The last word of a glued name: `imageAtEpoch` → epoch, `IMG` → img.
      const before = (wordBefore.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+/g) ?? ['']).at(-1)!.toLowerCase();
      const after = (/^[ _-]?([A-Za-z]+)/.exec(text.slice(at + digits.length))?.[1] ?? '').toLowerCase();
      const fraction = digits.includes('.');
      const value = Number(digits);
      let count = countOf(before, after);
      if (value >= NOT_A_STEP) count = 'id';
      // W&B names media `<key>_<step>_<hash>`: the middle number is the step.
      if (wandb && part === parts.length - 1 && /^_<h>$/.test(text.slice(at + digits.length))) count = 'step';
      nums.push({ value, count, word: before, part, fraction, padded: !fraction && digits.length > 1 && digits[0] === '0' });
      return fraction ? '%' : '#';
    });
  });
  return { path, template: templateParts.join('/'), nums, depth: parts.length };
}

/** junyanz test.py's output named after its input photo (`IMG_1170_fake_B`), not a training epoch's (`epoch003_fake_B`). */
export function junyanzTestOutput(stem: string): boolean {
  const m = JUNYANZ_TEST.exec(stem);
  if (!m) return false;
  const photo = stem.slice(0, m.index);
  return /[a-z]/i.test(photo) && !parse(photo).nums.some((n) => n.count === 'epoch' || n.count === 'iteration');
}
