// Just enough of Python's shape to follow how a loss is built: logical lines (comments dropped,
// brackets and backslashes joined, docstrings blanked), assignments with their targets, function and
// class bodies, and top-level splitting of expressions. Never a full parser; never executed.

/** One logical line of code. */
export interface Statement {
  /** 1-based line of its first physical line. */
  line: number;
  indent: number;
  text: string;
}

/** `a, self.b[i] = expr` / `a += expr`. */
export interface Assignment {
  /** The names assigned, last attribute part and no subscript: `self.loss_D[i]` → `loss_D`. */
  targets: string[];
  op: '=' | '+=' | '-=' | '*=' | '/=';
  expr: string;
  /** Index of its statement. */
  at: number;
}

/** A `def` or `class` and the statements of its body. */
export interface Block {
  kind: 'def' | 'class';
  name: string;
  /** The statement of the `def` / `class` line. */
  at: number;
  /** Statements [from, to) are its body. */
  from: number;
  to: number;
}

const OPEN = '([{';
const CLOSE = ')]}';

/**
 * Logical statements of a Python source: comments removed, lines joined inside brackets and after a
 * backslash, the text of triple-quoted strings blanked (docstrings are prose), one-line compound
 * statements (`if x: y = 1`) and `;` split into their parts.
 */
export function statementsOf(source: string): Statement[] {
  const out: Statement[] = [];
  let text = '';
  let depth = 0;
  let line = 1;
  let startLine = 1;
  let indent = -1;
  let atLineStart = true;
  let lead = 0;
  const flush = () => {
    const body = text.trim();
    if (body) for (const part of splitCompound(body)) out.push({ line: startLine, indent: indent + part.extra, text: part.text });
    text = '';
    indent = -1;
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (atLineStart) {
      if (c === ' ') {
        lead++;
        continue;
      }
      if (c === '\t') {
        lead += 4;
        continue;
      }
      atLineStart = false;
      if (indent < 0 && depth === 0) {
        indent = lead;
        startLine = line;
      }
    }
    if (c === '#') {
      while (i + 1 < source.length && source[i + 1] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = source.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      let j = i + quote.length;
      while (j < source.length && !source.startsWith(quote, j)) {
        if (source[j] === '\\') j++;
        else if (!triple && source[j] === '\n') break;
        j++;
      }
      const inner = source.slice(i + quote.length, Math.min(j, source.length));
      for (const ch of inner) if (ch === '\n') line++;
      text += triple ? `${quote}${quote}` : `${quote}${inner}${quote}`;
      // An unclosed one-line string ends at its line: the newline is still read as one.
      i = !triple && source[j] === '\n' ? j - 1 : Math.min(j + quote.length - 1, source.length - 1);
      continue;
    }
    if (c === '\\' && source[i + 1] === '\n') {
      i++;
      line++;
      text += ' ';
      continue;
    }
    if (c === '\r') continue;
    if (c === '\n') {
      line++;
      atLineStart = true;
      lead = 0;
      if (depth > 0) {
        text += ' ';
        continue;
      }
      flush();
      continue;
    }
    if (OPEN.includes(c)) depth++;
    else if (CLOSE.includes(c)) depth = Math.max(0, depth - 1);
    text += c;
  }
  flush();
  return out;
}

const COMPOUND = /^(if|elif|else|for|while|with|try|except|finally|async\s+for|async\s+with)\b/;

/** `if x: y = 1` → `if x:` and `y = 1` one level deeper; `a = 1; b = 2` → two statements. */
function splitCompound(body: string): { text: string; extra: number }[] {
  const parts = splitTopLevel(body, ';')
    .map((p) => p.trim())
    .filter(Boolean);
  const out: { text: string; extra: number }[] = [];
  for (const part of parts) {
    if (COMPOUND.test(part)) {
      const colon = topLevelIndex(part, ':');
      if (colon >= 0 && colon < part.length - 1 && part.slice(colon + 1).trim()) {
        out.push({ text: part.slice(0, colon + 1), extra: 0 });
        out.push({ text: part.slice(colon + 1).trim(), extra: 1 });
        continue;
      }
    }
    out.push({ text: part, extra: 0 });
  }
  return out;
}

/** Walks `s` calling `visit(i, depth)` for each character outside strings. */
function scan(s: string, visit: (i: number, depth: number) => boolean | void): void {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < s.length && s[j] !== c) j += s[j] === '\\' ? 2 : 1;
      i = j;
      continue;
    }
    if (OPEN.includes(c)) depth++;
    else if (CLOSE.includes(c)) depth--;
    else if (visit(i, depth) === true) return;
  }
}

/** Index of the first `ch` outside brackets and strings, or −1. */
export function topLevelIndex(s: string, ch: string): number {
  let found = -1;
  scan(s, (i, depth) => {
    if (depth === 0 && s[i] === ch) {
      found = i;
      return true;
    }
  });
  return found;
}

/** `s` split at `sep` outside brackets and strings. */
export function splitTopLevel(s: string, sep: string): string[] {
  const parts: string[] = [];
  let from = 0;
  scan(s, (i, depth) => {
    if (depth === 0 && s[i] === sep) {
      parts.push(s.slice(from, i));
      from = i + 1;
    }
  });
  parts.push(s.slice(from));
  return parts;
}

