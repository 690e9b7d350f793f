// The sample gallery: the grid at the selected step, a scrubber with play/pause (the tutorial's GIF,
// live), a hover preview from the chart, and a pinned step beside it to compare.
import type { ReferenceRef, ResultRef, SampleRef } from '../src/protocol';
import { t } from '../src/core/l10n';
import { fileBaseName } from '../src/core/paths';
import { formatNumber } from '../src/core/present';
import { el, icon } from './dom';

/** Index of the sample whose step is nearest to `step` (samples sorted by step). */
export function nearestSample(samples: SampleRef[], step: number): number {
  let lo = 0;
  let hi = samples.length - 1;
  if (hi < 0) return -1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid]!.step < step) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && step - samples[lo - 1]!.step <= samples[lo]!.step - step) return lo - 1;
  return lo;
}

export interface GalleryCallbacks {
  onStep(step: number): void;
  onPin(step: number | null): void;
  onOpen(sample: SampleRef): void;
  /** A sample whose preview is still being made is on screen (the host makes it next). */
  onPending?(sample: SampleRef): void;
  /** A result (an image on no step) was double-clicked: open the original. */
  onOpenResult?(result: ResultRef): void;
}

export class Gallery {
  readonly root: HTMLElement;
  private samples: SampleRef[] = [];
  private references: ReferenceRef[] = [];
  private index = -1;
  private pinned: number | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly current = this.figure('current');
  // Inputs go left of the sample, targets, reconstructions and training images right (pix2pix: input, output, target).
  private readonly before = el('div', { className: 'references before' });
  private readonly after = el('div', { className: 'references after' });
  private readonly compare = this.figure('compare');
  private readonly scrubber = el('input', { type: 'range', min: 0, max: 0, step: 1, value: 0, id: 'scrubber', 'aria-label': t('Sample step') });
  private readonly playButton = el('button', { type: 'button', className: 'button', id: 'play', 'aria-label': t('Play the samples in order') });
  private readonly pinButton = el('button', { type: 'button', className: 'button', id: 'pin', 'aria-label': t('Pin this step to compare') });
  private readonly stepLabel = el('span', { className: 'step-label', 'aria-live': 'polite' });
  private results: ResultRef[] = [];
  private readonly resultStrip = el('div', { className: 'result-strip' });
  /**
   * The run's results, apart from the samples: images on no step (test outputs, a batch's outputs
   * by position, draws from the final generator). Never on the scrubber, never scored.
   */
  readonly resultsRoot = el(
    'section',
    { className: 'results', 'aria-label': t('Results (not on the step axis)') },
    el('h2', { text: t('Results (not on the step axis)') }),
    el('p', { className: 'hint', text: t('Images saved on no training step: test outputs, a batch by position, draws from the final generator. Not scored.') }),
    this.resultStrip,
  );

  constructor(private readonly callbacks: GalleryCallbacks) {
    this.playButton.append(icon('play'), t('Play'));
    this.pinButton.append(icon('pin'), t('Compare'));
    this.scrubber.addEventListener('input', () => this.select(Number(this.scrubber.value), true));
    this.playButton.addEventListener('click', () => (this.timer ? this.pause() : this.play()));
    this.pinButton.addEventListener('click', () => this.togglePin());
    this.compare.figure.hidden = true;
    this.root = el(
      'section',
      { className: 'gallery', 'aria-label': t('Sample gallery') },
      el('div', { className: 'figures' }, this.compare.figure, this.before, this.current.figure, this.after),
      el('div', { className: 'scrub' }, this.playButton, this.scrubber, this.stepLabel, this.pinButton),
    );
  }

  private figure(which: string) {
    const img = el('img', { className: 'sample', alt: '' });
    const caption = el('figcaption', {});
    const figure = el('figure', { className: `sample-figure ${which}` }, img, caption);
    // The full image on demand: what is shown may be a preview (or a placeholder while one is made).
    img.addEventListener('dblclick', () => {
      const s = this.samples.find((x) => x.path === img.dataset.path);
      if (s) this.callbacks.onOpen(s);
    });
    return { figure, img, caption };
  }

  /** The run's results (see `ResultRef`); the section hides when there are none. */
  /** Shows a run's images: its samples on the step axis, its references beside them, its results below. */
  showRun(run: { samples: SampleRef[]; references?: ReferenceRef[]; results?: ResultRef[] } | undefined): void {
    this.setSamples(run?.samples ?? []);
    this.setReferences(run?.references ?? []);
    this.setResults(run?.results ?? []);
  }

  setResults(results: ResultRef[]): void {
    this.results = results;
    this.resultsRoot.hidden = results.length === 0;
    this.resultStrip.replaceChildren(...results.map((r) => this.resultFigure(r)));
  }

  private resultFigure(r: ResultRef): HTMLElement {
    const name = fileBaseName(r.path);
    const img = el('img', { className: 'sample result', alt: t('Result image {0}', r.path) });
    showImage(img, r);
    img.dataset.path = r.path;
    img.addEventListener('dblclick', () => this.callbacks.onOpenResult?.(r));
    // The name is data from the user's disk: text only, never markup.
    return el('figure', { className: 'sample-figure result-figure', title: r.path }, img, el('figcaption', { text: name }));
  }

  /** Reference images to show beside the sample of their step (see `Reference`). */
  setReferences(references: ReferenceRef[]): void {
    this.references = references;
    this.show(this.index);
  }

