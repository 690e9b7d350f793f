// junyanz pytorch-CycleGAN-and-pix2pix `loss_log.txt` (and its forks), appended to at every print.
import { t } from '../l10n';
import { newJunyanzReader, readJunyanzLossLog } from './junyanz';
import type { FileFormat } from './format';
import { looksLikeText, TextLossReader } from './textReader';

export const junyanzFormat = {
  id: 'junyanz',
  label: () => t('CycleGAN / pix2pix loss_log.txt'),
  examples: ['checkpoints/horse2zebra/loss_log.txt', 'loss_log.txt'],
  names: ['loss_log.txt'],
  // Its reader reads junyanz lines and, in a file so named without any, printed losses: any text is its own.
  sniff: looksLikeText,
  read: (bytes, fileName, { report }) => ({ series: readJunyanzLossLog(bytes, fileName, report) }),
  incremental: (fileName) => new TextLossReader(newJunyanzReader(fileName), fileName),
  stepUnit: () => 'epoch',
  wake: ['**/loss_log.txt'],
} satisfies FileFormat;
