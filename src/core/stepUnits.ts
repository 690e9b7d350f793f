// Each run's step axis in its codebase's own unit: kimg for the StyleGAN family (stats.jsonl,
// metric-*.jsonl, its TensorBoard events, `fakesNNNNNN.png`, tick lines), epochs for junyanz
// loss_log.txt, iterations for printed logs and Chainer. The unit is named in runs[].stepUnit.
import type { Series } from './model';
import { fileBaseName } from './paths';
import { lossFileKind } from './formats';

const isEvents = (source: string) => /(^|\/)events\.out\.tfevents\./.test(source);
const KIMG = 'Progress/kimg';

/**
 * TensorBoard events of PGGAN / StyleGAN (TF) are written at `cur_nimg` (images shown), those of
 * StyleGAN2-ADA at int(kimg); both also log `Progress/kimg`. Their series are put on that kimg axis
 * (the one the snapshots and `fakesNNNNNN.png` are named by) and `Progress/kimg` itself, now the
 * axis, is dropped. Files without it, or with steps it does not cover, stay as they are.
 */
export function onKimgAxis(series: Series[]): Series[] {
  const kimgOf = new Map<string, Map<number, number>>();
  for (const s of series) {
    if (s.name !== KIMG || !isEvents(s.source)) continue;
    const map = new Map<number, number>();
    for (let i = 0; i < s.steps.length; i++) map.set(s.steps[i]!, s.values[i]!);
    kimgOf.set(s.source, map);
  }
  if (!kimgOf.size) return series;
  const covered = new Set([...kimgOf.keys()].filter((source) => series.every((s) => s.source !== source || s.steps.every((step) => kimgOf.get(source)!.has(step)))));
  const out: Series[] = [];
  for (const s of series) {
    if (!covered.has(s.source)) {
      out.push(s);
      continue;
    }
    if (s.name === KIMG) continue;
    const map = kimgOf.get(s.source)!;
    const steps = Float64Array.from(s.steps, (step) => map.get(step)!);
    // kimg only grows with the step; anything else (a rewritten counter) leaves the series as it was.
    let increasing = true;
    for (let i = 1; i < steps.length && increasing; i++) if (steps[i]! < steps[i - 1]!) increasing = false;
    out.push(increasing ? { ...s, steps } : s);
  }
  return out;
}

/** The unit a file's steps are in, from its format (and, for events and printed logs, its series). */
function unitOf(source: string, names: string[]): string | null {
  const base = fileBaseName(source).toLowerCase();
  if (base === 'stats.jsonl' || /^metric-.*\.jsonl$/.test(base)) return 'kimg';
  const kind = lossFileKind(source);
  if (kind === 'junyanz') return 'epoch';
  if (kind === 'chainer') return 'iteration';
  if (kind === 'mlflow') return 'step';
  const stylegan = names.length > 0 && names.every((n) => /^(Loss|Progress|Timing|Resources|Metrics|Train[DG])\//.test(n));
  if (kind === 'tfevents') return stylegan && !names.includes(KIMG) && names.some((n) => n.startsWith('Progress/')) ? 'kimg' : null;
  if (kind === null || kind === 'printed') return stylegan ? 'kimg' : 'iteration';
  return null;
}

/**
 * The run's step unit: the unit of the D / G losses' file, else of the first file that has one,
 * else 'kimg' when the samples are StyleGAN's `fakesNNNNNN.png`; null when nothing says.
 */
export function runStepUnit(series: Series[], samplePaths: string[]): string | null {
  const bySource = new Map<string, string[]>();
  for (const s of series) bySource.set(s.source, [...(bySource.get(s.source) ?? []), s.name]);
  const main = series.find((s) => s.role === 'discriminator' || s.role === 'generator');
  if (main) {
    const unit = unitOf(main.source, bySource.get(main.source)!);
    if (unit) return unit;
  }
  for (const [source, names] of bySource) {
    const unit = unitOf(source, names);
    if (unit) return unit;
  }
  if (!samplePaths.length) return null;
  const names = samplePaths.map(fileBaseName);
  if (names.every((n) => /^fakes\d+\.(png|jpe?g)$/i.test(n))) return 'kimg';
  // `fake_samples_epoch_009.png` (DCGAN example), `image_at_epoch_0001.png` (TF tutorial), `epoch002_fake_B.png`.
  if (names.every((n) => /epoch/i.test(n))) return 'epoch';
  if (names.every((n) => /iter|step/i.test(n))) return 'iteration';
  return null;
}
