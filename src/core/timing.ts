/**
 * Timing statistics per category, span name and call site — the textbook's `get_summary()` with
 * self time, percentiles and share of the run added, and concurrency handled: self time subtracts
 * the union of the children (not their sum), share of run is the union of a group's intervals.
 *
 * Span fields are gathered into typed arrays once; one ordering by start (a check when spans are
 * already in start order, as recorders write them, else linear radix passes) feeds the unions;
 * durations per group live in one shared Float64Array, their percentiles found by selection.
 */
import type { CategoryTiming, NameTiming, SiteTiming, TimingStats } from './analysis-types';
import { isOpen, Profile, Span, wallTime } from './model';
import { percentilesInPlace } from './percentiles';
import { childLists, orderBy, SpanTable, spanTable } from './tree-order';

/** The three groupings of {@link computeTiming}, each sorted by total time, largest first. */
export interface Timing {
  byCategory: CategoryTiming[];
  byName: NameTiming[];
  bySite: SiteTiming[];
}

const NS_PER_MS = 1e6;

/**
 * Self time of every span in ns: its duration minus the length of the union of its children's
 * intervals clipped to it. Concurrent children are not subtracted twice; never negative.
 */
export function selfTimes(profile: Profile): Float64Array {
  const table = spanTable(profile);
  return selfTimesOf(table, orderBy(table.start));
}

function selfTimesOf(table: SpanTable, byStart: Int32Array): Float64Array {
  const { count: n, start: starts, end: ends, parent: parents } = table;
  // Children in start order (their clipped starts are then in order too), so the union of each
  // span's children is one forward merge over its list.
  const { offset, list } = childLists(parents, byStart);
  const self = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const parentStart = starts[p];
    const parentEnd = ends[p];
    let covered = 0;
    let runStart = 0;
    let runEnd = -Infinity;
    for (let k = offset[p]; k < offset[p + 1]; k++) {
      const child = list[k];
      const start = starts[child] > parentStart ? starts[child] : parentStart;
      const end = ends[child] < parentEnd ? ends[child] : parentEnd;
      if (!(start < end)) continue;
      if (start > runEnd) {
        if (runEnd > -Infinity) covered += runEnd - runStart;
        runStart = start;
        runEnd = end;
      } else if (end > runEnd) {
        runEnd = end;
      }
    }
    if (runEnd > -Infinity) covered += runEnd - runStart;
    const duration = parentEnd - parentStart;
    self[p] = duration > covered ? duration - covered : 0;
  }
  return self;
}

/**
 * The start-order pass of {@link Grouping.finish}: each span's duration into its group's slice of
 * `durations` (`fill` is each group's next slot) and each group's union of intervals, merged
 * forward in `union` / `runStart` / `runEnd` (open run not yet added). A plain function over typed
 * arrays, so it is compiled once with full feedback instead of on the fly inside a longer one.
 */
function mergeInStartOrder(
  byStart: Int32Array,
  groupOf: Int32Array,
  starts: Float64Array,
  ends: Float64Array,
  fill: Int32Array,
  durations: Float64Array,
  union: Float64Array,
  runStart: Float64Array,
  runEnd: Float64Array,
): void {
  for (let k = 0; k < byStart.length; k++) {
    const i = byStart[k];
    const g = groupOf[i];
    if (g < 0) continue;
    const start = starts[i];
    const end = ends[i];
    durations[fill[g]++] = end - start;
    if (start > runEnd[g]) {
      if (runEnd[g] > -Infinity) union[g] += runEnd[g] - runStart[g];
      runStart[g] = start;
      runEnd[g] = end;
    } else if (end > runEnd[g]) {
      runEnd[g] = end;
    }
  }
}

/** Totals of one group, gathered in span-index order. */
class Accumulator {
  count = 0;
  totalNs = 0;
  selfNs = 0;
  minNs = Infinity;
  maxNs = -Infinity;
  errors = 0;
  unfinished = 0;
  /** Where this group's durations start in the shared durations buffer. */
  offset = 0;

  constructor(readonly first: Span) {}

  add(span: Span, duration: number, selfNs: number): void {
    this.count++;
    this.totalNs += duration;
    this.selfNs += selfNs;
    if (duration < this.minNs) this.minNs = duration;
    if (duration > this.maxNs) this.maxNs = duration;
    if (span.status === 'error') this.errors++;
    if (isOpen(span)) this.unfinished++;
  }
}

/** Call-site extras: the names recorded there and its spans in start order. */
class SiteAccumulator extends Accumulator {
  readonly names = new Set<string>();
  spans: number[] = [];
  /** The name added last: a site's spans nearly always share one name, so most adds are skipped. */
  lastName: string | undefined = undefined;
}

/**
 * One grouping (by category, name or site): accumulators in first-seen order and each span's
 * group (−1 for none). Per-group state that needs start order lives in typed arrays by group.
 */
