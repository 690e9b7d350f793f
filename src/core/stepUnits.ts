// Each run's step axis in its codebase's own unit: kimg for the StyleGAN family (stats.jsonl,
// metric-*.jsonl, its TensorBoard events, `fakesNNNNNN.png`, tick lines), epochs for junyanz
// loss_log.txt, iterations for printed logs and Chainer. The unit is named in runs[].stepUnit; each
// format says its own (its registry object's `stepUnit`).
import type { Series } from './model';
import { FORMATS, type FileFormat } from './formats';
import { KIMG } from './formats/styleganNames';

const isEvents = (source: string) => /(^|\/)events\.out\.tfevents\./.test(source);

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
  const covered = new Set(
    [...kimgOf.keys()].filter((source) => series.every((s) => s.source !== source || s.steps.every((step) => kimgOf.get(source)!.has(step)))),
  );
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

/** What format read a file, when the caller knows (its bytes may have told another than its name). */
export type FormatOf = (source: string) => FileFormat | undefined;

/** The unit a file's steps are in, as its format says (from its name and series names). */
function unitOf(source: string, names: string[], formatOf: FormatOf): string | null {
  return (formatOf(source) ?? FORMATS.formatFor(source))?.stepUnit?.(source, names) ?? null;
}

/** The unit of the run's losses: the unit of the D / G losses' file, else of the first file that has one; null when nothing says. */
export function runStepUnit(series: Series[], formatOf: FormatOf = () => undefined): string | null {
  const bySource = new Map<string, string[]>();
  for (const s of series) bySource.set(s.source, [...(bySource.get(s.source) ?? []), s.name]);
  const main = series.find((s) => s.role === 'discriminator' || s.role === 'generator');
  if (main) {
    const unit = unitOf(main.source, bySource.get(main.source)!, formatOf);
    if (unit) return unit;
  }
  for (const [source, names] of bySource) {
    const unit = unitOf(source, names, formatOf);
    if (unit) return unit;
  }
  // A run of samples alone takes the unit its sample names give (src/core/samples/placing.ts).
  return null;
}
