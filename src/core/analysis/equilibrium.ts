// Flat stretches of both losses: over the stretch no level change or trend exceeds their noise (or a
// small share of their level). Judged on segment levels, so noise alone never breaks one, while a
// constant (saturated) or non-finite stretch can never be part of one. A flat stretch at the
// formulation's reference (D and G at chance: D cannot tell real from fake) is the Nash
// `equilibrium`; anywhere else it is a `plateau` (plateau.ts says what the samples and metrics did).
import type { Finding, Formulation } from '../model';
import { t } from '../l10n';
import type { Thresholds } from './thresholds';
import { segmentEndStep, segmentStartStep, slope, spans } from './blocks';
import { formatStep, formatValue, num } from './format';
import type { LossView } from './view';
import { atReference, referenceOf } from '../formulation/reference';
import { referenceLabel } from '../formulation/describe';

export interface Fit {
  center: number;
  noise: number;
  tolerance: number;
  trend: number;
}

/** How one series behaves over segments [s, e], or null when it is not settled there. */
function settled(view: LossView, s: number, e: number, th: Thresholds): Fit | null {
  const { level, noise, count, nonFinite } = view.segments;
  let sumL = 0;
  let sumN = 0;
  for (let j = s; j <= e; j++) {
    // Empty, non-finite or perfectly constant segments are never part of an equilibrium.
    if (count[j] === 0 || nonFinite[j]! > 0 || !(noise[j]! > 0)) return null;
    sumL += level[j]!;
    sumN += noise[j]!;
  }
  const len = e - s + 1;
  const center = sumL / len;
  const sigma = sumN / len;
  const tolerance = Math.max(th.equilibriumNoiseFactor * sigma, th.equilibriumRelTolerance * Math.abs(center));
  const trend = slope(level, s, e) * (len - 1);
  if (Math.abs(trend) > tolerance) return null;
  if (Math.abs(level[s]! - center) > tolerance || Math.abs(level[e]! - center) > tolerance) return null;
  let inside = 0;
  let outsideRun = 0;
  for (let j = s; j <= e; j++) {
    if (Math.abs(level[j]! - center) <= tolerance) {
      inside++;
      outsideRun = 0;
    } else if (++outsideRun >= th.equilibriumBreakSegments) return null;
  }
  if (inside < th.equilibriumInsideFraction * len) return null;
  return { center, noise: sigma, tolerance, trend };
}

/** Both losses flat: the stretches, as equilibrium (at the reference) or plateau findings. */
export function detectFlat(d: LossView, g: LossView, formulation: Formulation, th: Thresholds): Finding[] {
  const M = d.blocks.grid.segments;
  const minLength = Math.max(3, Math.ceil(M * th.equilibriumMinFraction));
  if (M < minLength) return [];
  const both = (s: number, e: number) => {
    const fd = settled(d, s, e, th);
    const fg = fd && settled(g, s, e, th);
    return fd && fg ? { fd, fg } : null;
  };
  // The earliest onset from which both stay settled to the end.
  let tail: Finding | null = null;
  let limit = M;
  for (let s = 0; s + minLength <= M; s++) {
    const fit = both(s, M - 1);
    if (fit) {
      tail = finding(d, s, M - 1, M, fit.fd, fit.fg, formulation, th);
      limit = s;
      break;
    }
  }
  // Before it, plateaus that broke. For each candidate onset, the furthest end it stays settled to;
  // among onsets inside one plateau, the one reaching furthest wins, so a plateau ends where the
  // losses really move (a slow leftover trend at its start only delays the onset).
  const stride = Math.max(1, Math.round(M / 50));
  const starts: number[] = [];
  const ends: number[] = [];
  for (let s = 0; s + minLength <= limit; s += stride) {
    let end = -1;
    for (let e = limit - 1; e >= s + minLength - 1; e--) {
      if (both(s, e)) {
        end = e;
        break;
      }
    }
    starts.push(s);
    ends.push(end);
  }
  const out: Finding[] = [];
  let i = 0;
  while (i < starts.length) {
    if (ends[i]! < 0) {
      i++;
      continue;
    }
    let best = i;
    for (let k = i + 1; k < starts.length && starts[k]! <= ends[i]!; k++) if (ends[k]! > ends[best]!) best = k;
    const s = starts[best]!;
    const e = ends[best]!;
    const fit = both(s, e)!;
    out.push(finding(d, s, e, M, fit.fd, fit.fg, formulation, th));
    while (i < starts.length && starts[i]! <= e) i++;
  }
  if (tail) out.push(tail);
  return out;
}

/** Mean level, mean noise and fitted trend of one series over segments [s, e]. */
function fitOf(view: LossView, s: number, e: number, th: Thresholds): Fit {
  let sumL = 0;
  let sumN = 0;
  let n = 0;
  for (let j = s; j <= e; j++) {
    if (!(view.segments.count[j]! > 0) || !Number.isFinite(view.segments.level[j]!)) continue;
    sumL += view.segments.level[j]!;
    sumN += Number.isFinite(view.segments.noise[j]!) ? view.segments.noise[j]! : 0;
    n++;
  }
  const center = sumL / Math.max(n, 1);
  const noise = sumN / Math.max(n, 1);
  return {
    center,
    noise,
    tolerance: Math.max(th.equilibriumNoiseFactor * noise, th.equilibriumRelTolerance * Math.abs(center)),
    trend: slope(view.segments.level, s, e) * (e - s),
  };
}

