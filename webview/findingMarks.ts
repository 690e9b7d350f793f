// What the loss chart marks under and over its curves besides the stages: a band over each
// finding's steps, and a dashed box over each stretch where a drawn series is NaN/Inf.
import type { AnnotationOptions } from 'chartjs-plugin-annotation';
import type { Finding } from '../src/core/model';
import { kindColor, withAlpha } from './colors';

/** At most this many NaN/Inf boxes: a series that flips between finite and not would draw thousands. */
const MAX_GAP_MARKERS = 200;

/** A band per finding; a finding at one step is widened to a visible sliver of the run. */
export function findingBands(findings: readonly Finding[], fullRange: { start: number; end: number }): Record<string, AnnotationOptions> {
  const out: Record<string, AnnotationOptions> = {};
  findings.forEach((f, i) => {
    const color = kindColor(f.kind);
    out[`finding-${i}`] = {
      type: 'box',
      xMin: f.start,
      xMax: f.end === f.start ? f.end + Math.max(1, (fullRange.end - fullRange.start) / 500) : f.end,
      backgroundColor: withAlpha(color, 0.16),
      borderColor: withAlpha(color, 0.6),
      borderWidth: 1,
      drawTime: 'beforeDatasetsDraw',
    };
  });
  return out;
}

/** A box per NaN/Inf stretch of the drawn series (`gaps`: flattened [startStep, endStep] pairs). */
export function gapBoxes(series: readonly { id: string; gaps: ArrayLike<number> }[]): Record<string, AnnotationOptions> {
  const out: Record<string, AnnotationOptions> = {};
  const red = kindColor('non-finite');
  let markers = 0;
  for (const s of series) {
    for (let g = 0; g + 1 < s.gaps.length && markers < MAX_GAP_MARKERS; g += 2, markers++) {
      out[`gap-${s.id}-${g}`] = {
        type: 'box',
        xMin: s.gaps[g],
        xMax: s.gaps[g + 1],
        backgroundColor: withAlpha(red, 0.12),
        borderColor: red,
        borderWidth: 1,
        borderDash: [4, 3],
        label: { display: true, content: 'NaN/Inf', position: { x: 'center', y: 'start' }, color: red, font: { size: 10 } },
        drawTime: 'afterDatasetsDraw',
      };
    }
  }
  return out;
}
