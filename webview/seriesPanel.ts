// The series picker: a filter box and one chip per group (what the series are: D and G losses, loss
// terms, metrics, bookkeeping…, see src/core/seriesGroups.ts). A chip's checkbox turns its whole
// group on or off; its arrow opens the group's own checkboxes below the chips. A real run logs a
// hundred series; this keeps them to one line of chips so the chart stays in the first screen.
import { t } from '../src/core/l10n';
import type { Grouping, SeriesGroup } from '../src/core/seriesGroups';
import type { SeriesMeta } from '../src/protocol';
import { el, icon, labelCheckbox } from './dom';

/** The part of the app's saved state this panel reads and writes. */
export interface SeriesPanelState {
  visible: Record<string, boolean>;
  /** `${runId}:${groupKey}` → open. */
  openGroups: Record<string, boolean>;
  filter: string;
}

export interface PanelRun {
  id: string;
  /** Shown before group and series labels when several runs are compared; null for one run. */
  name: string | null;
  series: SeriesMeta[];
  grouping: Grouping;
}

type Checkbox = HTMLElement & { checked: boolean; indeterminate: boolean; label: string };

interface GroupView {
  run: PanelRun;
  group: SeriesGroup;
  id: string;
  toggle: Checkbox;
  expand: HTMLButtonElement;
  count: HTMLElement;
  chip: HTMLElement;
  box: HTMLElement;
  members: { meta: SeriesMeta; box: Checkbox; label: string }[];
}

/** Hide the filter box below this many series: two or three toggles need no search. */
const FILTER_FROM = 10;

export class SeriesPanel {
  readonly root = el('div', { className: 'series-panel', role: 'group' });
  private readonly bar = el('div', { className: 'series-bar' });
  private readonly boxes = el('div', { className: 'series-boxes' });
  private readonly filter = el('input', {
    type: 'search',
    id: 'series-filter',
    className: 'series-filter',
    autocomplete: 'off',
    spellcheck: 'false',
  }) as HTMLInputElement;
  private readonly empty = el('p', { className: 'series-none', role: 'status' });
  private groups: GroupView[] = [];

  constructor(
    private readonly state: SeriesPanelState,
    /** Series turned on or off: the chart needs a new view. */
    private readonly onVisible: () => void,
    /** Only the panel's look changed (a group opened, the filter): save the state. */
    private readonly onLayout: () => void,
  ) {
    this.filter.addEventListener('input', () => {
      this.state.filter = this.filter.value;
      this.applyFilter();
      this.onLayout();
    });
    this.root.append(this.bar, this.boxes, this.empty);
  }

  /** Labels made after init has loaded the translations. */
  private label(): void {
    this.root.setAttribute('aria-label', t('Series'));
    this.filter.placeholder = t('Filter series');
    this.filter.setAttribute('aria-label', t('Filter series by name'));
  }

  visible(meta: SeriesMeta, shownByDefault: boolean): boolean {
    return this.state.visible[meta.id] ?? shownByDefault;
  }

  setRuns(runs: PanelRun[]): void {
    this.label();
    this.groups = [];
    const chips: HTMLElement[] = [];
    const boxes: HTMLElement[] = [];
    for (const run of runs) {
      for (const group of run.grouping.groups) {
        const view = this.buildGroup(run, group);
        this.groups.push(view);
        chips.push(view.chip);
        boxes.push(view.box);
      }
    }
    const total = runs.reduce((n, r) => n + r.series.length, 0);
    this.filter.hidden = total < FILTER_FROM;
    this.filter.value = this.filter.hidden ? '' : this.state.filter;
    this.bar.replaceChildren(this.filter, ...chips);
    this.boxes.replaceChildren(...boxes);
    this.refreshCounts();
    this.applyFilter();
  }

