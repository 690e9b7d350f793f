// Series → groups, by what they are: a real codebase logs far more than D and G (penalties, scores,
// metrics, timings, memory, augmentation…). The D/G adversarial losses are shown by default; the
// rest is grouped and off until asked for. Groups follow the names' own prefixes (`Loss/`,
// `Timing/`, `Resources/`, `Progress/`, `Metrics/`) where they exist and the roles otherwise; two
// GANs in one run (CycleGAN's `_A` and `_B`) are two groups. Pure: the inspector (panel and report),
// the runs tree and the data table all call this one function.
import { t } from './l10n';
import { metricBest } from './analysis/metrics';
import type { Role, Series } from './model';
import { D_TOKENS, G_TOKENS, LOSS_TERM_TOKENS, nameTokens, roleOf } from './roles';

/** What a series is; decides its group's place, whether it is shown at first and its chart axis. */
export type SeriesKind = 'adversarial' | 'losses' | 'metrics' | 'bookkeeping' | 'other';

export interface SeriesGroup {
  /** Stable within a run (kept in the inspector's state): `adversarial`, `gan:A`, `prefix:timing`… */
  key: string;
  label: string;
  kind: SeriesKind;
  /** 0 for the first (or only) GAN of the run, 1 for the second…: picks the group's colours. */
  ganIndex: number;
  /** Indices into the series given, in their order. */
  members: number[];
}

export interface SeriesPlace {
  group: string;
  kind: SeriesKind;
  /** The network a series' name points to (D_B is the discriminator of GAN B even when not the analysed pair). */
  network: Role;
  ganIndex: number;
  shownByDefault: boolean;
}

export interface Grouping {
  groups: SeriesGroup[];
  /** One per series given, same order. */
  places: SeriesPlace[];
}

const KIND_ORDER: readonly SeriesKind[] = ['adversarial', 'losses', 'metrics', 'bookkeeping', 'other'];

// Other loss terms of a network: penalties, regularisers, reconstruction terms, critic scores.
const TERM_TOKENS: ReadonlySet<string> = new Set([
  ...LOSS_TERM_TOKENS,
  'regularization',
  'regularisation',
  'regularizer',
  'regulariser',
  'penalty',
  'gp',
  'r1',
  'r2',
  'epsilon',
  'feature',
  'style',
  'content',
  'aux',
  'cls',
  'mse',
  'mae',
  'consistency',
  'score',
  'scores',
  'sign',
  'signs',
  'norms',
]);
const METRIC_TOKENS: ReadonlySet<string> = new Set([
  'is',
  'inception',
  'precision',
  'recall',
  'acc',
  'accuracy',
  'measure',
  'metric',
  'metrics',
  'results',
  'eval',
]);
const METRIC_PREFIXES: readonly string[] = ['fid', 'kid', 'psnr', 'ssim', 'lpips', 'ppl', 'msssim'];
// Bookkeeping: timings, resources, counters, progress, learning rates, augmentation.
const BOOKKEEPING_TOKENS: ReadonlySet<string> = new Set([
  'lr',
  'learning',
  'rate',
  'time',
  'timing',
  'sec',
  'secs',
  'second',
  'seconds',
  'minutes',
  'hours',
  'days',
  'mem',
  'memory',
  'gpu',
  'gpus',
  'cpu',
  'ram',
  'epoch',
  'epochs',
  'iter',
  'iters',
  'iteration',
  'iterations',
  'step',
  'steps',
  'kimg',
  'tick',
  'batch',
  'minibatch',
  'lod',
  'augment',
  'aug',
  'ada',
  'num',
  'count',
  'overflow',
  'frequency',
  'seed',
  'data',
  'momentum',
  'kt',
  'grad',
  'grads',
  'gradient',
  'norm',
  'progress',
  'resources',
  'maintenance',
  'wall',
  'throughput',
]);
const PREFIX_KINDS: Readonly<Record<string, SeriesKind>> = {
  loss: 'losses',
  losses: 'losses',
  metrics: 'metrics',
  metric: 'metrics',
  eval: 'metrics',
  evaluation: 'metrics',
  results: 'metrics',
  result: 'metrics',
  timing: 'bookkeeping',
  time: 'bookkeeping',
  resources: 'bookkeeping',
  resource: 'bookkeeping',
  progress: 'bookkeeping',
  system: 'bookkeeping',
  perf: 'bookkeeping',
  memory: 'bookkeeping',
  lr: 'bookkeeping',
  optim: 'bookkeeping',
  optimizer: 'bookkeeping',
  augment: 'bookkeeping',
};

