/// <reference lib="dom" />
/**
 * The waterfall page: holds the data and the view state, answers the host's messages, and turns
 * user actions (input.ts, the toolbar, the details pane) into state changes and frames. View state
 * goes to `setState` so zoom, scroll, selection and filters survive the panel being hidden.
 */
import { checkWaterfallColumns, type WaterfallColumns } from '../core/waterfall-columns';
import { stepThrough } from './filters';
import { ViewModel } from './model';
import { Navigation } from './navigation';
import { Painter } from './painter';
import type { FromWebview, RunLabel, ToWebview } from './protocol';
import { SpanInfo } from './span-info';
import { freshState, parseViewState, storableState, type ViewState } from './state';
import { readTheme, type Theme } from './theme';
import { byId, Toolbar } from './toolbar';
import type { TimeView } from './viewport';

/** What the page needs from VS Code (or from a test's stub). */
export interface Host {
  post(msg: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}

type Focus = Extract<ToWebview, { type: 'focus' }>;

export class WaterfallApp {
  model: ViewModel | undefined;
  run: RunLabel | undefined;
  state: ViewState;
  theme: Theme = readTheme();
  hovered = -1;
  cursorX: number | undefined;
  readonly timeline = byId<HTMLCanvasElement>('timeline');
  readonly toolbar: Toolbar;
  readonly painter = new Painter(this.timeline, byId<HTMLCanvasElement>('minimap'));
  readonly nav = new Navigation(
    () => this.state,
    () => this.painter.size,
  );
  private readonly info: SpanInfo;
  private readonly statusBox = byId('status');
  private pendingFocus: Focus | undefined;
  private frameRequested = false;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: Host) {
    this.state = parseViewState(host.getState()) ?? freshState('');
    this.info = new SpanInfo((msg) => host.post(msg), byId('details'), byId('tooltip'), byId('announce'), {
      openSource: (s) => this.openSource(s),
      zoomTo: (s) => this.zoomTo(s),
      toggleCollapse: (s) => this.toggleCollapse(s),
      select: (s) => this.select(s, true),
    });
    this.toolbar = new Toolbar({
      search: (q) => this.setSearch(q),
      stepMatch: (step) => this.stepMatch(step),
      setCategoryHidden: (name, hidden) => this.setCategoryHidden(name, hidden),
      clearFocus: () => this.setFocus(undefined),
      zoom: (factor) => this.navigate((m, nav) => nav.zoomAround(m, factor, this.width / 2)),
      fit: () => this.navigate((m, nav) => nav.fit(m)),
    });
    this.toolbar.searchBox.value = this.state.search;
    this.toolbar.setLegend(this.theme);
    this.showDetails();
  }

  get width(): number {
    return this.painter.size.width;
  }

  get view(): TimeView {
    return this.nav.view;
  }

  receive(msg: ToWebview): void {
    switch (msg.type) {
      case 'data':
        this.setData(msg.run, msg.columns);
        return;
      case 'focus':
        if (this.model) this.applyFocus(msg);
        else this.pendingFocus = msg;
        return;
      case 'details':
        this.info.received(msg.details, this.model, this.state.selected, this.theme);
        return;
      case 'status':
        this.showStatus(msg.message);
        return;
      default: {
        const never: never = msg;
        console.warn('unknown message', never);
      }
    }
  }

  private showStatus(message: string | undefined): void {
    this.statusBox.hidden = message === undefined;
    this.statusBox.textContent = message ?? '';
  }

  /** New columns: a new run starts from a fresh view; the same run (growing) keeps its view. */
  private setData(run: RunLabel, columns: WaterfallColumns): void {
    this.painter.dataArrived();
    const problem = checkWaterfallColumns(columns);
    if (problem) {
      this.showStatus(`The waterfall data is damaged (${problem}).`);
      return;
    }
    const sameRun = run.key === (this.run?.key ?? this.state.run);
    if (!sameRun) {
      this.state = freshState(run.key);
      this.toolbar.searchBox.value = '';
    }
    this.info.reset(!sameRun);
    this.run = run;
    this.model = new ViewModel(columns);
    this.showStatus(undefined);
    if (this.state.selected >= columns.count) this.state.selected = -1;
    this.applyFilters();
    this.nav.restore(this.model);
    this.toolbar.setCategories(this.model.categories, new Set(this.state.hiddenCategories), this.theme);
    if (this.pendingFocus) this.applyFocus(this.pendingFocus);
    this.pendingFocus = undefined;
    this.info.request(this.state.selected);
    this.showDetails();
    this.render();
  }

  /** Re-applies filters and search to the model, and updates what depends on them. */
  private applyFilters(): void {
    const m = this.model;
    if (!m) return;
    const s = this.state;
    m.apply({ hiddenCategories: new Set(s.hiddenCategories), collapsed: new Set(s.collapsed), focus: s.focus, search: s.search });
    let focused = 0;
    if (m.focused) for (let i = 0; i < m.focused.length; i++) focused += m.focused[i];
    this.toolbar.setFocus(s.focus ? focused : undefined);
    this.updateMatches();
    this.toolbar.setRun(this.run, m.c.count, m.layout.shown, m.c.wallMs);
    this.nav.scrollTo(m, s.scrollY);
  }

