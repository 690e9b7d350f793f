// The second source of a formulation: the training code beside the run. Which files: the run's own
// notebook, then the files that write the run's files (a literal path that lands on them), then those
// that name them, then the whole project; a file whose literal path lands on another existing run's
// file is that run's code, never this one's. Which loss: the assignment named like the logged series
// (`loss_D_A` for `D_A`), else the D losses a logging statement names (`print('Loss_D: …', errD)`,
// `np.save('d_loss.npy', d_losses)` and what is appended to it), else every D loss assignment.
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { CodeFile, TrainingCode } from '../code/trainingCode';
import { fileBaseName, isInside } from '../paths';
import type { LossType, Penalty } from '../model';
import { nameTokens, roleClarity, roleOf } from '../roles';
import type { Clue } from './clue';
import { CodeIndex, identifiersIn, parseFile, type ParsedFile } from './codeIndex';
import { LossReader, withoutSelf, type Reading } from './codeReading';

export interface CodeTarget {
  /** The run folder (absolute). */
  root: string;
  /** The run's loss files, relative to its folder. */
  lossFiles: string[];
  /** Names of the run's D and G series (the logged ones first). */
  dNames: string[];
  gNames: string[];
}

/** Parsed projects, kept by a caller that reads many runs of one project. */
export type CodeIndexCache = WeakMap<TrainingCode, CodeIndex>;

// The words of one half of a D loss (`d_loss_real`, `errD_fake`, `d_loss_true`, `d_loss_gene`).
const HALF_TOKENS: ReadonlySet<string> = new Set(['real', 'fake', 'true', 'gene', 'pos', 'neg', 'r', 'f']);
const norm = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');
/** A name that holds a whole D (G) loss: `d_loss`, `errD`, `loss_D_A`, `disc_total_loss`; not a half (`d_loss_real`). */
const wholeLoss = (name: string, role: 'discriminator' | 'generator') =>
  roleOf(name) === role && roleClarity(name) >= 2 && !nameTokens(name).some((tok) => HALF_TOKENS.has(tok));

// A literal naming a loss file: `result/discriminator_loss.npy`, `checkpoints/x/loss_log.txt`, `logs/metrics.csv`.
const LOSS_FILE = /(loss|losses|metrics)[^/\\]*\.(npy|csv|tsv|jsonl|txt|log)$/i;

const existsOutside = (file: string, runRoot: string) =>
  isInside(runRoot, file)
    ? Promise.resolve(false)
    : stat(file).then(
        (s) => s.isFile(),
        () => false,
      );

// Folders that hold a project's code, not a run: `src/`, `source/`, `Code/`, `models/`…
const CODE_FOLDER = /^(src|source|sources|code|lib|libs|models?|networks?|nets|scripts|utils|util|training|train|gan|core|modules)$/i;