/** The kind a name says on its own (without a prefix's help). */
function kindOfName(name: string): SeriesKind {
  if (/\(/.test(name)) return 'losses'; // D(x), D(G(z)): the discriminator's outputs, read like scores.
  const tokens = nameTokens(name);
  const last = name.split('/').pop() ?? '';
  if (/^(num|count)$/i.test(last)) return 'bookkeeping'; // StyleGAN's per-tick sample counts.
  if (tokens.some((tok) => TERM_TOKENS.has(tok))) return 'losses';
  if (tokens.some((tok) => METRIC_TOKENS.has(tok) || METRIC_PREFIXES.some((p) => tok.startsWith(p)))) return 'metrics';
  if (tokens.some((tok) => BOOKKEEPING_TOKENS.has(tok))) return 'bookkeeping';
  // Another column of a D or G array (`D_loss[2]` is an accuracy): nothing the name can tell.
  if (/\[\d+\]$/.test(name)) return 'other';
  // A D or G loss beside the analysed pair (`D_fake`, a second `d_loss`): one of that network's terms.
  if (roleOf(name) !== 'other' || tokens.some((tok) => tok === 'loss' || tok === 'losses' || tok === 'cost' || tok === 'err')) return 'losses';
  return 'other';
}

function networkOf(name: string): Role {
  const tokens = nameTokens(name);
  const d = tokens.some((tok) => D_TOKENS.has(tok));
  const g = tokens.some((tok) => G_TOKENS.has(tok));
  return d === g ? 'other' : d ? 'discriminator' : 'generator';
}

/** `D_A`, `cycle_B`, `loss_G_X`: a trailing single letter (not D or G) names one of two GANs. */
function ganLetter(name: string): string | null {
  const m = /(?:^|[_\-\s./])([A-Za-z])$/.exec(name);
  const letter = m?.[1]?.toUpperCase();
  return letter && letter !== 'D' && letter !== 'G' ? letter : null;
}

function prefixOf(name: string): string | null {
  const slash = name.indexOf('/');
  return slash > 0 && slash < name.length - 1 ? name.slice(0, slash) : null;
}

/** What grouping needs of a series: its name, role, the GAN it belongs to (CycleGAN's `pair`) and, for a metric, whether it has a valid best. */
export interface GroupedSeries {
  name: string;
  role: Role;
  pair?: string;
  best?: { valid: boolean } | null;
  /** A run's series (not a summary of one): a metric's best is found from these. */
  values?: Series['values'];
  steps?: Series['steps'];
  better?: Series['better'];
}

/** A metric with a valid best is shown at first (the snapshot to keep); one holding impossible values is not drawn as a curve unless asked for (its metric-invalid finding says why). */
function validMetric(s: GroupedSeries): boolean {
  if (s.role !== 'metric') return false;
  const best =
    s.best !== undefined ? s.best : s.values && s.steps ? metricBest({ name: s.name, better: s.better, values: s.values, steps: s.steps }) : undefined;
  return best === undefined || best?.valid === true;
}

const isLoss = (s: GroupedSeries) => s.role === 'discriminator' || s.role === 'generator';

export function groupSeries(series: readonly GroupedSeries[]): Grouping {
  const analysed = series.filter(isLoss).map((s) => s.name);
  // A copy of the analysed pair (the same tag in two files, or its `/mean`) is not a third curve to show.
  const copyOfPair = (name: string) => analysed.some((a) => name === a || name.startsWith(`${a}/`));
  // Two GANs when D/G losses carry at least two different trailing letters (D_A, G_A, D_B, G_B).
  // The readers' `pair` (CycleGAN's A and B) says it outright; the trailing letter is the fallback.
  const letterOf = (s: GroupedSeries) => s.pair ?? ganLetter(s.name);
  const letters = [...new Set(series.map((s) => s.pair ?? (roleOf(s.name) !== 'other' ? ganLetter(s.name) : null)).filter((l): l is string => !!l))].sort();
  const gans = letters.length >= 2 ? letters : [];
  const adversarial = (s: GroupedSeries) => isLoss(s) || (gans.length > 0 && roleOf(s.name) !== 'other' && gans.includes(letterOf(s) ?? ''));
  // A quality metric (role 'metric', from the readers) is one whatever its name.
  const kinds = series.map((s) => (adversarial(s) ? 'adversarial' : s.role === 'metric' ? 'metrics' : copyOfPair(s.name) ? 'losses' : kindOfName(s.name)));

  const groups = new Map<string, SeriesGroup>();
  const places: SeriesPlace[] = [];
  const add = (key: string, label: string, kind: SeriesKind, ganIndex: number, index: number) => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, label, kind, ganIndex, members: [] }));
    g.members.push(index);
    return g;
  };
  series.forEach((s, i) => {
    let kind = kinds[i]!;
    const letter = gans.length ? letterOf(s) : null;
    const ganIndex = letter ? Math.max(0, gans.indexOf(letter)) : 0;
    const prefix = prefixOf(s.name);
    const prefixKind = prefix ? PREFIX_KINDS[prefix.toLowerCase()] : undefined;
    // A known prefix says what its series are, except counters, the analysed pair itself and a reader's metric.
    if (prefixKind && kind !== 'adversarial' && kind !== 'bookkeeping' && s.role !== 'metric') kind = prefixKind;
    let group: SeriesGroup;
    if (letter && gans.includes(letter)) group = add(`gan:${letter}`, t('GAN {0}', letter), 'adversarial', ganIndex, i);
    else if (kind === 'adversarial') group = add('adversarial', t('D and G losses'), 'adversarial', 0, i);
    else if (prefix && (!prefixKind || prefixKind === kind)) group = add(`prefix:${prefix.toLowerCase()}`, prefix, prefixKind ?? kind, 0, i);
    else if (kind === 'losses') {
      const net = networkOf(s.name);
      group =
        net === 'discriminator'
          ? add('terms:d', t('Discriminator loss terms'), kind, 0, i)
          : net === 'generator'
            ? add('terms:g', t('Generator loss terms'), kind, 0, i)
            : add('terms', t('Other loss terms'), kind, 0, i);
    } else if (kind === 'metrics') group = add('metrics', t('Quality metrics'), kind, 0, i);
    else if (kind === 'bookkeeping') group = add('bookkeeping', t('Bookkeeping'), kind, 0, i);
    else group = add('other', t('Other series'), kind, 0, i);
    const network = s.role !== 'other' ? s.role : kind === 'adversarial' ? roleOf(s.name) : 'other';
    places.push({ group: group.key, kind, network, ganIndex, shownByDefault: kind === 'adversarial' || validMetric(s) });
  });
  const ordered = [...groups.values()];
  const rank = (g: SeriesGroup) => KIND_ORDER.indexOf(g.kind) * 1000 + (g.key.startsWith('gan:') ? g.ganIndex : 0);
  // Stable: within a kind, groups keep the order their first series came in.
  ordered.sort((a, b) => rank(a) - rank(b));
  return { groups: ordered, places };
}
