// The second pass of the printed-log reader: a line's tokens (lineTokens.ts) → its counters and its
// named numbers, whatever the print statement's shape:
// - counters: a leading number (`100 [D loss: …]`, `0: [D loss …]`, `[   32622 Epoch:[ 1/25] …`, `>79, 152/234`),
//   keyed ones (`epoch e/E`, `Epoch [3]`, `batch: b`, `step`, `iteration:N`, `Iter 5`), fractions without a
//   key (`[0/5][0/1583]`, Keras's `274/274 [====]`, tqdm's `| 45/100`), and a stage (`scale 3`, `Depth: 0`,
//   `resolution: 8 x 8`) for trainings whose counter restarts by design;
// - named numbers: `name: v`, `name=v`, `Name [v]`, `name v`, `k:v;`, names of up to three words (`D loss`,
//   `Disc Loss`), the terms of a bracket named after its first (`[G loss: 0.7, adv: 0.6]` → `G loss/adv`),
//   units and `%` dropped, the DCGAN tutorial's `D(G(z)): a / b` as two values;
// - a clock: a leading timestamp (`2023-01-02 10:11:12,345 - INFO - …`), `time: 25.7`, `Elapsed: [0:00:05]`.
import { roleOf } from '../roles';
import { BADNUM, BAR, CLOCK, DATE, FRAC, GAP_SPACE, LineTokens, NUM, PUNCT, WORD } from './lineTokens';
import { LineTemplates } from './lineTemplates';
import { LineParts, NO } from './lineParts';
import { tableLine } from './printedTable';

export { LineParts, NO } from './lineParts';

const EPOCH_WORDS: ReadonlySet<string> = new Set(['epoch', 'ep']);
const BATCH_WORDS: ReadonlySet<string> = new Set(['batch', 'batch_idx', 'idx', 'iters']);
const STEP_WORDS: ReadonlySet<string> = new Set([
  'step',
  'iter',
  'iteration',
  'it',
  'itr',
  'global_step',
  'globalstep',
  'gstep',
  'batches_done',
  'counter',
  'n_iter',
  'niter',
  'total_step',
  'global',
]);
// The stages of a training that restarts its counter by design: SinGAN's scales, progressive growing's depths and resolutions.
const STAGE_WORDS: ReadonlySet<string> = new Set(['scale', 'stage', 'phase', 'depth', 'level', 'resolution', 'res', 'octave']);
const CLOCK_WORDS: ReadonlySet<string> = new Set(['time', 'elapsed', 'elapsed_time', 'walltime', 'wall_time', 'runtime', 'timestamp']);

// What a name is as a counter.
const NONE = 0;
const EPOCH = 1;
const BATCH = 2;
const STEP = 3;
const STAGE = 4;

interface NameInfo {
  counter: number;
  clock: boolean;
  /** A D or G loss by its own name (`g_loss` in a bracket is not a term of the bracket's first loss). */
  loss: boolean;
}

/** What each printed name is, looked up once per name (a log repeats a few names a million times). */
export class NameCache {
  private readonly known = new Map<string, NameInfo>();
  private readonly interned = new Map<number, string[]>();
  private readonly derived = new Map<string, Map<string, string>>();