  setSamples(samples: SampleRef[]): void {
    this.samples = [...samples].sort((a, b) => a.step - b.step);
    this.root.hidden = this.samples.length === 0;
    this.scrubber.max = String(Math.max(0, this.samples.length - 1));
    // Open on the newest samples: how training ends (or stands now, mid-run) is what the user came to see.
    if (this.index >= this.samples.length || this.index < 0) this.index = this.samples.length - 1;
    this.show(this.index);
  }

  get step(): number | null {
    return this.samples[this.index]?.step ?? null;
  }

  get sampleList(): SampleRef[] {
    return this.samples;
  }

  /** Selects the sample nearest to `step`. */
  showStep(step: number): void {
    const i = nearestSample(this.samples, step);
    if (i >= 0) this.select(i, false);
  }

  /** Shows the sample nearest to a hovered step without selecting it; null goes back. */
  preview(step: number | null): void {
    if (this.timer) return;
    this.show(step === null ? this.index : nearestSample(this.samples, step));
  }

  private select(i: number, notify: boolean): void {
    this.index = Math.max(0, Math.min(this.samples.length - 1, i));
    this.show(this.index);
    if (notify && this.step !== null) this.callbacks.onStep(this.step);
  }

  private show(i: number): void {
    const s = this.samples[i];
    if (!s) return;
    this.setFigure(this.current, s);
    this.showReferences(s.step);
    this.scrubber.value = String(this.index);
    this.scrubber.setAttribute('aria-valuetext', t('step {0}', formatNumber(this.samples[this.index]?.step ?? s.step, 'chart')));
    this.stepLabel.textContent = t('step {0} ({1} of {2})', formatNumber(s.step, 'chart'), i + 1, this.samples.length);
  }

  private setFigure(f: { img: HTMLImageElement; caption: HTMLElement }, s: SampleRef, pinned = false): void {
    showImage(f.img, s);
    if (s.pending && f.img.dataset.path !== s.path) this.callbacks.onPending?.(s);
    f.img.alt = s.pending
      ? t('Making a preview of the samples at step {0}…', formatNumber(s.step, 'chart'))
      : t('Samples at step {0}', formatNumber(s.step, 'chart'));
    f.img.dataset.step = String(s.step);
    f.img.dataset.path = s.path;
    f.caption.textContent = pinned
      ? t('pinned: step {0} · {1}', formatNumber(s.step, 'chart'), s.path)
      : t('step {0} · {1}', formatNumber(s.step, 'chart'), s.path);
  }

  /** A pending sample's or reference's preview arrived (its ref already holds the new URI): shown if it is on screen. */
  imageReady(path: string): void {
    const shows = (img: HTMLImageElement) => img.dataset.path === path;
    if (shows(this.current.img) || this.root.querySelector(`img[data-path="${CSS.escape(path)}"]`)) this.show(this.index);
    if (shows(this.compare.img)) this.setPinned(this.pinned);
    const result = this.results.find((r) => r.path === path);
    const shown = [...this.resultStrip.querySelectorAll('img')].find((img) => img.dataset.path === path);
    if (result && shown) showImage(shown, result);
  }

  /** Samples whose previews are still being made. */
  get pendingCount(): number {
    return this.samples.filter((s) => s.pending).length;
  }

  private showReferences(step: number): void {
    // A stage's own reference (`until`) stands beside every sample of its stage.
    const at = this.references.filter((r) => r.step === step || r.step === null || (r.until !== undefined && step >= r.step && step <= r.until));
    const input = (r: ReferenceRef) => /real_?A$|input/i.test(r.path.replace(/\.[^.]+$/, ''));
    const figure = (r: ReferenceRef) => {
      const img = el('img', { className: 'sample reference', alt: t('Reference image {0}', r.path) });
      showImage(img, r);
      img.dataset.path = r.path;
      const name = fileBaseName(r.path);
      return el('figure', { className: 'sample-figure reference-figure' }, img, el('figcaption', {}, t('reference · {0}', name)));
    };
    this.before.replaceChildren(...at.filter(input).map(figure));
    this.after.replaceChildren(...at.filter((r) => !input(r)).map(figure));
  }

  setPinned(step: number | null): void {
    this.pinned = step;
    const i = step === null ? -1 : nearestSample(this.samples, step);
    this.compare.figure.hidden = i < 0;
    this.pinButton.setAttribute('aria-pressed', String(i >= 0));
    this.pinButton.replaceChildren(icon(i >= 0 ? 'pinned' : 'pin'), i >= 0 ? t('Unpin') : t('Compare'));
    if (i >= 0) this.setFigure(this.compare, this.samples[i]!, true);
  }

  private togglePin(): void {
    const next = this.pinned === null ? this.step : null;
    this.setPinned(next);
    this.callbacks.onPin(next);
  }

  play(): void {
    if (this.samples.length < 2) return;
    this.playButton.replaceChildren(icon('debug-pause'), t('Pause'));
    this.playButton.setAttribute('aria-label', t('Pause'));
    this.timer = setInterval(() => this.select((this.index + 1) % this.samples.length, true), 400);
  }

  pause(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.playButton.replaceChildren(icon('play'), t('Play'));
    this.playButton.setAttribute('aria-label', t('Play the samples in order'));
  }
}

/** The image's URI, or a placeholder (no source at all) while its preview is being made. */
function showImage(img: HTMLImageElement, ref: { uri: string; pending?: boolean }): void {
  img.classList.toggle('pending', !!ref.pending);
  if (ref.pending) img.removeAttribute('src');
  else if (img.getAttribute('src') !== ref.uri) img.src = ref.uri;
}