/**
 * Stretches where both losses sit at the formulation's reference (D and G at chance on the BCE
 * scale, within referenceTolerance) for at least equilibriumMinFraction of the run: the Nash
 * equilibrium, whether or not the curve is flat by the noise test (a sparse log's segment levels
 * wobble more than its noise says). Constant and non-finite segments, and those where the samples
 * collapsed, are never part of one.
 */
export function detectAtReference(d: LossView, g: LossView, formulation: Formulation, th: Thresholds, collapses: Finding[] = []): Finding[] {
  const ref = referenceOf(formulation);
  if (!ref.scale || !ref.dChances.length) return [];
  const M = d.blocks.grid.segments;
  const minLength = Math.max(3, Math.ceil(M * th.equilibriumMinFraction));
  const moving = (v: LossView, j: number) => v.segments.count[j]! > 0 && v.segments.nonFinite[j] === 0 && v.segments.noise[j]! > 0;
  // Where the samples collapsed, G does not make the data: chance-level losses there are no equilibrium.
  const collapsed = (j: number) => collapses.some((c) => c.start <= segmentEndStep(d.blocks, j) && c.end >= segmentStartStep(d.blocks, j));
  const flags: boolean[] = [];
  for (let j = 0; j < M; j++)
    flags.push(moving(d, j) && moving(g, j) && atReference(ref, d.segments.level[j]!, g.segments.level[j]!, th.referenceTolerance) && !collapsed(j));
  return spans(flags, minLength, th.gapSegments).map(([s, e]) => finding(d, s, e, M, fitOf(d, s, e, th), fitOf(g, s, e, th), formulation, th));
}

function finding(d: LossView, s: number, e: number, M: number, fd: Fit, fg: Fit, formulation: Formulation, th: Thresholds): Finding {
  return flatFinding(segmentStartStep(d.blocks, s), segmentEndStep(d.blocks, e), e === M - 1, fd, fg, formulation, th);
}

/**
 * The finding for a flat stretch of D and G from `start` to `end` (also used to word merged pieces,
 * see merge.ts): `equilibrium` when both sit at the formulation's reference, else `plateau`.
 */
export function flatFinding(start: number, end: number, toEnd: boolean, fd: Fit, fg: Fit, formulation: Formulation, th: Thresholds): Finding {
  const ref = referenceOf(formulation);
  const at = atReference(ref, fd.center, fg.center, th.referenceTolerance);
  const dv = formatValue(fd.center);
  const gv = formatValue(fg.center);
  const reference = referenceLabel(formulation);
  let message: string;
  if (at) {
    message = toEnd
      ? t(
          'Both losses settled at the reference from step {0} to the end: D ≈ {1} and G ≈ {2} ({3}), the Nash equilibrium: D cannot tell real from fake.',
          formatStep(start),
          dv,
          gv,
          reference,
        )
      : t(
          'Both losses settled at the reference from step {0} to step {1}: D ≈ {2} and G ≈ {3} ({4}), the Nash equilibrium: D cannot tell real from fake.',
          formatStep(start),
          formatStep(end),
          dv,
          gv,
          reference,
        );
  } else if (ref.dChances.length) {
    message = toEnd
      ? t(
          'Both losses flat from step {0} to the end: D ≈ {1} and G ≈ {2}, away from the reference ({3}): a plateau, not an equilibrium.',
          formatStep(start),
          dv,
          gv,
          reference,
        )
      : t(
          'Both losses flat from step {0} to step {1}: D ≈ {2} and G ≈ {3}, away from the reference ({4}): a plateau, not an equilibrium.',
          formatStep(start),
          formatStep(end),
          dv,
          gv,
          reference,
        );
  } else {
    message = toEnd
      ? t('Both losses flat from step {0} to the end: D ≈ {1} and G ≈ {2} ({3}).', formatStep(start), dv, gv, reference)
      : t('Both losses flat from step {0} to step {1}: D ≈ {2} and G ≈ {3} ({4}).', formatStep(start), formatStep(end), dv, gv, reference);
  }
  return {
    kind: at ? 'equilibrium' : 'plateau',
    severity: 'info',
    start,
    end,
    series: ['discriminator', 'generator'],
    message,
    evidence: {
      onsetStep: num(start),
      endStep: num(end),
      untilEnd: toEnd,
      dLevel: num(fd.center),
      gLevel: num(fg.center),
      dNoise: num(fd.noise),
      gNoise: num(fg.noise),
      dTrend: num(fd.trend),
      gTrend: num(fg.trend),
      dTolerance: num(fd.tolerance),
      gTolerance: num(fg.tolerance),
      lossType: formulation.lossType,
      atReference: at,
      dChance: ref.dChance === null ? (ref.dChances.length ? ref.dChances.map(formatValue).join(' | ') : null) : num(ref.dChance),
      gChance: ref.gChance === null ? null : num(ref.gChance),
      noiseFactor: th.equilibriumNoiseFactor,
      relTolerance: th.equilibriumRelTolerance,
      referenceTolerance: th.referenceTolerance,
    },
    advice: at
      ? t(
          'A settled loss curve does not mean good images: look at the samples. More training will change little from here; to change the outcome, tune the learning rates and other parameters.',
        )
      : t(
          'The losses stopped moving away from the balance point: look at the samples and metrics over the plateau to see whether training still pays off; to change the outcome, tune the learning rates and other parameters.',
        ),
  };
}
