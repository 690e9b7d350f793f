// Loss tables without a header (#23): `np.savetxt`, a TSV appended by `log.write(...)`, a CSV from
// `csv.writer(...).writerow(...)`. Written here as the users' scripts write them (python3 + numpy);
// read with numbered columns, a rising whole first column as the step, relaunches set aside; named
// from the code that wrote them when the workspace has it, never called D or G on a guess.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { discoverRuns } from '../../../../src/core/discover';
import { loadFileAsRun, loadRun } from '../../../../src/core/run';
import { readLossFile } from '../../../../src/core/formats';
import { columnNamesFromCode, expressionName, writtenColumns } from '../../../../src/core/code/columnNames';
import { read } from '../../../support/printed';

let tmp = '';
before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'gan-tables-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const python = (dir: string, script: string) => execFileSync('python3', ['-c', script], { cwd: dir });
const mains = (series: { role: string; name: string }[]) =>
  series
    .filter((s) => s.role === 'discriminator' || s.role === 'generator')
    .map((s) => `${s.role[0]}:${s.name}`)
    .sort();

test('np.savetxt of two loss arrays (space-separated %.18e, no header): numbered columns, rows numbered; named from the np.c_[...] that wrote them', async () => {
  const dir = path.join(tmp, 'savetxt');
  mkdirSync(path.join(dir, 'results'), { recursive: true });
  const script =
    "import numpy as np\nd_losses = 0.69 + 0.01 * np.sin(np.arange(50))\ng_losses = 0.7 + 0.01 * np.cos(np.arange(50))\nnp.savetxt('results/losses.txt', np.c_[d_losses, g_losses])\n";
  writeFileSync(path.join(dir, 'train.py'), script);
  python(dir, script);
  const r = read('losses.txt', readFileSync(path.join(dir, 'results', 'losses.txt'), 'utf8'));
  assert.deepEqual(Object.keys(r.by), ['losses[0]', 'losses[1]']);
  assert.deepEqual(r.steps('losses[0]').slice(0, 3), [0, 1, 2]);
  assert.equal(r.values('losses[1]')[0], 0.71);
  const [loc] = await discoverRuns(path.join(dir, 'results'));
  assert.deepEqual(loc?.lossFiles, ['losses.txt'], 'found by its content');
  const run = await loadRun(loc!);
  assert.deepEqual(mains(run.series), ['d:d_losses', 'g:g_losses']);
});

test('a TSV `step\\td\\tg` appended by every launch: the first column is the step, the latest launch kept, the earlier ones told', () => {
  let text = '';
  for (const n of [1, 2, 20, 40]) for (let i = 0; i < n; i++) text += `${i}\t${-184.2 * (i + 1)}\t${1.0e5 + i}\n`;
  const r = read('loss.log', text);
  assert.deepEqual(Object.keys(r.by), ['loss[1]', 'loss[2]'], 'no column is called D or G on a guess');
  assert.deepEqual(
    r.steps('loss[1]'),
    Array.from({ length: 40 }, (_x, i) => i),
  );
  assert.deepEqual(r.report.notes, ['loss.log: 3 earlier launches set aside: 1, 2 and 20 lines']);
  assert.equal(r.report.stepUnit, 'step');
});

test('the code that wrote a header-less file names its columns: str() + "\\t", f-strings, % and .format, writerow, a docstring', () => {
  const code = [
    'log.write(str(step) + "\\t" + str(dis_loss) + "\\t" + str(gen_loss) + "\\n")',
    'f.write(f"{epoch}\\t{d_loss.item():.4f}\\t{g_loss:.4f}\\n")',
    'f.write("%d,%f,%f\\n" % (it, np.mean(errD), self.errG.item()))',
    'f.write("{},{}\\n".format(lossD, lossG))',
    'writer.writerow([epoch, loss_d, loss_g, fid])',
  ].join('\n');
  assert.deepEqual(
    writtenColumns(code).map((w) => w.names.join(',')),
    ['step,dis_loss,gen_loss', 'epoch,d_loss,g_loss', 'it,errD,errG', 'lossD,lossG', 'epoch,loss_d,loss_g,fid'],
  );
  assert.equal(expressionName('np.mean(d_losses)'), 'd_losses');
  assert.equal(expressionName('self.d_loss.item()'), 'd_loss');
  const docstring =
    'def store_loss(losses, filename):\n    """Store loss of the current session.\n\n    The sequence of the losses is: gen_total_loss, gen_loss,\n    l1_loss, disc_total_loss, disc_gen_loss, disc_real_loss\n    """\n    wtr = csv.writer(open(filename, \'a\'), delimiter=\',\')\n    wtr.writerow(losses_sum)\n';
  const files = [{ path: '/p/utility.py', rel: 'utility.py', text: docstring }];
  assert.deepEqual(columnNamesFromCode({ root: '/p', files }, 'wnet_finished_train.csv', 6), [
    'gen_total_loss',
    'gen_loss',
    'l1_loss',
    'disc_total_loss',
    'disc_gen_loss',
    'disc_real_loss',
  ]);
  assert.equal(columnNamesFromCode({ root: '/p', files }, 'wnet_finished_train.csv', 3), null, 'a statement counts only with as many columns as the file');
  const two = [{ path: '/p/a.py', rel: 'a.py', text: 'w.writerow([a_loss, b_loss])\nv.writerow([c_loss, d_loss])\n' }];
  assert.equal(columnNamesFromCode({ root: '/p', files: two }, 'x.csv', 2), null, 'two statements fit: no guess');
  const naming = [...two, { path: '/p/b.py', rel: 'b.py', text: "f = open('x.csv', 'a')\nf.write(f'{d}, {g}\\n')\n" }];
  assert.deepEqual(columnNamesFromCode({ root: '/p', files: naming }, 'x.csv', 2), ['d', 'g'], 'the file naming the loss file comes first');
});

