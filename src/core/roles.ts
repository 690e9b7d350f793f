// Which series is the discriminator and which the generator, guessed from names people really use.
// Names are matched by whole tokens so a `d` inside `seed` or `gradient_d` never counts.
import type { Better, RawSeries, Role, Series } from './model';
import { fileBaseName } from './paths';

/**
 * The non-adversarial terms of a multi-term loss (reconstruction, cycle, identity, regularisers):
 * never the D or G loss itself (roleOf), and a network's other losses in the series groups.
 */
export const LOSS_TERM_TOKENS: readonly string[] = [
  'reg',
  'l1',
  'l2',
  'cycle',
  'cyc',
  'idt',
  'identity',
  'rec',
  'recon',
  'reconstruction',
  'vgg',
  'perceptual',
  'feat',
  'fm',
  'tv',
  'kl',
  'pl',
];

export const D_TOKENS: ReadonlySet<string> = new Set([
  'd',
  'dis',
  'disc',
  'discr',
  'discriminator',
  'discriminators',
  'critic',
  // fastai's GANLearner: `crit_loss` beside `gen_loss`.
  'crit',
  'netd',
  'dnet',
  'dloss',
  'dlosses',
  'errd',
  'lossd',
  'dcost',
  'costd',
]);
export const G_TOKENS: ReadonlySet<string> = new Set([
  'g',
  'gen',
  'generator',
  'generators',
  'netg',
  'gnet',
  'gloss',
  'glosses',
  'errg',
  'lossg',
  'gcost',
  'costg',
]);
// Tokens that say "this is a loss" (or fused forms that carry it themselves).
const LOSS_TOKENS: ReadonlySet<string> = new Set([
  'loss',
  'losses',
  'cost',
  'costs',
  'err',
  'error',
  'dloss',
  'dlosses',
  'gloss',
  'glosses',
  'errd',
  'errg',
  'lossd',
  'lossg',
  'dcost',
  'gcost',
  'costd',
  'costg',
]);
// Quantities logged next to losses that are not losses: never a D or G role.
const NOT_LOSS_TOKENS: ReadonlySet<string> = new Set([
  'acc',
  'accuracy',
  'seed',
  'seeds',
  'lr',
  'learning',
  'grad',
  'grads',
  'gradient',
  'gradients',
  'norm',
  'gp',
  'penalty',
  'score',
  'fid',
  'kid',
  'prob',
  'probs',
  'probability',
  'output',
  'outputs',
  'pred',
  'weight',
  'weights',
  'noise',
  'latent',
  'img',
  'image',
  'images',
  // Bookkeeping that training codebases log beside the losses (StyleGAN's `Loss/D/loss/num`,
  // PGGAN's `TrainD/overflow_frequency`, `Timing/*`, `Resources/*`, `Progress/*`, `num_gpus`).
  'num',
  'count',
  'std',
  'stddev',
  'var',
  'overflow',
  'frequency',
  'freq',
  'progress',
  'timing',
  'time',
  'sec',
  'resources',
  'mem',
  'kimg',
  'tick',
  'lod',
  'minibatch',
  'augment',
  'gpus',
  'rate',
  'lrate',
  'scores',
  'signs',
  'metric',
  'metrics',
  // The non-adversarial terms of a multi-term loss, and a pixel loss.
  ...LOSS_TERM_TOKENS,
  'pixel',
]);
// Words that mark the adversarial term of a multi-term generator loss (`G_GAN`, `[G loss: …, adv: …]`).
const ADVERSARIAL_TOKENS: ReadonlySet<string> = new Set(['gan', 'adv', 'adversarial']);

