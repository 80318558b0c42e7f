/**
 * A table's row order kept across updates: rows whose sort key did not change keep their relative
 * order, so an update removes the moved rows and merges them back in sorted — O(rows + moved ·
 * log moved) instead of a sort of every row.
 */
import type { SiteTiming } from '../analysis-types';

export class OrderedRows {
  /** Row ids in table order. */
  private order: number[] = [];
  private readonly moved = new Set<number>();

  /** Row `id` is new, or its sort key changed. */
  markMoved(id: number): void {
    this.moved.add(id);
  }

  /** The rows (indexed by id) in order; `compare` must be a total order (ties broken by a key). */
  ordered<R>(rows: readonly R[], compare: (a: R, b: R) => number): R[] {
    if (this.moved.size > 0) {
      const moved = [...this.moved].sort((a, b) => compare(rows[a], rows[b]));
      const stay = this.order.filter((id) => !this.moved.has(id));
      const merged: number[] = new Array(stay.length + moved.length);
      let i = 0;
      let j = 0;
      let k = 0;
      while (i < stay.length && j < moved.length) merged[k++] = compare(rows[moved[j]], rows[stay[i]]) < 0 ? moved[j++] : stay[i++];
      while (i < stay.length) merged[k++] = stay[i++];
      while (j < moved.length) merged[k++] = moved[j++];
      this.order = merged;
      this.moved.clear();
    }
    return this.order.map((id) => rows[id]);
  }
}

/** Largest line the site key pads to 9 digits; longer lines compare as digit strings. */
const PADDED_LINE_MAX = 999_999_999;

/** The site key of `compareSiteRows` (src/core/timing.ts), built only when the cheap path cannot decide. */
const siteKey = (t: SiteTiming) => `${t.file}:${String(t.line).padStart(9, '0')}`;

/**
 * The order of `compareSiteRows` — total time, largest first, then the key `file:line` with the line
 * padded to 9 digits — without building the two keys on each comparison (the live site table is
 * merged on every update). Two files neither of which starts with the other differ inside both,
 * so they order as the files do; the same file orders by line when both lines pad to 9 digits.
 * Only the rare rest (one file a prefix of the other, lines outside 0..999 999 999 or fractional)
 * builds the keys.
 */
export function compareSiteRowsFast(a: SiteTiming, b: SiteTiming): number {
  const byTotal = b.totalMs - a.totalMs;
  if (byTotal) return byTotal;
  const fa = a.file;
  const fb = b.file;
  const shorter = fa.length < fb.length ? fa : fb;
  const longer = shorter === fa ? fb : fa;
  if (!longer.startsWith(shorter)) return fa < fb ? -1 : 1;
  if (fa === fb && paddable(a.line) && paddable(b.line)) return a.line - b.line;
  const ka = siteKey(a);
  const kb = siteKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

const paddable = (line: number) => Number.isInteger(line) && line >= 0 && line <= PADDED_LINE_MAX;
