// Which series is the discriminator and which the generator, guessed from names people really use.
// Names are matched by whole tokens so a `d` inside `seed` or `gradient_d` never counts.
import type { Better, RawSeries, Role, Series } from './model';
import { fileBaseName } from './paths';

export const D_TOKENS: ReadonlySet<string> = new Set(['d', 'dis', 'disc', 'discr', 'discriminator', 'discriminators', 'critic', 'netd', 'dnet', 'dloss', 'dlosses', 'errd', 'lossd', 'dcost', 'costd']);
export const G_TOKENS: ReadonlySet<string> = new Set(['g', 'gen', 'generator', 'generators', 'netg', 'gnet', 'gloss', 'glosses', 'errg', 'lossg', 'gcost', 'costg']);
// Tokens that say "this is a loss" (or fused forms that carry it themselves).
const LOSS_TOKENS: ReadonlySet<string> = new Set(['loss', 'losses', 'cost', 'costs', 'err', 'error', 'dloss', 'dlosses', 'gloss', 'glosses', 'errd', 'errg', 'lossd', 'lossg', 'dcost', 'gcost', 'costd', 'costg']);
// Quantities logged next to losses that are not losses: never a D or G role.
const NOT_LOSS_TOKENS: ReadonlySet<string> = new Set([
  'acc', 'accuracy', 'seed', 'seeds', 'lr', 'learning', 'grad', 'grads', 'gradient', 'gradients', 'norm',
  'gp', 'penalty', 'score', 'fid', 'kid', 'prob', 'probs', 'probability', 'output', 'outputs', 'pred', 'weight', 'weights', 'noise', 'latent', 'img', 'image', 'images',
  // Bookkeeping that training codebases log beside the losses (StyleGAN's `Loss/D/loss/num`,
  // PGGAN's `TrainD/overflow_frequency`, `Timing/*`, `Resources/*`, `Progress/*`, `num_gpus`).
  'num', 'count', 'std', 'stddev', 'var', 'overflow', 'frequency', 'freq', 'progress', 'timing', 'time', 'sec', 'resources', 'mem',
  'kimg', 'tick', 'lod', 'minibatch', 'augment', 'gpus', 'rate', 'lrate', 'scores', 'signs', 'metric', 'metrics',
  // The non-adversarial terms of a multi-term loss: reconstruction, cycle, identity, regularisers.
  'reg', 'l1', 'l2', 'cycle', 'cyc', 'idt', 'identity', 'rec', 'recon', 'reconstruction', 'pixel', 'vgg', 'perceptual', 'feat', 'fm', 'tv', 'kl', 'pl',
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
  if (!d && !g && tokens.length === 2 && (tokens[0] === 'a' || tokens[0] === 'adv' || tokens[0] === 'adversarial') && tokens[1] === 'loss' && /^[Aa](dv(ersarial)?)?[ _]?loss$/.test(name)) return 'generator';
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
  const extra = tokens.filter((tok) => !LOSS_TOKENS.has(tok) && !D_TOKENS.has(tok) && !G_TOKENS.has(tok) && !ADVERSARIAL_TOKENS.has(tok) && pairOf(name) !== tok.toUpperCase());
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
function baseName(file: string): string {
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

function clarityOf(s: Series): number {
  // A combined array's columns are named by convention, not by name: clear, but less than `d_loss`.
  return Math.max(roleClarity(s.name), roleClarity(baseName(s.source))) || 2;
}

/**
 * What tells apart several GANs trained together: CycleGAN's letter (`D_A`, `G_B`) or an index
 * (COSCI-GAN's `Generator_loss_0`…`_2`, a second generator's `G_2_GAN`, `loss_G2`); null for none.
 */
export function pairKeyOf(name: string): string | null {
  const letter = pairOf(name);
  if (letter) return letter;
  if (roleOf(name) === 'other') return null;
  const m = /(?:^|[^A-Za-z0-9])(\d{1,2})(?=$|[^A-Za-z0-9])/.exec(name) ?? /(?:^|[^A-Za-z0-9])(?:[DG]|gen|dis|netG|netD)(\d{1,2})(?=$|[^A-Za-z0-9])/i.exec(name);
  return m ? m[1]! : null;
}

/**
 * Keeps one discriminator and one generator per GAN of the run: the clearest name wins (see
 * `roleClarity`), then the generator from the same file as the discriminator, then the longer
 * series, then the file path and column in order. The others become `other` so analysis compares
 * one pair. Several GANs trained together (CycleGAN's A and B, COSCI-GAN's 0, 1, 2, a second
 * generator `G_2_GAN` against the run's D) keep one D and one G per key, each series marked with its
 * `pair`. A discriminator logged in halves gets its whole added first (see `withDiscriminatorHalves`).
 */
export function pickMainPair(all: Series[]): Series[] {
  const series = withDiscriminatorHalves(all);
  const rank = (candidates: Series[], preferSource?: string) =>
    [...candidates].sort(
      (a, b) =>
        clarityOf(b) - clarityOf(a) ||
        Number(b.source === preferSource) - Number(a.source === preferSource) ||
        b.values.length - a.values.length ||
        (a.source < b.source ? -1 : a.source > b.source ? 1 : 0) ||
        (a.column ?? -1) - (b.column ?? -1),
    )[0];
  // Groups a reader found (processes writing one log): one D and one G in each.
  const given = [...new Set(series.filter((s) => s.pair !== undefined && (s.role === 'discriminator' || s.role === 'generator')).map((s) => s.pair!))];
  if (given.length > 1) {
    const chosen = new Set<Series>();
    for (const pair of given) {
      const d = rank(series.filter((s) => s.pair === pair && s.role === 'discriminator'));
      if (d) chosen.add(d);
      const g = rank(series.filter((s) => s.pair === pair && s.role === 'generator'), d?.source);
      if (g) chosen.add(g);
    }
    return series.map((s) => ((s.role === 'discriminator' || s.role === 'generator') && !chosen.has(s) ? { ...s, role: 'other' } : s));
  }
  const gans = severalGans(series, rank);
  if (gans) return series.map((s) => (s.role === 'other' || s.role === 'metric' ? s : gans.has(s) ? withPair(s, gans.get(s)!) : { ...s, role: 'other' }));
  const d = rank(series.filter((s) => s.role === 'discriminator'));
  const g = rank(series.filter((s) => s.role === 'generator'), d?.source);
  return series.map((s) => ((s.role === 'discriminator' || s.role === 'generator') && s !== d && s !== g ? { ...s, role: 'other' } : s));
}

function withPair(s: Series, key: string | null): Series {
  if (key !== null) return { ...s, pair: key };
  if (s.pair === undefined) return s;
  const copy = { ...s };
  delete copy.pair;
  return copy;
}

/**
 * Several GANs trained together: the chosen D and G series with their key (null: the run's own,
 * unmarked pair, e.g. the D a second generator plays against), or null when the run has one GAN.
 * Several GANs are there when the clearest candidates of a role carry at least two keys, one of
 * them a real key. A discriminator of its own without a key (COSCI-GAN's central D) is kept too.
 */
function severalGans(series: Series[], rank: (candidates: Series[], preferSource?: string) => Series | undefined): Map<Series, string | null> | null {
  const chosen = new Map<Series, string | null>();
  let several = false;
  for (const role of ['discriminator', 'generator'] as const) {
    const candidates = series.filter((s) => s.role === role);
    const best = Math.max(0, ...candidates.map(clarityOf));
    const top = candidates.filter((s) => clarityOf(s) === best);
    const keys = [...new Set(top.map((s) => pairKeyOf(s.name)))];
    if (keys.length >= 2 && keys.some((k) => k !== null)) several = true;
    for (const key of keys) {
      const pick = rank(top.filter((s) => pairKeyOf(s.name) === key));
      if (pick) chosen.set(pick, key);
    }
    // A whole D loss of its own beside keyed ones (`Central_Discriminator_loss`), never a half.
    if (role === 'discriminator' && !keys.includes(null)) {
      const own = rank(candidates.filter((s) => pairKeyOf(s.name) === null && !HALF.test(s.name) && roleClarity(s.name) >= 2));
      if (own) chosen.set(own, null);
    }
  }
  return several ? chosen : null;
}

const HALF = /(^|[^A-Za-z0-9])(real|fake)([^A-Za-z0-9]|$)/i;

/**
 * A discriminator logged as two halves (`D_real`, `D_fake` in pix2pix) is judged as one loss: their
 * mean, as the codebase trains it (`loss_D = (loss_D_real + loss_D_fake) * 0.5`). Added when a file
 * holds both halves on the same steps and no whole D loss; the halves stay, as `other`.
 */
export function withDiscriminatorHalves(series: Series[]): Series[] {
  const out: Series[] = [];
  for (const real of series) {
    if (real.role !== 'discriminator' || !/real/i.test(real.name)) continue;
    const m = HALF.exec(real.name);
    if (!m || m[2]!.toLowerCase() !== 'real') continue;
    // `D_real` goes with `D_fake` (pix2pix), `D_Fake` (SPADE) or `D_FAKE`.
    const fakeName = real.name.replace(HALF, (_all, a: string, _w: string, b: string) => `${a}fake${b}`).toLowerCase();
    const fake = series.find((s) => s.source === real.source && s.name.toLowerCase() === fakeName && s.role === 'discriminator');
    if (!fake || !sameSteps(real.steps, fake.steps)) continue;
    const whole = series.some((s) => s.role === 'discriminator' && s.source === real.source && !HALF.test(s.name));
    if (whole) continue;
    const values = new Float64Array(real.values.length);
    for (let i = 0; i < values.length; i++) values[i] = (real.values[i]! + fake.values[i]!) / 2;
    const name = `(${real.name} + ${fake.name}) / 2`;
    out.push({ name, role: 'discriminator', source: real.source, column: null, steps: real.steps, values, ...(real.pair ? { pair: real.pair } : {}) });
  }
  if (!out.length) return series;
  const halves = new Set(out.flatMap((c) => series.filter((s) => s.source === c.source && s.role === 'discriminator' && HALF.test(s.name))));
  return [...series.map((s) => (halves.has(s) ? { ...s, role: 'other' as Role } : s)), ...out];
}

function sameSteps(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
