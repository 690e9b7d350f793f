// Lines that are rows of a table: numbers and nothing else (`np.savetxt`, a TSV, fastai's console
// table with its `#na#` cells and the epoch's time), or a header of words above them.
import { CLOCK, GAP_WIDE, NUM, PUNCT, WORD, type LineTokens } from './lineTokens';
import type { LineParts } from './lineParts';

/** A numeric row or a header row (see LineParts), put in `p`; false for any other line. */
export function tableLine(tk: LineTokens, p: LineParts): boolean {
  const n = tk.n;
  if (tk.kind[0] === NUM) {
    let cell = 0;
    for (let k = 0; k < n; k++) {
      const kind = tk.kind[k];
      if (kind === NUM) {
        if (k > 0 && tk.kind[k - 1] === NUM && tk.gap[k] === 0) return false;
        p.cellOf[p.count] = cell++;
        p.add('', tk.value[k]!, k);
      } else if (k > 0 && tk.gap[k] === GAP_WIDE && (kind === CLOCK || missingCell(tk, k))) {
        // fastai's table: `#na#` where a loss was not computed, the epoch's time as `00:26`.
        cell++;
        if (kind !== CLOCK) k += 2;
      } else if (!(kind === PUNCT && (tk.char[k] === 44 || tk.char[k] === 59) && k > 0 && tk.kind[k - 1] === NUM)) {
        p.count = 0;
        return false;
      }
    }
    if (cell !== p.count) p.cells = cell;
    p.numeric = true;
    return true;
  }
  // np.savetxt's `header=` comes after `# `, its cells one space apart; otherwise tabs, commas or wide gaps part them.
  const hashed = tk.isPunct(0, 35);
  const from = hashed ? 1 : 0;
  if (tk.kind[from] !== WORD || n - from < 2) return false;
  let words = 0;
  for (let k = from; k < n; k++) {
    const kind = tk.kind[k];
    if (kind === WORD) {
      if (k > from && tk.kind[k - 1] === WORD && tk.gap[k] !== GAP_WIDE && !hashed) return false;
      words++;
    } else if (!(kind === PUNCT && (tk.char[k] === 44 || tk.char[k] === 59) && k > from && tk.kind[k - 1] === WORD)) return false;
  }
  if (words < 2) return false;
  for (let k = from; k < n; k++) if (tk.kind[k] === WORD) p.header.push(tk.textOf(k));
  return true;
}

/** `#na#` from token `k` (fastai's mark of a value not computed), a whole cell of its own. */
function missingCell(tk: LineTokens, k: number): boolean {
  return (
    tk.isPunct(k, 35) &&
    tk.kind[k + 1] === WORD &&
    tk.gap[k + 1] === 0 &&
    tk.textOf(k + 1) === 'na' &&
    tk.isPunct(k + 2, 35) &&
    tk.gap[k + 2] === 0 &&
    (k + 3 >= tk.n || tk.gap[k + 3] !== 0)
  );
}