class Grouping<A extends Accumulator> {
  readonly groups: A[] = [];
  readonly groupOf: Int32Array;
  /** p50, p95, p99 (ns) of each group, three per group. */
  private percentiles = new Float64Array(0);
  private union = new Float64Array(0);

  constructor(n: number) {
    this.groupOf = new Int32Array(n).fill(-1);
  }

  /**
   * Counts span `i` into the group of `id` in `ids`, making the group when it is new. A method
   * called per span rather than code inline in {@link computeTiming}'s loop: that function runs
   * once per analysis, so its loop is compiled on the fly (on-stack replacement) with feedback
   * from one run; the rare "new group" branch then deoptimized it on every analysis (measured
   * with --trace-deopt), and the rest of the loop ran in the interpreter. A method called a
   * hundred thousand times is compiled ahead with complete feedback.
   */
  count<K>(ids: Map<K, number>, id: K, i: number, span: Span, duration: number, selfNs: number, make: (span: Span) => A): A {
    let g = ids.get(id);
    if (g === undefined) {
      g = this.groups.push(make(span)) - 1;
      ids.set(id, g);
    }
    this.groupOf[i] = g;
    const group = this.groups[g];
    group.add(span, duration, selfNs);
    return group;
  }

  /**
   * Second pass, in start order: each group's durations into its slice of one array (then its
   * percentiles by selection) and the length of the union of its intervals (a forward merge,
   * since the intervals come in start order).
   */
  finish(
    table: SpanTable,
    byStart: Int32Array,
    scratch: Float64Array,
    collectSpans?: (group: A, span: number) => void,
  ): void {
    const groupCount = this.groups.length;
    const fill = new Int32Array(groupCount);
    let total = 0;
    for (let g = 0; g < groupCount; g++) {
      fill[g] = this.groups[g].offset = total;
      total += this.groups[g].count;
    }
    // Only needed until the percentiles are out, so the groupings take turns with one buffer.
    const durations = scratch.subarray(0, total);
    const union = new Float64Array(groupCount);
    const runStart = new Float64Array(groupCount);
    const runEnd = new Float64Array(groupCount).fill(-Infinity);
    mergeInStartOrder(byStart, this.groupOf, table.start, table.end, fill, durations, union, runStart, runEnd);
    if (collectSpans) {
      const groupOf = this.groupOf;
      for (let k = 0; k < byStart.length; k++) {
        const g = groupOf[byStart[k]];
        if (g >= 0) collectSpans(this.groups[g], byStart[k]);
      }
    }
    const percentiles = new Float64Array(3 * groupCount);
    for (let g = 0; g < groupCount; g++) {
      if (runEnd[g] > -Infinity) union[g] += runEnd[g] - runStart[g];
      const a = this.groups[g];
      const [p50, p95, p99] = percentilesInPlace(durations.subarray(a.offset, a.offset + a.count), [50, 95, 99]);
      percentiles[3 * g] = p50;
      percentiles[3 * g + 1] = p95;
      percentiles[3 * g + 2] = p99;
    }
    this.percentiles = percentiles;
    this.union = union;
  }

  stats(g: number, wallNs: number): TimingStats {
    const a = this.groups[g];
    const p = this.percentiles;
    return timingStats(a, p[3 * g], p[3 * g + 1], p[3 * g + 2], this.union[g], wallNs);
  }
}

/** Names a call-site row lists at most, beyond its templates (see {@link noteSiteName}). */
export const SITE_NAMES_MAX = 4;

/**
 * Adds a span's names to its call site's: its name (a template when it has one) always, and the
 * name as written while the site lists fewer than {@link SITE_NAMES_MAX}. The code lenses find a
 * site by the name in its source: `timer(f"step_{i}:plan")` matches the template, and
 * `timer("step_1:plan")` (a literal with a number) its name as written. Spans in index order, in
 * both engines, so the lists are equal. Returns true when `names` changed.
 */
export function noteSiteName(names: Set<string>, span: Span): boolean {
  const size = names.size;
  names.add(span.name);
  const instance = span.instance;
  if (instance !== undefined && names.size < SITE_NAMES_MAX) names.add(instance);
  return names.size !== size;
}

/** The totals of a group that {@link timingStats} reads (ns). */
export interface GroupTotals {
  count: number;
  totalNs: number;
  selfNs: number;
  minNs: number;
  maxNs: number;
  errors: number;
  unfinished: number;
}

/**
 * The {@link TimingStats} of one group from its totals, its p50/p95/p99 and the length of the
 * union of its intervals (all ns). Shared by {@link computeTiming} and the incremental analysis.
 */
