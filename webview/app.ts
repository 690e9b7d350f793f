// The inspector app: wires the controls, loss chart, findings, gallery and exports to a Host.
import type { Finding } from '../src/core/model';
import { t, useBundle } from '../src/core/l10n';
import type { InitMessage, RefreshMessage, RunSummary, SampleImageMessage, SeriesMeta, ToWebview, ViewResult } from '../src/protocol';
import { MAX_SERIES_PER_REQUEST } from '../src/protocol';
import { ChartViews } from './chartViews';
import { viewBytes } from '../src/chart/decimate';
import { LossChart, type SeriesData } from './chart';
import { buildControls } from './controls';
import { renderDataTable } from './dataTable';
import { DiversityChart, showDiversityTrack } from './diversityChart';
import { el } from './dom';
import { exportsOf, type Shown } from './exportActions';
import { renderFindings, renderLegend } from './findings';
import { Gallery } from './gallery';
import { buildHeader, fillHeader, hasData, showChartOrEmpty, type HeaderParts } from './header';
import type { Host } from './host';
import { restoreState, type UiState } from './uiState';
import { fullRangeOf } from '../src/chart/firstView';
import { SeriesPanel } from './seriesPanel';
import { SeriesLooks } from './seriesLooks';

export class App {
  private runs: RunSummary[] = [];
  private meta: SeriesMeta[] = [];
  private state: UiState;
  /** The chart's view requests (the tests read their latest id). */
  readonly views = new ChartViews((msg) => this.host.post(msg), {
    show: (view) => this.onView(view),
    fail: (message) => {
      this.say(message, true);
      this.runAfterCurves();
    },
  });
  private rangeTimer: ReturnType<typeof setTimeout> | undefined;
  private chart: LossChart | undefined;
  private diversity: DiversityChart | undefined;
  private gallery: Gallery | undefined;
  private fullRange = { start: 0, end: 1 };
  private readonly status = el('p', { className: 'status', role: 'status', 'aria-live': 'polite' });
  private tableBox = el('div', { className: 'table-box', id: 'data-table' });
  private legend = el('ul', { className: 'legend' });
  private stepUnit = 'step';
  private initialised = false;
  /** The first view's paint is told to the host once per page. */
  private paintReported = false;
  /** Views received, for the tests and the bench: count and largest message in bytes. */
  readonly stats = { views: 0, largestView: 0 };

  /** The loss chart's draws so far (for the tests). */
  get chartDraws(): number {
    return this.chart?.draws ?? 0;
  }

  /**
   * @param afterCurves what the first paint of the curves can do without: run once it is painted (or
   * its view failed; at the latest 3 s after the data came), not beside the host's work on a big view.
   */
  constructor(
    private readonly host: Host,
    private readonly root: HTMLElement,
    private afterCurves?: () => void,
  ) {
    this.state = restoreState(host.getState<unknown>());
    this.seriesPanel = new SeriesPanel(
      this.state,
      () => {
        this.save();
        this.requestView();
      },
      () => this.save(),
    );
    host.onMessage((msg) => this.onMessage(msg));
  }

  private save(): void {
    this.host.setState(this.state);
  }

  // One handler per message type: a message type added to the protocol without one does not compile.
  private readonly handlers: { [K in ToWebview['type']]: (msg: Extract<ToWebview, { type: K }>) => void } = {
    init: (msg) => this.init(msg),
    refresh: (msg) => this.init(msg),
    ...this.views.handlers,
    focus: (msg) => this.zoomTo(msg.start, msg.end),
    error: (msg) => this.say(msg.message, true),
    exported: (msg) => this.say(t('Saved {0}', msg.name)),
    sampleImage: (msg) => this.onSampleImage(msg),
  };

  private onMessage(msg: ToWebview): void {
    // TypeScript cannot tie the looked-up handler to the message's own type; the table's type does.
    (this.handlers[msg.type] as (m: ToWebview) => void)(msg);
  }

  /** A preview is ready: the sample (or reference) gets its URI, and shows it if it is on screen. */
  private onSampleImage(msg: SampleImageMessage): void {
    const run = this.runs.find((r) => r.id === msg.runId);
    for (const ref of [...(run?.samples ?? []), ...(run?.references ?? []), ...(run?.results ?? [])].filter((r) => r.path === msg.path)) {
      ref.uri = msg.uri;
      delete ref.pending;
    }
    this.gallery?.imageReady(msg.path);
    for (const wake of this.previewWaiters.splice(0)) wake();
  }

