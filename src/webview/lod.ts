/**
 * Level of detail: what to draw of one row at the current zoom, at a cost that depends on the
 * pixels, not on the spans. Spans at least a pixel wide are drawn as themselves; runs of thinner
 * spans merge into one block per stretch of touched pixel columns, and everything that falls in
 * a column already painted is skipped with a binary search (a row's spans never overlap, so their
 * ends are sorted). A zoomed-out row of 200 000 spans costs about as much as its width in pixels.
 */
import { lowerBound } from './layout';

/** Spans narrower than this many pixels merge into blocks. */
export const MIN_BAR_PX = 1;

/** Output buffer of {@link rowBlocks}: block k covers pixels `[x0[k], x1[k])`. */
export class Blocks {
  x0 = new Float64Array(1024);
  x1 = new Float64Array(1024);
  /** First span position (into the row arrays) of the block. */
  first = new Int32Array(1024);
  /** Position of the longest span seen in the block: its kind colours a merged block. */
  lead = new Int32Array(1024);
  /** Number of spans the block stands for (1: a span drawn as itself). */
  spans = new Int32Array(1024);
  count = 0;

  push(x0: number, x1: number, first: number, spans: number, lead = first): void {
    if (this.count === this.x0.length) this.grow();
    const k = this.count++;
    this.x0[k] = x0;
    this.x1[k] = x1;
    this.first[k] = first;
    this.spans[k] = spans;
    this.lead[k] = lead;
  }

  private grow(): void {
    const size = this.x0.length * 2;
    const x0 = new Float64Array(size);
    x0.set(this.x0);
    this.x0 = x0;
    const x1 = new Float64Array(size);
    x1.set(this.x1);
    this.x1 = x1;
    const first = new Int32Array(size);
    first.set(this.first);
    this.first = first;
    const spans = new Int32Array(size);
    spans.set(this.spans);
    this.spans = spans;
    const lead = new Int32Array(size);
    lead.set(this.lead);
    this.lead = lead;
  }
}

/** The visible time range and its scale. */
export interface PixelScale {
  /** Time at pixel 0, ms. */
  t0: number;
  /** Pixels per ms. */
  pxPerMs: number;
  /** Width in pixels. */
  width: number;
}

/**
 * Appends to `out` the blocks of the spans `[from, to)` of sorted, non-overlapping intervals
 * (`starts`, `ends`, as in a layout row) that are visible in `scale`. A span at least
 * {@link MIN_BAR_PX} wide gives a block of its own exact extent; thinner spans give whole-pixel
 * blocks `[floor(x0), max(ceil(x1), floor(x0) + 1))`, merged while the next thin span starts in or
 * right after the block; a merged block's `lead` is the longest span the walk looked at (the
 * ones skipped in a column are no longer than a pixel). Returns the number of loop steps taken.
 */
export function rowBlocks(starts: Float64Array, ends: Float64Array, from: number, to: number, scale: PixelScale, out: Blocks): number {
  const { t0, pxPerMs, width } = scale;
  const t1 = t0 + width / pxPerMs;
  let k = lowerBound(ends, t0, from, to);
  let steps = 0;
  while (k < to) {
    steps++;
    const s = starts[k];
    if (s > t1) break;
    const x0 = (s - t0) * pxPerMs;
    const x1 = (ends[k] - t0) * pxPerMs;
    if (x1 - x0 >= MIN_BAR_PX) {
      out.push(x0, x1, k, 1);
      k++;
      continue;
    }
    // A thin span opens a block of whole pixel columns.
    const bx0 = Math.floor(x0);
    let bx1 = Math.max(Math.ceil(x1), bx0 + 1);
    const first = k;
    let lead = k;
    k++;
    for (;;) {
      steps++;
      // Every span ending inside the block's columns is covered by it: skip them all at once.
      k = lowerBound(ends, t0 + bx1 / pxPerMs, k, to);
      if (k >= to) break;
      const nx0 = (starts[k] - t0) * pxPerMs;
      const nx1 = (ends[k] - t0) * pxPerMs;
      // A thin span starting in the block's last column or the next one extends the block.
      if (nx1 - nx0 >= MIN_BAR_PX || nx0 >= bx1 + 1) break;
      if (ends[k] - starts[k] > ends[lead] - starts[lead]) lead = k;
      bx1 = Math.max(Math.ceil(nx1), bx1 + 1);
      k++;
      if (bx1 > width + 1) {
        // Past the right edge: the rest cannot show.
        k = to;
        break;
      }
    }
    out.push(bx0, bx1, first, k - first, lead);
  }
  return steps;
}
