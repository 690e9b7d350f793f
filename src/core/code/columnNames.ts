// The names of a header-less loss table's columns, read from the code that wrote it: what the
// columns are is only in the write statement (or the docstring of the function that writes):
//   np.savetxt('loss.csv', np.c_[d_losses, g_losses])           → d_losses, g_losses
//   log.write(str(step) + "\t" + str(dis_loss) + "\t" + str(gen_loss) + "\n")
//   f.write(f"{step}\t{d_loss:.4f}\t{g_loss:.4f}\n"), "%d,%f,%f" % (step, d, g), "{},{}".format(d, g)
//   csv.writer(f).writerow([epoch, d_loss, g_loss])
//   wtr.writerow(losses_sum) under a docstring "The sequence of the losses is: gen_total_loss, gen_loss, …"
// A statement counts only when it writes as many columns as the file has; the files that name the
// loss file are read first; elsewhere one statement must be the only one that fits. Nothing found:
// null, and the columns stay numbered (no column is called D or G on a guess).
import { filesNaming, type CodeFile, type TrainingCode } from './trainingCode';

// Calls and attributes around a value that are not its name: `str(x)`, `np.mean(x)`, `x.item()`.
const NOT_A_NAME: ReadonlySet<string> = new Set([
  'str',
  'float',
  'int',
  'round',
  'repr',
  'format',
  'np',
  'numpy',
  'torch',
  'tf',
  'math',
  'self',
  'item',
  'cpu',
  'detach',
  'mean',
  'sum',
  'data',
  'tolist',
  'len',
  'abs',
  'min',
  'max',
  'avg',
  'average',
  'array',
  'asarray',
  'squeeze',
  'value',
  'result',
  'eval',
]);

/** The name of a value expression (`np.mean(d_losses)` → `d_losses`, `self.d_loss.item()` → `d_loss`), or null. */
export function expressionName(expr: string): string | null {
  const words = expr.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
  const named = words.filter((w) => !NOT_A_NAME.has(w) || words.length === 1);
  return named.length ? named[named.length - 1]! : null;
}

/** Splits `a, b(c, d), e` at the top-level `sep` (outside brackets and quotes). */
function splitTopLevel(list: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === sep && depth === 0) {
      out.push(list.slice(start, i));
      start = i + 1;
    }
  }
  if (list.slice(start).trim()) out.push(list.slice(start));
  return out.map((s) => s.trim()).filter(Boolean);
}

const topLevel = (list: string) => splitTopLevel(list, ',');

/** The text inside the brackets that open at `open` (`(`, `[`), or null when they never close. */
function inside(text: string, open: number): string | null {
  const close = text[open] === '(' ? ')' : text[open] === '[' ? ']' : '}';
  let depth = 0;
  for (let i = open; i < text.length && i < open + 4000; i++) {
    if (text[i] === text[open]) depth++;
    else if (text[i] === close && --depth === 0) return text.slice(open + 1, i);
  }
  return null;
}

function names(exprs: string[]): string[] | null {
  const out = exprs.map(expressionName);
  return out.every((n): n is string => n !== null) ? out : null;
}

/** The column name lists a source text writes, each with where its statement is. */
export function writtenColumns(text: string): { names: string[]; at: number }[] {
  const found: { names: string[]; at: number }[] = [];
  const add = (list: string[] | null, at: number) => {
    if (list && list.length) found.push({ names: list, at });
  };
  // np.savetxt(…, np.c_[a, b]) / np.column_stack((a, b)) / np.stack([a, b], axis=1) / np.array([a, b]).T
  for (const m of text.matchAll(/np\.(?:c_\[|column_stack\(\s*[([]|stack\(\s*[([]|array\(\s*\[|vstack\(\s*[([])/g)) {
    const body = inside(text, m.index! + m[0].length - 1);
    if (body !== null && /savetxt/.test(text.slice(Math.max(0, m.index! - 200), m.index!))) add(names(topLevel(body)), m.index!);
  }
  // .write(str(a) + "\t" + str(b) + "\n")
  for (const m of text.matchAll(/\.write\(/g)) {
    const body = inside(text, m.index! + m[0].length - 1);
    if (body === null) continue;
    const f = /^\s*f(["'])(.*)\1/s.exec(body);
    if (f) {
      add(names([...f[2]!.matchAll(/\{([^{}:!]+)(?:[:!][^{}]*)?\}/g)].map((x) => x[1]!)), m.index!);
      continue;
    }
    const percent = /^\s*(["']).*?\1\s*%\s*\(([\s\S]*)\)\s*$/.exec(body);
    if (percent) {
      add(names(topLevel(percent[2]!)), m.index!);
      continue;
    }
    const format = /^\s*(["']).*?\1\s*\.format\(([\s\S]*)\)\s*$/.exec(body);
    if (format) {
      add(names(topLevel(format[2]!)), m.index!);
      continue;
    }
    if (/\+/.test(body)) {
      const terms = splitTopLevel(body, '+').filter((s) => !/^(["']).*\1$/.test(s));
      add(names(terms), m.index!);
    }
  }
  // writer.writerow([a, b, c]) — or writerow(x) with the columns listed in the docstring around it.
  for (const m of text.matchAll(/\.writerow\(/g)) {
    const body = inside(text, m.index! + m[0].length - 1);
    if (body === null) continue;
    const list = /^\s*[[(]([\s\S]*)[\])]\s*$/.exec(body);
    if (list) add(names(topLevel(list[1]!)), m.index!);
    else add(docstringColumns(text, m.index!), m.index!);
  }
  return found;
}

/** Column names a docstring or comment lists before `at` in its function ("The sequence of the losses is: a, b, c"). */
function docstringColumns(text: string, at: number): string[] | null {
  const def = text.lastIndexOf('def ', at);
  const region = text.slice(def < 0 ? Math.max(0, at - 2000) : def, at);
  let best: string[] | null = null;
  for (const m of region.matchAll(/(?:[:]\s*|\bare\s+|\bis\s+)((?:[A-Za-z_][A-Za-z0-9_]*\s*,\s*)+[A-Za-z_][A-Za-z0-9_]*)/g)) {
    const list = m[1]!.split(',').map((s) => s.trim());
    if (!best || list.length > best.length) best = list;
  }
  return best;
}

/**
 * The names of the `columns` columns of the header-less `fileName`, from the code that wrote it
 * (see the top of this file); null when no statement tells.
 */
export function columnNamesFromCode(code: TrainingCode, fileName: string, columns: number): string[] | null {
  const fits = (files: CodeFile[]) => {
    const lists = new Map<string, string[]>();
    for (const f of files) for (const w of writtenColumns(f.text)) if (w.names.length === columns) lists.set(w.names.join('\u0000'), w.names);
    return [...lists.values()];
  };
  const naming = fits(filesNaming(code, fileName));
  if (naming.length === 1) return naming[0]!;
  if (naming.length > 1) return null;
  const anywhere = fits(code.files);
  return anywhere.length === 1 ? anywhere[0]! : null;
}
