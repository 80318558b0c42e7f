/**
 * The visible time range and how zooming and panning move it. Pure arithmetic: the view never
 * leaves the run (plus a small margin), never zooms in below a microsecond, and zooming keeps the
 * time under the pointer under the pointer.
 */

/** Visible time range, ms since the run's first start. */
export interface TimeView {
  t0: number;
  t1: number;
}

/** The narrowest range one can zoom to, ms (1 µs). */
export const MIN_RANGE_MS = 0.001;
/** Margin around the whole run when it is fitted, as a share of the wall time. */
export const FIT_MARGIN = 0.01;

/** The whole run with a small margin. */
export function fitView(wallMs: number): TimeView {
  const wall = wallMs > 0 ? wallMs : 1;
  return { t0: -wall * FIT_MARGIN, t1: wall * (1 + FIT_MARGIN) };
}

/** Moves and shrinks `v` so it lies within the fitted run and is at least {@link MIN_RANGE_MS} wide. */
export function clampView(v: TimeView, wallMs: number): TimeView {
  const fit = fitView(wallMs);
  const fitRange = fit.t1 - fit.t0;
  let range = v.t1 - v.t0;
  if (!(range >= MIN_RANGE_MS)) range = MIN_RANGE_MS;
  if (range >= fitRange) return fit;
  let t0 = Number.isFinite(v.t0) ? v.t0 : fit.t0;
  if (t0 < fit.t0) t0 = fit.t0;
  if (t0 + range > fit.t1) t0 = fit.t1 - range;
  return { t0, t1: t0 + range };
}

/**
 * Zooms by `factor` (< 1 zooms in) around `anchor` (ms): the anchor keeps its place on screen,
 * unless clamping to the run has to move the view.
 */
export function zoomAt(v: TimeView, anchor: number, factor: number, wallMs: number): TimeView {
  const range = v.t1 - v.t0;
  const share = range > 0 ? (anchor - v.t0) / range : 0.5;
  const next = Math.max(MIN_RANGE_MS, range * factor);
  const t0 = anchor - share * next;
  return clampView({ t0, t1: t0 + next }, wallMs);
}

/** Pans by `dt` ms (positive moves the view later in time). */
export function panBy(v: TimeView, dt: number, wallMs: number): TimeView {
  return clampView({ t0: v.t0 + dt, t1: v.t1 + dt }, wallMs);
}

/** A view showing `[start, end]` with a margin of 10 % of its length on each side. */
export function viewOf(start: number, end: number, wallMs: number): TimeView {
  const length = Math.max(end - start, MIN_RANGE_MS * 10);
  const margin = length * 0.1;
  return clampView({ t0: start - margin, t1: end + margin }, wallMs);
}

/** True when `v` shows the whole run (so a growing live run should keep being fitted). */
export function isFitted(v: TimeView, wallMs: number): boolean {
  const fit = fitView(wallMs);
  return v.t0 <= fit.t0 + 1e-9 && v.t1 >= fit.t1 - 1e-9;
}
