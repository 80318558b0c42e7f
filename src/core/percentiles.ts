/**
 * Percentiles: one definition for every table, hover and comparison, so a p95 in the report is
 * the p95 that `compare` tests for regressions. Of sorted samples directly, or of unsorted ones
 * by selection (the analyzers' way: no full sort of a million durations).
 */

/**
 * The `p`-th percentile (0…100) of samples sorted ascending, by linear interpolation between the
 * closest ranks — the "R-7" / Excel `PERCENTILE.INC` / NumPy default definition: the rank is
 * `p / 100 × (n − 1)` (0-based), and a fractional rank interpolates between its two neighbours.
 *
 * So p50 of `[1, 2, 3, 4]` is 2.5 (rank 1.5), p0 is the minimum and p100 the maximum.
 * `p` outside 0…100 is clamped; no samples gives 0 (an empty group has no latency to report).
 * The input must already be sorted: callers sort once and ask for several percentiles.
 */
export function percentile(sortedAscending: Float64Array | number[], p: number): number {
  return percentileAt(sortedAscending.length, (rank) => sortedAscending[rank], p);
}

/**
 * The same percentile as {@link percentile} of `n` samples known by their order statistics:
 * `at(k)` is the `k`-th smallest (0-based). For samples kept in a structure that answers ranks
 * (the incremental analysis keeps each group's durations sorted, plus its few open spans).
 */
export function percentileAt(n: number, at: (rank: number) => number, p: number): number {
  if (n === 0) return 0;
  const clamped = p !== p ? 0 : Math.min(100, Math.max(0, p));
  const rank = (clamped / 100) * (n - 1);
  const below = Math.floor(rank);
  const fraction = rank - below;
  const low = at(below);
  if (fraction === 0 || below + 1 >= n) return low;
  return low + (at(below + 1) - low) * fraction;
}

/**
 * Several percentiles (each 0…100, same definition as {@link percentile}) of unsorted samples,
 * by selection instead of a full sort: linear on average. Reorders `values` in place.
 */
export function percentilesInPlace(values: Float64Array, ps: readonly number[]): number[] {
  const n = values.length;
  const result = new Array<number>(ps.length).fill(0);
  if (n === 0) return result;
  // Smallest rank first: each selection leaves everything right of its index ≥ it, so the next
  // (larger) rank is selected within (that index, n) only: the p50 pass over all the samples,
  // the p95 one over the upper half, the p99 one over the top 5 % (largest first re-partitioned
  // nearly all of them for each rank).
  const byRankAscending = ps
    .map((p, slot) => ({ slot, rank: ((p !== p ? 0 : Math.min(100, Math.max(0, p))) / 100) * (n - 1) }))
    .sort((a, b) => a.rank - b.rank);
  let lo = 0;
  let lastIndex = -1;
  let low = 0;
  let next = 0;
  for (let r = 0; r < byRankAscending.length; r++) {
    const { slot, rank } = byRankAscending[r];
    const below = Math.floor(rank);
    if (below !== lastIndex) {
      selectInPlace(values, below, lo, n);
      low = values[below];
      // The next order statistic is the smallest value right of `below` (all are ≥ values[below]).
      next = below + 1 < n ? minOf(values, below + 1, n) : low;
      lo = below + 1;
      lastIndex = below;
    }
    const fraction = rank - below;
    result[slot] = fraction > 0 ? low + (next - low) * fraction : low;
  }
  return result;
}

/** The smallest of `values[from … to)` (`to > from`). */
function minOf(values: Float64Array, from: number, to: number): number {
  let min = values[from];
  for (let k = from + 1; k < to; k++) if (values[k] < min) min = values[k];
  return min;
}

/**
 * Moves the `k`-th smallest of `values[from … to)` to index `k`, smaller-or-equal values left of
 * it and greater-or-equal right (Hoare partitioning, median-of-three pivots; iterative).
 */
function selectInPlace(values: Float64Array, k: number, from: number, to: number): void {
  let left = from;
  let right = to - 1;
  while (right > left) {
    const mid = (left + right) >>> 1;
    // Median of three as the pivot keeps sorted and reversed runs linear.
    let a = values[left];
    let b = values[mid];
    let c = values[right];
    if (a > b) [a, b] = [b, a];
    if (b > c) [b, c] = [c, b];
    if (a > b) [a, b] = [b, a];
    const pivot = b;
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}
