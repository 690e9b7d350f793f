// How live runs look: the GAN Runs row of a run training now (its own icon, "training" and its
// step, rate and last record in the tooltip) and the status bar item's text and tooltip. Pure (no
// `vscode`): the tree and the status bar turn these into their items, Node tests read them.
import { t } from '../../core/l10n';
import { healthText, liveLine } from '../../core/live/summary';
import { escapeMarkdown } from '../markdown';
import type { NodeView } from '../tree/nodes/node';
import type { LiveInfo } from './model';

/** The icon of a live run: a pulse, in its health's colour. */
export function liveIcon(info: LiveInfo): NodeView['icon'] {
  const color = info.state.errors ? 'problemsErrorIcon.foreground' : info.state.warnings ? 'problemsWarningIcon.foreground' : 'testing.iconPassed';
  return { id: 'pulse', color };
}

/** A run row as the tree shows it while the run trains; any other row as it is. */
export function liveRunView(view: NodeView, info: LiveInfo | undefined): NodeView {
  if (!info?.state.live || view.contextValue !== 'ganRun') return view;
  // A spinner (still reading, samples being scored) says more than the pulse for that moment.
  const icon = view.icon.id.endsWith('~spin') ? view.icon : liveIcon(info);
  const line = escapeMarkdown(liveLine(info.state));
  const tooltip = view.tooltip ? view.tooltip.replace(/\n/, `\n\n${line}\n`) : line;
  return { ...view, icon, description: view.description ? `${t('training')} · ${view.description}` : t('training'), tooltip };
}

/** The status bar item: "GAN: 2 training · $(error) 1", a tooltip listing each run, the background when one is broken. */
export function statusText(live: readonly LiveInfo[]): { text: string; tooltip: string; background?: 'error' | 'warning' } | undefined {
  if (!live.length) return undefined;
  const withErrors = live.filter((r) => r.state.errors > 0).length;
  const withWarnings = live.filter((r) => r.state.errors === 0 && r.state.warnings > 0).length;
  let text = `$(pulse) ${t('GAN: {0} training', live.length)}`;
  if (withErrors) text += ` · $(error) ${withErrors}`;
  if (withWarnings) text += ` · $(warning) ${withWarnings}`;
  const lines = [`**${escapeMarkdown(t('GAN runs training now'))}**`, ''];
  for (const r of live) lines.push(`- **${escapeMarkdown(r.name)}**: ${escapeMarkdown(`${liveLine(r.state)} · ${healthText(r.state)}`)}`);
  lines.push('', escapeMarkdown(live.length === 1 ? t('Click to open its inspector.') : t('Click to show them in GAN Runs.')));
  return { text, tooltip: lines.join('\n'), ...(withErrors ? { background: 'error' as const } : withWarnings ? { background: 'warning' as const } : {}) };
}
