/**
 * Rows of the waterfall: a span at depth d is drawn in the rows of depth d, and spans of the same
 * depth that overlap in time (parallel tool calls, concurrent tasks) go to separate lanes so that
 * nothing is drawn over anything else. Lanes are assigned greedily in start order: each span
 * takes the lowest-numbered lane of its depth that is free when it starts.
 *
 * Within a row spans do not overlap (beyond the clock's tolerance, and a span never ends before the
 * one before it), so a row's spans sorted by start are sorted by end as well: drawing binary-searches
 * both (see lod.ts). Pure and linear apart from the lane heaps; no DOM.
 */
import { CLOCK_TOLERANCE_MS } from '../core/clock';

/** The span fields the layout reads (a subset of `WaterfallColumns`). */
export interface LayoutInput {
  count: number;
  start: Float64Array;
  end: Float64Array;
  depth: Int32Array;
  /** All span indices by start. */
  order: Int32Array;
}

/** The rows, each a list of spans in start order, stored end to end. */
export interface Layout {
  rowCount: number;
  /** Spans of row r are `rowSpans[rowOffset[r] … rowOffset[r + 1])`. */
  rowOffset: Int32Array;
  rowSpans: Int32Array;
  /** Start and end (ms) of `rowSpans[k]`, copied so the binary searches read contiguous memory. */
  rowStart: Float64Array;
  rowEnd: Float64Array;
  /** Depth of each row. */
  rowDepth: Int32Array;
  /** Row of each span, −1 when the span is not shown. */
  rowOf: Int32Array;
  /** Number of spans laid out. */
  shown: number;
}

/**
 * A binary min-heap of lanes keyed by a number (a lane's end time, or the lane number itself).
 * Typed arrays, grown by doubling; ties go to the smaller lane so the layout is deterministic.
 */
class LaneHeap {
  private key = new Float64Array(16);
  private lane = new Int32Array(16);
  size = 0;

  clear(): void {
    this.size = 0;
  }

  topKey(): number {
    return this.key[0];
  }

  push(key: number, lane: number): void {
    if (this.size === this.key.length) {
      const k = new Float64Array(this.size * 2);
      k.set(this.key);
      this.key = k;
      const l = new Int32Array(this.size * 2);
      l.set(this.lane);
      this.lane = l;
    }
    let at = this.size++;
    while (at > 0) {
      const up = (at - 1) >> 1;
      if (!this.less(key, lane, this.key[up], this.lane[up])) break;
      this.key[at] = this.key[up];
      this.lane[at] = this.lane[up];
      at = up;
    }
    this.key[at] = key;
    this.lane[at] = lane;
  }

  /** Removes the smallest entry and returns its lane. */
  pop(): number {
    const top = this.lane[0];
    const n = --this.size;
    const key = this.key[n];
    const lane = this.lane[n];
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= n) break;
      if (child + 1 < n && this.less(this.key[child + 1], this.lane[child + 1], this.key[child], this.lane[child])) child++;
      if (!this.less(this.key[child], this.lane[child], key, lane)) break;
      this.key[at] = this.key[child];
      this.lane[at] = this.lane[child];
      at = child;
    }
    this.key[at] = key;
    this.lane[at] = lane;
    return top;
  }

  private less(k1: number, l1: number, k2: number, l2: number): boolean {
    return k1 < k2 || (k1 === k2 && l1 < l2);
  }
}

/**
 * Lane of each span in `spans` (indices of one depth, in start order): the lowest lane whose last
 * span ended at or before this one's start, give or take the clock's tolerance (clock.ts).
 * Writes `lane[i]` and returns the number of lanes.
 */
export function assignLanes(
  spans: Int32Array,
  start: Float64Array,
  end: Float64Array,
  lane: Int32Array,
  busy = new LaneHeap(),
  free = new LaneHeap(),
): number {
  busy.clear();
  free.clear();
  let lanes = 0;
  for (let k = 0; k < spans.length; k++) {
    const i = spans[k];
    const s = start[i];
    // Lanes whose span ended by now (or less than the clock's tolerance later) become free.
    // A lane stays sorted by end too (lod.ts searches it so): the span must not end before the lane's last one.
    while (busy.size > 0 && busy.topKey() <= s + CLOCK_TOLERANCE_MS && busy.topKey() <= end[i]) {
      const l = busy.pop();
      free.push(l, l);
    }
    const l = free.size > 0 ? free.pop() : lanes++;
    lane[i] = l;
    busy.push(end[i], l);
  }
  return lanes;
}

