// TensorBoard image summaries as a run's samples: each encoded image in an event file is a sample
// at its step, read where it is (EmbeddedImage), never copied out. Images of the training data
// (`real`, `input`, `target` tags) are references; plots logged as images are neither.
import type { Reference, Sample } from '../model';
import type { FoundImage } from '../formats/foundImages';

// A tag that says the images are training data, inputs or reconstructions (pix2pix, CycleGAN), not generated.
const REFERENCE_TAG = /(^|[^a-z])(reals?|input|target|gt|ground[ _-]?truth|rec|idt)([^a-z]|$)/i;
// Plots rendered to an image (a loss curve, a confusion matrix), not generator output.
const PLOT_TAG = /loss|plot|curve|chart|histogram|matrix|accuracy/i;
const EXT = { png: 'png', jpeg: 'jpg', gif: 'gif' } as const;
/** Tags are written by the user's code: a path holds at most this much of one. */
const MAX_TAG = 200;

/**
 * The samples and references of an event file's images (`eventsRel`: the file, relative to the run
 * folder). A tag written again at the same step in one file (TF1 DCGAN writes G's summary after
 * each of its two updates) keeps the last image, as a step is one point of the run.
 */
export function summaryImages(eventsRel: string, found: FoundImage[]): { samples: Sample[]; references: Reference[] } {
  const last = new Map<string, FoundImage>();
  for (const f of found) last.set(`${f.tag}\0${f.step}\0${f.index}`, f);
  const samples: Sample[] = [];
  const references: Reference[] = [];
  for (const f of last.values()) {
    if (PLOT_TAG.test(f.tag)) continue;
    const path = `${eventsRel}#${safeTag(f.tag)}@${f.step}${f.index ? `-${f.index}` : ''}.${EXT[f.format]}`;
    const embedded = { file: eventsRel, offset: f.offset, length: f.length, encoding: 'raw' as const, format: f.format };
    if (REFERENCE_TAG.test(f.tag)) references.push({ step: f.step, path, embedded });
    else samples.push({ step: f.step, path, embedded });
  }
  return { samples, references };
}

/**
 * A tag as a piece of a relative path the webview may send back (src/protocol.ts's
 * isSafeRelativePath): its `/` kept, no empty, `.` or `..` segments, no control or other odd characters.
 */
export function safeTag(tag: string): string {
  return tag
    .slice(0, MAX_TAG)
    .split('/')
    .map((seg) => seg.replace(/[^\w.\- ]+/g, '_'))
    .map((seg) => (seg === '' || /^\.+$/.test(seg) ? '_' : seg))
    .join('/');
}
