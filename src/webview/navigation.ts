/**
 * Where the timeline looks: the visible time range and the vertical scroll, and the moves that
 * change them (zoom, pan, fit, reveal a span). Keeps the view state's fields in step: a view of
 * the whole run is stored as "fitted", so a growing live run stays fitted.
 */
import { AXIS_H, maxScroll, ROW_H, rowTop } from './geometry';
import type { ViewModel } from './model';
import type { ViewState } from './state';
import { clampView, fitView, isFitted, panBy, type TimeView, viewOf, zoomAt } from './viewport';

/** The canvas size navigation needs, CSS px. */
export interface Extent {
  width: number;
  height: number;
}

export class Navigation {
  view: TimeView = fitView(1);

  constructor(
    private readonly state: () => ViewState,
    private readonly extent: () => Extent,
  ) {}

  /** After new data: the stored range (clamped to the run), or the whole run. */
  restore(m: ViewModel): void {
    const { t0, t1 } = this.state();
    this.view = t0 === undefined || t1 === undefined ? fitView(m.c.wallMs) : clampView({ t0, t1 }, m.c.wallMs);
    this.scrollTo(m, this.state().scrollY);
  }

  set(v: TimeView, m: ViewModel): void {
    this.view = v;
    const fitted = isFitted(v, m.c.wallMs);
    this.state().t0 = fitted ? undefined : v.t0;
    this.state().t1 = fitted ? undefined : v.t1;
  }

  scrollTo(m: ViewModel | undefined, y: number): void {
    this.state().scrollY = Math.max(0, Math.min(y, maxScroll(m?.layout.rowCount ?? 0, this.extent().height)));
  }

  fit(m: ViewModel): void {
    this.set(fitView(m.c.wallMs), m);
  }

  /** Shows `[t0, t1]` (ms) with a margin. */
  show(m: ViewModel, t0: number, t1: number): void {
    this.set(viewOf(t0, t1, m.c.wallMs), m);
  }

  /** Zooms by `factor` around the time at x (CSS px on the timeline). */
  zoomAround(m: ViewModel, factor: number, x: number): void {
    const anchor = this.view.t0 + (x / this.extent().width) * (this.view.t1 - this.view.t0);
    this.set(zoomAt(this.view, anchor, factor, m.c.wallMs), m);
  }

  /** Pans by pixels: dx moves the time range, dy scrolls the rows. */
  panPixels(m: ViewModel, dx: number, dy: number): void {
    if (dx) this.set(panBy(this.view, (dx / this.extent().width) * (this.view.t1 - this.view.t0), m.c.wallMs), m);
    if (dy) this.scrollTo(m, this.state().scrollY + dy);
  }

  /** Centres the view on time `t` (ms), keeping the zoom. */
  centreOn(m: ViewModel, t: number): void {
    const half = (this.view.t1 - this.view.t0) / 2;
    this.set(clampView({ t0: t - half, t1: t + half }, m.c.wallMs), m);
  }

  /** Pans (keeping the zoom unless the span is wider than the view) and scrolls to `span`. */
  reveal(m: ViewModel, span: number): void {
    const s = m.c.start[span];
    const e = m.c.end[span];
    const range = this.view.t1 - this.view.t0;
    if (e - s > range) this.show(m, s, e);
    else if (s < this.view.t0 || e > this.view.t1) this.centreOn(m, (s + e) / 2);
    const row = m.layout.rowOf[span];
    if (row < 0) return;
    const y = rowTop(row, this.state().scrollY);
    const height = this.extent().height;
    if (y < AXIS_H) this.scrollTo(m, row * ROW_H);
    else if (y + ROW_H > height) this.scrollTo(m, (row + 1.5) * ROW_H - (height - AXIS_H));
  }
}
