// Per-key logs (keyedLog.ts): BigGAN-PyTorch's `logs/<experiment>/G_loss.log`, `D_loss_real.log`…,
// one `<step>: <value>` line appended per logged iteration.
import { t } from '../l10n';
import type { FileFormat } from './format';
import { newKeyedLogReader, readKeyedLog, sniffKeyedLog } from './keyedLog';
import { TextLossReader } from './textReader';

export const keyedLogFormat = {
  id: 'keyed-log',
  label: () => t('per-key "step: value" logs'),
  examples: ['logs/BigGAN_C10_seed0/G_loss.log', 'D_loss_real.log'],
  names: [],
  maybeNames: ['*.log'],
  sniff: sniffKeyedLog,
  read: (bytes, fileName, { report }) => ({ series: readKeyedLog(bytes, fileName, report) }),
  incremental: (fileName) => new TextLossReader(newKeyedLogReader(fileName), fileName),
  stepUnit: () => 'iteration',
  wake: ['**/*_loss*.log'],
} satisfies FileFormat;
