// TensorBoard image summaries as the images an event file holds (FormatRead.images): each encoded
// image is at its step, read where it is, never copied out. Images of the training data (`real`,
// `input`, `target` tags) are references; plots logged as images are neither.
import type { EmbeddedImage } from './format';
import type { FoundImage } from './tfevents';

// A tag that says the images are training data, inputs or reconstructions (pix2pix, CycleGAN), not generated.
const REFERENCE_TAG = /(^|[^a-z])(reals?|input|target|gt|ground[ _-]?truth|rec|idt)([^a-z]|$)/i;
// Plots rendered to an image (a loss curve, a confusion matrix), not generator output.
const PLOT_TAG = /loss|plot|curve|chart|histogram|matrix|accuracy/i;
/** Tags are written by the user's code: a name holds at most this much of one. */
const MAX_TAG = 200;

/**
 * The images of an event file's summaries, named `<tag>@<step>` (`-<i>` for the i-th image of one
 * TF2 summary). A tag written again at the same step in one file (TF1 DCGAN writes G's summary after
 * each of its two updates) keeps the last image, as a step is one point of the run.
 */
export function summaryImages(found: readonly FoundImage[]): EmbeddedImage[] {
  const last = new Map<string, FoundImage>();
  for (const f of found) last.set(`${f.tag}\0${f.step}\0${f.index}`, f);
  const out: EmbeddedImage[] = [];
  for (const f of last.values()) {
    if (PLOT_TAG.test(f.tag)) continue;
    out.push({
      name: `${safeTag(f.tag)}@${f.step}${f.index ? `-${f.index}` : ''}`,
      step: f.step,
      ...(REFERENCE_TAG.test(f.tag) ? { kind: 'reference' as const } : {}),
      format: f.format,
      offset: f.offset,
      length: f.length,
      encoding: 'raw',
    });
  }
  return out;
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