test('a TSV written by `log.write(str(step) + "\\t" + …)` in the project: its columns named from the code, roles from the names, the step column the axis', async () => {
  const dir = path.join(tmp, 'cryo');
  mkdirSync(path.join(dir, 'models'), { recursive: true });
  writeFileSync(
    path.join(dir, 'train.py'),
    'log_file = os.path.join(log_dir, "loss.log")\nwith open(log_file, "a") as log:\n    log.write(str(step) + "\\t" + str(dis_loss) +\n              "\\t" + str(gen_loss) + "\\n")\n',
  );
  let text = '';
  for (let i = 0; i < 30; i++) text += `${i}\t${-27.1 * 2 ** i}\t${19267.89453125 * 2 ** i}\n`;
  writeFileSync(path.join(dir, 'models', 'loss.log'), text);
  const [loc] = await discoverRuns(path.join(dir, 'models'));
  const run = await loadRun(loc!);
  assert.deepEqual(mains(run.series), ['d:dis_loss', 'g:gen_loss']);
  assert.equal(run.series.find((s) => s.name === 'dis_loss')!.steps[29], 29);
  assert.equal(run.formulation.lossType, 'wgan');
  const alone = await loadFileAsRun(path.join(dir, 'models', 'loss.log'));
  assert.deepEqual(mains(alone.series), ['d:dis_loss', 'g:gen_loss'], 'a file inspected alone is named the same');
});

test('a CSV without a header (csv.writer, one row per epoch): numbered, or named by the docstring of the function that writes it', async () => {
  const dir = path.join(tmp, 'owren');
  mkdirSync(path.join(dir, 'loss'), { recursive: true });
  mkdirSync(path.join(dir, 'source'), { recursive: true });
  let text = '';
  for (let e = 0; e < 20; e++) text += [1.6, 0.77, 0.83 - e / 100, 1.38, 0.688, 0.693].join(',') + '\n';
  writeFileSync(path.join(dir, 'loss', 'exp_train.csv'), text);
  const numbered = readLossFile('exp_train.csv', new TextEncoder().encode(text));
  assert.deepEqual(
    numbered.map((s) => s.name),
    ['exp_train[0]', 'exp_train[1]', 'exp_train[2]', 'exp_train[3]', 'exp_train[4]', 'exp_train[5]'],
  );
  writeFileSync(
    path.join(dir, 'source', 'utility.py'),
    'import csv\n\ndef store_loss(losses, filename):\n    """Store loss of the current session.\n\n    The sequence of the losses is: gen_total_loss, gen_loss,\n    l1_loss, disc_total_loss, disc_gen_loss, disc_real_loss\n    """\n    wtr = csv.writer(open(filename, "a"), delimiter=",", lineterminator="\\n")\n    wtr.writerow(losses_sum)\n',
  );
  const [loc] = await discoverRuns(path.join(dir, 'loss'));
  const run = await loadRun(loc!);
  assert.deepEqual(mains(run.series), ['d:disc_total_loss', 'g:gen_loss']);
  assert.equal(run.series.find((s) => s.name === 'l1_loss')?.role, 'other');
});

test("fastai's console table (fastprogress): `#na#` cells and the epoch's time hold no value; columns named by the header, crit_loss the critic", async () => {
  const dir = path.join(tmp, 'fastai');
  mkdirSync(dir, { recursive: true });
  // As fastprogress's ConsoleMasterBar.write(table=True) prints fastai's Recorder rows (GANLearner).
  python(
    dir,
    [
      'import math, sys',
      "names = ['epoch', 'train_loss', 'valid_loss', 'gen_loss', 'crit_loss', 'time']",
      "names = [n + ' ' * (8 - len(n)) if len(n) < 8 else n for n in names]",
      "out = open('train.log', 'w')",
      "out.write('  '.join(names) + '\\n')",
      'for e in range(30):',
      '    g, c = 2.0 - 0.02 * e + 0.05 * math.sin(e), 0.69 + 0.02 * math.cos(e)',
      "    cells = [str(e), f'{(g + c) / 2:.6f}', '#na#', f'{g:.6f}', f'{c:.6f}', f'{e // 60:02d}:{26 + e % 30:02d}']",
      "    out.write(''.join(t + ' ' * (2 + len(n) - len(t)) for t, n in zip(cells, names)) + '\\n')",
    ].join('\n'),
  );
  const text = readFileSync(path.join(dir, 'train.log'), 'utf8');
  const r = read('train.log', text);
  assert.deepEqual(Object.keys(r.by).sort(), ['crit_loss', 'gen_loss', 'train_loss'], 'valid_loss (all #na#) and time are no series');
  assert.equal(r.report.stepUnit, 'epoch');
  assert.deepEqual(r.steps('gen_loss').slice(0, 3), [0, 1, 2]);
  assert.equal(r.values('crit_loss')[0], 0.71);
  assert.equal(r.values('gen_loss').length, 30);
  const [loc] = await discoverRuns(dir);
  assert.deepEqual(loc?.lossFiles, ['train.log'], 'found by its content');
  const run = await loadRun(loc!);
  assert.deepEqual(mains(run.series), ['d:crit_loss', 'g:gen_loss']);
  // Without the header nothing says which cell a value is: such rows are not read as a table.
  const rows = text.split('\n').slice(1).join('\n');
  assert.throws(() => read('train.log', rows), /train\.log: no training loss lines/);
});
