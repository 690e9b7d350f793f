// The format registry (src/core/formats/registry.ts): every registered format is picked for its
// example names and its own content, content wins over names, the refusal lists every format, and
// one more format object in the list is all discovery, the refusal, loading and live refresh need.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FORMATS, readLossFile, ReadFailure, selectFormat, type FileFormat, type FolderFormat } from '../../../../src/core/formats';
import { AppendCache } from '../../../../src/core/formats/appendCache';
import { discoverRuns } from '../../../../src/core/discover';
import { loadRun } from '../../../../src/core/run';
import { inspectPaths } from '../../../../src/core/inspect';
import { useLanguage } from '../../../../src/core/l10n';
import { looksLikeRun } from '../../../../src/extension/inspector/restore';
import { eventRecord } from '../../../support/damage';
import { npyBytes } from '../../../support/npy';
import { zipSync } from 'fflate';
import { historyRecord, wandbFile } from '../../../support/wandb';

const text = (s: string) => new TextEncoder().encode(s);
const concat = (parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const printedLog = [0, 1, 2, 3].map((i) => `[Epoch 0/5] [Batch ${i}/938] [D loss: 0.6${i}] [G loss: 0.7${i}]`).join('\n') + '\n';

/** What each registered format's files hold: every format must have one here (so has a test). */
const CONTENT: Record<string, Uint8Array> = {
  npy: npyBytes([0.7, 0.69, 0.68]),
  wandb: wandbFile(
    [0, 1, 2].map((i) =>
      historyRecord(i, [
        ['d_loss', String(0.7 - i / 100)],
        ['g_loss', String(0.6 + i / 100)],
      ]),
    ),
  ),
  csv: text('step,d_loss,g_loss\n0,0.7,0.6\n1,0.69,0.7\n'),
  jsonl: text('{"step": 0, "d_loss": 0.7, "g_loss": 0.6}\n{"step": 1, "d_loss": 0.69, "g_loss": 0.7}\n'),
  tfevents: concat([eventRecord(0, null, 0), eventRecord(1, 'loss/d', 0.7), eventRecord(2, 'loss/d', 0.69)]),
  junyanz: text(
    '================ Training Loss (Mon Jan  1) ================\n(epoch: 1, iters: 100, time: 0.1, data: 0.2) D_A: 0.3 G_A: 0.5 \n(epoch: 1, iters: 200, time: 0.1, data: 0.2) D_A: 0.28 G_A: 0.55 \n',
  ),
  mlflow: text('1700000000000 0.7 0\n1700000001000 0.69 1\n'),
  chainer: text('[\n    {\n        "iteration": 100,\n        "dis/loss": 0.5,\n        "gen/loss": 0.7\n    }\n]'),
  printed: text(printedLog),
  json: text('{"D_losses": [0.7, 0.69, NaN], "G_losses": [0.6, 0.7, 0.8]}'),
  'keyed-log': text('50: 7.000e-01\n100: 6.900e-01\n'),
  npz: zipSync({ 'd_loss.npy': npyBytes([0.7, 0.69]), 'g_loss.npy': npyBytes([0.6, 0.7]) }, { level: 0 }),
  // A notebook whose training cell printed its losses (nbformat 4, as Jupyter saves it).
  notebook: text(
    JSON.stringify(
      {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [
          {
            cell_type: 'code',
            execution_count: 1,
            metadata: {},
            source: ['train()'],
            outputs: [{ output_type: 'stream', name: 'stdout', text: printedLog.split(/(?<=\n)/) }],
          },
        ],
      },
      null,
      1,
    ),
  ),
};

/** Examples whose content is not their format's usual one (old wandb's history is JSON lines). */
const CONTENT_OF_EXAMPLE: Record<string, Uint8Array> = {
  'files/wandb-history.jsonl': text('{"d_loss": 0.7, "g_loss": 0.6, "_step": 0}\n{"d_loss": 0.69, "g_loss": 0.7, "_step": 1}\n'),
};

test('every registered file format has content in this test, and is picked for its example names and that content', () => {
  assert.deepEqual(Object.keys(CONTENT).sort(), FORMATS.files.map((f) => f.id).sort(), 'a format without content here has no test');
  const ids = [...FORMATS.files, ...FORMATS.folders].map((f) => f.id);
  assert.equal(new Set(ids).size, ids.length, `ids are unique: ${ids.join(', ')}`);
  // A name only content can tell is taken only by a sniff: without one it would never be.
  for (const f of FORMATS.files) if (f.maybeNames?.length) assert.ok(f.sniff, `${f.id} has maybeNames but no sniff`);
  for (const format of FORMATS.files) {
    if (format.sniff) assert.ok(format.sniff(CONTENT[format.id]!, format.examples[0]!), `${format.id} sniffs its own content`);
    assert.ok(format.examples.length > 0, `${format.id} has examples`);
    for (const example of format.examples) {
      const bytes = CONTENT_OF_EXAMPLE[example] ?? CONTENT[format.id]!;
      // A name it reads on sight is its own without content; one only content can tell needs it.
      const sure = FORMATS.claims(example).find((c) => c.format === format)!;
      assert.ok(sure, `${example} may be ${format.id}`);
      if (sure.claim === 'sure') assert.equal(selectFormat(example)?.id, format.id, `${example} by name`);
      else assert.equal(selectFormat(example), null, `${example} is not taken by name alone`);
      assert.equal(selectFormat(example, bytes)?.id, format.id, `${example} with its content`);
      assert.ok(FORMATS.read(example, bytes).series.length > 0, `${example} reads`);
    }
  }
});

test('a .csv is a loss table only when its first lines say so: a training column in the header, or rows of numbers alone', () => {
  const id = (name: string, content: string) => selectFormat(name, text(content))?.id ?? null;
  assert.equal(id('data.csv', 'a,b\n1,2\n'), null, "a workspace's data table is no run's");
  assert.equal(id('people.csv', 'name,age,city\nAda,36,London\n'), null);
  assert.equal(id('fid.csv', ',Unnamed: 0,FID,Gen_Loss,Disc_Loss\n0,0,90.5,2.0,0.43\n'), 'csv', 'a quality metric and the losses, pandas index included');
  assert.equal(id('metrics.csv', 'epoch,step,critic_loss,generator_loss\n0,49,-0.01,\n'), 'csv', "Lightning's, an empty cell included");
  assert.equal(id('progress.csv', 'iter,errD,errG\n0,1.3,0.7\n'), 'csv');
  assert.equal(id('wnet_train.csv', '1.11,0.84,0.27,1.29,0.64,0.65\n1.05,0.81,0.25,1.31,0.66,0.64\n'), 'csv', 'numbers alone (np.savetxt, csv.writer)');
  assert.equal(id('one_row.csv', '1,2\n'), null, 'one row of numbers says nothing');
  assert.equal(id('experiment_1_train.csv', ''), 'csv', 'an empty file: its emptiness is told');
  assert.equal(
    id('train.csv', 'Epoch [1/5], D loss: 0.69, G loss: 0.70\nEpoch [2/5], D loss: 0.68, G loss: 0.71\nEpoch [3/5], D loss: 0.67, G loss: 0.72\n'),
    'printed',
    'printed lines split at their commas are no header',
  );
});

test('content wins over names: a .csv, a `log`, a .txt or a .json holding another format is that format', () => {
  const id = (name: string, content: string | Uint8Array) => selectFormat(name, typeof content === 'string' ? text(content) : content)?.id ?? null;
  assert.equal(id('metrics.csv', printedLog), 'printed', 'a .csv that is really a printed log');
  assert.equal(id('metrics.csv', 'step,d_loss\n0,1\n'), 'csv');
  assert.equal(id('log', printedLog), 'printed', 'a Chainer-named log holding printed lines');
  assert.equal(id('log', '[{"iteration": 1, "gen/loss": 0.5}]'), 'chainer');
  assert.equal(id('train.txt', printedLog), 'printed');
  assert.equal(id('history.json', ' [\n {"iteration": 1}]'), 'chainer');
  assert.equal(id('history.json', '{"iteration": 1}'), null, 'a JSON object is no Chainer log');
  assert.equal(id('gan-run.json', '[{"a": 1}]'), null, 'the run config is never a loss file');
  assert.equal(id('loss_log.txt', printedLog), 'junyanz', 'its reader reads printed lines in a file so named');
  assert.equal(id('requirements.txt', printedLog), null, 'option dumps and lists are never logs');
  assert.equal(id('d_losses.npy', 'not numpy'), null, 'bytes that contradict the only format a name says');
  // The reading itself follows the content: the .csv holding a printed log gives its D and G losses.
  assert.deepEqual(
    readLossFile('metrics.csv', text(printedLog))
      .map((s) => s.name)
      .sort(),
    ['D loss', 'G loss'],
  );
  assert.deepEqual(
    readLossFile('result/log', text(printedLog))
      .map((s) => s.name)
      .sort(),
    ['D loss', 'G loss'],
  );
});

test('when the content says no format, the name decides and its reader says what the file lacks', () => {
  const refusal = (read: () => unknown, message: RegExp) => assert.throws(read, (e: Error) => e instanceof ReadFailure && message.test(e.message));
  refusal(() => readLossFile('result/log', text('Epoch 1/10 - d_loss 0.5')), /^result\/log: not valid JSON$/);
  refusal(() => readLossFile('d_losses.npy', text('not numpy')), /^d_losses\.npy: not a \.npy file/);
  refusal(() => readLossFile('train.log', text('hello\n')), /^train\.log: no training loss lines/);
  assert.equal(FORMATS.formatFor('train.log')?.id, 'printed');
});

test('the refusal lists every file format by its label, in the UI language', () => {
  for (const language of ['en', 'zh-tw'] as const) {
    useLanguage(language);
    try {
      const message = FORMATS.notALossFile('weights.bin');
      for (const f of FORMATS.files) assert.ok(message.includes(f.label()), `${language}: ${f.id} (${f.label()}) in ${message}`);
      assert.throws(
        () => readLossFile('weights.bin', text('x')),
        (e: Error) => e instanceof ReadFailure && e.message === message,
      );
    } finally {
      useLanguage('en');
    }
  }
  assert.match(
    FORMATS.notALossFile('weights.bin'),
    /^weights\.bin: not a loss file format this reader knows \(it reads NumPy \.npy arrays, .*, printed training logs, per-key "step: value" logs, Jupyter notebooks that printed losses\)$/,
  );
});

// ── One more format: a file format, a format only content tells, a folder format, a file that is a run ──

let tmp = '';
before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'gan-registry-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A made-up format: `step value` lines named `*.fake`, continued line by line. */
function fakeSeries(s: string) {
  const rows = s
    .split('\n')
    .filter((l) => /^\d+ \S+$/.test(l))
    .map((l) => l.split(' ').map(Number));
  if (!rows.length) throw new ReadFailure('no fake rows');
  return [{ name: 'd_loss', column: null, steps: Float64Array.from(rows, (r) => r[0]!), values: Float64Array.from(rows, (r) => r[1]!) }];
}
const fake = {
  id: 'fake',
  label: () => 'fake GAN logs',
  examples: ['run.fake'],
  names: ['*.fake'],
  read: (bytes) => ({ series: fakeSeries(new TextDecoder().decode(bytes)) }),
  incremental() {
    let seen = '';
    return {
      push(bytes) {
        const s = new TextDecoder().decode(bytes);
        const end = s.lastIndexOf('\n') + 1;
        seen += s.slice(0, end);
        return end;
      },
      result: () => ({ series: fakeSeries(seen) }),
      heldBytes: 0,
    };
  },
  wake: ['**/*.fake'],
} satisfies FileFormat;

test('one more file format in the list is all discovery, loading, the refusal, live refresh and the manifest need', async () => {
  const root = path.join(tmp, 'fake-workspace');
  mkdirSync(path.join(root, 'exp1'), { recursive: true });
  const file = path.join(root, 'exp1', 'run.fake');
  writeFileSync(file, '0 0.7\n1 0.69\n');
  const formats = FORMATS.with(fake);
  assert.deepEqual(await discoverRuns(root), [], 'not a format before it is registered');
  const [loc] = await discoverRuns(root, { formats });
  assert.deepEqual(loc!.lossFiles, ['run.fake']);
  const run = await loadRun(loc!, { formats });
  assert.deepEqual([...run.series[0]!.values], [0.7, 0.69]);
  assert.match(formats.notALossFile('x.bin'), /fake GAN logs/);
  assert.doesNotMatch(FORMATS.notALossFile('x.bin'), /fake GAN logs/);
  // Live refresh: the cache continues it with its incremental reader.
  const cache = new AppendCache(undefined, formats);
  assert.ok(cache.continues('run.fake'));
  const info = () => ({ size: statSync(file).size, mtimeMs: statSync(file).mtimeMs, ino: statSync(file).ino });
  await cache.read(file, 'run.fake', info());
  appendFileSync(file, '2 0.68\n');
  const refreshed = await cache.read(file, 'run.fake', info());
  assert.equal(cache.lastRead(file)?.incremental, true);
  assert.deepEqual([...refreshed[0]!.values], [0.7, 0.69, 0.68]);
  const { workspaceContainsEvents, explorerWhen } = await import('../../../../src/core/formats/manifest');
  assert.ok(workspaceContainsEvents(formats).includes('workspaceContains:**/*.fake'));
  assert.match(explorerWhen(formats), /\.\*\\\.fake/);
});

test('a format only content tells is opened by discovery; one whose sniff fails is not a loss file', async () => {
  const sniffed = {
    ...fake,
    id: 'sniffed',
    names: [],
    maybeNames: ['*.dat'],
    sniff: (head: Uint8Array) => new TextDecoder().decode(head.subarray(0, 4)) === 'FAKE',
  } satisfies FileFormat;
  const root = path.join(tmp, 'sniff-workspace');
  mkdirSync(root);
  writeFileSync(path.join(root, 'a.dat'), 'FAKE\n0 0.5\n');
  writeFileSync(path.join(root, 'b.dat'), 'other\n0 0.5\n');
  const [loc] = await discoverRuns(root, { formats: FORMATS.with(sniffed) });
  assert.deepEqual(loc!.lossFiles, ['a.dat']);
});

test('a folder format makes a folder a run by its structure; a file format that is a run is listed as a run of its own', async () => {
  const folderFormat = {
    id: 'fake-run',
    label: () => 'fake run folders',
    examples: ['fake-run/'],
    runOf: async (_folder, entries) => (entries.some((e) => e.name === 'fake-run.marker' && e.isFile()) ? { lossFiles: ['history/d'] } : null),
    ownFolders: ['history'],
    wake: ['**/fake-run.marker'],
  } satisfies FolderFormat;
  const history = { ...fake, id: 'fake-history', names: ['history/*'] } satisfies FileFormat;
  const notebook = { ...fake, id: 'fake-notebook', names: ['*.nbk'], isRun: true } satisfies FileFormat;
  const formats = FORMATS.with(folderFormat).with(history).with(notebook);
  const root = path.join(tmp, 'structure-workspace');
  mkdirSync(path.join(root, 'exp', 'history', 'nested'), { recursive: true });
  writeFileSync(path.join(root, 'exp', 'fake-run.marker'), '');
  writeFileSync(path.join(root, 'exp', 'history', 'd'), '0 0.7\n5 0.6\n');
  writeFileSync(path.join(root, 'exp', 'history', 'nested', 'x.fake'), '0 1\n'); // part of the run's own folder: not a run
  writeFileSync(path.join(root, 'exp', 'train.nbk'), '0 0.9\n1 0.8\n');
  const runs = await discoverRuns(root, { formats });
  assert.deepEqual(
    runs.map((r) => [r.name, r.lossFiles, r.file ?? false]),
    [
      ['exp', ['history/d'], false],
      ['exp/train.nbk', ['train.nbk'], true],
    ],
  );
  const notebookRun = runs[1]!;
  assert.equal(notebookRun.root, path.join(root, 'exp', 'train.nbk'));
  assert.deepEqual([...(await loadRun(notebookRun, { formats })).series[0]!.values], [0.9, 0.8]);
  assert.deepEqual([...(await loadRun(runs[0]!, { formats })).series[0]!.steps], [0, 5]);
  assert.ok(formats.labels().includes('fake run folders'));
});

test('restore: a folder is still a run when the registry knows what it holds', async () => {
  const folder = (name: string, files: Record<string, string>) => {
    const dir = path.join(tmp, 'restore', name);
    for (const [rel, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), content);
    }
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  assert.equal(await looksLikeRun(folder('printed', { 'train.log': printedLog })), true, 'a printed log, by its content');
  assert.equal(await looksLikeRun(folder('loss-log', { 'loss_log.txt': '' })), true, 'a name read on sight');
  assert.equal(await looksLikeRun(folder('mlflow', { 'meta.yaml': 'name: x\n', 'metrics/loss': '1 0.5 0\n' })), true, 'an MLflow run folder');
  assert.equal(await looksLikeRun(folder('nested', { 'logs/events.out.tfevents.1.host': '' })), true, 'a loss file one level down');
  assert.equal(await looksLikeRun(folder('notes', { 'train.log': 'hello\n', 'README.md': '# x\n' })), false);
  assert.equal(await looksLikeRun(path.join(folder('file', { 'train.log': printedLog }), 'train.log')), false, 'a loss file is not a run of its own');
});

test("the single-file path: a file no format reads is refused with the registry's list", async () => {
  const dir = path.join(tmp, 'single');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'weights.bin'), 'x');
  writeFileSync(path.join(dir, 'metrics.csv'), printedLog);
  const { inspections, problems } = await inspectPaths([path.join(dir, 'weights.bin'), path.join(dir, 'metrics.csv')]);
  assert.deepEqual(problems, [FORMATS.notALossFile(path.join(dir, 'weights.bin'))]);
  assert.deepEqual(inspections[0]!.run.series.map((s) => s.name).sort(), ['D loss', 'G loss']);
  assert.equal(inspections[0]!.run.stepUnit, 'iteration', 'the step unit of the format that read it, a printed log');
});