  /** The name spelled at `start`…`end`, the same string each time it is printed (no substring made once known). */
  intern(text: string, start: number, end: number): string {
    let h = end - start;
    for (let i = start; i < end; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
    let bucket = this.interned.get(h);
    if (bucket) {
      for (const known of bucket) if (known.length === end - start && text.startsWith(known, start)) return known;
    } else if (this.interned.size < 10_000) this.interned.set(h, (bucket = []));
    const name = text.slice(start, end);
    if (bucket && bucket.length < 8) bucket.push(name);
    return name;
  }

  /** `G loss/adv`: a term named after its bracket's first name. */
  grouped(group: string, name: string): string {
    return this.derive(group, name, () => `${group}/${name}`);
  }

  /** `D(G(z)) after G step`: the DCGAN tutorial's second value. */
  afterG(name: string): string {
    return this.derive(name, '', () => `${name} after G step`);
  }

  private derive(a: string, b: string, make: () => string): string {
    let m = this.derived.get(a);
    if (!m) this.derived.set(a, (m = new Map()));
    let s = m.get(b);
    if (s === undefined) m.set(b, (s = make()));
    return s;
  }

  info(name: string): NameInfo {
    let info = this.known.get(name);
    if (!info) {
      const space = name.lastIndexOf(' ');
      const last = (space < 0 ? name : name.slice(space + 1)).toLowerCase();
      let counter = EPOCH_WORDS.has(last) ? EPOCH : BATCH_WORDS.has(last) ? BATCH : STEP_WORDS.has(last) ? STEP : STAGE_WORDS.has(last) ? STAGE : NONE;
      // `Number of epoch`, `Total step`: a count of them, not the counter itself.
      if (counter !== NONE && space >= 0 && /^(number|num|total|max|n)\b/i.test(name)) counter = NONE;
      info = { counter, clock: CLOCK_WORDS.has(last), loss: roleOf(name) !== 'other' };
      if (this.known.size < 10_000) this.known.set(name, info);
    }
    return info;
  }
}

/** Splits lines into counters and named numbers (see the top of this file). One per reader. */
export class LineSplitter {
  readonly tokens = new LineTokens();
  readonly parts = new LineParts();
  private readonly fractions: number[] = [];
  private readonly templates = new LineTemplates();

  constructor(readonly names: NameCache = new NameCache()) {}

  /** What `text` says: by the template of an earlier line of the same print, else token by token. */
  split(text: string): LineParts {
    return this.splitAt(text, 0, text.length);
  }

  /** `split` of the line of `text` from `start` to `end` (where it ends, or a line break), read where it is. */
  splitAt(text: string, start: number, end: number): LineParts {
    if (this.templates.match(text, start, end, this.tokens, this.parts)) return this.parts;
    this.read(start === 0 && end === text.length ? text : text.slice(start, end));
    this.templates.learn(this.tokens, this.parts);
    return this.parts;
  }

  /** `splitAt` of the line of a file's UTF-8 `bytes` at `start` by a template, undecoded: where it ends (`parts` hold it), or -1 (see LineTemplates.matchBytes). */
  splitBytes(bytes: Uint8Array, start: number): number {
    return this.templates.matchBytes(bytes, start, this.tokens, this.parts);
  }