  private buildGroup(run: PanelRun, group: SeriesGroup): GroupView {
    const id = `${run.id}:${group.key}`;
    const label = run.name ? `${run.name}: ${group.label}` : group.label;
    const boxId = `group-${run.id}-${group.key}`.replace(/[^\w-]/g, '_');
    const toggle = el('vscode-checkbox', { className: 'group-toggle', 'data-group': id }) as Checkbox;
    labelCheckbox(toggle, label);
    const count = el('span', { className: 'group-count' });
    const expand = el(
      'button',
      { type: 'button', className: 'group-expand', 'aria-controls': boxId, 'data-group': id },
      icon('chevron-right'),
      count,
    ) as HTMLButtonElement;
    const chip = el('span', { className: `group-chip kind-${group.kind}`, 'data-group': id }, toggle, expand);
    const list = el('div', { className: 'group-members' });
    const box = el(
      'div',
      { className: 'group-box', id: boxId, 'data-group': id, role: 'group', 'aria-label': label },
      el('span', { className: 'group-name', text: label }),
      list,
    );
    const view: GroupView = { run, group, id, toggle, expand, count, chip, box, members: [] };
    for (const index of group.members) {
      const meta = run.series[index];
      const place = run.grouping.places[index];
      if (!meta || !place) continue;
      const memberLabel = run.name ? `${run.name}: ${meta.name}` : meta.name;
      const cb = el('vscode-checkbox', { 'data-series': meta.id }) as Checkbox;
      labelCheckbox(cb, memberLabel);
      cb.checked = this.visible(meta, place.shownByDefault);
      cb.addEventListener('change', () => {
        this.state.visible[meta.id] = cb.checked;
        this.refreshCounts();
        this.onVisible();
      });
      list.append(cb);
      view.members.push({ meta, box: cb, label: memberLabel.toLowerCase() });
    }
    toggle.addEventListener('change', () => {
      // All on unless all were on: a partly shown group is filled first.
      const on = !view.members.every((m) => m.box.checked);
      for (const m of view.members) {
        m.box.checked = on;
        this.state.visible[m.meta.id] = on;
      }
      this.refreshCounts();
      this.onVisible();
    });
    expand.addEventListener('click', () => {
      this.state.openGroups[id] = !this.isOpen(view);
      this.applyFilter();
      this.onLayout();
    });
    return view;
  }

  /** Open as saved; never saved, the D and G group is open and the rest closed. */
  private isOpen(view: GroupView): boolean {
    return this.state.openGroups[view.id] ?? view.group.kind === 'adversarial';
  }

  private refreshCounts(): void {
    for (const view of this.groups) {
      const on = view.members.filter((m) => m.box.checked).length;
      const n = view.members.length;
      view.toggle.checked = on > 0 && on === n;
      view.toggle.indeterminate = on > 0 && on < n;
      view.count.textContent = `${on}/${n}`;
      view.toggle.setAttribute('aria-label', t('{0}: {1} of {2} series shown', view.toggle.label, on, n));
    }
  }

  /** While filtering, every group with a match is open and shows only its matches. */
  private applyFilter(): void {
    const words = (this.filter.hidden ? '' : this.state.filter).toLowerCase().split(/\s+/).filter(Boolean);
    let matches = 0;
    for (const view of this.groups) {
      let shown = 0;
      for (const m of view.members) {
        const hit = words.every((w) => m.label.includes(w));
        m.box.hidden = !hit;
        if (hit) shown++;
      }
      matches += shown;
      const open = words.length ? shown > 0 : this.isOpen(view);
      view.box.hidden = !open;
      view.chip.classList.toggle('no-match', words.length > 0 && shown === 0);
      view.expand.setAttribute('aria-expanded', String(open));
      view.expand.setAttribute('aria-label', open ? t('Hide the series of {0}', view.toggle.label) : t('Show the series of {0}', view.toggle.label));
      view.expand.firstElementChild!.className = `codicon codicon-chevron-${open ? 'down' : 'right'}`;
    }
    this.empty.hidden = !(words.length && matches === 0);
    this.empty.textContent = this.empty.hidden ? '' : t('No series matches “{0}”.', this.state.filter.trim());
  }
}
