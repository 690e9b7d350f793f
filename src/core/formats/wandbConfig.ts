// A W&B run's `files/config.yaml`: the run's settings (`wandb.config`), each top-level key written as
// `key: {desc: …, value: …}` (or `{value: …}` in newer versions), plus `wandb_version` and wandb's
// own `_wandb` entry. The Python SDK dumps it with PyYAML (block style, lists at their key's
// indent), wandb-core with Go's yaml.v3 (lists indented, quoted keys, `|-` blocks); this reads the
// YAML those writers emit, not YAML at large. Pure over text; anything it cannot read is left out.

/** The run's settings: top-level key → its value, wandb's own entries left out. */
export type WandbSettings = Record<string, unknown>;

interface Line {
  indent: number;
  text: string;
}

/** The settings in a W&B `config.yaml`; {} when there are none or the text is not such a file. */
export function parseWandbConfig(text: string): WandbSettings {
  const lines: Line[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const body = raw.trimEnd();
    const trimmed = body.trimStart();
    if (!trimmed || trimmed.startsWith('#') || trimmed === '---' || trimmed === '...') {
      // A blank line inside a block scalar is part of it; elsewhere it carries nothing.
      if (!trimmed && lines.length) lines.push({ indent: -1, text: '' });
      continue;
    }
    lines.push({ indent: body.length - trimmed.length, text: trimmed });
  }
  const parser = new YamlBlocks(lines);
  const top = parser.block(0);
  if (!isMap(top)) return {};
  const settings: WandbSettings = {};
  for (const [key, entry] of Object.entries(top)) {
    if (key === 'wandb_version' || key === '_wandb') continue;
    settings[key] = isMap(entry) && 'value' in entry ? entry.value : entry;
  }
  return settings;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// `key: rest`, the key plain or quoted.
const MAP_ENTRY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s'"#:][^:#]*?|[^\s'"#:])\s*:(?:\s+(.*))?$/;

class YamlBlocks {
  private i = 0;

  constructor(private readonly lines: Line[]) {}

  /** The mapping or list that starts at the next line, indented at least `min`. */
  block(min: number): unknown {
    this.skipBlank();
    const first = this.lines[this.i];
    if (!first || first.indent < min) return null;
    return first.text === '-' || first.text.startsWith('- ') ? this.list(first.indent) : this.map(first.indent);
  }

  private map(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      this.skipBlank();
      const line = this.lines[this.i];
      if (!line || line.indent !== indent) return out;
      const m = MAP_ENTRY.exec(line.text);
      if (!m) return out;
      this.i++;
      const key = unquote(m[1]!);
      const rest = m[2] ?? '';
      if (rest === '') {
        // The value is the block below: indented, or (PyYAML) a list at the key's own indent.
        const next = this.peek();
        const listHere = next && next.indent === indent && (next.text === '-' || next.text.startsWith('- '));
        out[key] = next && (next.indent > indent || listHere) ? this.block(listHere ? indent : indent + 1) : null;
      } else out[key] = this.scalarWithContinuation(rest, indent);
    }
  }

  private list(indent: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      this.skipBlank();
      const line = this.lines[this.i];
      if (!line || line.indent !== indent || !(line.text === '-' || line.text.startsWith('- '))) return out;
      const rest = line.text.slice(1).trimStart();
      if (rest === '') {
        this.i++;
        out.push(this.block(indent + 1));
      } else if (MAP_ENTRY.test(rest) && !/^["'[{]/.test(rest)) {
        // `- key: value`: a mapping whose keys sit two columns in.
        this.lines[this.i] = { indent: indent + 2, text: rest };
        out.push(this.map(indent + 2));
      } else {
        this.i++;
        out.push(this.scalarWithContinuation(rest, indent));
      }
    }
  }

  /** A scalar that may go on in more-indented lines (a long string wrapped, a quoted one, a `|` block). */
  private scalarWithContinuation(first: string, indent: number): unknown {
    if (/^[|>][-+]?$/.test(first)) {
      const parts: string[] = [];
      let blockIndent = -1;
      for (let line = this.lines[this.i]; line && (line.indent === -1 || line.indent > indent); line = this.lines[++this.i]) {
        if (line.indent >= 0 && blockIndent < 0) blockIndent = line.indent;
        parts.push(line.indent < 0 ? '' : ' '.repeat(line.indent - blockIndent) + line.text);
      }
      while (parts.length && parts[parts.length - 1] === '') parts.pop();
      return parts.join(first.startsWith('|') ? '\n' : ' ');
    }
    let text = first;
    const open = text[0] === '"' || text[0] === "'" ? text[0] : null;
    const closed = () => open !== null && text.length > 1 && closesQuote(text, open);
    for (let line = this.lines[this.i]; line && line.indent > indent && (open ? !closed() : true); line = this.lines[++this.i]) {
      if (!open && (MAP_ENTRY.test(line.text) || line.text.startsWith('- '))) break;
      text += ` ${line.text}`;
    }
    return scalar(text);
  }

  private peek(): Line | undefined {
    this.skipBlank();
    return this.lines[this.i];
  }

  private skipBlank(): void {
    while (this.lines[this.i]?.indent === -1) this.i++;
  }
}

function closesQuote(text: string, quote: string): boolean {
  if (quote === "'") return /[^']'(?:'')*$|^''$/.test(text) && (text.length - text.replace(/'/g, '').length) % 2 === 0;
  let escaped = false;
  for (let k = 1; k < text.length; k++) {
    if (escaped) escaped = false;
    else if (text[k] === '\\') escaped = true;
    else if (text[k] === '"') return k === text.length - 1;
  }
  return false;
}

function unquote(s: string): string {
  if (s.length >= 2 && s[0] === "'" && s[s.length - 1] === "'") return s.slice(1, -1).replace(/''/g, "'");
  if (s.length >= 2 && s[0] === '"' && s[s.length - 1] === '"') {
    try {
      return JSON.parse(s) as string;
    } catch {
      return s.slice(1, -1);
    }
  }
  return s;
}

const INT = /^[-+]?(0|[1-9][0-9_]*)$/;
const FLOAT = /^[-+]?(\d[\d_]*)?\.?\d*([eE][-+]?\d+)?$/;

/** A plain or quoted YAML scalar as PyYAML / yaml.v3 resolve it; a flow `[…]` / `{}` of scalars too. */
function scalar(text: string): unknown {
  const s = text.trim();
  if (s[0] === '"' || s[0] === "'") return unquote(s);
  if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  if (/^(true|True|TRUE)$/.test(s)) return true;
  if (/^(false|False|FALSE)$/.test(s)) return false;
  if (INT.test(s)) return Number(s.replace(/_/g, ''));
  if (/\d/.test(s) && FLOAT.test(s)) return Number(s.replace(/_/g, ''));
  if (/^[-+]?\.(inf|Inf|INF)$/.test(s)) return s[0] === '-' ? -Infinity : Infinity;
  if (/^\.(nan|NaN|NAN)$/.test(s)) return NaN;
  if (s === '[]') return [];
  if (s === '{}') return {};
  if (s[0] === '[' && s[s.length - 1] === ']')
    return s
      .slice(1, -1)
      .split(',')
      .map((v) => scalar(v));
  return s;
}
