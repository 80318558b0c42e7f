/**
 * Sizes of the timeline in CSS pixels, and the mapping between rows and y. One place, so drawing
 * and hit-testing cannot disagree.
 */

/** Height of the time axis at the top of the timeline. */
export const AXIS_H = 26;
/** Height of a row (one lane of one depth). */
export const ROW_H = 22;
/** Height of a bar inside its row. */
export const BAR_H = 18;
/** Space above a bar inside its row. */
export const BAR_TOP = 2;
/** Bars at least this wide get a label. */
export const MIN_LABEL_PX = 34;
/** Bars at least this wide show the collapse toggle of a span with children. */
export const MIN_TOGGLE_PX = 44;
/** Width of the toggle's hit area at the left of a bar. */
export const TOGGLE_W = 16;
/** Left padding of labels inside a bar. */
export const LABEL_PAD = 6;

/** Top y of row `row` on screen. */
export function rowTop(row: number, scrollY: number): number {
  return AXIS_H + row * ROW_H - scrollY;
}

/** Row under screen y (may be out of range). */
export function rowAtY(y: number, scrollY: number): number {
  return Math.floor((y - AXIS_H + scrollY) / ROW_H);
}

/** Largest useful vertical scroll for `rows` rows in a timeline `height` px high. */
export function maxScroll(rows: number, height: number): number {
  return Math.max(0, rows * ROW_H + ROW_H - (height - AXIS_H));
}