  /** What `text` says, token by token. */
  read(text: string): LineParts {
    const p = this.parts;
    p.reset();
    const tk = this.tokens;
    const n = tk.scan(text);
    if (n === 0) return p;
    if (tableLine(this.tokens, p)) return p;
    let t = this.prefix();
    // A leading number: `100 [D loss…`, `0: [D loss…`, `>79, 152/234`, `[   32622 Epoch:…`.
    let leading = -1;
    {
      let k = t;
      while (k < n && tk.kind[k] === PUNCT && (tk.char[k] === 91 || tk.char[k] === 62 || tk.char[k] === 40)) k++;
      if (k < n && tk.kind[k] === NUM) p.strict.push(k);
      if (k < n && tk.kind[k] === NUM && tk.sub[k] === 1 && tk.value[k]! >= 0) {
        const next = k + 1;
        const follows =
          next >= n ||
          tk.kind[next] === WORD ||
          tk.kind[next] === BAR ||
          (tk.kind[next] === PUNCT &&
            (tk.char[next] === 58 ||
              tk.char[next] === 44 ||
              tk.char[next] === 91 ||
              tk.char[next] === 93 ||
              tk.char[next] === 124 ||
              tk.char[next] === 45 ||
              tk.char[next] === 59));
        // `5 apples` is not a counter; `5 [D loss` and `5: D loss` are. A word right after needs a wide gap or a bracket before.
        if (follows && !(tk.kind[next] === WORD && tk.gap[next] === GAP_SPACE && k === t)) {
          leading = k;
          t = k + 1;
        }
      }
    }
    const fractions = this.fractions;
    if (fractions.length) fractions.length = 0;
    let depth = 0;
    let groupFirst = '';
    for (; t < n; t++) {
      const kind = tk.kind[t]!;
      if (kind === PUNCT) {
        const c = tk.char[t]!;
        if (c === 91) {
          depth++;
          groupFirst = '';
        } else if (c === 93 && depth > 0) depth--;
        continue;
      }
      if (kind === FRAC) {
        fractions.push(t);
        continue;
      }
      if (kind === BAR) {
        p.bar = tk.sub[t]!;
        p.barFull = tk.value[t] === 1;
        p.barTok = t;
        continue;
      }
      if (kind !== WORD) continue;
      // A name: up to three words, one space apart.
      let first = t;
      while (t + 1 < n && tk.kind[t + 1] === WORD && tk.gap[t + 1] === GAP_SPACE) t++;
      if (t - first > 2) first = t - 2;
      let v = t + 1;
      // `acc.: 50%`: a full stop ends the name.
      if (tk.isPunct(v, 46) && tk.gap[v] === 0 && tk.isPunct(v + 1, 58)) v++;
      let keyed = false;
      let bracketed = false;
      if (v < n && tk.kind[v] === PUNCT) {
        const c = tk.char[v]!;
        if (c === 58 || c === 61) {
          keyed = true;
          v++;
          if (tk.isPunct(v, 91)) {
            bracketed = true;
            v++;
          }
        } else if (c === 91) {
          bracketed = true;
          v++;
        } else if (c === 35) v++;
        else continue;
      } else if (v < n && tk.gap[v] === 0) continue;
      if (v >= n) break;
      // `tensor(0.6931, device='cuda:0')`: PyTorch's print of a scalar tensor.
      let tensor = false;
      if (keyed && tk.kind[v] === WORD && tk.isPunct(v + 1, 40) && tk.textOf(v) === 'tensor') {
        v += 2;
        tensor = true;
      }
      const vk = tk.kind[v]!;
      if (vk !== NUM && vk !== FRAC && vk !== CLOCK && vk !== BADNUM) continue;
      const name = this.names.intern(tk.text, tk.start[first]!, tk.end[t]!);
      const info = this.names.info(name);
      t = v;
      if (bracketed && tk.isPunct(t + 1, 93)) t++;
      // The rest of the tensor's print (`, device='cuda:0', grad_fn=<…>)`) is not named numbers.
      if (tensor) while (t + 1 < n && !tk.isPunct(t, 41)) t++;
      if (vk === CLOCK) {
        if (info.clock) p.setClock(tk.value[v]!, v);
        continue;
      }
      if (vk === BADNUM) {
        if (keyed && !p.damaged) {
          p.damaged = name;
          p.damagedTok = v;
        }
        continue;
      }
      const value = tk.value[v]!;
      const whole = vk === FRAC || tk.sub[v] === 1;
      if (info.counter !== NONE) p.strict.push(v);
      if (info.counter !== NONE && whole && value >= 0) {
        this.counter(info.counter, v, name);
        continue;
      }
      if (vk === FRAC) {
        fractions.push(v);
        continue;
      }
      if (info.clock) p.setClock(value, v);
      let full = name;
      // Inside a bracket the first name names the group: `[G loss: 0.7, adv: 0.6]` → `G loss/adv`.
      if (depth > 0 && !bracketed) {
        if (groupFirst === '') groupFirst = name;
        else if (!info.loss) full = this.names.grouped(groupFirst, name);
      }
      p.add(full, value, v);
      // The DCGAN tutorial's `D(G(z)): 0.52 / 0.01`: before and after the generator's step.
      if (!bracketed && tk.isPunct(t + 1, 47) && t + 2 < n && tk.kind[t + 2] === NUM) {
        p.add(this.names.afterG(full), tk.value[t + 2]!, t + 2);
        t += 2;
      }
    }
    this.placeUnkeyed(leading);
    return p;
  }

