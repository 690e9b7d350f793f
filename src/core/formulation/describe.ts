// A formulation in the user's words, the same in the CLI, the Markdown report, the GAN Runs tooltip,
// the hover and the inspector: "BCE, D summed (real + fake), chance D ≈ 1.386, G ≈ 0.693".
import { t } from '../l10n';
import type { Formulation, Penalty } from '../model';
import { formatValue } from '../analysis/format';
import { referenceOf } from './reference';

const NAMES: Record<Formulation['lossType'], string> = { bce: 'BCE', lsgan: 'LSGAN', hinge: 'hinge', wgan: 'WGAN', unknown: '' };

function penaltyWord(p: Penalty): string {
  return p === 'gradient-penalty' ? t('gradient penalty') : p === 'r1' ? t('R1 penalty') : t('drift penalty');
}

/** "BCE, D summed (real + fake)", "LSGAN (0.5·MSE terms), D averaged", "WGAN, gradient penalty", "unknown". */
export function formulationLabel(f: Formulation): string {
  if (f.lossType === 'unknown') return t('unknown');
  const parts: string[] = [];
  let name = NAMES[f.lossType];
  if (f.lossType === 'lsgan' && f.lsganScale && f.lsganScale.d !== 1) name = t('{0} ({1}·MSE terms)', name, String(f.lsganScale.d));
  parts.push(name);
  if (f.lossType !== 'wgan') {
    if (f.dTerms === 'sum') parts.push(t('D summed (real + fake)'));
    else if (f.dTerms === 'mean') parts.push(t('D averaged ((real + fake) / 2)'));
    else parts.push(t('D sum or mean not known'));
  }
  for (const p of f.penalties) parts.push(penaltyWord(p));
  if (f.gOtherTerms) parts.push(t('G holds other terms'));
  return parts.join(', ');
}

/** The reference values in words: "chance D ≈ 1.386, G ≈ 0.693" or "no chance level: only sign, scale and trend are judged". */
export function referenceLabel(f: Formulation): string {
  const ref = referenceOf(f);
  if (!ref.dChances.length)
    return f.lossType === 'unknown'
      ? t('no reference: only NaN/Inf, trends, samples and metrics are judged')
      : t('no chance level: only sign, scale and trend are judged');
  const d = ref.dChances.map(formatValue).join(t(' or '));
  return ref.gChance === null ? t('chance D ≈ {0}', d) : t('chance D ≈ {0}, G ≈ {1}', d, formatValue(ref.gChance));
}

/** One line: "BCE, D summed (real + fake) — chance D ≈ 1.386, G ≈ 0.693 — from model.py: d_loss = …". */
export function describeFormulation(f: Formulation): string {
  return t('{0} — {1} — from {2}', formulationLabel(f), referenceLabel(f), f.from);
}
