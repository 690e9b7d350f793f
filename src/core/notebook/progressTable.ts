// fastai's progress bars (fastprogress) show a notebook's training as HTML: a <progress> bar above
// a table of the epochs' losses (`epoch train_loss valid_loss gen_loss crit_loss time`). Its rows
// become the lines fastprogress's console bar prints, cells two spaces apart, so the printed-log
// reader reads them as it reads that console table. Any other HTML table (a pandas DataFrame
// shown) is data read back, not what training printed: it is left alone.

/** The table of a fastprogress display as printed lines (header first), or null for any other HTML. */
export function progressTableLines(html: string): string | null {
  if (!/<progress\b/i.test(html) || !/<table\b/i.test(html)) return null;
  const rows: string[] = [];
  for (const tr of html.matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr>/gi)) {
    const cells = [...tr[1]!.matchAll(/<t[hd]\b[^>]*>([\s\S]*?)<\/t[hd]>/gi)].map((m) => cellText(m[1]!));
    // An empty cell would leave no gap of its own in the printed line: no row of the table is read then.
    if (cells.some((c) => c === '')) return null;
    if (cells.length) rows.push(cells.join('  '));
  }
  return rows.length > 1 ? `${rows.join('\n')}\n` : null;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** A cell's text: its tags dropped, entities decoded, its spaces made one. */
function cellText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_m, name: string) => ENTITIES[name] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}