/** The assignment a statement makes, or null. */
export function assignmentOf(st: Statement, at: number): Assignment | null {
  const s = st.text;
  if (/^(def|class|return|if|elif|while|for|with|assert|print|import|from|lambda)\b/.test(s)) return null;
  const cuts: { i: number; op: Assignment['op'] }[] = [];
  scan(s, (i, depth) => {
    if (depth !== 0 || s[i] !== '=') return;
    const prev = s[i - 1] ?? '';
    const next = s[i + 1] ?? '';
    if (next === '=' || prev === '=' || prev === '!' || prev === '<' || prev === '>' || prev === ':') return;
    if ('+-*/'.includes(prev) && prev !== '') {
      if (s[i - 2] === '*' || s[i - 2] === '/') return; // `**=`, `//=`: not ours
      cuts.push({ i: i - 1, op: `${prev}=` as Assignment['op'] });
    } else cuts.push({ i, op: '=' });
  });
  if (!cuts.length) return null;
  const last = cuts[cuts.length - 1]!;
  const expr = s.slice(last.i + last.op.length).trim();
  const targets: string[] = [];
  let from = 0;
  for (const cut of cuts) {
    for (const target of splitTopLevel(s.slice(from, cut.i), ',')) {
      const name = targetName(target.replace(/:.*$/, '').trim());
      if (name) targets.push(name);
    }
    from = cut.i + cut.op.length;
  }
  if (!targets.length || !expr) return null;
  return { targets, op: last.op, expr, at };
}

/** `self.loss_D[i]` → `loss_D`; `(a` → `a`; null for anything that is not a name. */
function targetName(target: string): string | null {
  const t = target.replace(/\[[^\]]*\]/g, '').replace(/^[([*\s]+|[)\]\s]+$/g, '');
  const m = /([A-Za-z_][A-Za-z0-9_]*)$/.exec(t);
  return m && /^[A-Za-z_][\w.]*$/.test(t) ? m[1]! : null;
}

/** The `def` and `class` blocks of a file's statements. */
export function blocksOf(statements: Statement[]): Block[] {
  const out: Block[] = [];
  statements.forEach((st, at) => {
    const m = /^(?:async\s+)?(def|class)\s+([A-Za-z_]\w*)/.exec(st.text);
    if (!m) return;
    let to = at + 1;
    while (to < statements.length && statements[to]!.indent > st.indent) to++;
    out.push({ kind: m[1] as Block['kind'], name: m[2]!, at, from: at + 1, to });
  });
  return out;
}

/** Index of the bracket closing the one at `open`, or −1. */
export function closingOf(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < s.length && s[j] !== c) j += s[j] === '\\' ? 2 : 1;
      i = j;
      continue;
    }
    if (OPEN.includes(c)) depth++;
    else if (CLOSE.includes(c) && --depth === 0) return i;
  }
  return -1;
}

/** An expression without outer parentheses that wrap all of it: `((a + b))` → `a + b`. */
export function unwrap(expr: string): string {
  let e = expr.trim();
  while (e.startsWith('(') && closingOf(e, 0) === e.length - 1) e = e.slice(1, -1).trim();
  return e;
}

/** Terms of a sum at the top level with their signs: `-a + 0.5*b - c` → [−a, +0.5*b, −c]. Unary signs and exponents (`1e-4`) do not split. */
export function termsOf(expr: string): { sign: 1 | -1; text: string }[] {
  const e = unwrap(expr);
  const out: { sign: 1 | -1; text: string }[] = [];
  let sign: 1 | -1 = 1;
  let from = 0;
  scan(e, (i, depth) => {
    const c = e[i]!;
    if (depth !== 0 || (c !== '+' && c !== '-') || e[i + 1] === '=') return;
    const before = e.slice(from, i).trim();
    // `1e-4` is a number, not a difference.
    if (/(^|[^A-Za-z_])[0-9.]+[eE]$/.test(e.slice(0, i)) && /\d/.test(e[i + 1] ?? '')) return;
    if (!before) {
      // A leading sign belongs to the term.
      if (c === '-') sign = (sign * -1) as 1 | -1;
      from = i + 1;
      return;
    }
    // After an operator (`a * -b`, `x ** -1`) the sign is the operand's own.
    if (/[*/%(,=<>&|^~]$/.test(before)) return;
    out.push({ sign, text: before });
    sign = c === '-' ? -1 : 1;
    from = i + 1;
  });
  const rest = e.slice(from).trim();
  if (rest) out.push({ sign, text: rest });
  return out;
}

/** Factors of a product at the top level: `0.5 * (a + b)` → ['0.5', '(a + b)'], with divisors marked. */
export function factorsOf(expr: string): { text: string; divides: boolean }[] {
  const e = unwrap(expr);
  const out: { text: string; divides: boolean }[] = [];
  let from = 0;
  let divides = false;
  scan(e, (i, depth) => {
    const c = e[i]!;
    if (depth !== 0 || (c !== '*' && c !== '/')) return;
    if (e[i + 1] === c || e[i - 1] === c) return; // `**`, `//`
    out.push({ text: e.slice(from, i).trim(), divides });
    divides = c === '/';
    from = i + 1;
  });
  out.push({ text: e.slice(from).trim(), divides });
  return out.filter((f) => f.text);
}