  /** Called (and dropped) at each preview that arrives: the GIF export waits on them. */
  private readonly previewWaiters: (() => void)[] = [];

  private runAfterCurves(): void {
    const later = this.afterCurves;
    this.afterCurves = undefined;
    later?.();
  }

  private say(text: string, error = false): void {
    this.status.textContent = text;
    this.status.classList.toggle('error', error);
  }

  private init(msg: InitMessage | RefreshMessage): void {
    useBundle(msg.l10n);
    const first = !this.initialised;
    if (first) performance.mark('gan-inspector-init');
    this.views.offer(first ? msg.view : undefined);
    this.initialised = true;
    this.runs = msg.runs;
    this.meta = msg.runs.flatMap((r) => r.series);
    this.stepUnit = msg.runs[0]?.stepUnit || t('step');
    if (first && !this.host.getState()) this.state.smoothing = msg.settings.smoothing;
    if (msg.restore) this.state.restore = msg.restore;
    this.save();
    this.fullRange = fullRangeOf(msg.runs);
    if (first) {
      this.build();
      setTimeout(() => this.runAfterCurves(), 3000);
    } else this.fillData();
    // New data may have its previews already (made by the scoring pass): a waiting export looks again.
    for (const wake of this.previewWaiters.splice(0)) wake();
    if (msg.focus) this.zoomTo(msg.focus.start, msg.focus.end);
  }

  private visible(m: SeriesMeta): boolean {
    return this.seriesPanel.visible(m, this.looks.shownByDefault(m));
  }

  /** Each run's series grouped by what they are, and how they are drawn (remade with the data). */
  private readonly looks = new SeriesLooks();

  private build(): void {
    this.root.replaceChildren();
    // Labels made here, after init has loaded the translations.
    this.legend.setAttribute('aria-label', t('Finding kinds'));
    const { header, parts } = buildHeader(this.runs.map((r) => r.name).join(' · ') || t('GAN run'));

    const controls = this.buildControls();
    const lossCanvas = el('canvas', { id: 'loss-chart', role: 'img', 'aria-label': t('Loss against step; use the data table for the numbers') });
    const divCanvas = el('canvas', { id: 'diversity-chart', role: 'img', 'aria-label': t('Sample diversity against step') });
    const divBox = el('div', { className: 'diversity-box' }, divCanvas);
    const divNote = el('p', { className: 'diversity-note', role: 'note' });
    const chartBox = el('div', { className: 'chart-box' }, lossCanvas);
    const chartEmpty = el('p', { className: 'chart-empty note', role: 'note', hidden: true });
    const hint = el('p', { className: 'hint', text: t('Drag to zoom, Shift+drag to pan, wheel to zoom; click a step to see its samples.') });
    this.tableBox.hidden = !this.state.table;

    const findingsBox = el('section', { className: 'findings-panel', id: 'findings', 'aria-label': t('Findings') });
    // An image's run tells the host which run's file to open or preview (only VS Code has files to open).
    const post = (type: 'openSample' | 'showingSample', run: RunSummary | undefined, path: string) => {
      if (run && this.host.kind === 'vscode') this.host.post({ type, runId: run.id, path });
    };
    const runOf = (s: RunSummary['samples'][number]) => this.runs.find((r) => r.samples.includes(s));
    this.gallery = new Gallery({
      onStep: (step) => this.selectStep(step, false),
      onPin: (step) => {
        this.state.pinned = step;
        this.save();
      },
      onOpen: (s) => post('openSample', runOf(s) ?? this.runs[0], s.path),
      onPending: (s) => post('showingSample', runOf(s), s.path),
      onOpenResult: (x) => post('openSample', this.runs.find((r) => (r.results ?? []).includes(x)) ?? this.runs[0], x.path),
    });
    this.samplesHeading = el('h2', { text: t('Samples') });
    // The samples sit under the curve they belong to (in step with it, above the fold); findings beside.
    const chartSection = el(
      'section',
      { className: 'charts', 'aria-label': t('Loss chart') },
      this.legend,
      chartBox,
      chartEmpty,
      divBox,
      divNote,
      hint,
      this.tableBox,
      this.samplesHeading,
      this.gallery.root,
      this.gallery.resultsRoot,
    );
    const side = el('aside', { className: 'side' }, el('h2', { text: t('Findings') }), findingsBox);
    this.root.append(header, controls, this.seriesPanel.root, el('main', { className: 'layout' }, chartSection, side), this.status);

    this.chart = new LossChart(
      lossCanvas,
      {
        onRange: (start, end) => this.onRange(start, end),
        onStepClick: (step) => this.selectStep(step, true),
        onStepHover: (step) => this.gallery?.preview(step),
      },
      this.stepUnit,
    );
    this.diversity = new DiversityChart(divCanvas);
    this.header = parts;
    this.chartParts = { box: chartBox, hint, empty: chartEmpty };
    this.findingsEl = findingsBox;
    this.divBox = divBox;
    this.divNote = divNote;
    this.fillData();
  }

