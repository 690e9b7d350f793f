// The series names the StyleGAN family logs, which put a file's steps on its kimg axis: shared by
// the formats that say their step unit (TensorBoard events, printed tick lines) and stepUnits.ts.

/** The step axis StyleGAN's TensorBoard events and stats.jsonl share. */
export const KIMG = 'Progress/kimg';

/** True when every name is one the StyleGAN family logs (`Loss/…`, `Progress/…`, `Timing/…`…). */
export function isStyleGanSeries(names: readonly string[]): boolean {
  return names.length > 0 && names.every((n) => /^(Loss|Progress|Timing|Resources|Metrics|Train[DG])\//.test(n));
}