export function timingStats(a: GroupTotals, p50: number, p95: number, p99: number, unionNs: number, wallNs: number): TimingStats {
  return {
    count: a.count,
    totalMs: a.totalNs / NS_PER_MS,
    selfMs: a.selfNs / NS_PER_MS,
    avgMs: a.count ? a.totalNs / a.count / NS_PER_MS : 0,
    minMs: a.count ? a.minNs / NS_PER_MS : 0,
    maxMs: a.count ? a.maxNs / NS_PER_MS : 0,
    p50Ms: p50 / NS_PER_MS,
    p95Ms: p95 / NS_PER_MS,
    p99Ms: p99 / NS_PER_MS,
    shareOfRun: wallNs > 0 ? Math.min(1, unionNs / wallNs) : 0,
    errors: a.errors,
    unfinished: a.unfinished,
  };
}

const newAccumulator = (span: Span) => new Accumulator(span);
const newSiteAccumulator = (span: Span) => new SiteAccumulator(span);

const byTotalDesc = <T extends { totalMs: number }>(key: (t: T) => string) => (a: T, b: T) =>
  b.totalMs - a.totalMs || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** Orders of the three timing tables (total time, largest first; ties by key), shared with the incremental analysis. */
export const compareCategoryRows = byTotalDesc<CategoryTiming>((t) => t.category);
export const compareNameRows = byTotalDesc<NameTiming>((t) => t.name);
export const compareSiteRows = byTotalDesc<SiteTiming>((t) => `${t.file}:${String(t.line).padStart(9, '0')}`);

/**
 * First pass of {@link computeTiming}, in index order (the span objects are read once,
 * sequentially): each span counted into its category, name and call site (`file:line`) group.
 * Its own function: a loop inside the function that runs once per analysis is compiled on the
 * fly (on-stack replacement), and that code deoptimized on every analysis at the code after it.
 */
function countSpans(
  spans: readonly Span[],
  table: SpanTable,
  self: Float64Array,
  categories: Grouping<Accumulator>,
  names: Grouping<Accumulator>,
  sites: Grouping<SiteAccumulator>,
): void {
  const categoryIds = new Map<string, number>();
  const nameIds = new Map<string, number>();
  // file → line → site group; avoids building a `file:line` string per span.
  const siteIds = new Map<string, Map<number, number>>();

  // First pass in index order: the span objects are read once, sequentially.
  const starts = table.start;
  const ends = table.end;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    const duration = ends[i] - starts[i];
    const selfNs = self[i];
    categories.count(categoryIds, span.category, i, span, duration, selfNs, newAccumulator);
    names.count(nameIds, span.name, i, span, duration, selfNs, newAccumulator);
    if (span.file !== undefined) {
      let lines = siteIds.get(span.file);
      if (!lines) siteIds.set(span.file, (lines = new Map()));
      const site = sites.count(lines, span.line ?? 0, i, span, duration, selfNs, newSiteAccumulator);
      // Most spans of a site repeat its last name (or are past the names it lists): skip the set then.
      if (span.name !== site.lastName || (span.instance !== undefined && site.names.size < SITE_NAMES_MAX)) {
        noteSiteName(site.names, span);
        site.lastName = span.name;
      }
    }
  }
}

/**
 * Count, total, self, avg, min, max, p50/p95/p99 of durations, share of the run, errors and
 * unfinished spans, per span category, span name and call site (`file:line`; spans without a file
 * are in no site). Open spans last until the run's last time. Each list is sorted by total time,
 * largest first (ties by key). `SiteTiming.costUsd` and `tokens` are 0: the token analysis fills them.
 */
export function computeTiming(profile: Profile): Timing {
  const spans = profile.spans;
  const n = spans.length;
  const wallNs = wallTime(profile);
  const table = spanTable(profile);
  const byStart = orderBy(table.start);
  const self = selfTimesOf(table, byStart);

  const categories = new Grouping<Accumulator>(n);
  const names = new Grouping<Accumulator>(n);
  const sites = new Grouping<SiteAccumulator>(n);
  countSpans(spans, table, self, categories, names, sites);

  const scratch = new Float64Array(n);
  categories.finish(table, byStart, scratch);
  names.finish(table, byStart, scratch);
  sites.finish(table, byStart, scratch, (site, span) => site.spans.push(span));

  const byCategory: CategoryTiming[] = categories.groups.map((g, k) => ({
    category: g.first.category,
    ...categories.stats(k, wallNs),
  }));
  const byName: NameTiming[] = names.groups.map((g, k) => ({
    name: g.first.name,
    category: g.first.category,
    kind: g.first.kind,
    ...names.stats(k, wallNs),
  }));
  const bySite: SiteTiming[] = sites.groups.map((g, k) => ({
    file: g.first.file as string,
    line: g.first.line ?? 0,
    names: [...g.names],
    kind: g.first.kind,
    costUsd: 0,
    tokens: 0,
    spans: g.spans,
    ...sites.stats(k, wallNs),
  }));

  byCategory.sort(compareCategoryRows);
  byName.sort(compareNameRows);
  bySite.sort(compareSiteRows);
  return { byCategory, byName, bySite };
}
