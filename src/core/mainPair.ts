// Choosing one D and one G per GAN among series that have roles, apart from guessing each name's role (roles.ts).
import type { Role, Series } from './model';
import { baseName, pairOf, roleClarity, roleOf } from './roles';

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
      const g = rank(
        series.filter((s) => s.pair === pair && s.role === 'generator'),
        d?.source,
      );
      if (g) chosen.add(g);
    }
    return series.map((s) => ((s.role === 'discriminator' || s.role === 'generator') && !chosen.has(s) ? { ...s, role: 'other' } : s));
  }
  const gans = severalGans(series, rank);
  if (gans) return series.map((s) => (s.role === 'other' || s.role === 'metric' ? s : gans.has(s) ? withPair(s, gans.get(s)!) : { ...s, role: 'other' }));
  const d = rank(series.filter((s) => s.role === 'discriminator'));
  const g = rank(
    series.filter((s) => s.role === 'generator'),
    d?.source,
  );
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
    // The halves are one file's columns (pix2pix) or files side by side (BigGAN's `D_loss_real.log`, `D_loss_fake.log`).
    const fake = series.find((s) => sameFolder(s.source, real.source) && s.name.toLowerCase() === fakeName && s.role === 'discriminator');
    if (!fake || !sameSteps(real.steps, fake.steps)) continue;
    const whole = series.some((s) => s.role === 'discriminator' && sameFolder(s.source, real.source) && !HALF.test(s.name));
    if (whole) continue;
    const values = new Float64Array(real.values.length);
    for (let i = 0; i < values.length; i++) values[i] = (real.values[i]! + fake.values[i]!) / 2;
    const name = `(${real.name} + ${fake.name}) / 2`;
    out.push({ name, role: 'discriminator', source: real.source, column: null, steps: real.steps, values, ...(real.pair ? { pair: real.pair } : {}) });
  }
  if (!out.length) return series;
  const halves = new Set(out.flatMap((c) => series.filter((s) => sameFolder(s.source, c.source) && s.role === 'discriminator' && HALF.test(s.name))));
  return [...series.map((s) => (halves.has(s) ? { ...s, role: 'other' as Role } : s)), ...out];
}

/** Two sources in one folder of the run (or the same file). */
function sameFolder(a: string, b: string): boolean {
  return a === b || a.slice(0, a.lastIndexOf('/') + 1) === b.slice(0, b.lastIndexOf('/') + 1);
}

function sameSteps(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
