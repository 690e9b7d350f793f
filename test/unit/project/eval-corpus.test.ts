// The engine against the labelled corpus (test/corpus/runs: real training runs, truth from the recipe
// and an independent digits classifier; `npm run eval` prints the same table). The floors below are
// the measured numbers rounded down: a change that makes the diagnosis worse fails here.
import { UNIT_DIR } from '../../support/dirs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { corpusDir, evaluateCorpus, formatEvaluation, summarize, type Evaluation } from '../../../scripts/eval/evaluate';

const repoRoot = path.join(UNIT_DIR, '..', '..');
let evaluation: Evaluation | undefined;
const evaluate = async () => (evaluation ??= await evaluateCorpus(corpusDir(repoRoot)));
const kind = (ev: Evaluation, k: string) => ev.kinds.find((s) => s.kind === k)!;

interface Floor {
  recall: number;
  precision: number;
  onset: number;
}

function assertFloors(ev: Evaluation, floors: Record<string, Floor>, table: string): void {
  for (const [k, floor] of Object.entries(floors)) {
    const s = kind(ev, k);
    assert.ok(s.recall >= floor.recall, `${k}: recall ${s.recall} < ${floor.recall}\n${table}`);
    if (s.alarms) assert.ok(s.precision >= floor.precision, `${k}: precision ${s.precision} < ${floor.precision}\n${table}`);
    const worst = Math.max(0, ...s.onsetErrors);
    assert.ok(worst <= floor.onset, `${k}: onset error ${worst} > ${floor.onset}\n${table}`);
  }
}

test('the corpus: at least 22 labelled runs, every grid layout found', async () => {
  const ev = await evaluate();
  const table = formatEvaluation(ev);
  assert.ok(ev.runs.length >= 22, table);
  assert.match(table, new RegExp(`^${ev.runs.length} labelled runs$`, 'm'));
  assert.equal(
    ev.layoutsRight,
    ev.runs.length,
    ev.runs
      .filter((r) => !r.layoutRight)
      .map((r) => `${r.name}: ${r.tiles} tiles`)
      .join(', '),
  );
  // Every kind is in the table, equilibrium and plateau included.
  for (const k of ['non-finite', 'saturated', 'exploding', 'd-dominant', 'g-dominant', 'oscillation', 'mode-collapse', 'equilibrium', 'plateau']) {
    assert.match(table, new RegExp(`^\\| ${k} \\|`, 'm'), table);
  }
});

test('headline numbers on the first corpus (#15) meet their floors', async () => {
  const ev = summarize((await evaluate()).runs.filter((r) => FIRST_CORPUS.includes(r.name)));
  const table = formatEvaluation(ev, true);
  assert.equal(ev.runs.length, FIRST_CORPUS.length, table);
  assertFloors(ev, FLOORS_FIRST_CORPUS, table);
  assert.ok(ev.healthyAlarms <= MAX_HEALTHY_ALARMS, `${ev.healthyAlarms} warnings on healthy runs\n${table}`);
});

test('the whole corpus, with issue #24 runs and kinds, meets its floors', async () => {
  const ev = await evaluate();
  const table = formatEvaluation(ev, true);
  assert.ok(ev.healthyAlarms <= MAX_HEALTHY_ALARMS, `${ev.healthyAlarms} warnings on healthy runs\n${table}`);
  assertFloors(ev, FLOORS_ISSUE_24, table);
  assert.ok(ev.formulationsRight >= MIN_FORMULATIONS_RIGHT, `formulation right on ${ev.formulationsRight} runs\n${table}`);
});

// Measured on the committed corpus (see README, "How good is the diagnosis"); onset errors are
// shares of the run's steps.
const FIRST_CORPUS = [
  'clamped-saturation',
  'collapse-from-start',
  'collapse-mid-recovery',
  'd-dominant',
  'd-too-weak',
  'healthy-bce-30k',
  'healthy-bce-long-10x10',
  'healthy-bce-padded-rgb',
  'healthy-bce-tutorial',
  'healthy-hinge',
  'healthy-lsgan',
  'healthy-wgan-gp',
  'nan-divergence',
  'oscillation',
  'partial-collapse',
  'wgan-exploding',
];
const FLOORS_FIRST_CORPUS = {
  'non-finite': { recall: 1, precision: 1, onset: 0.01 },
  saturated: { recall: 1, precision: 1, onset: 0.01 },
  // The unbounded critic grows from step 0; it is an order of magnitude above its start from 28% of its run.
  exploding: { recall: 1, precision: 1, onset: 0.3 },
  'd-dominant': { recall: 1, precision: 1, onset: 0.05 },
  'g-dominant': { recall: 1, precision: 1, onset: 0.05 },
  oscillation: { recall: 1, precision: 1, onset: 0.05 },
  // Measured 7 of 8 (the WGAN critic's 2-step dip at 600–1,000 is missed), no false alarm, onset within 13%.
  'mode-collapse': { recall: 0.85, precision: 1, onset: 0.15 },
};
const MAX_HEALTHY_ALARMS = 0;

// The whole corpus (22 runs), measured on 24-formulation with main and 24-eval merged (the README
// table; the same numbers as on 24-formulation at e80bed8). What the engine still misses: the LSGAN
// D-won run's three unlearnt-blob collapse episodes and the WGAN critic's dip (mode-collapse 8 of
// 12), and two of the four plateaus; 6 of its 14 plateaus say the samples stopped where the
// classifier still saw them improve.
const FLOORS_ISSUE_24: Record<string, Floor> = {
  'non-finite': { recall: 1, precision: 1, onset: 0.01 },
  saturated: { recall: 1, precision: 1, onset: 0.01 },
  exploding: { recall: 1, precision: 1, onset: 0.3 },
  // 4 of 4, the second generator's (G_2_GAN) included; the hinge D-won run from step 332 (5.5%), when
  // its D's hinge terms reach 0.
  'd-dominant': { recall: 1, precision: 1, onset: 0.06 },
  'g-dominant': { recall: 1, precision: 1, onset: 0.05 },
  oscillation: { recall: 1, precision: 1, onset: 0.05 },
  'mode-collapse': { recall: 0.66, precision: 1, onset: 0.15 },
  // The instance-noise run's reference state, from 1% of its run; no equilibrium anywhere else.
  equilibrium: { recall: 1, precision: 1, onset: 0.05 },
  // 2 of 4 found, 8 of 14 right, stop steps within 4% of the run.
  plateau: { recall: 0.5, precision: 0.57, onset: 0.05 },
};
// Loss type and how D joins its terms right on 22 of 22 runs.
const MIN_FORMULATIONS_RIGHT = 22;
