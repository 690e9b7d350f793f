// The status bar item while any run trains: "GAN: 2 training · ⚠ 1" (how many of them have errors
// or warnings). Its tooltip lists each live run with its step, rate and health; a click
// (showLiveRuns, registered in commands.ts) opens that run's inspector, or the GAN Runs view when
// several train.
import * as vscode from 'vscode';
import { Disposable } from '../dispose';
import { COMMANDS, LIVE_STATUS_ITEM, RUNS_VIEW } from '../ids';
import { statusText } from './liveView';
import type { LiveRuns } from './liveRuns';

export class LiveStatusBar extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem(LIVE_STATUS_ITEM, vscode.StatusBarAlignment.Left, 10));

  constructor(private readonly live: LiveRuns) {
    super();
    this.item.name = vscode.l10n.t('GAN runs training now');
    this.item.command = COMMANDS.showLiveRuns;
    this._register(live.onDidChange(() => this.update()));
    this.update();
  }

  private update(): void {
    const shown = statusText(this.live.model.live());
    if (!shown) {
      this.item.hide();
      return;
    }
    this.item.text = shown.text;
    const tooltip = new vscode.MarkdownString(shown.tooltip, true);
    tooltip.isTrusted = false;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = shown.background ? new vscode.ThemeColor(`statusBarItem.${shown.background}Background`) : undefined;
    this.item.show();
  }
}

/** "Show the runs training now": one run training: its inspector; several (or none): the GAN Runs view. */
export async function showLiveRuns(live: LiveRuns): Promise<void> {
  const training = live.model.live();
  if (training.length === 1) await vscode.commands.executeCommand(COMMANDS.inspect, { runRoot: training[0]!.root });
  else await vscode.commands.executeCommand(`${RUNS_VIEW}.focus`);
}
