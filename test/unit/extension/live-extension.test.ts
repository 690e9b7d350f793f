// The extension's live runs without VS Code (src/extension/live/model.ts, liveView.ts): a run is
// live from its files' last write, its first look at start-up is never news, news only comes from
// a run training now, and how a live run reads in GAN Runs and in the status bar.
import { UNIT_DIR } from '../../support/dirs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { discoverRuns } from '../../../src/core/discover';
import { inspectLoadedRun, type Inspection } from '../../../src/core/inspect';
import { loadRun } from '../../../src/core/run';
import { LiveRunsModel, type LiveInfo } from '../../../src/extension/live/model';
import { liveRunView, statusText } from '../../../src/extension/live/liveView';
import type { NodeView } from '../../../src/extension/tree/nodes/node';
import { planReplay, ReplayWriter } from '../../../scripts/replay-run';

const corpus = path.join(UNIT_DIR, '..', 'corpus', 'runs');

async function replayed(name: string) {
  const dest = mkdtempSync(path.join(tmpdir(), 'gan-live-ext-'));
  const writer = new ReplayWriter(await planReplay(path.join(corpus, name)), dest);
  const read = async (): Promise<Inspection> => inspectLoadedRun(await loadRun((await discoverRuns(dest))[0]!));
  return { dest, writer, read, done: () => rmSync(dest, { recursive: true, force: true }) };
}

test(
  'a run is live once seen growing; one seen at start-up is not news; what it writes next is; a run not training never is',
  { timeout: 60_000 },
  async () => {
    const r = await replayed('nan-divergence');
    const grow = async (step: number) => {
      await sleep(20); // file times have millisecond resolution
      await r.writer.advanceTo(step);
    };
    try {
      const model = new LiveRunsModel(() => 10 * 60_000);
      await r.writer.advanceTo(3200);
      const first = await model.look(r.dest, 'nan', await r.read(), true);
      assert.deepEqual(first.news, [], 'already diverged when the window opened: known');
      assert.equal(model.info(r.dest)!.state.live, false, 'fresh files, but not seen growing yet');
      assert.equal(model.info(r.dest)!.state.errors, 2);
      assert.equal(model.liveFiles().length, 1, 'its files are polled, so growth is seen without events');
      await grow(4000);
      assert.deepEqual((await model.look(r.dest, 'nan', await r.read(), true)).news, [], 'the same episodes growing: no news');
      assert.equal(model.info(r.dest)!.state.live, true);
      assert.equal(model.live().length, 1);

      // A run found after start-up: its NaN is news, told once the run is seen growing.
      const later = new LiveRunsModel(() => 10 * 60_000);
      assert.deepEqual((await later.look(r.dest, 'nan', await r.read(), false)).news, []);
      await grow(4500);
      assert.deepEqual(
        (await later.look(r.dest, 'nan', await r.read(), false)).news.map((c) => c.finding.kind),
        ['non-finite', 'non-finite'],
      );

      // Files last written an hour ago: not live, so never news (a rescan of an old run, a copy).
      const hourAgo = Date.now() / 1000 - 3600;
      for (const f of ['result/discriminator_loss.npy', 'result/generator_loss.npy', 'result/image', 'result', '.'])
        utimesSync(path.join(r.dest, f), hourAgo, hourAgo);
      const old = new LiveRunsModel(() => 10 * 60_000);
      assert.deepEqual((await old.look(r.dest, 'nan', await r.read(), false)).news, []);
      assert.deepEqual((await old.look(r.dest, 'nan', await r.read(), false)).news, []);
      assert.equal(old.info(r.dest)!.state.live, false);
      assert.deepEqual(old.live(), []);
      assert.deepEqual(old.liveFiles(), []);
      // And a live run stops being live when its window passes.
      let now = Date.now();
      const ticking = new LiveRunsModel(
        () => 60_000,
        () => now,
      );
      await ticking.look(r.dest, 'nan', await r.read(), true);
      await grow(Infinity);
      await ticking.look(r.dest, 'nan', await r.read(), true);
      assert.equal(ticking.live().length, 1);
      now += 61_000;
      assert.equal(ticking.expire(), true);
      assert.deepEqual(ticking.live(), []);
      assert.deepEqual(ticking.liveFiles(), []);
    } finally {
      r.done();
    }
  },
);

const info = (over: Partial<LiveInfo['state']> = {}, name = 'runs/a'): LiveInfo => ({
  root: `/w/${name}`,
  name,
  state: { live: true, step: 3000, stepsPerMinute: 612, lastWrite: new Date(2024, 0, 1, 9, 5, 7).getTime(), errors: 0, warnings: 0, ...over },
});
/** Markdown as the reader sees it (the names and numbers are escaped in it). */
const unescape = (md: string) => md.replace(/\\(.)/g, '$1');
const row: NodeView = {
  id: 'run:/w/runs/a',
  label: 'runs/a',
  description: '3,000 steps · D 0.7 · G 0.9',
  tooltip: '**runs/a**\n\n/w/runs/a\n\n- d',
  icon: { id: 'pass', color: 'testing.iconPassed' },
  collapsible: 'collapsed',
  contextValue: 'ganRun',
};

test('GAN Runs: a live run gets the pulse icon in its health colour, "training", and its step, rate and last record in the tooltip', () => {
  const v = liveRunView(row, info({ warnings: 1 }));
  assert.deepEqual(v.icon, { id: 'pulse', color: 'problemsWarningIcon.foreground' });
  assert.equal(v.description, 'training · 3,000 steps · D 0.7 · G 0.9');
  assert.match(unescape(v.tooltip!), /^\*\*runs\/a\*\*\n\ntraining · step 3,000 · 612 steps\/min · last record 09:05:07\n/);
  assert.equal(v.contextValue, 'ganRun', "the run's menus stay");
  assert.equal(liveRunView(row, info({ live: false })), row, 'a run not training looks as before');
  assert.equal(liveRunView({ ...row, icon: { id: 'loading~spin' } }, info()).icon.id, 'loading~spin', 'still reading: the spinner');
  assert.equal(liveRunView({ ...row, contextValue: 'ganFinding' }, info()).icon.id, 'pass');
});

test('status bar: how many train, how many of them are broken; each in the tooltip', () => {
  assert.equal(statusText([]), undefined);
  const one = statusText([info()])!;
  assert.equal(one.text, '$(pulse) GAN: 1 training');
  assert.equal(one.background, undefined);
  assert.match(unescape(one.tooltip), /runs\/a\*\*: training · step 3,000 · 612 steps\/min · last record 09:05:07 · ok/);
  assert.match(one.tooltip, /Click to open its inspector/);
  const three = statusText([info({}, 'a'), info({ warnings: 2 }, 'b'), info({ errors: 1, warnings: 1 }, 'c')])!;
  assert.equal(three.text, '$(pulse) GAN: 3 training · $(error) 1 · $(warning) 1');
  assert.equal(three.background, 'error');
  assert.match(unescape(three.tooltip), /1 error, 1 warning/);
  // A run name is data: it cannot make a link or a theme icon in the tooltip.
  const evil = statusText([info({}, '[x](command:evil) $(alert)')])!;
  assert.doesNotMatch(evil.tooltip, /\]\(command:|\$\(alert\)/);
});
