/**
 * Timing tables (by category, name and call site) kept up to date from span deltas. Each group
 * keeps sums that deltas adjust exactly (counts, and ns totals, integers below 2^53), and the
 * durations and intervals of its closed spans (which never change again) in a sorted multiset and
 * an interval union. Open spans (few) are folded in at each update, as their end moves. Rows are
 * rendered with the batch analyzer's {@link timingStats}; only groups whose totals moved are
 * re-sorted into place.
 */
import type { CategoryTiming, NameTiming, SiteTiming } from '../analysis-types';
import type { Profile, Span } from '../model';
import { percentileAt } from '../percentiles';
import { compareCategoryRows, compareNameRows, noteSiteName, timingStats, type Timing } from '../timing';
import { IntervalUnion, SortedValues } from './interval-union';
import { compareSiteRowsFast, OrderedRows } from './ordered-rows';
import { FAILED, OPEN, type SpanDelta, SpanState } from './span-state';

/** One group's running state. */
class Group {
  count = 0;
  totalNs = 0;
  selfNs = 0;
  errors = 0;
  closedMin = Infinity;
  closedMax = -Infinity;
  readonly closed = new SortedValues();
  readonly union = new IntervalUnion();
  // Rendered at the last update that touched the group (ns).
  minNs = 0;
  maxNs = 0;
  unfinished = 0;
  p50 = 0;
  p95 = 0;
  p99 = 0;
  unionNs = 0;
  /** Durations and intervals of the group's open spans during an update. */
  openDurations: number[] = [];
  openIntervals: Array<[number, number]> = [];
  dirty = false;
  /** Totals moved since the last render: the row may move in the order. */
  moved = true;

  constructor(readonly first: Span) {}

  /** Recomputes what depends on every member: extremes, percentiles, union (open spans included). */
  render(): void {
    this.closed.flush();
    const extra = this.openDurations.sort((a, b) => a - b);
    this.minNs = extra.length > 0 && extra[0] < this.closedMin ? extra[0] : this.closedMin;
    this.maxNs = extra.length > 0 && extra[extra.length - 1] > this.closedMax ? extra[extra.length - 1] : this.closedMax;
    this.unfinished = extra.length;
    const at = (rank: number) => this.closed.orderStatistic(rank, extra);
    this.p50 = percentileAt(this.count, at, 50);
    this.p95 = percentileAt(this.count, at, 95);
    this.p99 = percentileAt(this.count, at, 99);
    let union = this.union.length;
    const open = this.openIntervals.sort((a, b) => a[0] - b[0]);
    let runStart = 0;
    let runEnd = -Infinity;
    const addRun = () => {
      if (runEnd > -Infinity) union += runEnd - runStart - this.union.coveredIn(runStart, runEnd);
    };
    for (const [start, end] of open) {
      if (start > runEnd) {
        addRun();
        runStart = start;
        runEnd = end;
      } else if (end > runEnd) runEnd = end;
    }
    addRun();
    this.unionNs = union;
    this.openDurations = [];
    this.openIntervals = [];
  }
}

/** Call-site extras: the names recorded there and its spans in start order. */
class SiteGroup extends Group {
  readonly names = new Set<string>();
  namesList: string[] = [];
  readonly spans: number[] = [];
}

/** One grouping: its groups, each span's group, and the rows in table order. */
class Table<G extends Group> {
  readonly groups: G[] = [];
  groupOf = new Int32Array(0);
  private readonly order = new OrderedRows();

  constructor(private readonly compareRows: (a: never, b: never) => number) {}

  reserve(n: number): void {
    if (n <= this.groupOf.length) return;
    const bigger = new Int32Array(Math.max(n, 2 * this.groupOf.length, 1024)).fill(-1);
    bigger.set(this.groupOf);
    this.groupOf = bigger;
  }

  /** The rows (indexed by group id) in table order; groups whose totals moved are re-placed. */
  ordered<R>(rows: R[]): R[] {
    for (let g = 0; g < this.groups.length; g++) {
      if (!this.groups[g].moved) continue;
      this.order.markMoved(g);
      this.groups[g].moved = false;
    }
    return this.order.ordered(rows, this.compareRows as unknown as (a: R, b: R) => number);
  }
}

/** The site (token) totals a site row shows: cost and tokens of the usage recorded there. */
export type SiteUsage = (file: string, line: number) => { costUsd: number; tokens: number } | undefined;

/** The three timing tables of a growing run. */
export class LiveTiming {
  private readonly categories = new Table<Group>(compareCategoryRows);
  private readonly names = new Table<Group>(compareNameRows);
  private readonly sites = new Table<SiteGroup>(compareSiteRowsFast);
  private readonly categoryIds = new Map<string, number>();
  private readonly nameIds = new Map<string, number>();
  private readonly siteIds = new Map<string, Map<number, number>>();

  constructor(private readonly state: SpanState) {}

