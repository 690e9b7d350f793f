// NumPy `.npz` archives of loss arrays: `np.savez('losses.npz', d_loss=d, g_loss=g)` (stored) or
// `np.savez_compressed` (deflated), one `<key>.npy` member per array, read as `.npy` files are and
// named by their keys. A dataset archive (`mnist.npz`: images and labels) is no run: an archive is
// opened when its name says losses, or when its first member is named like a loss or metric.
import { unzipSync } from 'fflate';
import { t } from '../l10n';
import type { RawSeries } from '../model';
import { fileBaseName } from '../paths';
import { CountingSteps, NpyError, readNpySeries } from './npy';
import { ReadFailure } from './errors';
import type { FileFormat } from './format';
import { isTrainingColumn } from './trainingNames';

const LOCAL_HEADER = 0x04034b50;

/** The name of the archive's first member, from its local header at the start of the file. */
function firstMemberName(head: Uint8Array): string | null {
  if (head.length < 30) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (view.getUint32(0, true) !== LOCAL_HEADER) return null;
  const nameLength = view.getUint16(26, true);
  if (30 + nameLength > head.length) return null;
  return new TextDecoder('utf-8').decode(head.subarray(30, 30 + nameLength));
}

function readNpz(bytes: Uint8Array, fileName: string, counting: CountingSteps): RawSeries[] {
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes, { filter: (f) => f.name.endsWith('.npy') });
  } catch (e) {
    throw new ReadFailure(t('{0}: not a readable .npz archive ({1})', fileName, e instanceof Error ? e.message : String(e)));
  }
  const series: RawSeries[] = [];
  let firstProblem: string | null = null;
  for (const [name, member] of Object.entries(members)) {
    try {
      // Named by its key (`d_loss.npy` → `d_loss`); a problem names the archive and the member.
      series.push(...readNpySeries(member, `${fileBaseName(fileName)}/${name}`, counting));
    } catch (e) {
      // An array that is no loss history (images beside the losses) is left out.
      if (!(e instanceof NpyError)) throw e;
      firstProblem ??= e.message;
    }
  }
  if (!series.length) throw new ReadFailure(firstProblem ?? t('{0}: no arrays in this .npz archive', fileName));
  return series;
}

export const npzFormat = {
  id: 'npz',
  label: () => t('NumPy .npz archives'),
  examples: ['losses.npz', 'train_history.npz', 'metrics.npz'],
  names: ['*loss*.npz', '*histor*.npz', '*metric*.npz'],
  maybeNames: ['*.npz'],
  sniff: (head) => {
    const first = firstMemberName(head);
    return first !== null && first.endsWith('.npy') && isTrainingColumn(first.slice(0, -4));
  },
  sniffBytes: 1024,
  read: (bytes, fileName, { counting }) => ({ series: readNpz(bytes, fileName, counting ?? new CountingSteps()) }),
  wake: ['**/*loss*.npz'],
} satisfies FileFormat;