  private updateMatches(): void {
    const m = this.model;
    const rank = m && this.state.selected >= 0 && m.matchRank.length ? m.matchRank[this.state.selected] : -1;
    this.toolbar.setMatches(rank + 1, m?.matchList.length ?? 0, this.state.search);
  }

  /** Selects the spans a lens or the tree named (the earliest of them) and shows them all. */
  private applyFocus(msg: Focus): void {
    const m = this.model;
    if (!m) return;
    this.state.focus = msg.filter && msg.spanIds.length ? msg.spanIds : undefined;
    this.applyFilters();
    const wanted = m.spansWithIds(msg.spanIds);
    let first = -1;
    let t0 = Infinity;
    let t1 = -Infinity;
    for (let i = 0; i < m.c.count; i++) {
      if (!wanted[i]) continue;
      if (first < 0 || m.c.start[i] < m.c.start[first]) first = i;
      t0 = Math.min(t0, m.c.start[i]);
      t1 = Math.max(t1, m.c.end[i]);
    }
    if (first >= 0) {
      this.nav.show(m, t0, t1);
      this.select(first, true);
    }
    this.commit();
  }

  setFocus(spanIds: ViewState['focus']): void {
    this.state.focus = spanIds;
    this.applyFilters();
    this.commit();
  }

  setSearch(query: string): void {
    this.state.search = query;
    this.model?.applySearch(query);
    this.updateMatches();
    this.commit();
  }

  setCategoryHidden(name: string, hidden: boolean): void {
    const set = new Set(this.state.hiddenCategories);
    if (hidden) set.add(name);
    else set.delete(name);
    this.state.hiddenCategories = [...set];
    this.applyFilters();
    // A span the filter just hid is no longer selected: its details would describe nothing on screen.
    const m = this.model;
    if (m && this.state.selected >= 0 && !m.visible[this.state.selected]) {
      this.select(-1, false);
      this.showDetails();
    }
    this.commit();
  }

  toggleCollapse(span: number): void {
    const m = this.model;
    if (!m || span < 0 || m.childCount[span] === 0) return;
    const set = new Set(this.state.collapsed);
    if (!set.delete(span)) set.add(span);
    this.state.collapsed = [...set];
    this.applyFilters();
    this.showDetails();
    this.commit();
  }

  /** Selects `span` (−1: nothing); `reveal` pans and scrolls it into view. */
  select(span: number, reveal: boolean): void {
    const m = this.model;
    if (!m || span >= m.c.count) return;
    this.state.selected = span;
    this.info.request(span);
    this.info.announce(m, span);
    if (span >= 0 && reveal) this.nav.reveal(m, span);
    this.updateMatches();
    this.showDetails();
    this.commit();
  }

  stepSpan(step: 1 | -1): void {
    const m = this.model;
    if (m) this.select(stepThrough(m.stepList, m.stepRank, m.c.start, this.state.selected, step), true);
  }

  stepMatch(step: 1 | -1): void {
    const m = this.model;
    if (m?.matchList.length) this.select(stepThrough(m.matchList, m.matchRank, m.c.start, this.state.selected, step), true);
  }

  zoomTo(span: number): void {
    const m = this.model;
    if (!m || span < 0) return;
    this.nav.show(m, m.c.start[span], m.c.end[span]);
    this.nav.reveal(m, span);
    this.commit();
  }

  openSource(span: number): void {
    if (this.model && span >= 0 && span < this.model.c.count) this.host.post({ type: 'openSource', span });
  }

  /** Runs a navigation move on the current run, then saves and draws. */
  navigate(move: (m: ViewModel, nav: Navigation) => void): void {
    if (!this.model) return;
    move(this.model, this.nav);
    this.commit();
  }

  /** The pointer is over `span` (−1: none) at x on the timeline (undefined: off the rows). */
  hover(span: number, cursorX: number | undefined, clientX: number, clientY: number): void {
    this.cursorX = cursorX;
    this.hovered = span;
    this.info.showTooltip(this.model, span, clientX, clientY, this.timeline.getBoundingClientRect());
    this.invalidate();
  }

  private showDetails(): void {
    this.info.showDetails(this.model, this.state.selected, this.theme);
  }

  themeChanged(): void {
    this.theme = readTheme();
    this.toolbar.setLegend(this.theme);
    if (this.model) this.toolbar.setCategories(this.model.categories, new Set(this.state.hiddenCategories), this.theme);
    this.showDetails();
    this.invalidate();
  }

  resized(width: number, height: number, mapWidth: number, mapHeight: number): void {
    this.painter.resize(width, height, mapWidth, mapHeight);
    this.nav.scrollTo(this.model, this.state.scrollY);
    this.render();
  }

  /** State changed: save it (soon) and draw a frame. */
  commit(): void {
    if (this.saveTimer === undefined) {
      this.saveTimer = setTimeout(() => {
        this.saveTimer = undefined;
        this.host.setState(storableState(this.state));
      }, 150);
    }
    this.invalidate();
  }

  invalidate(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.render();
    });
  }

  private render(): void {
    if (!this.model) return;
    const s = this.state;
    this.painter.paint({ model: this.model, theme: this.theme, view: this.nav.view, scrollY: s.scrollY, selected: s.selected, hovered: this.hovered, cursorX: this.cursorX });
  }
}