  /** Applies one update's span deltas. */
  apply(profile: Profile, deltas: readonly SpanDelta[]): void {
    const n = profile.spans.length;
    this.categories.reserve(n);
    this.names.reserve(n);
    this.sites.reserve(n);
    const state = this.state;
    for (const d of deltas) {
      const i = d.span;
      if (!d.known) this.join(profile.spans[i]);
      const duration = state.duration(i);
      const flags = state.flags[i];
      const closesNow = (flags & OPEN) === 0 && (!d.known || (d.oldFlags & OPEN) !== 0);
      const failed = (flags & FAILED ? 1 : 0) - (d.oldFlags & FAILED ? 1 : 0);
      const self = state.self[i];
      for (const table of [this.categories, this.names, this.sites] as Array<Table<Group>>) {
        const g = table.groupOf[i];
        if (g < 0) continue;
        const group = table.groups[g];
        if (!d.known) group.count++;
        group.totalNs += duration - d.oldDuration;
        group.selfNs += self - d.oldSelf;
        group.errors += failed;
        if (closesNow) {
          group.closed.add(duration);
          group.union.add(state.start[i], state.end[i]);
          if (duration < group.closedMin) group.closedMin = duration;
          if (duration > group.closedMax) group.closedMax = duration;
        }
        if (Math.abs(group.totalNs) > Number.MAX_SAFE_INTEGER) state.exact = false;
        group.dirty = true;
        if (duration !== d.oldDuration || !d.known) group.moved = true;
      }
    }
    for (const i of state.open) {
      for (const table of [this.categories, this.names, this.sites] as Array<Table<Group>>) {
        const g = table.groupOf[i];
        if (g < 0) continue;
        const group = table.groups[g];
        group.openDurations.push(state.duration(i));
        group.openIntervals.push([state.start[i], state.end[i]]);
        group.dirty = true;
      }
    }
    for (const table of [this.categories, this.names, this.sites] as Array<Table<Group>>) {
      for (const group of table.groups) {
        if (!group.dirty) continue;
        group.render();
        group.dirty = false;
      }
    }
  }

  /** Puts a new span into its groups. */
  private join(span: Span): void {
    const i = span.index;
    let c = this.categoryIds.get(span.category);
    if (c === undefined) this.categoryIds.set(span.category, (c = this.categories.groups.push(new Group(span)) - 1));
    this.categories.groupOf[i] = c;
    let m = this.nameIds.get(span.name);
    if (m === undefined) this.nameIds.set(span.name, (m = this.names.groups.push(new Group(span)) - 1));
    this.names.groupOf[i] = m;
    if (span.file !== undefined) {
      let lines = this.siteIds.get(span.file);
      if (!lines) this.siteIds.set(span.file, (lines = new Map()));
      const line = span.line ?? 0;
      let s = lines.get(line);
      if (s === undefined) lines.set(line, (s = this.sites.groups.push(new SiteGroup(span)) - 1));
      this.sites.groupOf[i] = s;
      const site = this.sites.groups[s];
      if (noteSiteName(site.names, span)) site.namesList = [...site.names];
      this.insertByStart(site.spans, i);
    }
  }

  /** Inserts span `i` into a list in start order (ties by index), as the batch start order has it. */
  private insertByStart(list: number[], i: number): void {
    const start = this.state.start;
    const s = start[i];
    let k = list.length;
    if (k === 0 || start[list[k - 1]] < s || (start[list[k - 1]] === s && list[k - 1] < i)) {
      list.push(i);
      return;
    }
    let lo = 0;
    let hi = k;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = list[mid];
      if (start[m] < s || (start[m] === s && m < i)) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, i);
  }

  /** The tables as `computeTiming` returns them; site rows carry their usage from `siteUsage`. */
  render(wallNs: number, siteUsage: SiteUsage): Timing {
    const stats = (g: Group) => timingStats(g, g.p50, g.p95, g.p99, g.unionNs, wallNs);
    const categoryRows: CategoryTiming[] = this.categories.groups.map((g) => ({ category: g.first.category, ...stats(g) }));
    const nameRows: NameTiming[] = this.names.groups.map((g) => ({
      name: g.first.name,
      category: g.first.category,
      kind: g.first.kind,
      ...stats(g),
    }));
    const siteRows: SiteTiming[] = this.sites.groups.map((g) => {
      const file = g.first.file as string;
      const line = g.first.line ?? 0;
      const usage = siteUsage(file, line);
      return {
        file,
        line,
        names: g.namesList,
        kind: g.first.kind,
        costUsd: usage?.costUsd ?? 0,
        tokens: usage?.tokens ?? 0,
        spans: g.spans,
        ...stats(g),
      };
    });
    return {
      byCategory: this.categories.ordered(categoryRows),
      byName: this.names.ordered(nameRows),
      bySite: this.sites.ordered(siteRows),
    };
  }
}