  private header: HeaderParts | undefined;
  private chartParts: { box: HTMLElement; hint: HTMLElement; empty: HTMLElement } | undefined;
  private findingsEl!: HTMLElement;
  private divBox!: HTMLElement;
  private divNote!: HTMLElement;
  private samplesHeading!: HTMLElement;
  private readonly seriesPanel: SeriesPanel;

  /** (Re)fills everything that depends on the data, keeping the UI state; the chart draws once, at the end. */
  private fillData(): void {
    this.chart!.batch(() => this.fillAll());
  }

  private fillAll(): void {
    const chart = this.chart!;
    fillHeader(this.header!, this.runs, this.meta, this.fullRange);
    showChartOrEmpty(this.chartParts!, this.meta);

    this.looks.setRuns(this.runs);
    this.seriesPanel.setRuns(
      this.runs.map((r) => ({ id: r.id, name: this.runs.length > 1 ? r.name : null, series: r.series, grouping: this.looks.grouping(r.id) })),
    );

    // The view is asked for first: the host works it out while the rest of the page is filled.
    chart.setFullRange(this.fullRange.start, this.fullRange.end);
    chart.setOptions(this.state.yScale, this.state.ignoreOutliers);
    const range = this.state.range ?? this.fullRange;
    if (this.state.range) chart.zoomTo(range.start, range.end);
    else {
      // Both charts span exactly the run's steps, so their x axes line up.
      chart.showRange(range.start, range.end);
      this.diversity!.setRange(range.start, range.end);
      this.requestView();
    }

    const findings = this.allFindings();
    // Stages are marked for a single run (compared runs each have their own).
    chart.setFindings(
      findings.map((e) => e.finding),
      this.runs.length === 1 ? (this.runs[0]!.stages ?? []) : [],
    );
    renderFindings(
      this.findingsEl,
      findings.map((e) => ({ finding: e.finding, runName: this.runs.length > 1 ? e.run.name : null })),
      (f) => this.focusFinding(f),
      hasData(this.runs),
    );
    this.showLegend(this.meta.some((m) => m.stats.nonFinite > 0 && this.visible(m)));

    const galleryRun = this.runs.find((r) => r.samples.length) ?? this.runs.find((r) => r.results?.length) ?? this.runs[0];
    this.gallery!.showRun(galleryRun);
    this.samplesHeading.hidden = !galleryRun?.samples.length;
    showDiversityTrack(this.divBox, this.divNote, this.diversity!, galleryRun);
    if (this.state.step !== null) this.gallery!.showStep(this.state.step);
    this.gallery!.setPinned(this.state.pinned);
    chart.setSelectedStep(this.state.step);
  }

  private showLegend(gaps: boolean): void {
    const findings = this.allFindings().map((e) => e.finding);
    renderLegend(this.legend, findings, gaps);
  }

  private allFindings(): { finding: Finding; run: RunSummary }[] {
    return this.runs.flatMap((run) => run.findings.map((finding) => ({ finding, run })));
  }

