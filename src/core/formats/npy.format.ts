// NumPy `.npy` loss arrays (`np.save('d_losses.npy', …)`): read whole, np.save rewrites the file.
import { t } from '../l10n';
import { CountingSteps, NpyError, readNpySeries } from './npy';
import { ReadFailure } from './errors';
import type { FileFormat } from './format';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export const npyFormat = {
  id: 'npy',
  label: () => t('NumPy .npy arrays'),
  examples: ['result/discriminator_loss.npy', 'd_losses.npy', 'losses.npy'],
  names: ['*.npy'],
  sniff: (head) => MAGIC.every((b, i) => head[i] === b),
  read(bytes, fileName, { counting }) {
    try {
      return { series: readNpySeries(bytes, fileName, counting ?? new CountingSteps()) };
    } catch (e) {
      if (e instanceof NpyError) throw new ReadFailure(e.message);
      throw e;
    }
  },
  // Its parse is a zero-copy view of the bytes, so reading them whole is already the floor.
  whileReading(head, fileSize, { counting }) {
    counting?.prepare(head, fileSize);
  },
  wake: ['**/*.npy'],
} satisfies FileFormat;
