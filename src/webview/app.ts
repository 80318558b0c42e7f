/// <reference lib="dom" />
/**
 * The waterfall page: holds the data and the view state, answers the host's messages, and turns
 * user actions (input.ts, the toolbar, the details pane) into state changes and frames. View state
 * goes to `setState` so zoom, scroll, selection and filters survive the panel being hidden.
 */
import type { SpanDetails } from '../core/span-details';
import { checkWaterfallColumns, type WaterfallColumns } from '../core/waterfall-columns';
import { renderDetails, renderTooltip } from './details';
import { AXIS_H, maxScroll, ROW_H, rowTop } from './geometry';
import { Minimap } from './minimap';
import { ViewModel } from './model';
import type { FromWebview, RunLabel, ToWebview } from './protocol';
import { Renderer } from './renderer';
import { freshState, parseViewState, storableState, type ViewState } from './state';
import { readTheme, type Theme } from './theme';
import { byId, Toolbar } from './toolbar';
import { clampView, fitView, isFitted, panBy, type TimeView, viewOf, zoomAt } from './viewport';
import { stepThrough } from './filters';

/** What the page needs from VS Code (or from a test's stub). */
export interface Host {
  post(msg: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** Figures a benchmark reads when it sets `globalThis.__agentprofBench` to an object. */
export interface BenchStats {
  firstPaintMs?: number;
  frames?: number[];
}

const MAX_CACHED_DETAILS = 300;

export class WaterfallApp {
  model: ViewModel | undefined;
  run: RunLabel | undefined;
  state: ViewState;
  theme: Theme = readTheme();
  view: TimeView = fitView(1);
  hovered = -1;
  cursorX: number | undefined;
  readonly timeline = byId<HTMLCanvasElement>('timeline');
  private readonly minimapCanvas = byId<HTMLCanvasElement>('minimap');
  private readonly detailsBox = byId('details');
  private readonly tooltip = byId('tooltip');
  private readonly statusBox = byId('status');
  private readonly renderer: Renderer;
  private readonly minimap: Minimap;
  readonly toolbar: Toolbar;
  private readonly details = new Map<number, SpanDetails>();
  private readonly asked = new Set<number>();
  private pendingFocus: Extract<ToWebview, { type: 'focus' }> | undefined;
  private frameRequested = false;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private size = { width: 300, height: 150, mapWidth: 300, mapHeight: 40, dpr: 1 };
  private dataReceivedAt: number | undefined;

  constructor(private readonly host: Host) {
    this.state = parseViewState(host.getState()) ?? freshState('');
    this.renderer = new Renderer(this.context(this.timeline));
    this.minimap = new Minimap(this.context(this.minimapCanvas));
    this.toolbar = new Toolbar({
      search: (q) => this.setSearch(q),
      stepMatch: (step) => this.stepMatch(step),
      setCategoryHidden: (name, hidden) => this.setCategoryHidden(name, hidden),
      clearFocus: () => this.setFocus(undefined),
      zoom: (factor) => this.zoomAround(factor, this.size.width / 2),
      fit: () => this.fit(),
    });
    this.toolbar.searchBox.value = this.state.search;
    this.toolbar.setLegend(this.theme);
    this.showDetails();
  }

  private context(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
    const ctx = canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('no 2D canvas');
    return ctx;
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
        this.gotDetails(msg.details);
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

  private setData(run: RunLabel, columns: WaterfallColumns): void {
    this.dataReceivedAt = performance.now();
    const problem = checkWaterfallColumns(columns);
    if (problem) {
      this.showStatus(`The waterfall data is damaged (${problem}).`);
      return;
    }
    const sameRun = run.key === (this.run?.key ?? this.state.run);
    if (!sameRun) {
      this.state = freshState(run.key);
      this.toolbar.searchBox.value = '';
      this.details.clear();
    }
    this.run = run;
    this.asked.clear();
    this.model = new ViewModel(columns);
    this.showStatus(undefined);
    if (this.state.selected >= columns.count) this.state.selected = -1;
    this.applyFilters();
    this.view = this.state.t0 === undefined || this.state.t1 === undefined ? fitView(columns.wallMs) : clampView({ t0: this.state.t0, t1: this.state.t1 }, columns.wallMs);
    this.toolbar.setCategories(this.model.categories, new Set(this.state.hiddenCategories), this.theme);
    if (this.pendingFocus) {
      this.applyFocus(this.pendingFocus);
      this.pendingFocus = undefined;
    }
    if (this.state.selected >= 0) this.requestDetails(this.state.selected);
    this.showDetails();
    this.render();
  }

  /** Re-applies filters and search to the model, and updates what depends on them. */
  applyFilters(): void {
    const m = this.model;
    if (!m) return;
    m.apply({
      hiddenCategories: new Set(this.state.hiddenCategories),
      collapsed: new Set(this.state.collapsed),
      focus: this.state.focus,
      search: this.state.search,
    });
    this.toolbar.setFocus(this.state.focus ? countOnes(m.focused) : undefined);
    this.updateMatches();
    this.toolbar.setRun(this.run, m.c.count, m.layout.shown, m.c.wallMs);
    this.state.scrollY = Math.min(this.state.scrollY, maxScroll(m.layout.rowCount, this.size.height));
  }

  private updateMatches(): void {
    const m = this.model;
    const rank = m && this.state.selected >= 0 && m.matchRank.length ? m.matchRank[this.state.selected] : -1;
    this.toolbar.setMatches(rank + 1, m?.matchList.length ?? 0, this.state.search);
  }

  private applyFocus(msg: Extract<ToWebview, { type: 'focus' }>): void {
    const m = this.model;
    if (!m) return;
    this.state.focus = msg.filter && msg.spanIds.length ? msg.spanIds : undefined;
    this.applyFilters();
    const focused = this.state.focus ? m.focused : undefined;
    // Select the earliest of the spans and show them all.
    let first = -1;
    let t0 = Infinity;
    let t1 = -Infinity;
    const wanted = focused ?? m.spansWithIds(msg.spanIds);
    for (let i = 0; i < m.c.count; i++) {
      if (!wanted[i]) continue;
      if (first < 0 || m.c.start[i] < m.c.start[first]) first = i;
      t0 = Math.min(t0, m.c.start[i]);
      t1 = Math.max(t1, m.c.end[i]);
    }
    if (first >= 0) {
      this.setView(viewOf(t0, t1, m.c.wallMs));
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
    this.commit();
  }

  toggleCollapse(span: number): void {
    const m = this.model;
    if (!m || span < 0 || m.childCount[span] === 0) return;
    const set = new Set(this.state.collapsed);
    if (set.has(span)) set.delete(span);
    else set.add(span);
    this.state.collapsed = [...set];
    this.applyFilters();
    this.showDetails();
    this.commit();
  }

  /** Selects `span` (−1: nothing); `reveal` scrolls and pans it into view. */
  select(span: number, reveal: boolean): void {
    const m = this.model;
    if (!m || span >= m.c.count) return;
    this.state.selected = span;
    if (span >= 0) {
      this.requestDetails(span);
      if (reveal) this.reveal(span);
    }
    this.updateMatches();
    this.showDetails();
    this.commit();
  }

  /** Pans (keeping the zoom) and scrolls so that `span` is on screen. */
  reveal(span: number): void {
    const m = this.model;
    if (!m) return;
    const { start, end } = m.c;
    const range = this.view.t1 - this.view.t0;
    if (end[span] - start[span] > range) this.setView(viewOf(start[span], end[span], m.c.wallMs));
    else if (start[span] < this.view.t0 || end[span] > this.view.t1) {
      const mid = (start[span] + end[span]) / 2;
      this.setView(clampView({ t0: mid - range / 2, t1: mid + range / 2 }, m.c.wallMs));
    }
    const row = m.layout.rowOf[span];
    if (row >= 0) {
      const y = rowTop(row, this.state.scrollY);
      if (y < AXIS_H) this.scrollTo(row * ROW_H);
      else if (y + ROW_H > this.size.height) this.scrollTo((row + 1) * ROW_H - (this.size.height - AXIS_H) + ROW_H / 2);
    }
  }

  stepSpan(step: 1 | -1): void {
    const m = this.model;
    if (m) this.select(stepThrough(m.stepList, m.stepRank, m.c.start, this.state.selected, step), true);
  }

  stepMatch(step: 1 | -1): void {
    const m = this.model;
    if (!m || !m.matchList.length) return;
    this.select(stepThrough(m.matchList, m.matchRank, m.c.start, this.state.selected, step), true);
  }

  zoomTo(span: number): void {
    const m = this.model;
    if (!m || span < 0) return;
    this.setView(viewOf(m.c.start[span], m.c.end[span], m.c.wallMs));
    this.reveal(span);
    this.commit();
  }

  openSource(span: number): void {
    if (this.model && span >= 0 && span < this.model.c.count) this.host.post({ type: 'openSource', span });
  }

  fit(): void {
    if (this.model) this.setView(fitView(this.model.c.wallMs));
    this.commit();
  }

  /** Zooms by `factor` around the time at x (CSS px on the timeline). */
  zoomAround(factor: number, x: number): void {
    const m = this.model;
    if (!m) return;
    const anchor = this.view.t0 + (x / this.size.width) * (this.view.t1 - this.view.t0);
    this.setView(zoomAt(this.view, anchor, factor, m.c.wallMs));
    this.commit();
  }

  /** Pans by pixels: dx moves the time range, dy scrolls the rows. */
  panPixels(dx: number, dy: number): void {
    const m = this.model;
    if (!m) return;
    if (dx) this.setView(panBy(this.view, (dx / this.size.width) * (this.view.t1 - this.view.t0), m.c.wallMs));
    if (dy) this.scrollTo(this.state.scrollY + dy);
    this.commit();
  }

  /** Centres the view on time `t` (the minimap's click). */
  centreOn(t: number): void {
    const m = this.model;
    if (!m) return;
    const half = (this.view.t1 - this.view.t0) / 2;
    this.setView(clampView({ t0: t - half, t1: t + half }, m.c.wallMs));
    this.commit();
  }

  scrollTo(y: number): void {
    const m = this.model;
    this.state.scrollY = Math.max(0, Math.min(y, maxScroll(m?.layout.rowCount ?? 0, this.size.height)));
  }

  private setView(v: TimeView): void {
    this.view = v;
    const wall = this.model?.c.wallMs ?? 0;
    // A fitted view is stored as "fitted", so a growing live run stays fitted.
    const fitted = isFitted(v, wall);
    this.state.t0 = fitted ? undefined : v.t0;
    this.state.t1 = fitted ? undefined : v.t1;
  }

  hover(span: number, cursorX: number | undefined, clientX: number, clientY: number): void {
    this.cursorX = cursorX;
    const m = this.model;
    if (span !== this.hovered) {
      this.hovered = span;
      if (span >= 0) this.requestDetails(span);
    }
    if (!m || span < 0) this.tooltip.hidden = true;
    else {
      renderTooltip(this.tooltip, m, span, this.details.get(span));
      this.tooltip.hidden = false;
      this.placeTooltip(clientX, clientY);
    }
    this.invalidate();
  }

  private placeTooltip(clientX: number, clientY: number): void {
    const box = this.timeline.getBoundingClientRect();
    const tip = this.tooltip;
    const w = tip.offsetWidth;
    const h = tip.offsetHeight;
    let x = clientX - box.left + 14;
    let y = clientY - box.top + 16;
    if (x + w > box.width - 4) x = Math.max(4, clientX - box.left - w - 14);
    if (y + h > box.height - 4) y = Math.max(4, clientY - box.top - h - 12);
    tip.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
  }

  requestDetails(span: number): void {
    if (this.details.has(span) || this.asked.has(span)) return;
    this.asked.add(span);
    this.host.post({ type: 'details', span });
  }

  private gotDetails(d: SpanDetails): void {
    if (this.details.size >= MAX_CACHED_DETAILS) this.details.clear();
    this.details.set(d.span, d);
    this.asked.delete(d.span);
    if (d.span === this.state.selected) this.showDetails();
    if (d.span === this.hovered && this.model && !this.tooltip.hidden) renderTooltip(this.tooltip, this.model, d.span, d);
  }

  showDetails(): void {
    const span = this.state.selected;
    renderDetails(this.detailsBox, this.model, span, this.details.get(span), this.theme, {
      openSource: (s) => this.openSource(s),
      zoomTo: (s) => this.zoomTo(s),
      toggleCollapse: (s) => this.toggleCollapse(s),
      select: (s) => this.select(s, true),
    });
  }

  themeChanged(): void {
    this.theme = readTheme();
    this.toolbar.setLegend(this.theme);
    if (this.model) this.toolbar.setCategories(this.model.categories, new Set(this.state.hiddenCategories), this.theme);
    this.showDetails();
    this.invalidate();
  }

  resized(width: number, height: number, mapWidth: number, mapHeight: number): void {
    const dpr = window.devicePixelRatio || 1;
    this.size = { width: Math.max(1, width), height: Math.max(1, height), mapWidth: Math.max(1, mapWidth), mapHeight: Math.max(1, mapHeight), dpr };
    for (const [canvas, w, h] of [
      [this.timeline, width, height],
      [this.minimapCanvas, mapWidth, mapHeight],
    ] as const) {
      canvas.width = Math.max(1, Math.round(w * dpr));
      canvas.height = Math.max(1, Math.round(h * dpr));
    }
    this.scrollTo(this.state.scrollY);
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

  /** Draws a frame now. */
  render(): void {
    const m = this.model;
    if (!m) return;
    const started = performance.now();
    const { width, height, mapWidth, mapHeight, dpr } = this.size;
    const ctx = this.timeline.getContext('2d') as CanvasRenderingContext2D;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const frame = { model: m, theme: this.theme, view: this.view, scrollY: this.state.scrollY, width, height, selected: this.state.selected, hovered: this.hovered, cursorX: this.cursorX };
    this.renderer.draw(frame);
    const mapCtx = this.minimapCanvas.getContext('2d') as CanvasRenderingContext2D;
    mapCtx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const firstRow = Math.floor(this.state.scrollY / ROW_H);
    const lastRow = Math.floor((this.state.scrollY + height - AXIS_H) / ROW_H);
    this.minimap.draw(m, this.theme, this.view, mapWidth, mapHeight, dpr, [firstRow, lastRow]);
    const bench = (globalThis as { __agentprofBench?: BenchStats }).__agentprofBench;
    if (bench) {
      const now = performance.now();
      if (this.dataReceivedAt !== undefined) {
        bench.firstPaintMs = now - this.dataReceivedAt;
        this.dataReceivedAt = undefined;
      } else (bench.frames ??= []).push(now - started);
    }
    this.dataReceivedAt = undefined;
  }

  /** Time (ms) at x on the minimap, for input.ts. */
  minimapTime(x: number): number {
    return this.minimap.timeAt(x, this.size.mapWidth, this.model?.c.wallMs ?? 0);
  }

  get width(): number {
    return this.size.width;
  }
}

function countOnes(mask: Uint8Array | undefined): number {
  let n = 0;
  if (mask) for (let i = 0; i < mask.length; i++) n += mask[i];
  return n;
}
