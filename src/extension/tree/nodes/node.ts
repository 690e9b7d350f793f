// What every row of the GAN Runs tree is: a node (plain data VS Code hands back to us), how it
// looks (NodeView), and the one interface each kind's module implements (NodeKind). Pure (no
// `vscode`): Node tests build the tree from real inspections; runsView.ts makes TreeItems of it.
import { t } from '../../../core/l10n';
import type { Inspection } from '../../../core/inspect';
import { COMMANDS } from '../../ids';
import type { InspectArgs } from '../../inspectArgs';
import type { RunEntry } from '../../runs/runEntry';

/** A row of the tree; each kind has its module in this folder (see treeModel.ts's table). */
export type TreeNode =
  | { kind: 'run'; runRoot: string }
  | { kind: 'group'; runRoot: string; group: GroupName }
  | { kind: 'series'; runRoot: string; index: number }
  /** A group of series by what they are (src/core/seriesGroups.ts); only when a run has more than one. */
  | { kind: 'seriesGroup'; runRoot: string; key: string }
  | { kind: 'sample'; runRoot: string; index: number }
  /** An image of the run on no step (see `Result`): a test output, a batch position, a draw. */
  | { kind: 'result'; runRoot: string; index: number }
  | { kind: 'more'; runRoot: string; hidden: number }
  | { kind: 'finding'; runRoot: string; index: number }
  | { kind: 'error'; runRoot: string; index: number };

/** The folders under a run, in the order they are shown. */
export type GroupName = 'findings' | 'series' | 'samples' | 'results' | 'errors';

/** The node of one kind: `NodeOf<'series'>`. */
export type NodeOf<K extends TreeNode['kind']> = Extract<TreeNode, { kind: K }>;

/** The runs the store knows, by root. */
export type Runs = ReadonlyMap<string, RunEntry>;

export interface NodeView {
  id: string;
  label: string;
  description?: string;
  /** Markdown, names already escaped. */
  tooltip?: string;
  /** Codicon id and optional theme colour id. */
  icon: { id: string; color?: string };
  collapsible: 'none' | 'collapsed' | 'expanded';
  /** Command to run on click; `vscode.open` gets an absolute file path. */
  command?: { id: string; title: string; args: unknown[] };
  contextValue: string;
}

/**
 * One kind of row, in one module: its id, its parent (VS Code's reveal walks up), its children and
 * its look. Methods (not function properties), so the table's entries are callable with any node.
 */
export interface NodeKind<N extends TreeNode> {
  /** Stable across refreshes: VS Code keeps expansion and selection by it. */
  id(node: N): string;
  /** Undefined for a run: runs are the roots. */
  parent(node: N, runs: Runs): TreeNode | undefined;
  children(node: N, runs: Runs): TreeNode[];
  /** Undefined when the row's run (or its item) is gone. */
  view(node: N, runs: Runs): NodeView | undefined;
}

/** The run entry and its inspection a row belongs to; undefined while the run is still read. */
export function inspected(node: TreeNode, runs: Runs): { entry: RunEntry; ins: Inspection } | undefined {
  const entry = runs.get(node.runRoot);
  return entry?.inspection ? { entry, ins: entry.inspection } : undefined;
}

/** The id of a row that stands for one item of a run's list: `finding:3:/runs/a`. */
export function indexedId(node: { kind: string; index: number; runRoot: string }): string {
  return `${node.kind}:${node.index}:${node.runRoot}`;
}

/** A row with nothing under it. */
export function noChildren(): TreeNode[] {
  return [];
}

export function inspectCommand(args: InspectArgs): NodeView['command'] {
  return { id: COMMANDS.inspect, title: t('Inspect GAN run'), args: [args] };
}

export const WARNING_ICON: NodeView['icon'] = { id: 'warning', color: 'problemsWarningIcon.foreground' };
export const ERROR_ICON: NodeView['icon'] = { id: 'error', color: 'problemsErrorIcon.foreground' };
