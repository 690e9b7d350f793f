// What the inspector app keeps across a reload (getState/setState), and how a saved state is read
// back: it comes from an older version or a damaged store as often as from this one.
import { DEFAULT_SMOOTHING } from '../src/chart/smoothing';
import type { RestoreState } from '../src/protocol';
import type { YScale } from './chart';

/** What survives a reload (getState/setState). */
export interface UiState {
  yScale: YScale;
  smoothing: number;
  ignoreOutliers: boolean;
  visible: Record<string, boolean>;
  /** Series groups opened in the picker, `${runId}:${groupKey}` → open. */
  openGroups: Record<string, boolean>;
  /** The series filter's text. */
  filter: string;
  range: { start: number; end: number } | null;
  step: number | null;
  pinned: number | null;
  table: boolean;
  /** Given by the host, handed back to its panel serializer after a reload. */
  restore?: RestoreState;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The saved state, field by field: a state saved by an older version must not break the app. */
export function restoreState(saved: unknown): UiState {
  const s = (saved && typeof saved === 'object' ? saved : {}) as Partial<Record<keyof UiState, unknown>>;
  const range = s.range as { start?: unknown; end?: unknown } | null | undefined;
  const visible: Record<string, boolean> = {};
  if (s.visible && typeof s.visible === 'object') {
    for (const [k, v] of Object.entries(s.visible)) if (typeof v === 'boolean') visible[k] = v;
  }
  const openGroups: Record<string, boolean> = {};
  if (s.openGroups && typeof s.openGroups === 'object') {
    for (const [k, v] of Object.entries(s.openGroups)) if (typeof v === 'boolean') openGroups[k] = v;
  }
  const restore = s.restore as { runRoot?: unknown; runRoots?: unknown } | undefined;
  const runRoot = restore?.runRoot;
  const runRoots = Array.isArray(restore?.runRoots) && restore.runRoots.every((r) => typeof r === 'string') ? (restore.runRoots as string[]) : undefined;
  return {
    yScale: s.yScale === 'log1p' || s.yScale === 'log' ? s.yScale : 'raw',
    smoothing: isNum(s.smoothing) && s.smoothing >= 0 && s.smoothing < 1 ? s.smoothing : DEFAULT_SMOOTHING,
    ignoreOutliers: s.ignoreOutliers === true,
    visible,
    openGroups,
    filter: typeof s.filter === 'string' ? s.filter.slice(0, 200) : '',
    range: range && isNum(range.start) && isNum(range.end) && range.end > range.start ? { start: range.start, end: range.end } : null,
    step: isNum(s.step) ? s.step : null,
    pinned: isNum(s.pinned) ? s.pinned : null,
    table: s.table === true,
    restore: typeof runRoot === 'string' ? (runRoots ? { runRoot, runRoots } : { runRoot }) : undefined,
  };
}
