// Which series is the discriminator and which the generator, guessed from names people really use.
// Names are matched by whole tokens so a `d` inside `seed` or `gradient_d` never counts.
import type { RawSeries, Role, Series } from './model';

export const D_TOKENS: ReadonlySet<string> = new Set(['d', 'dis', 'disc', 'discr', 'discriminator', 'discriminators', 'critic', 'netd', 'dnet', 'dloss', 'dlosses', 'errd', 'lossd', 'dcost', 'costd']);
export const G_TOKENS: ReadonlySet<string> = new Set(['g', 'gen', 'generator', 'generators', 'netg', 'gnet', 'gloss', 'glosses', 'errg', 'lossg', 'gcost', 'costg']);
// Tokens that say "this is a loss" (or fused forms that carry it themselves).
const LOSS_TOKENS: ReadonlySet<string> = new Set(['loss', 'losses', 'cost', 'costs', 'err', 'error', 'dloss', 'dlosses', 'gloss', 'glosses', 'errd', 'errg', 'lossd', 'lossg', 'dcost', 'gcost', 'costd', 'costg']);
// Quantities logged next to losses that are not losses: never a D or G role.
const NOT_LOSS_TOKENS: ReadonlySet<string> = new Set([
  'acc', 'accuracy', 'seed', 'seeds', 'lr', 'learning', 'grad', 'grads', 'gradient', 'gradients', 'norm',
  'gp', 'penalty', 'score', 'fid', 'kid', 'prob', 'probs', 'probability', 'output', 'outputs', 'pred', 'weight', 'weights', 'noise', 'latent', 'img', 'image', 'images',
]);

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

/** The role a name suggests on its own; `other` unless it clearly names one network's loss. */
export function roleOf(name: string): Role {
  // `D(x)`, `D(G(z))` are the discriminator's outputs (probabilities), not losses.
  if (/\(/.test(name)) return 'other';
  const tokens = nameTokens(name);
  if (tokens.some((tok) => NOT_LOSS_TOKENS.has(tok))) return 'other';
  const d = tokens.some((tok) => D_TOKENS.has(tok));
  const g = tokens.some((tok) => G_TOKENS.has(tok));
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
  const extra = tokens.filter((tok) => !LOSS_TOKENS.has(tok) && !D_TOKENS.has(tok) && !G_TOKENS.has(tok));
  if (hasLoss && extra.length === 0) return 3;
  return hasLoss ? 2 : 1;
}

function baseName(file: string): string {
  const slash = file.lastIndexOf('/');
  return file.slice(slash + 1).replace(/\.[^.]+$/, '');
}

// `losses`, `loss_history`, `losses_cgan`: one array holding both losses, columns in the tutorial order (d, g).
function isCombinedLossName(base: string): boolean {
  const tokens = nameTokens(base);
  if (!tokens.some((tok) => tok === 'loss' || tok === 'losses')) return false;
  return !tokens.some((tok) => NOT_LOSS_TOKENS.has(tok) || ['value', 'values', 'test', 'val', 'valid', 'validation', 'train', 'training'].includes(tok));
}

function withRole(raw: RawSeries, source: string, role: Role): Series {
  return { name: raw.name, role, source, column: raw.column, steps: raw.steps, values: raw.values };
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
 * Keeps one discriminator and one generator per run: the clearest name wins (see `roleClarity`),
 * then the generator from the same file as the discriminator, then the longer series, then the
 * file path and column in order. The others become `other` so analysis compares one pair.
 */
export function pickMainPair(series: Series[]): Series[] {
  const rank = (role: Role, preferSource?: string) => {
    const candidates = series.filter((s) => s.role === role);
    candidates.sort(
      (a, b) =>
        clarityOf(b) - clarityOf(a) ||
        Number(b.source === preferSource) - Number(a.source === preferSource) ||
        b.values.length - a.values.length ||
        (a.source < b.source ? -1 : a.source > b.source ? 1 : 0) ||
        (a.column ?? -1) - (b.column ?? -1),
    );
    return candidates[0];
  };
  const d = rank('discriminator');
  const g = rank('generator', d?.source);
  return series.map((s) => (s.role !== 'other' && s !== d && s !== g ? { ...s, role: 'other' } : s));
}
