// One notification per finding that became news in a run training now: it names the run, the
// finding and the step, and offers Inspect (the inspector opens zoomed to the finding) and Mute
// this run (no more notifications from it in this window). `ganInspector.live.alerts` chooses
// errors and warnings, errors only, or none. Each one is also a line in the extension's log.
import * as vscode from 'vscode';
import { formatStep } from '../../core/analysis/format';
import { kindLabel } from '../../core/present';
import type { Confirmed } from '../../core/live/episodes';
import { Disposable } from '../dispose';
import { currentSettings } from '../workspaceSettings';
import { COMMANDS } from '../ids';
import type { InspectArgs } from '../inspectArgs';
import type { LiveAlerts as AlertLevel } from '../settings';
import type { LiveRuns, RunNews } from './liveRuns';

/** True when the setting asks for this finding's severity. */
export function alertsFor(level: AlertLevel, severity: Confirmed['finding']['severity']): boolean {
  return level === 'warnings' ? severity !== 'info' : level === 'errors' ? severity === 'error' : false;
}

export class LiveAlerts extends Disposable {
  private readonly muted = new Set<string>();

  constructor(
    live: LiveRuns,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register(live.onNews((n) => this.tell(n)));
  }

  private tell({ root, name, news }: RunNews): void {
    const level = currentSettings().liveAlerts;
    for (const c of news) {
      const f = c.finding;
      const told = alertsFor(level, f.severity) && !this.muted.has(root);
      this.log.info(
        `live: ${name}: ${f.kind} (${f.severity}) at step ${f.start}, seen at step ${c.firstSeen}, held at step ${Math.round(c.heldAt)}${told ? '' : this.muted.has(root) ? ' (muted)' : ` (not told: live alerts are set to ${level})`}`,
      );
      if (told) void this.show(root, name, c);
    }
  }

  private async show(root: string, name: string, c: Confirmed): Promise<void> {
    const f = c.finding;
    const message = vscode.l10n.t('GAN run {0}: {1} at step {2}. {3}', name, kindLabel(f.kind), formatStep(f.start), f.message);
    const inspect = vscode.l10n.t('Inspect');
    const mute = vscode.l10n.t('Mute this run');
    const show = f.severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
    const picked = await show(message, inspect, mute);
    if (picked === inspect) {
      const args: InspectArgs = { runRoot: root, focus: { start: f.start, end: f.end } };
      await vscode.commands.executeCommand(COMMANDS.inspect, args);
    } else if (picked === mute) {
      this.muted.add(root);
      this.log.info(`live: ${name}: muted`);
    }
  }
}
