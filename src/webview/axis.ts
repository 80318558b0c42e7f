/// <reference lib="dom" />
/**
 * The time axis over the rows: grid lines at 1-2-5 ticks, their labels, and the time cursor that
 * follows the pointer.
 */
import { AXIS_H } from './geometry';
import type { Theme } from './theme';
import { formatCursor, formatTick, tickLabelLeft, timeTicks } from './ticks';
import type { TimeView } from './viewport';

/** Vertical grid lines at the ticks, under the bars. */
export function drawGrid(ctx: CanvasRenderingContext2D, theme: Theme, view: TimeView, width: number, height: number): void {
  const ticks = timeTicks(view.t0, view.t1, width);
  const pxPerMs = width / (view.t1 - view.t0);
  ctx.fillStyle = theme.grid;
  for (const t of ticks.values) ctx.fillRect(Math.round((t - view.t0) * pxPerMs), AXIS_H, 1, height - AXIS_H);
}

/** The axis band with tick labels, and the cursor line with its time when the pointer is over the rows. */
export function drawAxis(ctx: CanvasRenderingContext2D, theme: Theme, view: TimeView, width: number, height: number, cursorX: number | undefined): void {
  const ticks = timeTicks(view.t0, view.t1, width);
  const pxPerMs = width / (view.t1 - view.t0);
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, width, AXIS_H);
  ctx.fillStyle = theme.grid;
  ctx.fillRect(0, AXIS_H - 1, width, 1);
  ctx.font = `${Math.max(10, theme.fontSize - 2)}px ${theme.font}`;
  ctx.textBaseline = 'middle';
  for (const t of ticks.values) {
    const x = Math.round((t - view.t0) * pxPerMs);
    ctx.fillStyle = theme.grid;
    ctx.fillRect(x, AXIS_H - 6, 1, 6);
    ctx.fillStyle = theme.muted;
    const label = formatTick(t, ticks.step);
    ctx.fillText(label, tickLabelLeft(x, ctx.measureText(label).width, width), AXIS_H / 2 - 1);
  }
  if (cursorX !== undefined && cursorX >= 0 && cursorX <= width) {
    const x = Math.round(cursorX) + 0.5;
    ctx.strokeStyle = theme.muted;
    ctx.lineWidth = 1;
    ctx.setLineDash([2, 3]);
    ctx.beginPath();
    ctx.moveTo(x, AXIS_H);
    ctx.lineTo(x, height);
    ctx.stroke();
    ctx.setLineDash([]);
    // The cursor's time, in a box over the tick labels, with finer precision than the ticks.
    const t = view.t0 + cursorX / pxPerMs;
    const label = formatCursor(t, ticks.step);
    const w = ctx.measureText(label).width + 10;
    const left = Math.min(Math.max(0, x - w / 2), width - w);
    ctx.fillStyle = theme.foreground;
    ctx.fillRect(left, 3, w, AXIS_H - 8);
    ctx.fillStyle = theme.background;
    ctx.fillText(label, left + 5, AXIS_H / 2 - 1);
  }
  ctx.textBaseline = 'alphabetic';
}
