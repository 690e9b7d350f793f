// Markdown for the tree tooltips, the hover and the Problems messages. File and folder names are
// untrusted data: they go through `escapeMarkdown` before any Markdown is built.

/**
 * Makes any text inert in Markdown: every ASCII punctuation character is backslash-escaped (so no
 * link, image, code span, HTML tag, entity, emphasis or theme icon can form) and line breaks
 * become spaces (so no heading, list or table can start).
 */
export function escapeMarkdown(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- control characters are what this strips
      .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
      .replace(/[!-/:-@[-`{-~]/g, '\\$&')
  );
}

/** A `command:` link to one of our own commands; the hover's `isTrusted` allow-list must name it. */
export function commandLink(label: string, command: string, args: unknown[]): string {
  return `[${escapeMarkdown(label)}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;
}

const BLOCKS = '▁▂▃▄▅▆▇█';

/**
 * A one-line sparkline of `values` in `width` unicode blocks (bucket means). Buckets holding only
 * NaN/±Inf show as `!` so a divergence stays visible.
 */
export function sparkline(values: ArrayLike<number>, width = 24): string {
  const n = values.length;
  if (n === 0 || width <= 0) return '';
  const buckets = Math.min(width, n);
  const means: (number | null)[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets);
    let sum = 0;
    let count = 0;
    for (let i = from; i < to; i++) {
      const v = values[i]!;
      if (v - v === 0) {
        sum += v;
        count++;
      }
    }
    means.push(count ? sum / count : null);
  }
  const finite = means.filter((m): m is number => m !== null);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return means
    .map((m) => {
      if (m === null) return '!';
      if (!(hi > lo)) return BLOCKS[3];
      return BLOCKS[Math.min(BLOCKS.length - 1, Math.floor(((m - lo) / (hi - lo)) * BLOCKS.length))];
    })
    .join('');
}
