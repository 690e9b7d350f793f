// Jupyter notebooks that trained a GAN: a notebook is a run of its own, its losses the lines its
// cells printed (read cell by cell with the printed-log reader) and its inline images samples on
// the steps printed around them (notebook/read.ts). Only a notebook whose outputs print losses is a
// run: a folder of tutorials is not a list of runs.
import { t } from '../l10n';
import type { FileFormat } from './format';
import { notebookFacts } from '../notebook/locate';
import { readNotebook } from '../notebook/read';

/** Notebooks larger than this are not opened by discovery (inspecting one by hand still reads it). */
const MAX_SNIFF_BYTES = 256 * 1024 * 1024;

export const notebookFormat = {
  id: 'notebook',
  label: () => t('Jupyter notebooks that printed losses'),
  examples: ['GAN.ipynb', 'notebooks/DCGAN_MNIST.ipynb'],
  names: [],
  // Only the outputs tell: a notebook that printed no losses is none of a run's.
  maybeNames: ['*.ipynb'],
  // Loss lines may follow megabytes of images: the whole notebook is looked at (a cut one is no JSON),
  // once for both questions: is it a run, and which images beside it its code writes.
  sniff: (head) => {
    const facts = notebookFacts(head);
    if (!facts?.isRun) return false;
    const { writes } = facts;
    return { owns: writes.length ? (rel: string) => writes.some((w) => w.test(rel)) : null };
  },
  sniffBytes: MAX_SNIFF_BYTES,
  read: (bytes, fileName, { report }) => readNotebook(bytes, fileName, report),
  // A notebook is saved whole every time: there is no appended part to read alone.
  // Printed loss lines count iterations (or epochs, as the printed-log reader tells).
  stepUnit: () => 'iteration',
  isRun: true,
  // Not every notebook (a data-analysis project has them): one named for a GAN, as people name them.
  wake: ['**/*gan*.ipynb', '**/*GAN*.ipynb'],
} satisfies FileFormat;
