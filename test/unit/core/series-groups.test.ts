// Series → groups by what they are (src/core/seriesGroups.ts): on the real StyleGAN2-ADA run (103
// series), on names as a fixed stats.jsonl reader would give them, on CycleGAN's two GANs, pix2pix
// and plain names with no prefix.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { inspectPaths } from '../../../src/core/inspect';
import type { Role } from '../../../src/core/model';
import { pickMainPair } from '../../../src/core/mainPair';
import { roleOf } from '../../../src/core/roles';
import { groupSeries, type Grouping } from '../../../src/core/seriesGroups';
import { CODEBASE_RUNS, realRunsSkip } from '../../support/realRuns';

const styleGan = join(CODEBASE_RUNS, 'Hexanol777-RPG-SpriteGAN');
const skipReal = realRunsSkip(styleGan);

/** Names with roles as the readers give them: each name's own role, then one D and one G kept. */
function named(names: string[]): { name: string; role: Role }[] {
  const series = names.map((name, i) => ({ name, role: roleOf(name), source: 'log', column: i, steps: new Float64Array(2), values: new Float64Array(2) }));
  return pickMainPair(series).map((s) => ({ name: s.name, role: s.role }));
}

function byGroup(series: { name: string }[], g: Grouping): Record<string, string[]> {
  return Object.fromEntries(g.groups.map((gr) => [gr.key, gr.members.map((i) => series[i]!.name)]));
}
const shown = (series: { name: string }[], g: Grouping) =>
  series
    .filter((_, i) => g.places[i]!.shownByDefault)
    .map((s) => s.name)
    .sort();

