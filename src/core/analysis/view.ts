// What every loss detector receives: one series' blocks and segments, plus its role in words.
import { t } from '../l10n';
import type { Blocks, Segments } from './blocks';

export type LossRole = 'discriminator' | 'generator';

export interface LossView {
  role: LossRole;
  blocks: Blocks;
  segments: Segments;
}

/** "D loss" / "G loss" as the messages name them. */
export function lossLabel(role: LossRole): string {
  return role === 'discriminator' ? t('The D loss') : t('The G loss');
}
