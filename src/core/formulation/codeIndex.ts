// The training code as something to look names up in: each file's statements, its assignments
// (and `.append(x)` calls, which fill the lists a script saves), and its `def` / `class` blocks.
import type { CodeFile } from '../code/trainingCode';
import { assignmentOf, blocksOf, statementsOf, type Assignment, type Block, type Statement } from '../code/pythonText';

export interface ParsedFile {
  file: CodeFile;
  statements: Statement[];
  assignments: Assignment[];
  blocks: Block[];
}

/** Where a name is given a value: an assignment (or an `.append`) in a file. */
export interface Definition {
  parsed: ParsedFile;
  assignment: Assignment;
  /** The position of the name among the assignment's targets (`a, b = f()`: b is 1). */
  index: number;
}

export interface BlockRef {
  parsed: ParsedFile;
  block: Block;
}

const APPEND = /^([A-Za-z_][\w.]*(?:\[[^\]]*\])?)\.append\((.*)\)$/;
// An empty start (`d_losses = []`, `dis_loss = 0`) says nothing about what a name holds.
const EMPTY = /^(\[\s*\]|\{\s*\}|0(\.0*)?|None|list\(\)|dict\(\)|np\.zeros\(.*\))$/;

export function parseFile(file: CodeFile): ParsedFile {
  const statements = statementsOf(file.text);
  const assignments: Assignment[] = [];
  statements.forEach((st, at) => {
    const a = assignmentOf(st, at);
    if (a) {
      if (!EMPTY.test(a.expr)) assignments.push(a);
      return;
    }
    const m = APPEND.exec(st.text);
    if (m) {
      const name = /([A-Za-z_]\w*)(?:\[[^\]]*\])?$/.exec(m[1]!)?.[1];
      if (name) assignments.push({ targets: [name], op: '=', expr: m[2]!, at });
    }
  });
  return { file, statements, assignments, blocks: blocksOf(statements) };
}

export class CodeIndex {
  private readonly defs = new Map<string, Definition[]>();
  private readonly blocks = new Map<string, BlockRef[]>();

  constructor(readonly files: ParsedFile[]) {
    for (const parsed of files) {
      for (const assignment of parsed.assignments) {
        assignment.targets.forEach((name, index) => {
          const list = this.defs.get(name) ?? [];
          list.push({ parsed, assignment, index });
          this.defs.set(name, list);
        });
      }
      for (const block of parsed.blocks) {
        const list = this.blocks.get(block.name) ?? [];
        list.push({ parsed, block });
        this.blocks.set(block.name, list);
      }
    }
  }

  /**
   * Where `name` gets its value as seen from statement `at` of `near`: the assignments before it in
   * the same function, nearest first, down to the first one not inside a branch (it shadows the
   * earlier ones); else every one in that file, then in the others.
   */
  definitionsOf(name: string, near?: ParsedFile, at?: number): Definition[] {
    // `x += y` adds to x (see additionsAfter); it is where x gets its value only after an empty start (`x = 0`).
    const every = this.defs.get(name) ?? [];
    const set = every.filter((d) => d.assignment.op === '=');
    const all = set.length ? set : every.filter((d) => d.assignment.op === '+=');
    if (!near) return all;
    const here = all.filter((d) => d.parsed === near);
    if (at !== undefined) {
      const block = this.enclosing(near, at);
      const useIndent = near.statements[at]?.indent ?? 0;
      const before = here
        .filter((d) => d.assignment.at < at && this.enclosing(near, d.assignment.at) === block)
        .sort((a, b) => b.assignment.at - a.assignment.at);
      const seen: Definition[] = [];
      for (const d of before) {
        seen.push(d);
        if ((near.statements[d.assignment.at]?.indent ?? 0) <= useIndent) break;
      }
      if (seen.length) return seen;
    }
    return [...here, ...all.filter((d) => d.parsed !== near)];
  }

  /** The innermost `def` holding statement `at`, or null at module level. */
  enclosing(parsed: ParsedFile, at: number): Block | null {
    let best: Block | null = null;
    for (const b of parsed.blocks) if (b.kind === 'def' && b.from <= at && at < b.to && (!best || b.from > best.from)) best = b;
    return best;
  }

  /** The `def` or `class` called `name`, those in `near`'s file first. */
  blocksNamed(name: string, near?: ParsedFile): BlockRef[] {
    const all = this.blocks.get(name) ?? [];
    return near ? [...all.filter((b) => b.parsed === near), ...all.filter((b) => b.parsed !== near)] : all;
  }

  /** The statements of a block as one text. */
  bodyText(ref: BlockRef, maxChars = 6000): string {
    const parts: string[] = [];
    let size = 0;
    for (let i = ref.block.from; i < ref.block.to && size < maxChars; i++) {
      const text = ref.parsed.statements[i]!.text;
      parts.push(text);
      size += text.length;
    }
    return parts.join('\n');
  }

  /** The expressions a block returns (`return a + b`), with their statements. */
  returnsOf(ref: BlockRef): { expr: string; at: number }[] {
    const out: { expr: string; at: number }[] = [];
    for (let i = ref.block.from; i < ref.block.to; i++) {
      const m = /^return\s+(.+)$/.exec(ref.parsed.statements[i]!.text);
      if (m) out.push({ expr: m[1]!, at: i });
    }
    return out;
  }

  /** Statements after `at` in the same file that add to `name` (`loss_D[i] += lambda_gp * gp`), until `name` is set again. */
  additionsAfter(parsed: ParsedFile, name: string, at: number, limit = 12): string[] {
    const out: string[] = [];
    for (const a of parsed.assignments) {
      if (a.at <= at || a.at > at + limit || !a.targets.includes(name)) continue;
      if (a.op === '+=') out.push(a.expr);
      else break;
    }
    return out;
  }
}

/** Identifiers in a text (outside strings), each once: `self.criterionGAN(pred, True)` → criterionGAN, pred. */
export function identifiersIn(text: string): string[] {
  const bare = text.replace(/(['"])(?:\\.|(?!\1).)*\1/g, '""');
  const out = new Set<string>();
  for (const m of bare.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) out.add(m[0]);
  return [...out];
}

/** The name a call in a text calls last: `self.backward_D_basic(a, b)` → backward_D_basic. */
export function calleeOf(expr: string): string | null {
  const m = /^([A-Za-z_][\w.]*)\s*\(.*\)$/s.exec(expr.trim());
  return m ? m[1]!.split('.').pop()! : null;
}
