// How one loss is built, read from the code that builds it: which loss family its terms use, whether
// the D loss adds or averages its real and fake terms, which penalties join them, and the factor in
// front of an LSGAN term. Names are followed to their assignments, calls to their `def` bodies
// (a tuple target to its place in the `return`), so `d_loss = real_loss + fake_loss` inside a
// function called by a Keras `train_step` is read as the logged D loss. Bounded in depth and size.
import type { DTerms, LossType, Penalty } from '../model';
import { closingOf, factorsOf, splitTopLevel, termsOf, unwrap } from '../code/pythonText';
import { calleeOf, identifiersIn, type CodeIndex, type ParsedFile } from './codeIndex';

export interface Reading {
  /** Families whose signs the loss's code shows. */
  families: Set<LossType>;
  dTerms?: DTerms;
  /** The factor before each squared-error term (0.5 in `0.5 * mean((D(x) - 1) ** 2)`). */
  termScale?: number;
  penalties: Set<Penalty>;
  /** What was read, for the user: "d_loss = real_loss + fake_loss", "nn.BCELoss". */
  said: string[];
  /** The expression is a negated output (`-output.mean()`): with a plain term of the other sign, a critic. */
  negated?: boolean;
  /** The assignment that joins the D loss's terms (`d_loss = 0.5 * np.add(d_real, d_fake)`), for the user, and its file. */
  built?: string;
  builtIn?: string;
}

const MAX_DEPTH = 12;
// Names of loss functions and criteria, followed even when not called here (`self.criterion = nn.BCELoss()`).
const LOSS_NAME = /loss|criterion|crit|bce|mse|entropy|adv/i;
const MAX_CLOSURE = 40_000;