describe('grouping series', () => {
  test('the real StyleGAN2-ADA run: D and G first and shown, the rest in its own prefixes, off', { skip: skipReal }, async () => {
    const { inspections } = await inspectPaths([styleGan]);
    const series = inspections[0]!.run.series;
    // 25 series: one copy of each (stats.jsonl means; no num/std, no TensorBoard duplicates).
    assert.ok(series.length >= 25, `${series.length} series`);
    const g = groupSeries(series);
    assert.equal(g.places.length, series.length);
    // Every series in exactly one group.
    assert.deepEqual(
      g.groups.flatMap((gr) => gr.members).sort((a, b) => a - b),
      series.map((_, i) => i),
    );
    assert.deepEqual(shown(series, g), ['Loss/D/loss', 'Loss/G/loss']);
    assert.equal(g.groups[0]!.key, 'adversarial');
    const kinds = Object.fromEntries(g.groups.map((gr) => [gr.key, gr.kind]));
    assert.equal(kinds['prefix:loss'], 'losses');
    assert.equal(kinds['prefix:metrics'], 'metrics');
    for (const key of ['prefix:timing', 'prefix:resources', 'prefix:progress']) assert.equal(kinds[key], 'bookkeeping', key);
    const groups = byGroup(series, g);
    assert.ok(groups['prefix:loss']!.includes('Loss/r1_penalty'));
    assert.ok(groups['prefix:loss']!.includes('Loss/G/reg'), 'a regulariser is a loss term, not the adversarial loss');
    assert.ok(groups['prefix:progress']!.includes('Progress/augment'));
    assert.ok(g.groups.length <= 12, `${g.groups.length} groups`);
    // Order: adversarial, loss terms, metrics, bookkeeping.
    const order = g.groups.map((gr) => gr.kind);
    assert.deepEqual(
      order,
      [...order].sort(
        (a, b) =>
          ['adversarial', 'losses', 'metrics', 'bookkeeping', 'other'].indexOf(a) - ['adversarial', 'losses', 'metrics', 'bookkeeping', 'other'].indexOf(b),
      ),
    );
  });

  test('StyleGAN names as a reader of the nested {num, mean, std} gives them: the same groups', () => {
    const series = [
      { name: 'Loss/G/loss', role: 'generator' as Role },
      { name: 'Loss/D/loss', role: 'discriminator' as Role },
      { name: 'Loss/G/loss', role: 'other' as Role }, // the same tag from the TensorBoard file
      { name: 'Loss/D/loss/mean', role: 'other' as Role },
      { name: 'Loss/r1_penalty', role: 'other' as Role },
      { name: 'Timing/sec_per_kimg', role: 'other' as Role },
      { name: 'Resources/peak_gpu_mem_gb', role: 'other' as Role },
      { name: 'Progress/augment', role: 'other' as Role },
      { name: 'Metrics/fid50k_full', role: 'other' as Role },
    ];
    const g = groupSeries(series);
    assert.deepEqual(byGroup(series, g), {
      adversarial: ['Loss/G/loss', 'Loss/D/loss'],
      'prefix:loss': ['Loss/G/loss', 'Loss/D/loss/mean', 'Loss/r1_penalty'],
      'prefix:metrics': ['Metrics/fid50k_full'],
      'prefix:timing': ['Timing/sec_per_kimg'],
      'prefix:resources': ['Resources/peak_gpu_mem_gb'],
      'prefix:progress': ['Progress/augment'],
    });
    assert.deepEqual(
      g.places.map((p) => p.shownByDefault),
      [true, true, false, false, false, false, false, false, false],
    );
  });

  test('CycleGAN: A and B are two groups with their own colours; D and G shown, cycle and identity off', () => {
    const series = named(['D_A', 'G_A', 'cycle_A', 'idt_A', 'D_B', 'G_B', 'cycle_B', 'idt_B']);
    const g = groupSeries(series);
    assert.deepEqual(byGroup(series, g), { 'gan:A': ['D_A', 'G_A', 'cycle_A', 'idt_A'], 'gan:B': ['D_B', 'G_B', 'cycle_B', 'idt_B'] });
    assert.deepEqual(
      g.groups.map((gr) => gr.ganIndex),
      [0, 1],
    );
    assert.deepEqual(shown(series, g), ['D_A', 'D_B', 'G_A', 'G_B']);
    assert.deepEqual(
      g.places.map((p) => p.network),
      ['discriminator', 'generator', 'other', 'other', 'discriminator', 'generator', 'other', 'other'],
    );
    assert.deepEqual(
      g.places.map((p) => p.kind),
      ['adversarial', 'adversarial', 'losses', 'losses', 'adversarial', 'adversarial', 'losses', 'losses'],
    );
  });

  test('pix2pix and plain names: terms per network, metrics and bookkeeping by their words', () => {
    const series = named(['G_GAN', 'G_L1', 'D_real', 'D_fake', 'd_gp', 'lr', 'epoch_time', 'fid', 'TrainG/learning_rate', 'D(x)', 'foo']);
    const g = groupSeries(series);
    const groups = byGroup(series, g);
    assert.deepEqual(groups['terms:g'], ['G_L1']);
    // The D is the mean of its halves (pickMainPair adds it); D_real and D_fake are its terms.
    assert.deepEqual(groups['terms:d'], ['D_real', 'D_fake', 'd_gp', 'D(x)']);
    assert.deepEqual(groups.metrics, ['fid']);
    assert.deepEqual(groups.bookkeeping, ['lr', 'epoch_time']);
    assert.deepEqual(groups['prefix:traing'], ['TrainG/learning_rate']);
    assert.equal(g.groups.find((gr) => gr.key === 'prefix:traing')!.kind, 'bookkeeping');
    assert.deepEqual(groups.other, ['foo']);
    assert.deepEqual(shown(series, g), ['(D_real + D_fake) / 2', 'G_GAN']);
  });

  test("#14's roles: a role 'metric' series is a quality metric (shown when valid), and the readers' pair decides the GANs", () => {
    const series = [
      { name: 'D_A', role: 'discriminator' as Role, pair: 'A' },
      { name: 'G_A', role: 'generator' as Role, pair: 'A' },
      { name: 'D_B', role: 'discriminator' as Role, pair: 'B' },
      { name: 'G_B', role: 'generator' as Role, pair: 'B' },
      { name: 'fid50k', role: 'metric' as Role, best: { valid: true } },
      { name: 'kid', role: 'metric' as Role, best: { valid: false } },
      { name: 'Loss/FID', role: 'metric' as Role, values: new Float64Array([1e57, 30]), steps: new Float64Array([0, 1]) },
      { name: 'Metrics/is', role: 'metric' as Role, values: new Float64Array([2, 3]), steps: new Float64Array([0, 1]), better: 'higher' as const },
    ];
    const g = groupSeries(series);
    assert.deepEqual(byGroup(series, g), {
      'gan:A': ['D_A', 'G_A'],
      'gan:B': ['D_B', 'G_B'],
      metrics: ['fid50k', 'kid', 'Loss/FID'],
      'prefix:metrics': ['Metrics/is'],
    });
    assert.equal(g.places[6]!.kind, 'metrics', 'a metric under Loss/ is still a metric');
    assert.deepEqual(shown(series, g), ['D_A', 'D_B', 'G_A', 'G_B', 'Metrics/is', 'fid50k']);
  });
});
