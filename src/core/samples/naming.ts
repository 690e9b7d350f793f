// Sample images and the training step each was saved at, read from file and folder names.
import type { Sample } from '../model';

const IMAGE_FILE = /\.(png|jpe?g|gif)$/i;
// Plots of the training, not samples of the generator.
const NOT_SAMPLE = /loss|plot|curve|figure|chart|accuracy/i;
// A folder that carries the step for every image in it: `images10`, `epoch_5`, `step-400`, `400`.
const STEP_FOLDER = /^([a-z]+[ _-]?)?(\d+)$/i;
// Folder prefixes whose number is a version, a run or a seed, not a step.
const NOT_STEP_FOLDER = /^(v|ver|version|run|exp|experiment|seed|gpu|fold|trial|lightning|model|net|layer|dataset|data|class|label|digit|conv)[ _-]?$/i;
// A number right after (or before) a word saying what it counts.
const KEYED_NUMBER = /(?<![a-z])(?:epoch|epochs|step|steps|iter|iters|iteration|iterations|ep|it|batch)[ _-]?(\d+)|(\d+)[ _-]?(?:epoch|epochs|step|steps|iter|iters|iterations)(?![a-z])/i;

export function isImageFile(name: string): boolean {
  return IMAGE_FILE.test(name);
}

/**
 * The step of a sample image from its path relative to the run, or null when it is not a sample.
 * A numbered parent folder (`images10/pic0.png`) gives the step for all the images in it; else the
 * number after `epoch`/`step`/`iter` in the file name, else the file name's last number.
 */
export function sampleStep(relPath: string): number | null {
  const parts = relPath.split(/[\\/]/);
  const file = parts[parts.length - 1] ?? '';
  if (!IMAGE_FILE.test(file) || NOT_SAMPLE.test(file)) return null;
  // Only the parent folder is looked at: names higher up (`gan_loss_experiments/`) say nothing.
  const parent = parts[parts.length - 2];
  if (parent !== undefined && NOT_SAMPLE.test(parent)) return null;
  const stem = file.replace(IMAGE_FILE, '');
  if (parent !== undefined) {
    const m = STEP_FOLDER.exec(parent);
    // A bare number folder (`runs/3/`) is more often a run id, unless the file has no number itself.
    const counts = m && (m[1] ? !NOT_STEP_FOLDER.test(m[1]) : !/\d/.test(stem));
    if (m && counts) return Number(m[2]);
  }
  const keyed = KEYED_NUMBER.exec(stem);
  if (keyed) return Number(keyed[1] ?? keyed[2]);
  const numbers = stem.match(/\d+/g);
  if (!numbers) return null;
  return Number(numbers[numbers.length - 1]);
}

/** Matches a `gan-run.json` pattern such as `image/{step}.png` or `samples/*_{step}.jpg` to a step. */
export function samplePattern(pattern: string): (relPath: string) => number | null {
  const source = pattern
    .replace(/\\/g, '/')
    .split('{step}')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
    .join('(\\d+)');
  const re = new RegExp(`^${source}$`, 'i');
  return (relPath) => {
    const m = re.exec(relPath.replace(/\\/g, '/'));
    if (!m) return null;
    return m[1] === undefined ? null : Number(m[1]);
  };
}

const byPath = new Intl.Collator('en', { numeric: true });

/** Numeric step order, then natural path order (`pic2` before `pic10`). */
export function sortSamples(samples: Sample[]): Sample[] {
  return samples.sort((a, b) => a.step - b.step || byPath.compare(a.path, b.path));
}

/** Samples from relative image paths: by `pattern` when the run config gives one, else by names. */
export function samplesFrom(relPaths: string[], pattern?: string): Sample[] {
  const stepOf = pattern ? samplePattern(pattern) : sampleStep;
  const out: Sample[] = [];
  for (const path of relPaths) {
    const step = stepOf(path);
    if (step !== null && Number.isFinite(step)) out.push({ step, path });
  }
  return sortSamples(out);
}
