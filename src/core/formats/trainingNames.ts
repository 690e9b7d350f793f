// Whether a column or key of a table names something a training logs: a loss, a network's loss or a
// quality metric. Formats whose files are also used for other data (`.csv`, `.json`) take a file as
// a run's only when some name says so, so a workspace's `data.csv` or `settings.json` is no run.
import { metricDirection, nameTokens, roleOf } from '../roles';

// Words of a training log's column that no data table uses for its own columns.
const LOSS_WORDS: ReadonlySet<string> = new Set(['loss', 'losses', 'err', 'error', 'errd', 'errg', 'lossd', 'lossg', 'penalty', 'gp', 'critic', 'wasserstein']);

/** True when a header cell or key names a loss, a network's loss or a quality metric (`Disc_Loss`, `errD`, `fid50k_full`). */
export function isTrainingColumn(cell: string): boolean {
  return roleOf(cell) !== 'other' || metricDirection(cell) !== null || nameTokens(cell).some((tok) => LOSS_WORDS.has(tok));
}
