// The first source of a formulation: what the run's own files state. gan-run.json's `lossType` and
// `dTerms`; junyanz's `gan_mode` in train_opt.txt / opt.txt; StyleGAN2-ADA's training_options.json
// (and its stats.jsonl); PGGAN / StyleGAN's config.txt; a W&B run's config.yaml when it names the loss.
// Read only when there, never required, never an error.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { t } from '../l10n';
import type { LossType, Penalty, RunConfig } from '../model';
import type { Clue } from './clue';

const MAX_BYTES = 256 * 1024;

async function readSmall(root: string, name: string): Promise<string | null> {
  try {
    const text = await readFile(path.join(root, name), 'utf8');
    return text.length > MAX_BYTES ? text.slice(0, MAX_BYTES) : text;
  } catch {
    return null;
  }
}

/** A loss named in words (`vanilla`, `lsgan`, `WGAN-GP`, `binary_crossentropy`…) → its family, or null. */
export function lossTypeOfWord(word: string): LossType | null {
  const w = word.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (/^(vanilla|bce|bcewithlogits|binarycrossentropy|crossentropy|nonsaturating|ns|logistic|gan|standard|dcgan|minimax|saturating)$/.test(w)) return 'bce';
  if (/^(lsgan|ls|mse|leastsquares?|l2)$/.test(w)) return 'lsgan';
  if (/^hinge/.test(w)) return 'hinge';
  if (/^(wgan|wgangp|wgandiv|wasserstein|wgangradientpenalty|wganlp|wgangpgp)/.test(w)) return 'wgan';
  return null;
}

/** junyanz pytorch-CycleGAN-and-pix2pix `--gan_mode` (vanilla | lsgan | wgangp, and forks' hinge / nonsaturating) → loss type. */
export function lossTypeOfGanMode(optText: string): LossType | null {
  const m = /^\s*gan_mode:\s*([A-Za-z_-]+)/m.exec(optText);
  return m ? lossTypeOfWord(m[1]!) : null;
}

/**
 * StyleGAN2-ADA / StyleGAN3 train with the non-saturating logistic loss (softplus), which is the
 * binary cross-entropy on logits; PGGAN's config names its loss functions (`D_wgangp_acgan`,
 * StyleGAN's `D_logistic_simplegp`).
 */
export function lossTypeOfStyleGanConfig(text: string): LossType | null {
  if (/wgan/i.test(text) && /D_loss|loss_kwargs|loss\./.test(text)) return 'wgan';
  if (/StyleGAN2Loss|StyleGAN3Loss|logistic/i.test(text)) return 'bce';
  if (/hinge/i.test(text) && /D_loss|loss/.test(text)) return 'hinge';
  return null;
}

/** The penalties a StyleGAN / PGGAN config names: R1 (`r1_gamma` > 0, `simplegp`, `_r1`), WGAN-GP's gradient penalty and PGGAN's epsilon drift. */
function styleGanPenalties(text: string, type: LossType): Penalty[] {
  const out: Penalty[] = [];
  if (type === 'wgan') out.push('gradient-penalty', 'drift');
  const gamma = /r1_gamma"?\s*[:=]\s*([0-9.eE+-]+)/.exec(text);
  if ((gamma && Number(gamma[1]) > 0) || /simplegp|_r1\b|D_logistic_r1/.test(text)) out.push('r1');
  return out;
}

// The keys a config names its loss under.
const LOSS_KEYS = [
  'gan_mode',
  'gan_loss',
  'gan_type',
  'adv_loss',
  'adversarial_loss',
  'loss_type',
  'lossType',
  'loss_mode',
  'loss',
  'criterion',
  'd_loss',
  'loss_fn',
];

