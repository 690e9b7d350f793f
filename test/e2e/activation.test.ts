// Activation from what the format registry knows (#27): a workspace whose runs are in a format other
// than `.npy` (here a Lightning-style metrics.csv) wakes the extension by itself, so the Problems
// panel has the run's warnings without the GAN Runs view or a Python file ever being opened; a
// workspace without runs does not wake it (opening the view does), and activation is timed there.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { e2eSuite } from './harness';
import { waitFor } from './codeServer';
import { problemLosses, removeWorkspace } from './workspace';

const ACTIVATION_BUDGET_MS = 50;
let workspace = '';
let emptyWorkspace = '';
after(() => {
  removeWorkspace(workspace);
  removeWorkspace(emptyWorkspace);
});

/** A run whose losses are only a metrics.csv (D falls to ~0 while G climbs), and the script that writes it. */
function makeCsvWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gan-e2e-csv-'));
  const { d, g } = problemLosses(2000);
  mkdirSync(join(dir, 'lightning_logs', 'version_0'), { recursive: true });
  const rows = Array.from(d, (v, i) => `${i},${v},${g[i]}`);
  writeFileSync(join(dir, 'lightning_logs', 'version_0', 'metrics.csv'), `step,d_loss,g_loss\n${rows.join('\n')}\n`);
  writeFileSync(join(dir, 'train.py'), "import pandas as pd\n\npd.DataFrame(history).to_csv('lightning_logs/version_0/metrics.csv')\n");
  return dir;
}

/** What woke the extension in each window so far, from the extension host's log. */
function activationEvents(log: string): string[] {
  return [...log.matchAll(/_doActivateExtension gan-run-inspector\.gan-run-inspector, startup: \w+, activationEvent: '([^']+)'/g)].map((m) => m[1]!);
}

/** Every activation the extension logged: its wall time and its CPU time, in milliseconds. */
function activations(log: string): { wall: number; cpu: number; line: string }[] {
  return [...log.matchAll(/activated in (\d+) ms .*; CPU (\d+) ms\)/g)].map((m) => ({ wall: Number(m[1]), cpu: Number(m[2]), line: m[0] }));
}

e2eSuite(
  'e2e activation: woken by the formats the registry reads, not by a workspace without runs',
  () => (workspace = makeCsvWorkspace()),
  (vs) => {
    test('a workspace holding a metrics.csv run wakes the extension: its warnings reach the Problems panel with no view opened', async () => {
      const rows = await vs.problems(2, 60_000);
      await vs.screenshot('activation-problems-without-view');
      const events = activationEvents(vs.extensionHostLog());
      console.log(`woken by ${events.join(' | ')}; ${(await vs.extensionLogLine(/activated in/)) ?? 'no activation line'}`);
      assert.deepEqual(
        events.map((e) => e.split(':')[0]),
        ['workspaceContains'],
        'woken by the workspace, nothing else',
      );
      assert.ok(
        rows.some((r) => r.includes('train.py')),
        `no train.py in the Problems panel: ${rows.join(' | ')}`,
      );
      assert.ok(
        rows.some((r) => /warning|error/i.test(r) && /discriminator|dominan|saturat|generator/i.test(r)),
        `no GAN warning in: ${rows.join(' | ')}`,
      );
    });

    test('a workspace without runs does not wake it; opening the view does, and its activation costs under 50 ms', async () => {
      emptyWorkspace = mkdtempSync(join(tmpdir(), 'gan-e2e-no-runs-'));
      // Files a workspace without runs has: none of them is a run's.
      writeFileSync(join(emptyWorkspace, 'README.md'), '# notes\n');
      writeFileSync(join(emptyWorkspace, 'data.csv'), 'a,b\n1,2\n');
      writeFileSync(join(emptyWorkspace, 'server.log'), 'started\n');
      writeFileSync(join(emptyWorkspace, 'config.json'), '{"a": 1}\n');
      await vs.openFolder(emptyWorkspace);
      await vs.showViewContainer('GAN Runs');
      await vs.viewWelcome('Runs', /no GAN run/i, 45_000);
      const events = activationEvents(vs.extensionHostLog());
      // The first window's activation, then this one's: by the view, so nothing in the workspace woke it first.
      assert.equal(events.length, 2, events.join(' | '));
      assert.equal(events[1], 'onView:ganInspector.runs', events.join(' | '));
      // This window's line comes after the first window's.
      const logged = await waitFor('the second activation line', 20_000, async () => {
        const all = activations(vs.extensionLog());
        return all.length >= 2 && all;
      });
      const last = logged[logged.length - 1]!;
      console.log(`activation in a workspace without runs: ${last.line}`);
      // CPU time, not wall time: on a machine busy with other work the wall time is theirs too.
      assert.ok(last.cpu < ACTIVATION_BUDGET_MS, `activation in a workspace without runs cost ${last.cpu} ms of CPU: ${last.line}`);
    });
  },
);