/** Splits a series or file name into lower-case tokens on `_ / - . [ ]`, spaces and camelCase boundaries. */
export function nameTokens(name: string): string[] {
  return name
    .replace(/\.(npy|npz|csv|jsonl?|log|txt)$/i, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((s) => s.length > 0 && !/^\d+$/.test(s))
    .map((s) => s.toLowerCase());
}

const LOWER_IS_BETTER = /(^|[^a-z0-9])(fid|kid|ppl)(\d|[^a-z]|$)/i;
const HIGHER_IS_BETTER = /(^|[^a-z0-9])(is\d+k|inception[_ -]?score|precision|recall|eq[tr]\d+k|ssim|ms[_-]?ssim|psnr)|(^|\/)is(_mean)?$/i;
const NOT_A_METRIC_VALUE = /(^|[^a-z])(std|num|time|sec|count)([^a-z]|$)/i;

/**
 * Which way is better when the name is a quality metric of generated images (FID, KID, PPL: lower;
 * IS, precision, recall, StyleGAN3's equivariance PSNR: higher), else null. StyleGAN names them
 * `fid50k_full`, `kid50k_full`, `is50k_mean`, `pr50k3_full_precision`, `ppl2_wend`, `eqt50k_int`.
 */
export function metricDirection(name: string): Better | null {
  if (NOT_A_METRIC_VALUE.test(name)) return null;
  if (LOWER_IS_BETTER.test(name)) return 'lower';
  if (HIGHER_IS_BETTER.test(name)) return 'higher';
  return null;
}

/** The role a name suggests on its own; `other` unless it clearly names one network's loss. */
export function roleOf(name: string): Role {
  // `D(x)`, `D(G(z))` are the discriminator's outputs (probabilities), not losses.
  if (/\(/.test(name)) return 'other';
  const tokens = nameTokens(name);
  if (tokens.some((tok) => NOT_LOSS_TOKENS.has(tok))) return 'other';
  const d = tokens.some((tok) => D_TOKENS.has(tok));
  const g = tokens.some((tok) => G_TOKENS.has(tok));
  // SPADE / GauGAN (`GAN: … GAN_Feat: … VGG: … D_Fake: … D_real: …`): a bare `GAN` is the
  // generator's adversarial loss.
  if (!d && !g && tokens.length === 1 && tokens[0] === 'gan') return 'generator';
  // Keras DCGAN recipes train the generator through an "adversarial model": its `A loss` is G's.
  if (
    !d &&
    !g &&
    tokens.length === 2 &&
    (tokens[0] === 'a' || tokens[0] === 'adv' || tokens[0] === 'adversarial') &&
    tokens[1] === 'loss' &&
    /^[Aa](dv(ersarial)?)?[ _]?loss$/.test(name)
  )
    return 'generator';
  if (d === g) return 'other';
  return d ? 'discriminator' : 'generator';
}

/**
 * How clearly a name states its role, to choose between several candidates:
 * 3 = role + loss and nothing else (`d_loss`, `errD`, `loss/discriminator`), 2 = with extra words
 * (`d_loss_real`), 1 = role word only (`D`, `discriminator`), 0 = not a candidate.
 */
export function roleClarity(name: string): number {
  if (roleOf(name) === 'other') return 0;
  const tokens = nameTokens(name);
  const hasLoss = tokens.some((tok) => LOSS_TOKENS.has(tok));
  const extra = tokens.filter(
    (tok) => !LOSS_TOKENS.has(tok) && !D_TOKENS.has(tok) && !G_TOKENS.has(tok) && !ADVERSARIAL_TOKENS.has(tok) && pairOf(name) !== tok.toUpperCase(),
  );
  // `G_GAN` (pix2pix) and `G loss/adv` name the adversarial term itself: it beats a total `G loss`.
  if (tokens.some((tok) => ADVERSARIAL_TOKENS.has(tok)) && extra.length === 0) return 4;
  if (hasLoss && extra.length === 0) return 3;
  return hasLoss ? 2 : 1;
}

/**
 * Which of two GANs trained together a name belongs to: `D_A`, `G_B`, `loss_G_A` → 'A' / 'B'
 * (CycleGAN: G_A and D_A form one GAN, G_B and D_B the other); null for a single GAN.
 */
export function pairOf(name: string): string | null {
  if (roleOf(name) === 'other') return null;
  const m = /(?:^|[^A-Za-z0-9])(?:[DG]|dis|gen|netD|netG|loss_[DG])[_/ -]?([AB])(?:$|[^A-Za-z0-9])/.exec(name) ?? /^(?:loss_)?[DG]_?([AB])$/.exec(name);
  return m ? m[1]! : null;
}

/** A file's name without folders and extension: the name its series are known by. */
export function baseName(file: string): string {
  return fileBaseName(file).replace(/\.[^.]+$/, '');
}

// `losses`, `loss_history`, `losses_cgan`: one array holding both losses, columns in the tutorial order (d, g).
function isCombinedLossName(base: string): boolean {
  const tokens = nameTokens(base);
  if (!tokens.some((tok) => tok === 'loss' || tok === 'losses')) return false;
  return !tokens.some((tok) => NOT_LOSS_TOKENS.has(tok) || ['value', 'values', 'test', 'val', 'valid', 'validation', 'train', 'training'].includes(tok));
}

function withRole(raw: RawSeries, source: string, role: Role): Series {
  const series: Series = { name: raw.name, role, source, column: raw.column, steps: raw.steps, values: raw.values };
  if (raw.stepsPerEpoch !== undefined) series.stepsPerEpoch = raw.stepsPerEpoch;
  if (raw.pair !== undefined) series.pair = raw.pair;
  return series;
}

/**
 * Roles for the series of one file. `.npy` arrays carry no column names, so the file name decides:
 * a 1-D array takes the file's role; in a 2-D array only the first value column does (the rest, like
 * accuracy, are `other`); a combined `losses.npy` with two value columns is (d, g). Table formats
 * (CSV, JSON lines, TensorBoard) name each series, so each name decides. A single value is never a
 * loss history.
 */
export function assignRoles(source: string, raw: RawSeries[]): Series[] {
  const isNpy = /\.npy$/i.test(source);
  const base = baseName(source);
  const fileRole = roleOf(base);
  const byColumn = [...raw].sort((a, b) => (a.column ?? -1) - (b.column ?? -1));
  const first = byColumn[0];
  return raw.map((s) => {
    const better = metricDirection(s.name);
    if (better) return { ...withRole(s, source, 'metric'), better };
    if (s.values.length < 2) return withRole(s, source, 'other');
    if (!isNpy) {
      const own = roleOf(s.name);
      if (own !== 'other') return withRole(s, source, own);
      // A one-series table inside `d_loss.csv` still is the D loss.
      return withRole(s, source, raw.length === 1 ? fileRole : 'other');
    }
    if (raw.length === 1) return withRole(s, source, fileRole);
    if (fileRole !== 'other') return withRole(s, source, s === first ? fileRole : 'other');
    if (raw.length === 2 && isCombinedLossName(base)) {
      return withRole(s, source, s === first ? 'discriminator' : 'generator');
    }
    return withRole(s, source, 'other');
  });
}