// Family signs, read in the code that computes a loss's terms.
const SIGNS: [LossType, RegExp, (m: string) => string][] = [
  [
    'bce',
    /\b(BCELoss|BCEWithLogitsLoss|binary_cross_entropy_with_logits|binary_cross_entropy|BinaryCrossentropy|binary_crossentropy|sigmoid_cross_entropy_with_logits|softplus|log_sigmoid|logsigmoid|LogSigmoid)\b|\b(?:torch|tf|th|np|K|math|tf\.math)\.log\(/,
    (m) => m.replace(/\($/, ''),
  ],
  [
    'lsgan',
    /\b(MSELoss|mse_loss|mean_squared_error|MeanSquaredError|squared_difference)\b|['"]mse['"]|\*\*\s*2\b|\.pow\(\s*2\s*\)|\b(?:tf|K|torch|np)\.square\(/,
    (m) => (/\*\*|pow|square/.test(m) ? '(…)²' : m.replace(/['"]/g, '')),
  ],
  [
    'hinge',
    /\brelu\(\s*1(?:\.0*)?\s*[-+]|\bhinge\w*|\bmaximum\(\s*0(?:\.0*)?\s*,\s*1(?:\.0*)?\s*[-+]|\bclamp\(\s*1(?:\.0*)?\s*[-+][^)]*min\s*=\s*0/i,
    (m) => (/relu/i.test(m) ? 'relu(1 ± …)' : m),
  ],
  ['wgan', /\b(wasserstein\w*|wgan\w*)\b/i, (m) => m],
];

const PENALTY_WORDS: [Penalty, RegExp][] = [
  ['gradient-penalty', /(^|_)(gp|gradient_penalty|grad_penalty|gradients?|grad|penalty|lambda_gp)(_|$)|calc_gradient_penalty|compute_gradient_penalty/i],
  ['r1', /(^|_)(r1|R1)(_|$)|loss_Dr1|r1_penalty/],
  ['drift', /drift|epsilon_penalty|eps_penalty/i],
];

/** The penalty a term of a D loss is, or null for an adversarial term. */
export function penaltyOf(term: string): Penalty | null {
  for (const id of identifiersIn(term)) for (const [p, re] of PENALTY_WORDS) if (re.test(id)) return p;
  // An inline gradient penalty: ((grad.norm(2, dim=1) - 1) ** 2).mean().
  if (/\.norm\(/.test(term) && /\*\*\s*2|pow\(2\)/.test(term)) return 'gradient-penalty';
  return null;
}

const NUMBER = /^[0-9]*\.?[0-9]+$/;
const HALF = (f: { text: string; divides: boolean }) => (!f.divides && /^(0?\.5|0\.50*)$/.test(f.text)) || (f.divides && /^2(\.0*)?$/.test(f.text));
const TRAILING = /(\.(item|detach|cpu|numpy|data|float|double|mean|sum|squeeze)\(\)|\.data|\[0\])+$/;

// Wrappers that keep a loss what it is: `float(x)`, `torch.mean(x)` (of a scalar loss), `np.array(x)`.
const WRAPPER = /^(?:float|np\.float32|np\.float64|np\.array|(?:torch|tf|th|np|K|tf\.math)\.(?:mean|reduce_mean))\(/;

function clean(expr: string): string {
  let e = unwrap(expr.trim()).replace(TRAILING, '');
  for (let m = WRAPPER.exec(e); m; m = WRAPPER.exec(e)) {
    const open = m[0].length - 1;
    const inner = e.slice(open + 1, -1);
    if (closingOf(e, open) !== e.length - 1 || splitTopLevel(inner, ',').length > 1) break;
    e = unwrap(inner).replace(TRAILING, '');
  }
  return e;
}

export class LossReader {
  private size = 0;
  private readonly seen = new Set<string>();
  private readonly done = new Map<string, Reading>();

  constructor(private readonly index: CodeIndex) {}

  /** Reads a D loss (role 'd': terms joined) or a G loss ('g': its own factor) given by an expression in a file. */
  read(expr: string, parsed: ParsedFile, at: number, role: 'd' | 'g', depth = 0, tupleIndex = 0): Reading {
    const r: Reading = { families: new Set(), penalties: new Set(), said: [] };
    if (depth > MAX_DEPTH) return r;
    const e = clean(expr);
    // A halved sum: (a + b) / 2, 0.5 * (a + b), (a + b) * 0.5, 0.5 * np.add(a, b).
    const factors = factorsOf(e);
    if (factors.length === 2 && factors.some(HALF)) {
      const rest = factors.find((f) => !HALF(f))!.text;
      const inner = this.read(rest, parsed, at, role, depth + 1);
      if (role === 'd' && inner.dTerms === 'sum') return { ...inner, dTerms: 'mean' };
      if (role === 'g' || inner.dTerms === undefined) return { ...inner, termScale: 0.5 * (inner.termScale ?? 1) };
      return inner;
    }
    // A loss scaled or averaged over iterations (`loss / n_critic`, `10 * loss`): the loss itself.
    if (factors.length >= 2) {
      const main = factors.filter((f) => !f.divides && !NUMBER.test(f.text) && !/^(lambda\w*|weight\w*|alpha|beta|gamma|w)$/i.test(f.text));
      if (main.length === 1) return this.read(main[0]!.text, parsed, at, role, depth + 1, tupleIndex);
    }
    const add = /^(?:np|torch|tf|tf\.math)\.add\((.*)\)$/s.exec(e);
    const stacked = /^(?:np|torch)\.mean\(\s*(?:torch\.stack\()?\[(.*)\]\)?\s*\)$/s.exec(e);
    const joined = add
      ? splitTopLevel(add[1]!, ',').map((x) => ({ sign: 1 as const, text: x.trim() }))
      : stacked
        ? splitTopLevel(stacked[1]!, ',').map((x) => ({ sign: 1 as const, text: x.trim() }))
        : termsOf(e);
    if (joined.length >= 2) return this.readTerms(joined, stacked ? 'mean' : undefined, e, parsed, at, role, depth);
    if (joined.length === 1 && joined[0]!.sign < 0) return { ...this.read(joined[0]!.text, parsed, at, role, depth + 1, tupleIndex), negated: true };
    // One call: a user function (its return), a Keras step, or a loss function on one batch.
    const callee = calleeOf(e);
    if (callee === 'train_on_batch' || callee === 'test_on_batch') return this.keras(r, parsed);
    if (callee) {
      const defs = this.index.blocksNamed(callee, parsed).filter((b) => b.block.kind === 'def');
      // A function called from several places (junyanz's backward_D_basic for D_A and D_B) is read
      // once; one that calls a library function of its own name (a wrapper) is read as that call.
      const key = `def:${defs[0]?.parsed.file.rel}:${callee}:${tupleIndex}:${role}`;
      const known = this.done.get(key);
      if (known) return { ...known, families: new Set(known.families), penalties: new Set(known.penalties), said: [...known.said] };
      if (defs.length && this.enter(key)) {
        const ref = defs[0]!;
        const readings = this.index.returnsOf(ref).map((ret) => {
          const parts = splitTopLevel(ret.expr, ',');
          return this.read(parts[Math.min(tupleIndex, parts.length - 1)]!, ref.parsed, ret.at, role, depth + 1);
        });
        const reading = merge(readings);
        this.done.set(key, reading);
        return reading;
      }
      // A loss function called once (its name or what it was given shows a family): one loss over
      // the batch it is given, real and fake together for a whole D.
      const fn: Reading = { families: new Set(), penalties: new Set(), said: [] };
      this.signsOf(callee, parsed, fn, depth);
      this.signsOf(e, parsed, r, depth);
      for (const f of fn.families) r.families.add(f);
      for (const w of fn.said) if (!r.said.includes(w)) r.said.unshift(w);
      if (role === 'd' && fn.families.size && !r.families.has('wgan')) r.dTerms = 'mean';
      return r;
    }
    // A name: what it was given.
    const name = /^(?:self\.)?(?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*)(?:\[[^\]]*\])?$/.exec(e)?.[1];
    if (name) {
      if (!this.enter(`name:${parsed.file.rel}:${name}`)) return r;
      const defs = this.index
        .definitionsOf(name, parsed, at)
        .filter((d) => d.assignment.expr.trim() !== name)
        .slice(0, 4);
      const readings = defs.map((d) => {
        const more = this.index.additionsAfter(d.parsed, name, d.assignment.at);
        const text = withoutSelf(more.length ? `${d.assignment.expr} + ${more.join(' + ')}` : d.assignment.expr, name);
        const reading = this.read(text, d.parsed, d.assignment.at, role, depth + 1, d.index);
        if (reading.dTerms && !reading.built)
          [reading.built, reading.builtIn] = [`${name} = ${text.length > 70 ? `${text.slice(0, 67)}…` : text}`, d.parsed.file.rel];
        return reading;
      });
      return merge(readings);
    }
    this.signsOf(e, parsed, r, depth);
    return r;
  }

  /** A sum of terms: the adversarial ones summed (or averaged when each carries ½), penalties noted, a critic's difference seen. */
  private readTerms(
    terms: { sign: 1 | -1; text: string }[],
    given: DTerms | undefined,
    whole: string,
    parsed: ParsedFile,
    at: number,
    role: 'd' | 'g',
    depth: number,
  ): Reading {
    const r: Reading = { families: new Set(), penalties: new Set(), said: [] };
    const adversarial = terms.filter((x) => {
      const p = penaltyOf(x.text);
      if (p) r.penalties.add(p);
      return !p && !NUMBER.test(x.text);
    });
    if (role === 'g') {
      // A G loss with other terms (L1, cycle, −γ·central D): its first adversarial term says its family.
      const first = adversarial[0];
      return first ? { ...this.read(first.text, parsed, at, 'g', depth + 1), said: r.said } : r;
    }
    if (adversarial.length === 1) {
      // One loss plus penalties (`wassloss + gp + drift`): that loss, with them.
      const one = this.read(adversarial[0]!.text, parsed, at, 'd', depth + 1);
      for (const p of r.penalties) one.penalties.add(p);
      if (adversarial[0]!.sign < 0) one.negated = !one.negated;
      return one;
    }
    const halves = adversarial.map((x) => factorsOf(x.text));
    const eachHalved = halves.length >= 2 && halves.every((f) => f.length === 2 && f.some(HALF));
    const readings = adversarial.map((x, i) => this.read(eachHalved ? halves[i]!.find((f) => !HALF(f))!.text : x.text, parsed, at, 'g', depth + 1));
    const inner = merge(readings);
    for (const f of inner.families) r.families.add(f);
    for (const p of inner.penalties) r.penalties.add(p);
    if (inner.termScale !== undefined) r.termScale = inner.termScale;
    r.said.push(...inner.said.filter((s) => !r.said.includes(s)));
    // −D(real) + D(fake) with no loss function in either: a critic.
    const signs = adversarial.map((x, i) => x.sign * (readings[i]!.negated ? -1 : 1));
    if (signs.some((x) => x < 0) && signs.some((x) => x > 0) && !['bce', 'lsgan', 'hinge'].some((f) => r.families.has(f as LossType))) r.families.add('wgan');
    if (adversarial.length >= 2) r.dTerms = given ?? (eachHalved ? 'mean' : 'sum');
    return r;
  }

  /** Keras: a `train_on_batch` is one loss over the batch given (real and fake stacked: a mean); the family is in `compile(loss=…)`. */
  private keras(r: Reading, parsed: ParsedFile): Reading {
    r.dTerms = 'mean';
    r.said.push('train_on_batch');
    const compiled = parsed.statements
      .filter((s) => /\.compile\(.*\bloss\s*=/.test(s.text))
      .map((s) => s.text)
      .join('\n');
    for (const [type, re, word] of SIGNS) {
      const m = re.exec(compiled);
      if (m) {
        r.families.add(type);
        r.said.push(`compile(loss=${word(m[0])})`);
      }
    }
    for (const id of identifiersIn(compiled)) {
      const p = penaltyOf(id);
      if (p) r.penalties.add(p);
    }
    return r;
  }

  private enter(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  /**
   * The family signs in a text and in what its loss functions are: names called (`criterion(…)`,
   * `self.criterionGAN(…)`) or named like a loss (`adversarial_loss`) are followed to what they were
   * given, and classes or functions named like a loss (`GANLoss`) to their bodies. A network's code
   * (`netD(…)` → `class Discriminator`) is never read: its layers are no loss.
   */
  private signsOf(text: string, parsed: ParsedFile, r: Reading, depth: number): void {
    const texts: string[] = [text];
    const queue: { text: string; parsed: ParsedFile; depth: number }[] = [{ text, parsed, depth }];
    while (queue.length && this.size < MAX_CLOSURE) {
      const item = queue.shift()!;
      if (item.depth > MAX_DEPTH + 3) continue;
      const called = new Set([...item.text.matchAll(/([A-Za-z_]\w*)\s*\(/g)].map((m) => m[1]!));
      for (const id of identifiersIn(item.text)) {
        if (penaltyOf(id)) continue;
        const lossLike = LOSS_NAME.test(id);
        if (!called.has(id) && !lossLike) continue;
        for (const d of this.index.definitionsOf(id, item.parsed).slice(0, 3)) {
          if (!this.enter(`sign:${d.parsed.file.rel}:${d.assignment.at}`)) continue;
          texts.push(d.assignment.expr);
          this.size += d.assignment.expr.length;
          queue.push({ text: d.assignment.expr, parsed: d.parsed, depth: item.depth + 1 });
        }
        if (!lossLike) continue;
        for (const b of this.index.blocksNamed(id, item.parsed).slice(0, 1)) {
          if (!this.enter(`body:${b.parsed.file.rel}:${b.block.at}`)) continue;
          const body = this.index.bodyText(b);
          texts.push(body);
          this.size += body.length;
        }
      }
    }
    const all = texts.join('\n');
    for (const [type, re, word] of SIGNS) {
      const m = re.exec(all);
      if (!m) continue;
      r.families.add(type);
      r.said.push(word(m[0]));
    }
    // junyanz GANLoss holds every mode; the one trained is the option's default (train_opt.txt was not there).
    if (r.families.size > 1 && /\bgan_mode\b/.test(all)) {
      const mode = this.ganModeDefault();
      if (mode) {
        r.families.clear();
        r.families.add(mode.type);
        r.said.push(`--gan_mode default '${mode.word}'`);
      }
    }
  }

  private ganModeDefault(): { type: LossType; word: string } | null {
    for (const parsed of this.index.files) {
      for (const st of parsed.statements) {
        const m = /add_argument\(\s*['"]--gan_mode['"].*?default\s*=\s*['"]([\w-]+)['"]/.exec(st.text);
        if (!m) continue;
        const w = m[1]!.toLowerCase();
        const type: LossType | null =
          w === 'vanilla' || w === 'nonsaturating' ? 'bce' : w === 'lsgan' ? 'lsgan' : /wgan/.test(w) ? 'wgan' : w === 'hinge' ? 'hinge' : null;
        if (type) return { type, word: m[1]! };
      }
    }
    return null;
  }
}

/** An accumulation `x = x + y / n` read as what it adds: `y / n`. */
export function withoutSelf(expr: string, name: string): string {
  const terms = termsOf(expr);
  const own = (x: string) => new RegExp(`^(?:self\\.)?${name}(?:\\[[^\\]]*\\])?$`).test(x.trim());
  if (terms.length < 2 || !terms.some((x) => own(x.text))) return expr;
  return terms
    .filter((x) => !own(x.text))
    .map((x, i) => `${x.sign < 0 ? '-' : i ? '+' : ''} ${x.text}`)
    .join(' ')
    .trim();
}

/** Readings of one loss from several places (branches, several assignments): families joined, the rest kept when all agree. */
export function merge(readings: Reading[]): Reading {
  const r: Reading = { families: new Set(), penalties: new Set(), said: [] };
  const terms = new Set(readings.map((x) => x.dTerms).filter((x) => x !== undefined));
  const scales = new Set(readings.map((x) => x.termScale).filter((x) => x !== undefined));
  for (const x of readings) {
    for (const f of x.families) r.families.add(f);
    for (const p of x.penalties) r.penalties.add(p);
    for (const s of x.said) if (!r.said.includes(s)) r.said.push(s);
  }
  if (terms.size === 1) r.dTerms = [...terms][0];
  const built = readings.find((x) => x.built && x.dTerms === r.dTerms);
  if (built) [r.built, r.builtIn] = [built.built, built.builtIn];
  if (readings.length && readings.every((x) => x.negated)) r.negated = true;
  if (scales.size === 1) r.termScale = [...scales][0];
  return r;
}
