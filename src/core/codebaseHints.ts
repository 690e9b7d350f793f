// What a training codebase states about its run in the files it writes beside the losses: the
// loss type (junyanz `gan_mode` in train_opt.txt / opt.txt, StyleGAN2-ADA's training_options.json,
// PGGAN / StyleGAN's config.txt). Read only when there, never required, never an error.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { LossType } from './model';

const MAX_BYTES = 256 * 1024;

async function readSmall(root: string, name: string): Promise<string | null> {
  try {
    const text = await readFile(path.join(root, name), 'utf8');
    return text.length > MAX_BYTES ? text.slice(0, MAX_BYTES) : text;
  } catch {
    return null;
  }
}

/** junyanz pytorch-CycleGAN-and-pix2pix `--gan_mode` (vanilla | lsgan | wgangp) → loss type. */
export function lossTypeOfGanMode(optText: string): LossType | null {
  const m = /^\s*gan_mode:\s*([A-Za-z]+)/m.exec(optText);
  if (!m) return null;
  const mode = m[1]!.toLowerCase();
  if (mode === 'vanilla') return 'bce';
  if (mode === 'lsgan') return 'lsgan';
  if (mode === 'wgangp' || mode === 'wgan') return 'wgan';
  if (mode === 'hinge') return 'hinge';
  return null;
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

/** The loss type the run's own option files state, or null. `lossFiles` are the run's loss files. */
export async function codebaseLossType(root: string, lossFiles: string[]): Promise<LossType | null> {
  for (const name of ['train_opt.txt', 'opt.txt']) {
    const text = await readSmall(root, name);
    const type = text === null ? null : lossTypeOfGanMode(text);
    if (type) return type;
  }
  const options = await readSmall(root, 'training_options.json');
  if (options !== null) {
    const type = lossTypeOfStyleGanConfig(options);
    if (type) return type;
  }
  // StyleGAN2-ADA writes stats.jsonl with `Loss/D/loss`; it always uses the logistic loss.
  if (lossFiles.includes('stats.jsonl')) return 'bce';
  const config = await readSmall(root, 'config.txt');
  if (config !== null && /^\s*[DG]_loss\s*=/m.test(config)) return lossTypeOfStyleGanConfig(config);
  return null;
}