const literals = (text: string) => [...text.matchAll(/(['"])([^'"\n]{1,300})\1/g)].map((m) => m[2]!);

/** Code files in order of how surely they wrote the run, without those that wrote another run. */
async function fileTiers(code: TrainingCode, target: CodeTarget): Promise<CodeFile[][]> {
  const abs = target.lossFiles.map((f) => path.join(target.root, ...f.split('/')));
  const bases = target.lossFiles.map(fileBaseName);
  const own: CodeFile[] = [];
  const writes: CodeFile[] = [];
  const names: CodeFile[] = [];
  const others: CodeFile[] = [];
  for (const file of code.files) {
    if (abs.includes(file.path)) {
      own.push(file);
      continue;
    }
    const dir = path.dirname(file.path);
    let lands = false;
    let elsewhere = false;
    let named = false;
    let writesAnother = false;
    for (const lit of literals(file.text)) {
      const base = bases.find((b) => lit.endsWith(b) && (lit.length === b.length || /[/\\]/.test(lit[lit.length - b.length - 1]!)));
      const pathLike = /[/\\]/.test(lit);
      if (!base) {
        // A loss file of another run beside this code (`examples/mnist-run/result/discriminator_loss.npy`): its code, not ours.
        if (pathLike && LOSS_FILE.test(lit) && !writesAnother) writesAnother = await existsOutside(path.resolve(dir, lit), target.root);
        continue;
      }
      named = true;
      if (!pathLike) continue;
      const places = path.isAbsolute(lit) ? [path.normalize(lit)] : [path.resolve(dir, lit), path.resolve(code.root, lit)];
      if (places.some((p) => abs.includes(p))) lands = true;
      else if (await existsOutside(path.resolve(dir, lit), target.root)) elsewhere = true;
    }
    if (lands) writes.push(file);
    else if (elsewhere) continue;
    else if (named) names.push(file);
    else if (!writesAnother) others.push(file);
  }
  // The whole project only when it is known to be the run's: code that names the run's files, a git
  // checkout, a project with code at its top or in a code folder (`train.py` beside `lightning_logs/`,
  // `Code/train.py` beside `wandb/`), or the run folder itself. A folder that only holds other runs' code one level down (a collection of runs) is not.
  const top = code.files.some((f) => !f.rel.includes('/') || CODE_FOLDER.test(f.rel.split('/')[0]!));
  const ours =
    own.length + writes.length + names.length > 0 ||
    top ||
    path.resolve(code.root) === path.resolve(target.root) ||
    (await stat(path.join(code.root, '.git')).then(
      () => true,
      () => false,
    ));
  return [own, writes, names, ours ? [...own, ...writes, ...names, ...others] : []].filter((tier) => tier.length);
}

interface Found {
  parsed: ParsedFile;
  readings: Reading[];
}

/** The readings of the D (or G) loss in a set of files, by the first tier of names that finds any. */
function readLosses(index: CodeIndex, files: ParsedFile[], seriesNames: string[], role: 'discriminator' | 'generator'): Found[] {
  const keys = new Set(seriesNames.flatMap((n) => [norm(n), `loss${norm(n)}`]));
  const byName: { parsed: ParsedFile; name: string; at?: number }[] = [];
  const logged: { parsed: ParsedFile; name: string; at?: number }[] = [];
  const every: { parsed: ParsedFile; name: string; at?: number }[] = [];
  const labels = seriesNames.map((n) => n.replace(/[\d\s]+$/g, '')).filter((n) => n.length >= 2);
  for (const parsed of files) {
    for (const a of parsed.assignments) {
      for (const name of a.targets) {
        if (!wholeLoss(name, role)) continue;
        if (keys.has(norm(name))) byName.push({ parsed, name });
        every.push({ parsed, name });
      }
    }
    parsed.statements.forEach((st, at) => {
      if (!literals(st.text).some((lit) => labels.some((l) => lit.includes(l)))) return;
      for (const id of identifiersIn(st.text)) if (wholeLoss(id, role)) logged.push({ parsed, name: id, at });
    });
  }
  for (const tier of [byName, logged, every]) {
    if (!tier.length) continue;
    const out: Found[] = [];
    const seen = new Set<string>();
    for (const { parsed, name, at } of tier.slice(0, 12)) {
      const defs = index
        .definitionsOf(name, parsed, at)
        .filter((d) => d.assignment.expr.trim() !== name)
        .slice(0, 4);
      for (const d of defs) {
        const key = `${d.parsed.file.rel}:${d.assignment.at}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const more = index.additionsAfter(d.parsed, name, d.assignment.at);
        const expr = withoutSelf(more.length ? `${d.assignment.expr} + ${more.join(' + ')}` : d.assignment.expr, name);
        const reading = new LossReader(index).read(expr, d.parsed, d.assignment.at, role === 'discriminator' ? 'd' : 'g', 0, d.index);
        if (!reading.built) [reading.built, reading.builtIn] = [`${name} = ${expr.length > 70 ? `${expr.slice(0, 67)}…` : expr}`, d.parsed.file.rel];
        reading.said.unshift(reading.built);
        out.push({ parsed: d.parsed, readings: [reading] });
      }
    }
    if (out.some((f) => f.readings.some((r) => r.families.size || r.dTerms))) return out;
  }
  return [];
}

function describe(found: Found[], readings: Reading[]): string {
  const first = found.find((f) => f.readings.some((r) => readings.includes(r))) ?? found[0]!;
  const file = readings.find((r) => r.builtIn)?.builtIn ?? first.parsed.file.rel;
  // The first assignment read, then the signs that decided (loss functions, penalties).
  const said = [...new Set(readings.flatMap((r) => r.said))];
  const shown = [
    said[0]!,
    ...said
      .slice(1)
      .filter((s) => !/ = /.test(s))
      .slice(0, 2),
  ];
  return `${file}: ${shown.join(', ')}`;
}

/** What the training code says about the run's losses, or null when it says nothing. */
export async function codeClue(code: TrainingCode, target: CodeTarget, cache?: CodeIndexCache): Promise<Clue | null> {
  let index = cache?.get(code);
  if (!index) {
    index = new CodeIndex(code.files.map(parseFile));
    cache?.set(code, index);
  }
  const parsedOf = new Map(index.files.map((p) => [p.file, p]));
  for (const tier of await fileTiers(code, target)) {
    const files = tier.map((f) => parsedOf.get(f)!).filter(Boolean);
    const found = readLosses(index, files, target.dNames, 'discriminator');
    if (!found.length) continue;
    const clue = clueOf(found);
    if (!clue) continue;
    // LSGAN: the factor in front of G's squared error sets G's chance level (0.25 or 0.125).
    const lsgan = clue.lossType === 'lsgan' ? clue : clue.alternatives?.find((a) => a.lossType === 'lsgan');
    if (lsgan) {
      const g = readLosses(index, files, target.gNames, 'generator').flatMap((f) => f.readings);
      const scales = new Set(g.filter((r) => r.families.has('lsgan')).map((r) => r.termScale ?? 1));
      lsgan.lsganScale = { d: lsgan.lsganScale?.d ?? 1, g: scales.size === 1 ? [...scales][0]! : 1 };
    }
    return clue;
  }
  return null;
}

/** The readings joined: one family → its clue; several (branches on a setting) → alternatives for the values to choose from. */
function clueOf(found: Found[]): Clue | null {
  const readings = found.flatMap((f) => f.readings);
  const families = new Set(readings.flatMap((r) => [...r.families]));
  const clueFor = (type: LossType | undefined): Clue => {
    const mine = readings.filter((r) => (type ? r.families.has(type) && r.families.size === 1 : true));
    const terms = new Set(mine.map((r) => r.dTerms).filter(Boolean));
    const scales = new Set(mine.map((r) => r.termScale).filter((x) => x !== undefined));
    const penalties = [...new Set(mine.flatMap((r) => [...r.penalties]))] as Penalty[];
    return {
      ...(type ? { lossType: type } : {}),
      ...(terms.size === 1 ? { dTerms: [...terms][0]! } : {}),
      ...(type === 'lsgan' ? { lsganScale: { d: scales.size === 1 ? [...scales][0]! : 1, g: 1 } } : {}),
      ...(penalties.length ? { penalties } : {}),
      from: describe(found, mine),
    };
  };
  if (families.size === 0) {
    const clue = clueFor(undefined);
    return clue.dTerms ? clue : null;
  }
  if (families.size === 1) return clueFor([...families][0]!);
  return { from: describe(found, readings), alternatives: [...families].map((f) => clueFor(f)) };
}
