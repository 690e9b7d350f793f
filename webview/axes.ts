// The axes both charts share, so a step sits at the same pixel on the loss chart and on the
// diversity track under it: fixed y-axis widths, fixed room at the right, labels that fit.
import { Ticks, type Scale, type Tick } from 'chart.js';

/** The y-axis width both charts share, so the diversity chart's steps line up under the loss chart's. */
export const Y_AXIS_WIDTH = 64;
export const fixAxisWidth = (scale: { width: number; options: { display?: boolean | 'auto' } }) => {
  // Chart.js calls afterFit on a hidden axis too: a hidden side axis must take no room, or the
  // loss chart's steps end an axis' width short of the diversity track's.
  scale.width = scale.options.display === false ? 0 : Y_AXIS_WIDTH;
};
/**
 * Y tick labels that fit the fixed axis width: a diverged loss (4e10) written out in full
 * ("-40,000,000,000") is cut to "0,000,000". Beyond a million, or below a thousandth, the label is
 * written with an exponent (1.25e10); other labels are Chart.js's own.
 */
export function compactTick(this: Scale, value: number | string, index: number, ticks: Tick[]): string {
  const v = Number(value);
  const own = (this.type === 'logarithmic' ? Ticks.formatters.logarithmic : Ticks.formatters.numeric).call(this, v, index, ticks);
  if (own === '' || v === 0 || (Math.abs(v) < 1e6 && Math.abs(v) >= 1e-3)) return String(own);
  const [mantissa, exponent] = v.toExponential(2).split('e');
  return `${mantissa!.replace(/\.?0+$/, '')}e${Number(exponent)}`;
}

/**
 * Room right of both charts' plots, fixed: Chart.js otherwise pads each chart for its own last
 * step label, which differs between the two, and the steps drift apart by a few pixels.
 */
export const RIGHT_ROOM = 16;
export const fixStepAxisPadding = (scale: { paddingLeft: number; paddingRight: number }) => {
  scale.paddingLeft = 0;
  scale.paddingRight = 0;
};
