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
   * Second pass, in start order: each group's durations into its slice of one array (then its
   * percentiles by selection) and the length of the union of its intervals (a forward merge,
   * since the intervals come in start order).
   */
  finish(
    table: SpanTable,
    byStart: Int32Array,
    scratch: Float64Array,
    collectSpans: (group: A, span: number) => void,
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
    const { start: starts, end: ends } = table;
    const groupOf = this.groupOf;
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
      collectSpans(this.groups[g], i);
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
    return {
      count: a.count,
      totalMs: a.totalNs / NS_PER_MS,
      selfMs: a.selfNs / NS_PER_MS,
      avgMs: a.count ? a.totalNs / a.count / NS_PER_MS : 0,
      minMs: a.count ? a.minNs / NS_PER_MS : 0,
      maxMs: a.count ? a.maxNs / NS_PER_MS : 0,
      p50Ms: this.percentiles[3 * g] / NS_PER_MS,
      p95Ms: this.percentiles[3 * g + 1] / NS_PER_MS,
      p99Ms: this.percentiles[3 * g + 2] / NS_PER_MS,
      shareOfRun: wallNs > 0 ? Math.min(1, this.union[g] / wallNs) : 0,
      errors: a.errors,
      unfinished: a.unfinished,
    };
  }
}

const byTotalDesc = <T extends { totalMs: number }>(key: (t: T) => string) => (a: T, b: T) =>
  b.totalMs - a.totalMs || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

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
  const categoryIds = new Map<string, number>();
  const nameIds = new Map<string, number>();
  // file → line → site group; avoids building a `file:line` string per span.
  const siteIds = new Map<string, Map<number, number>>();

  // First pass in index order: the span objects are read once, sequentially.
  for (let i = 0; i < n; i++) {
    const span = spans[i];
    const duration = table.end[i] - table.start[i];

    let c = categoryIds.get(span.category);
    if (c === undefined) {
      c = categories.groups.push(new Accumulator(span)) - 1;
      categoryIds.set(span.category, c);
    }
    categories.groupOf[i] = c;
    categories.groups[c].add(span, duration, self[i]);

    let m = nameIds.get(span.name);
    if (m === undefined) {
      m = names.groups.push(new Accumulator(span)) - 1;
      nameIds.set(span.name, m);
    }
    names.groupOf[i] = m;
    names.groups[m].add(span, duration, self[i]);

    if (span.file !== undefined) {
      let lines = siteIds.get(span.file);
      if (!lines) siteIds.set(span.file, (lines = new Map()));
      const line = span.line ?? 0;
      let s = lines.get(line);
      if (s === undefined) {
        s = sites.groups.push(new SiteAccumulator(span)) - 1;
        lines.set(line, s);
      }
      sites.groupOf[i] = s;
      const site = sites.groups[s];
      site.add(span, duration, self[i]);
      site.names.add(span.name);
    }
  }

  const ignore = () => undefined;
  const scratch = new Float64Array(n);
  categories.finish(table, byStart, scratch, ignore);
  names.finish(table, byStart, scratch, ignore);
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

  byCategory.sort(byTotalDesc((t) => t.category));
  byName.sort(byTotalDesc((t) => t.name));
  bySite.sort(byTotalDesc((t) => `${t.file}:${String(t.line).padStart(9, '0')}`));
  return { byCategory, byName, bySite };
}