/** Lays out the spans with `visible[i] === 1` (see the module comment). */
export function buildLayout(input: LayoutInput, visible: Uint8Array): Layout {
  const n = input.count;
  const { start, end, depth, order } = input;
  // Visible spans bucketed by depth, each bucket in start order (a stable counting sort).
  let maxDepth = -1;
  let shown = 0;
  for (let i = 0; i < n; i++) {
    if (!visible[i]) continue;
    shown++;
    if (depth[i] > maxDepth) maxDepth = depth[i];
  }
  const depthCount = maxDepth + 1;
  const depthOffset = new Int32Array(depthCount + 1);
  for (let i = 0; i < n; i++) if (visible[i]) depthOffset[depth[i] + 1]++;
  for (let d = 0; d < depthCount; d++) depthOffset[d + 1] += depthOffset[d];
  const byDepth = new Int32Array(shown);
  const fill = depthOffset.slice(0, depthCount);
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (visible[i]) byDepth[fill[depth[i]]++] = i;
  }

  // Lanes per depth; rows of depth d start at rowBase[d].
  const lane = new Int32Array(n);
  const rowBase = new Int32Array(depthCount + 1);
  const busy = new LaneHeap();
  const free = new LaneHeap();
  for (let d = 0; d < depthCount; d++) {
    const bucket = byDepth.subarray(depthOffset[d], depthOffset[d + 1]);
    rowBase[d + 1] = rowBase[d] + assignLanes(bucket, start, end, lane, busy, free);
  }
  const rowCount = rowBase[depthCount];

  // Spans by row, in start order within each row (again a stable counting sort).
  const rowOf = new Int32Array(n).fill(-1);
  const rowOffset = new Int32Array(rowCount + 1);
  const rowDepth = new Int32Array(rowCount);
  for (let d = 0; d < depthCount; d++) for (let r = rowBase[d]; r < rowBase[d + 1]; r++) rowDepth[r] = d;
  for (let k = 0; k < shown; k++) {
    const i = byDepth[k];
    const r = rowBase[depth[i]] + lane[i];
    rowOf[i] = r;
    rowOffset[r + 1]++;
  }
  for (let r = 0; r < rowCount; r++) rowOffset[r + 1] += rowOffset[r];
  const cursor = rowOffset.slice(0, rowCount);
  const rowSpans = new Int32Array(shown);
  const rowStart = new Float64Array(shown);
  const rowEnd = new Float64Array(shown);
  for (let k = 0; k < shown; k++) {
    const i = byDepth[k];
    const at = cursor[rowOf[i]]++;
    rowSpans[at] = i;
    rowStart[at] = start[i];
    rowEnd[at] = end[i];
  }
  return { rowCount, rowOffset, rowSpans, rowStart, rowEnd, rowDepth, rowOf, shown };
}

/** First position in `sorted[from … to)` whose value is ≥ `value` (`to` when none). */
export function lowerBound(sorted: Float64Array, value: number, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The span of row `row` under time `t` (ms), or the nearest one within `slackMs` when none covers
 * it (thin spans are hard to hit); −1 when there is none. A span shorter than `thinMs` (under a
 * pixel: the renderer draws it as a mark of its own) that touches a longer one wins within the
 * slack even where the longer one covers `t`: its bar is all but hidden at the other's edge, and
 * it must still be selectable (a lens's 0.02 ms call beside two 1.5 s ones).
 */
export function spanAt(layout: Layout, row: number, t: number, slackMs: number, thinMs = 0): number {
  if (!(row >= 0 && row < layout.rowCount)) return -1;
  const from = layout.rowOffset[row];
  const to = layout.rowOffset[row + 1];
  // The first span ending at or after t covers t or is the nearest one after it; the one
  // before it is the nearest one before t.
  const k = lowerBound(layout.rowEnd, t, from, to);
  if (k < to && layout.rowStart[k] <= t) {
    const { rowStart: s, rowEnd: e } = layout;
    if (e[k] - s[k] >= thinMs) {
      const before = k > from && e[k - 1] - s[k - 1] < thinMs ? t - e[k - 1] : Infinity;
      const after = k + 1 < to && e[k + 1] - s[k + 1] < thinMs ? s[k + 1] - t : Infinity;
      if (Math.min(before, after) <= slackMs) return before <= after ? layout.rowSpans[k - 1] : layout.rowSpans[k + 1];
    }
    return layout.rowSpans[k];
  }
  const after = k < to ? layout.rowStart[k] - t : Infinity;
  const before = k > from ? t - layout.rowEnd[k - 1] : Infinity;
  if (Math.min(after, before) > slackMs) return -1;
  return after <= before ? layout.rowSpans[k] : layout.rowSpans[k - 1];
}

/** Some of a layout's spans (errors, search matches), row by row, in the same arrangement. */
export interface RowSubset {
  offset: Int32Array;
  spans: Int32Array;
  start: Float64Array;
  end: Float64Array;
}

/** The spans of `layout` with `keep[i] === 1`, kept in their rows and in start order. */
export function rowSubset(layout: Layout, keep: Uint8Array): RowSubset {
  const offset = new Int32Array(layout.rowCount + 1);
  let total = 0;
  for (let r = 0; r < layout.rowCount; r++) {
    for (let k = layout.rowOffset[r]; k < layout.rowOffset[r + 1]; k++) if (keep[layout.rowSpans[k]]) total++;
    offset[r + 1] = total;
  }
  const spans = new Int32Array(total);
  const start = new Float64Array(total);
  const end = new Float64Array(total);
  let at = 0;
  for (let k = 0; k < layout.shown; k++) {
    const i = layout.rowSpans[k];
    if (!keep[i]) continue;
    spans[at] = i;
    start[at] = layout.rowStart[k];
    end[at] = layout.rowEnd[k];
    at++;
  }
  return { offset, spans, start, end };
}