  /** Past a leading timestamp (`2023-01-02 10:11:12,345`, glog's `I1115 02:21:39.70`); its time is the clock. */
  private prefix(): number {
    const tk = this.tokens;
    const p = this.parts;
    let t = 0;
    if (tk.isPunct(t, 91) && (tk.kind[t + 1] === DATE || tk.kind[t + 1] === CLOCK)) t++;
    if (tk.kind[t] === DATE) {
      p.setClock(tk.value[t]!, t);
      t++;
      if (tk.kind[t] === CLOCK) {
        p.setClock(tk.value[t]!, t, true);
        t++;
      }
    } else if (tk.kind[t] === WORD && tk.kind[t + 1] === CLOCK && /^[IWEF]\d{4}$/.test(tk.textOf(t))) {
      p.setClock(tk.value[t + 1]!, t + 1);
      t += 2;
    } else if (tk.kind[t] === CLOCK && t === 0) {
      p.setClock(tk.value[t]!, t);
      t++;
    } else return 0;
    if (tk.isPunct(t, 93)) t++;
    return t;
  }

  /** Puts the number of token `tok` (after a counter's name) in its counter's place. */
  private counter(kind: number, tok: number, name: string): void {
    const p = this.parts;
    const tk = this.tokens;
    const value = tk.value[tok]!;
    const total = tk.kind[tok] === FRAC ? tk.total[tok]! : NO;
    if (kind === EPOCH) {
      if (Number.isNaN(p.epoch)) {
        p.epoch = value;
        p.epochTotal = total;
        p.epochTok = tok;
      }
    } else if (kind === STAGE) {
      if (Number.isNaN(p.stage)) {
        p.stage = value;
        p.stageTok = tok;
        const space = name.lastIndexOf(' ');
        p.stageWord = (space < 0 ? name : name.slice(space + 1)).toLowerCase();
      }
    } else if (kind === BATCH || Number.isNaN(p.inner)) {
      // A step beside a batch is the global iteration; a batch beside a step takes the inner place.
      if (!Number.isNaN(p.inner)) {
        p.global = p.inner;
        p.globalTok = p.innerTok;
      }
      p.inner = value;
      p.innerTotal = total;
      p.innerTok = tok;
    } else if (Number.isNaN(p.global)) {
      p.global = value;
      p.globalTok = tok;
    }
  }

  /** The counters printed without a key: a leading number (token `leading`, -1: none) and bare fractions. */
  private placeUnkeyed(leading: number): void {
    const p = this.parts;
    const tk = this.tokens;
    const fractions = this.fractions;
    let f = 0;
    if (leading >= 0) {
      // `>79, 152/234`: a leading number before a bare fraction is the epoch; otherwise the global iteration.
      if (Number.isNaN(p.epoch) && Number.isNaN(p.inner) && fractions.length === 1) {
        p.epoch = tk.value[leading]!;
        p.epochTok = leading;
      } else if (Number.isNaN(p.global)) {
        p.global = tk.value[leading]!;
        p.globalTok = leading;
      }
    }
    // `[0/5][0/1583]`: epoch then batch; a single bare fraction is the inner counter.
    if (fractions.length >= 2 && Number.isNaN(p.epoch) && Number.isNaN(p.inner)) {
      p.epoch = tk.value[fractions[0]!]!;
      p.epochTotal = tk.total[fractions[0]!]!;
      p.epochTok = fractions[0]!;
      f = 1;
    }
    if (f < fractions.length && Number.isNaN(p.inner)) {
      p.inner = tk.value[fractions[f]!]!;
      p.innerTotal = tk.total[fractions[f]!]!;
      p.innerTok = fractions[f]!;
    }
  }
}
