/**
 * The `sequential_siblings` runs kept per parent (and for the run's top level). The batch scan
 * ({@link sequentialRunsOf}) goes through a parent's children in start order, a run at a time;
 * each parent's children are kept in that order here, with the runs found and where each starts.
 * When children change (arrive, or move their end, duration or critical time), only the part of
 * the scan from the last point before the first changed child where the scan starts afresh (just
 * after an `agent` span, or at the start of a run) is done again: a live run's open root, with
 * thousands of children, is scanned only across its newest ones. Items are summed from the kept
 * runs in the batch scan order (parents by index, the run's top level last).
 */
import type { Bottleneck } from '../analysis-types';
import type { RunIndex } from '../bottleneck-index';
import { type SequentialRun, sequentialItems, sequentialRunsOf } from '../bottleneck-patterns';
import type { Profile, Span } from '../model';

/** Key of the run's top level (parents are span indices). */
const TOP = -1;
/** Key of spans in no list (orphans). */
const NONE = -2;

/** One parent's children in start order and its runs, with the position each run starts at. */
class SiblingScan {
  readonly ordered: number[] = [];
  runs: SequentialRun[] = [];
  runAt: number[] = [];
  /** Lowest position changed since the last scan. */
  firstChanged = Infinity;

  /** Position of span `i` in start order (where it is or would go). */
  positionOf(spans: readonly Span[], i: number): number {
    const list = this.ordered;
    const s = spans[i].start;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = list[mid];
      if (spans[m].start < s || (spans[m].start === s && m < i)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(spans: readonly Span[], i: number): void {
    const at = this.positionOf(spans, i);
    if (at === this.ordered.length) this.ordered.push(i);
    else this.ordered.splice(at, 0, i);
    this.touch(at);
  }

  remove(i: number): void {
    const at = this.ordered.indexOf(i);
    if (at < 0) return;
    this.ordered.splice(at, 1);
    this.touch(at);
  }

  /** A member changed: its position (moved back into start order if its start changed). */
  changed(spans: readonly Span[], i: number): void {
    const at = this.positionOf(spans, i);
    if (this.ordered[at] === i) this.touch(at);
    else {
      this.remove(i);
      this.insert(spans, i);
    }
  }

  touch(at: number): void {
    if (at < this.firstChanged) this.firstChanged = at;
  }

  /** Scans again from the last fresh start at or before the first change. */
  rescan(spans: readonly Span[], index: RunIndex, parentName: string, minRun: number): void {
    const from = this.firstChanged;
    this.firstChanged = Infinity;
    if (this.ordered.length < minRun) {
      this.runs = [];
      this.runAt = [];
      return;
    }
    // Runs starting before the first change are as they were: one of them, or an agent span
    // (which ends any run), marks a point where the scan starts with nothing carried over.
    let k = this.runAt.length;
    while (k > 0 && this.runAt[k - 1] >= from) k--;
    let r = Math.min(from, this.ordered.length);
    while (r > 0 && spans[this.ordered[r - 1]].kind !== 'agent' && !(k > 0 && this.runAt[k - 1] === r)) {
      r--;
      while (k > 0 && this.runAt[k - 1] > r) k--;
    }
    if (k > 0 && this.runAt[k - 1] === r) k--;
    this.runs.length = k;
    this.runAt.length = k;
    const rest = r === 0 ? this.ordered : this.ordered.slice(r);
    for (const run of sequentialRunsOf(index, parentName, rest)) {
      this.runs.push(run);
      this.runAt.push(this.positionOf(spans, run.spans[0]));
    }
  }
}

/** `sequential_siblings` of a growing run; see the module comment. */
export class LiveSequential {
  private readonly scans = new Map<number, SiblingScan>();
  /** The list each span belongs in: its key + 2 (0: none yet, or an orphan). */
  private listedIn = new Int32Array(0);
  /** Parents that have runs, in index order. */
  private parents: number[] = [];
  private spanCount = 0;

  /** Scans again the parents of the spans that may have changed, from their first change. */
  update(profile: Profile, index: RunIndex, maybeChanged: readonly number[]): void {
    const spans = profile.spans;
    const n = spans.length;
    const minRun = Math.max(2, index.thresholds.sequentialSiblings);
    if (n > this.listedIn.length) {
      const bigger = new Int32Array(Math.max(n, 2 * this.listedIn.length, 1024));
      bigger.set(this.listedIn);
      this.listedIn = bigger;
    }
    const touched = new Set<number>();
    const scanOf = (key: number) => {
      let scan = this.scans.get(key);
      if (!scan) this.scans.set(key, (scan = new SiblingScan()));
      touched.add(key);
      return scan;
    };
    // A parent gets a list once it has enough children for a run (made from its child list then).
    const kept = (key: number) => key === TOP || this.scans.has(key) || (spans[key].children?.length ?? 0) >= minRun;
    const look = (i: number) => {
      const span = spans[i];
      const key = span.parent >= 0 ? span.parent : span.orphan ? NONE : TOP;
      const was = this.listedIn[i] === 0 ? NONE : this.listedIn[i] - 2;
      if (was === key) {
        if (key !== NONE && kept(key)) scanOf(key).changed(spans, i);
        return;
      }
      if (was !== NONE && this.scans.has(was)) scanOf(was).remove(i);
      this.listedIn[i] = key === NONE ? 0 : key + 2;
      if (key !== NONE && kept(key)) scanOf(key).insert(spans, i);
    };
    for (let i = this.spanCount; i < n; i++) look(i);
    this.spanCount = n;
    for (const i of maybeChanged) look(i);
    for (const key of touched) {
      const scan = this.scans.get(key)!;
      const had = scan.runs.length > 0;
      if (key === TOP) scan.rescan(spans, index, profile.run.name, minRun);
      else {
        // The batch scans the parent's own child list: the kept one must hold the same spans.
        const children = spans[key].children ?? [];
        if (children.length !== scan.ordered.length) this.rebuild(spans, scan, children);
        scan.rescan(spans, index, spans[key].name, minRun);
        if (had !== scan.runs.length > 0) this.place(key, scan.runs.length > 0);
      }
    }
  }

  /** Makes a parent's list from its child list (spans listed twice, say). */
  private rebuild(spans: readonly Span[], scan: SiblingScan, children: readonly number[]): void {
    const sorted = [...children].sort((x, y) => spans[x].start - spans[y].start || x - y);
    scan.ordered.length = 0;
    for (const c of sorted) scan.ordered.push(c);
    scan.runs = [];
    scan.runAt = [];
    scan.firstChanged = 0;
  }

  /** Adds or removes a parent in the index-ordered list of parents with runs. */
  private place(p: number, present: boolean): void {
    const list = this.parents;
    if (present && (list.length === 0 || list[list.length - 1] < p)) {
      list.push(p);
      return;
    }
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid] < p) lo = mid + 1;
      else hi = mid;
    }
    if (present) list.splice(lo, 0, p);
    else if (list[lo] === p) list.splice(lo, 1);
  }

  render(index: RunIndex): Bottleneck[] {
    const runs: SequentialRun[] = [];
    for (const p of this.parents) for (const run of this.scans.get(p)!.runs) runs.push(run);
    const top = this.scans.get(TOP);
    if (top) for (const run of top.runs) runs.push(run);
    return sequentialItems(index, runs);
  }
}