  private buildControls(): HTMLElement {
    return buildControls(this.state, {
      changed: (what) => {
        this.save();
        if (what === 'smoothing') this.scheduleView();
        else this.chart?.setOptions(this.state.yScale, this.state.ignoreOutliers);
      },
      toggleTable: () => {
        this.state.table = !this.state.table;
        this.tableBox.hidden = !this.state.table;
        this.save();
        this.renderTable();
        return this.state.table;
      },
      resetZoom: () => this.resetZoom(),
      ...exportsOf(() => this.exporting()),
      failed: (message) => this.say(message, true),
    });
  }

  private selectStep(step: number, fromChart: boolean): void {
    if (fromChart) this.gallery?.showStep(step);
    const shown = fromChart ? (this.gallery?.step ?? step) : step;
    this.state.step = shown;
    this.chart?.setSelectedStep(shown);
    this.save();
  }

  private focusFinding(f: Finding): void {
    const pad = Math.max((f.end - f.start) * 0.1, (this.fullRange.end - this.fullRange.start) * 0.01, 1);
    this.zoomTo(Math.max(this.fullRange.start, f.start - pad), Math.min(this.fullRange.end, f.end + pad));
    this.gallery?.showStep(f.start);
    this.selectStep(this.gallery?.step ?? f.start, false);
  }

  private zoomTo(start: number, end: number): void {
    if (!(end > start)) end = start + 1;
    this.chart?.zoomTo(start, end);
  }

  private resetZoom(): void {
    this.state.range = null;
    this.chart?.reset();
  }

  private onRange(start: number, end: number): void {
    const full = start <= this.fullRange.start && end >= this.fullRange.end;
    this.state.range = full ? null : { start, end };
    this.save();
    this.diversity?.setRange(start, end);
    this.scheduleView();
  }

  private scheduleView(): void {
    clearTimeout(this.rangeTimer);
    this.rangeTimer = setTimeout(() => this.requestView(), 120);
  }

  private requestView(): void {
    const chart = this.chart;
    if (!chart) return;
    const { start, end } = this.state.range ?? this.fullRange;
    const chosen = this.meta.filter((m) => this.visible(m)).map((m) => m.id);
    // The host answers at most this many series per view (a bound on a forged request's work).
    if (chosen.length > MAX_SERIES_PER_REQUEST) this.say(t('{0} series are on; the chart shows the first {1}.', chosen.length, MAX_SERIES_PER_REQUEST));
    const seriesIds = chosen.slice(0, MAX_SERIES_PER_REQUEST);
    const width = Math.max(100, Math.min(4096, Math.round(chart.canvas.clientWidth || 800)));
    this.views.ask({ seriesIds, start, end, width, smoothing: this.state.smoothing });
  }

  private onView(msg: ViewResult): void {
    this.stats.views++;
    this.stats.largestView = Math.max(this.stats.largestView, viewBytes(msg.series));
    const out = this.looks.drawn(msg);
    this.currentSeries = out;
    if (!this.paintReported) {
      this.paintReported = true;
      performance.mark('gan-inspector-first-view');
      // The host logs how long the open took: told once the first view is painted.
      this.chart!.oncePainted((points) => {
        this.host.post({ type: 'painted', points });
        this.runAfterCurves();
      });
    }
    this.chart!.setSeries(out);
    // "NaN/Inf gap" in the legend only while a drawn series has one (an off metric's -Inf is not on the chart).
    this.showLegend(out.some((s) => s.gaps.length > 0));
    this.diversity?.setRightGutter(out.some((s) => s.axis === 'side'));
    Object.assign(this.root.dataset, { viewStart: String(msg.start), viewEnd: String(msg.end), views: String(this.stats.views) });
    this.renderTable();
  }

  private currentSeries: SeriesData[] = [];

  /** What the export buttons save, as shown now. */
  private exporting(): Shown {
    return {
      host: this.host,
      runs: this.runs,
      chart: this.chart,
      gallery: this.gallery,
      series: this.currentSeries,
      range: this.state.range ?? this.fullRange,
      say: (text) => this.say(text),
      previewMade: () => new Promise<void>((wake) => this.previewWaiters.push(wake)),
    };
  }

  private renderTable(): void {
    if (!this.state.table) return;
    const { start, end } = this.state.range ?? this.fullRange;
    renderDataTable(this.tableBox, this.currentSeries, start, end, this.stepUnit);
  }
}
