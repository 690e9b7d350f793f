// Where each stage of a training with stages begins (SinGAN's scales, progressive growing's
// resolutions): a thin labelled line on the loss chart, so a curve that jumps at a stage's start
// reads as the next stage, not as a problem.
import type { AnnotationOptions } from 'chartjs-plugin-annotation';
import type { RunSummary } from '../src/protocol';
import { themeColor } from './colors';

/** The chart annotations of the stages' starts (none for a training of one stage). */
export function stageAnnotations(stages: RunSummary['stages']): Record<string, AnnotationOptions> {
  const out: Record<string, AnnotationOptions> = {};
  const color = themeColor('--vscode-descriptionForeground', 'rgba(128,128,128,0.8)');
  stages.forEach((stage, i) => {
    out[`stage-${i}`] = {
      type: 'line',
      xMin: stage.start,
      xMax: stage.start,
      borderColor: color,
      borderWidth: 1,
      borderDash: [1, 3],
      drawTime: 'beforeDatasetsDraw',
      label: { display: true, content: stage.label, position: 'start', backgroundColor: 'transparent', color, font: { size: 10 }, padding: 2 },
    };
  });
  return out;
}
