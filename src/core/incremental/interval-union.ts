/**
 * Building blocks of the incremental analysis that keep a growing set of numbers or intervals
 * cheap to query: a union of intervals with prefix sums ({@link IntervalUnion}) and a sorted
 * multiset of durations ({@link SortedValues}). Both take values appended in (nearly) ascending
 * order in O(1) amortized; an out-of-order value costs a move of the values after it.
 */

/** `bigger` with the first `length` values of `array` copied to its start. */
function grown<T extends Float64Array>(array: T, length: number, make: (n: number) => T): T {
  const bigger = make(Math.max(16, 2 * array.length, length));
  bigger.set(array.subarray(0, Math.min(array.length, length)));
  return bigger;
}

/**
 * The union of closed intervals [start, end], kept as disjoint intervals in ascending order with
 * prefix sums of their lengths: the union's length and the length it covers inside any window
 * are O(log n). Lengths are differences of integers (ns), so sums are exact below 2^53.
 */
export class IntervalUnion {
  private starts = new Float64Array(0);
  private ends = new Float64Array(0);
  /** `before[k]` is the total length of intervals 0 … k−1; `before[count]` the union's length. */
  private before = new Float64Array(1);
  private count = 0;

  /** Length of the union. */
  get length(): number {
    return this.before[this.count];
  }

  add(start: number, end: number): void {
    if (!(start <= end)) return;
    const n = this.count;
    // First interval that ends at or after `start` (it touches or overlaps or lies after).
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ends[mid] < start) lo = mid + 1;
      else hi = mid;
    }
    const first = lo;
    // Intervals first … last−1 start at or before `end`: they merge with [start, end].
    let last = first;
    while (last < n && this.starts[last] <= end) last++;
    const mergedStart = last > first && this.starts[first] < start ? this.starts[first] : start;
    const mergedEnd = last > first && this.ends[last - 1] > end ? this.ends[last - 1] : end;
    const removed = last - first;
    const newCount = n - removed + 1;
    if (newCount > this.starts.length) {
      this.starts = grown(this.starts, n, (k) => new Float64Array(k));
      this.ends = grown(this.ends, n, (k) => new Float64Array(k));
    }
    if (newCount + 1 > this.before.length) this.before = grown(this.before, n + 1, (k) => new Float64Array(k));
    if (removed !== 1 && last < n) {
      this.starts.copyWithin(first + 1, last, n);
      this.ends.copyWithin(first + 1, last, n);
    }
    this.starts[first] = mergedStart;
    this.ends[first] = mergedEnd;
    this.count = newCount;
    for (let k = first; k < newCount; k++) this.before[k + 1] = this.before[k] + (this.ends[k] - this.starts[k]);
  }

  /** Length of the union inside the window [from, to]. */
  coveredIn(from: number, to: number): number {
    if (!(from < to) || this.count === 0) return 0;
    // First interval ending after `from`, last starting before `to`.
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ends[mid] <= from) lo = mid + 1;
      else hi = mid;
    }
    const first = lo;
    hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid] < to) lo = mid + 1;
      else hi = mid;
    }
    const last = lo - 1;
    if (last < first) return 0;
    let covered = this.before[last + 1] - this.before[first];
    if (this.starts[first] < from) covered -= from - this.starts[first];
    if (this.ends[last] > to) covered -= this.ends[last] - to;
    return covered;
  }
}

/** Number of the first `count` values of ascending `v` that are ≤ `x`. */
function countAtMost(v: Float64Array, count: number, x: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Merges ascending `add` (its first `addCount`) into the first `count` values of ascending `v`,
 * from the back: values larger than every addition do not move. Returns the array (grown).
 */
function mergeInto(v: Float64Array, count: number, add: ArrayLike<number>, addCount: number): Float64Array {
  const total = count + addCount;
  if (total > v.length) {
    const bigger = new Float64Array(Math.max(total, 2 * v.length, 16));
    bigger.set(v.subarray(0, count));
    v = bigger;
  }
  let i = count - 1;
  let j = addCount - 1;
  let k = total - 1;
  while (j >= 0) {
    if (i >= 0 && v[i] > add[j]) v[k--] = v[i--];
    else v[k--] = add[j--];
  }
  return v;
}

/**
 * A multiset of numbers kept sorted ascending, in two sorted arrays: a large one and a small one
 * that additions are merged into ({@link flush}), itself merged into the large one once it holds
 * more than about 16·√n values. A flush so moves O(√n) values, not O(n) as one array would.
 */
export class SortedValues {
  private main: Float64Array = new Float64Array(0);
  private mainCount = 0;
  private side: Float64Array = new Float64Array(0);
  private sideCount = 0;
  private pending: number[] = [];

  /** Number of values (flushed ones). */
  get count(): number {
    return this.mainCount + this.sideCount;
  }

  add(value: number): void {
    this.pending.push(value);
  }

  /** Merges the buffered additions in: O(additions · log + √n) amortized. */
  flush(): void {
    const add = this.pending;
    if (add.length === 0) return;
    this.pending = [];
    add.sort((a, b) => a - b);
    this.side = mergeInto(this.side, this.sideCount, add, add.length);
    this.sideCount += add.length;
    if (this.sideCount > Math.max(256, 16 * Math.sqrt(this.mainCount))) {
      this.main = mergeInto(this.main, this.mainCount, this.side, this.sideCount);
      this.mainCount += this.sideCount;
      this.sideCount = 0;
    }
  }

  /** The `rank`-th smallest (0-based) flushed value: O(log² n). */
  private kth(rank: number): number {
    const a = this.main;
    const b = this.side;
    const na = this.mainCount;
    const nb = this.sideCount;
    // i values from `a` and rank + 1 − i from `b` are the rank + 1 smallest: the first i with
    // a[i] ≥ b[rank − i] (or none left on either side).
    let lo = Math.max(0, rank + 1 - nb);
    let hi = Math.min(na, rank + 1);
    while (lo < hi) {
      const i = (lo + hi) >>> 1;
      if (a[i] < b[rank - i]) lo = i + 1;
      else hi = i;
    }
    const j = rank + 1 - lo;
    const fromA = lo > 0 ? a[lo - 1] : -Infinity;
    const fromB = j > 0 ? b[j - 1] : -Infinity;
    return fromA > fromB ? fromA : fromB;
  }

  /**
   * The `rank`-th smallest (0-based) of these values together with `extra` (sorted ascending,
   * few): the extras are placed after equal values (equal values are equal: the result does not
   * depend on it), and the rank is found in O(|extra| log n + log² n).
   */
  orderStatistic(rank: number, extra: readonly number[]): number {
    let before = 0; // extras placed before position `rank`
    for (let j = 0; j < extra.length; j++) {
      // Position of extra j in the merge: j extras before it, plus the values ≤ it.
      const position = j + countAtMost(this.main, this.mainCount, extra[j]) + countAtMost(this.side, this.sideCount, extra[j]);
      if (position === rank) return extra[j];
      if (position < rank) before++;
      else break;
    }
    return this.kth(rank - before);
  }
}