/** A W&B `config.yaml` (`key:\n  desc: …\n  value: …`) or a plain YAML config: the loss it names, with the key. */
export function lossTypeOfYaml(text: string): { type: LossType; key: string; value: string } | null {
  const keys = new RegExp(`^(${LOSS_KEYS.join('|')})\\s*:[ \\t]*([^\\n#]*?)[ \\t]*(?:#[^\\n]*)?$`, 'gm');
  for (let m = keys.exec(text); m; m = keys.exec(text)) {
    let value = m[2]!.trim();
    if (!value) {
      // W&B: the value sits under the key, after an optional `desc:` line.
      const below = /^(?:[ \t]+desc:.*\n)?[ \t]+value:[ \t]*([^\n#]+)/m.exec(text.slice(m.index + m[0].length + 1));
      if (!below || below.index !== 0) continue;
      value = below[1]!.trim();
    }
    value = value.replace(/^['"]|['"]$/g, '');
    const type = lossTypeOfWord(value);
    if (type) return { type, key: m[1]!, value };
  }
  return null;
}

/**
 * The loss a run's recorded settings name (Run.settings: a W&B run's `wandb.config`, key → value),
 * at the top level or one level down (`training: {gan_mode: lsgan}`), with the key.
 */
export function lossTypeOfSettings(settings: Record<string, unknown>): { type: LossType; key: string; value: string } | null {
  const levels: [string, Record<string, unknown>][] = [['', settings]];
  for (const [key, value] of Object.entries(settings))
    if (value && typeof value === 'object' && !Array.isArray(value)) levels.push([`${key}.`, value as Record<string, unknown>]);
  for (const [prefix, level] of levels) {
    for (const key of LOSS_KEYS) {
      const value = level[key];
      const type = typeof value === 'string' ? lossTypeOfWord(value) : null;
      if (type) return { type, key: prefix + key, value: value as string };
    }
  }
  return null;
}

/**
 * What the run's own files state about its losses, or null. `settings`: what the run's format read
 * as its recorded settings (W&B's config.yaml); then its config.yaml is not read again here.
 */
export async function configFormulation(root: string, config: RunConfig, lossFiles: string[], settings?: Record<string, unknown>): Promise<Clue | null> {
  if (config.lossType || config.dTerms) {
    const said = [config.lossType ? `lossType ${config.lossType}` : '', config.dTerms ? `dTerms ${config.dTerms}` : ''].filter(Boolean).join(', ');
    return { ...(config.lossType ? { lossType: config.lossType } : {}), ...(config.dTerms ? { dTerms: config.dTerms } : {}), from: `gan-run.json: ${said}` };
  }
  for (const name of ['train_opt.txt', 'opt.txt']) {
    const text = await readSmall(root, name);
    const m = text === null ? null : /^\s*gan_mode:\s*([A-Za-z_-]+)/m.exec(text);
    const type = m ? lossTypeOfWord(m[1]!) : null;
    // junyanz and its forks average D's two terms: loss_D = (loss_D_real + loss_D_fake) * 0.5, with MSELoss for lsgan.
    if (type) return { lossType: type, dTerms: 'mean', ...(type === 'lsgan' ? { lsganScale: { d: 1, g: 1 } } : {}), from: `${name}: gan_mode ${m![1]}` };
  }
  const options = await readSmall(root, 'training_options.json');
  if (options !== null) {
    const type = lossTypeOfStyleGanConfig(options);
    // StyleGAN2-ADA's Loss/D/loss is softplus(D(fake)) + softplus(−D(real)): two terms summed.
    if (type)
      return {
        lossType: type,
        dTerms: 'sum',
        penalties: styleGanPenalties(options, type),
        from: `training_options.json: ${/StyleGAN3Loss/.test(options) ? 'StyleGAN3Loss' : /StyleGAN2Loss/.test(options) ? 'StyleGAN2Loss' : type}`,
      };
  }
  if (lossFiles.includes('stats.jsonl'))
    return { lossType: 'bce', dTerms: 'sum', penalties: ['r1'], from: t("stats.jsonl: StyleGAN2-ADA's logistic loss (softplus terms summed)") };
  const pggan = await readSmall(root, 'config.txt');
  if (pggan !== null && /^\s*[DG]_loss\s*=/m.test(pggan)) {
    const type = lossTypeOfStyleGanConfig(pggan);
    const func = /^\s*D_loss\s*=.*?['"](?:[\w.]+\.)?(D_\w+)['"]/m.exec(pggan)?.[1];
    if (type)
      return {
        lossType: type,
        ...(type === 'bce' ? { dTerms: 'sum' as const } : {}),
        penalties: styleGanPenalties(pggan, type),
        from: `config.txt: ${func ?? type}`,
      };
  }
  if (settings) {
    const named = lossTypeOfSettings(settings);
    return named ? { lossType: named.type, from: `config.yaml: ${named.key} ${named.value}` } : null;
  }
  for (const name of ['config.yaml', 'files/config.yaml']) {
    const text = await readSmall(root, name);
    const named = text === null ? null : lossTypeOfYaml(text);
    if (named) return { lossType: named.type, from: `${name}: ${named.key} ${named.value}` };
  }
  return null;
}
