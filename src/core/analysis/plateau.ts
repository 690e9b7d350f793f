// What a user wants from a plateau: when training stopped paying off. The losses are flat, so they
// cannot say; a quality metric (FID, IS…) or the sample grids can. Over the plateau, the last step at
// which the metric reached a clearly better best (or the samples' tile diversity a clearly higher
// one) is where progress stopped; a metric still improving near the plateau's end means "keep
// training". The finding's message gets one sentence and `evidence.stopStep`.
import type { DiversityPoint, Finding, Series } from '../model';
import { t } from '../l10n';
import type { Thresholds } from './thresholds';
import { formatPercent, formatStep, formatValue, num } from './format';
import { metricBest } from './metrics';

/** Grids saved at or before this step are the untrained generator's. */
const UNTRAINED_STEP = 1;

interface Progress {
  /** The last step that clearly improved on the best before it (the plateau's start when none did). */
  stopStep: number;
  first: number;
  best: number;
  improved: boolean;
  points: number;
}

/**
 * The progress of values over [start, end]: improved when the best beat the first value by `gain`
 * (relative to |first|, or absolute); it stopped at the first step that came within half a gain of
 * that best (the plateau's start when it never improved).
 */
function progressOf(points: { step: number; value: number }[], start: number, end: number, higher: boolean, gain: number, relative: boolean): Progress | null {
  const before = points.filter((p) => p.step <= start).pop();
  const inside = points.filter((p) => p.step > start && p.step <= end);
  const all = before ? [before, ...inside] : inside;
  if (all.length < 3) return null;
  const first = all[0]!.value;
  const step = relative ? gain * Math.max(Math.abs(first), 1e-12) : gain;
  const best = all.reduce((b, p) => (higher ? Math.max(b, p.value) : Math.min(b, p.value)), first);
  const improved = higher ? best - first >= step : first - best >= step;
  const reached = all.find((p) => (higher ? p.value >= best - step / 2 : p.value <= best + step / 2))!;
  return { stopStep: improved ? Math.max(start, reached.step) : Math.max(start, all[0]!.step), first, best, improved, points: all.length };
}

/** The plateau with what the metrics or samples did over it (other findings come back as they are). */
export function withProgress(f: Finding, diversity: DiversityPoint[], metrics: Series[], runStart: number, runEnd: number, th: Thresholds): Finding {
  if (f.kind !== 'plateau') return f;
  const span = Math.max(runEnd - runStart, 1e-12);
  const late = f.end - th.plateauLateShare * (f.end - f.start);
  const changedLittle = (stop: number) => formatPercent(Math.max(0, runEnd - stop) / span);
  for (const m of metrics) {
    const best = metricBest(m);
    if (!best?.valid) continue;
    const points = Array.from(m.values, (value, i) => ({ step: m.steps[i]!, value })).filter((p) => Number.isFinite(p.value));
    const p = progressOf(points, f.start, f.end, m.better === 'higher', th.plateauMetricGain, true);
    if (!p) continue;
    const keepGoing = p.improved && p.stopStep >= late && f.evidence.untilEnd === true;
    const sentence = keepGoing
      ? t('But {0} kept improving over it ({1} → {2} at step {3}): keep training.', m.name, formatValue(p.first), formatValue(p.best), formatStep(p.stopStep))
      : p.improved
        ? t(
            '{0} improved until step {1} ({2} → {3}), then changed little: the last {4} of the steps changed little.',
            m.name,
            formatStep(p.stopStep),
            formatValue(p.first),
            formatValue(p.best),
            changedLittle(p.stopStep),
          )
        : t(
            '{0} did not improve over it ({1} at its start): the last {2} of the steps changed little.',
            m.name,
            formatValue(p.first),
            changedLittle(p.stopStep),
          );
    return annotate(
      f,
      sentence,
      keepGoing ? null : p.stopStep,
      keepGoing ? 'metric improving' : 'metric stopped',
      m.name,
      keepGoing ? null : Math.max(0, runEnd - p.stopStep) / span,
    );
  }
  const scored = diversity.filter((d) => Number.isFinite(d.score) && d.tiles >= 2 && d.step > UNTRAINED_STEP).map((d) => ({ step: d.step, value: d.score }));
  const p = progressOf(scored, f.start, f.end, true, th.plateauDiversityGain, false);
  if (p) {
    const sentence = p.improved
      ? t(
          'The samples did not improve after step {0} (tile diversity {1}): the last {2} of the steps changed little.',
          formatStep(p.stopStep),
          formatValue(p.best),
          changedLittle(p.stopStep),
        )
      : t(
          'The samples did not improve over it (tile diversity {0}): the last {1} of the steps changed little.',
          formatValue(p.first),
          changedLittle(p.stopStep),
        );
    return annotate(f, sentence, p.stopStep, 'samples stopped', 'samples', Math.max(0, runEnd - p.stopStep) / span);
  }
  return annotate(f, t('The losses alone cannot say whether the samples still improve: look at them.'), f.start, 'unknown', null, null);
}

function annotate(f: Finding, sentence: string, stopStep: number | null, progress: string, by: string | null, share: number | null): Finding {
  return {
    ...f,
    message: `${f.message} ${sentence}`,
    evidence: {
      ...f.evidence,
      stopStep: stopStep === null ? null : num(stopStep),
      progress,
      progressFrom: by,
      changedLittleShare: share === null ? null : num(share),
    },
  };
}
