// Finds string literals in Python source (files and notebook cells) without a full parser: enough
// to know which literal the cursor is on and which lines name a loss file. Comments are skipped so a
// quote inside `# it's` does not open a string.

export interface PythonString {
  /** The string's value as Python would read it (escapes decoded unless raw). */
  value: string;
  /** Offsets of the whole token, prefix and quotes included. */
  start: number;
  end: number;
  /** Offsets of the text between the quotes. */
  contentStart: number;
  contentEnd: number;
  raw: boolean;
  /** An f-string: `{…}` parts are expressions, not text. */
  formatted: boolean;
}

const PREFIX = /^(?:[rR][bBfF]?|[bBfF][rR]?|[uU])?$/;
const IDENT = /[A-Za-z0-9_]/;

/** Every string literal in `source`, in order. Unterminated strings end at the line end (or file end if triple-quoted). */
export function pythonStrings(source: string): PythonString[] {
  const out: PythonString[] = [];
  const n = source.length;
  let i = 0;
  while (i < n) {
    const c = source[i];
    if (c === '#') {
      while (i < n && source[i] !== '\n') i++;
      continue;
    }
    if (c !== '"' && c !== "'") {
      i++;
      continue;
    }
    // Walk back over a prefix like r, f, rb attached to the quote.
    let p = i;
    while (p > 0 && /[rRbBfFuU]/.test(source[p - 1]!) && i - p < 2) p--;
    let prefix = source.slice(p, i);
    while (prefix && (!PREFIX.test(prefix) || (p > 0 && IDENT.test(source[p - 1]!)))) {
      p++;
      prefix = source.slice(p, i);
    }
    const raw = /[rR]/.test(prefix);
    const formatted = /[fF]/.test(prefix);
    const triple = source.startsWith(c.repeat(3), i);
    const quote = triple ? c.repeat(3) : c;
    const contentStart = i + quote.length;
    let j = contentStart;
    let contentEnd = -1;
    let end = n;
    while (j < n) {
      const d = source[j];
      if (d === '\\') {
        j += 2;
        continue;
      }
      if (!triple && d === '\n') {
        contentEnd = j;
        end = j;
        break;
      }
      if (source.startsWith(quote, j)) {
        contentEnd = j;
        end = j + quote.length;
        break;
      }
      j++;
    }
    if (contentEnd < 0) contentEnd = end = Math.min(j, n);
    const text = source.slice(contentStart, contentEnd);
    out.push({ value: raw ? text : decodeEscapes(text), start: p, end, contentStart, contentEnd, raw, formatted });
    i = end;
  }
  return out;
}

/** The string literal under `offset` (inside its quotes or on them), if any. */
export function pythonStringAt(source: string, offset: number): PythonString | undefined {
  // The end offset counts too: VS Code reports the position just after a closing quote as on it.
  return pythonStrings(source).find((s) => offset >= s.start && offset <= s.end);
}

const SIMPLE: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '' };

/** Decodes the escapes a path can meet; unknown escapes stay as written, as Python keeps `\d`. */
function decodeEscapes(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[\s\S])/g, (m, e: string) => {
    if (e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
    return SIMPLE[e] ?? m;
  });
}

/**
 * The part of a literal that names a path: an f-string or a `%`/`{}` template is cut at its first
 * placeholder, keeping the folder before it (`f'result/image/{i}.png'` → `result/image`).
 */
export function literalPath(s: Pick<PythonString, 'value' | 'formatted'>): string | undefined {
  let v = s.value;
  if (v.length === 0 || v.length > 1024 || /[\n\r\0]/.test(v)) return undefined;
  const cut = v.search(/\{|%[-+ #0-9.]*[sdifgeEFGxr]/);
  if (cut >= 0) {
    v = v.slice(0, cut);
    const slash = Math.max(v.lastIndexOf('/'), v.lastIndexOf('\\'));
    v = slash >= 0 ? v.slice(0, slash) : '';
  }
  v = v.trim();
  return v && v !== '.' ? v : undefined;
}
