/**
 * The `sequential_siblings` runs kept per parent: a parent's children are scanned again (by the
 * batch analyzer's {@link sequentialRunsOf}) only when one of them changed — arrived, moved its
 * end, or changed its duration or critical time — and the items are summed from the kept runs in
 * the batch scan order (parents by index, the run's top level last).
 */
import type { Bottleneck } from '../analysis-types';
import type { RunIndex } from '../bottleneck-index';
import { type SequentialRun, sequentialItems, sequentialRunsOf } from '../bottleneck-patterns';
import type { Profile } from '../model';

/** `sequential_siblings` of a growing run; see the module comment. */
export class LiveSequential {
  /** Runs of each parent that has any, and those parents in index order. */
  private readonly runsOf = new Map<number, SequentialRun[]>();
  private parents: number[] = [];
  /** Top-level spans that are not orphans, in index order, and their runs. */
  private topLevel: number[] = [];
  private readonly inTop = new Set<number>();
  private topRuns: SequentialRun[] = [];
  private spanCount = 0;

  /** Scans again the parents of the spans that may have changed. */
  update(profile: Profile, index: RunIndex, maybeChanged: readonly number[]): void {
    const spans = profile.spans;
    const n = spans.length;
    const minRun = Math.max(2, index.thresholds.sequentialSiblings);
    const dirty = new Set<number>();
    let topDirty = false;
    const look = (i: number) => {
      const span = spans[i];
      if (span.parent >= 0) dirty.add(span.parent);
      const top = span.parent === -1 && !span.orphan;
      if (top !== this.inTop.has(i)) {
        if (top) this.inTop.add(i);
        else this.inTop.delete(i);
        topDirty = true;
        if (top && (this.topLevel.length === 0 || this.topLevel[this.topLevel.length - 1] < i)) this.topLevel.push(i);
        else this.topLevel = [...this.inTop].sort((a, b) => a - b);
      } else if (top) topDirty = true;
    };
    for (let i = this.spanCount; i < n; i++) look(i);
    this.spanCount = n;
    for (const i of maybeChanged) look(i);
    for (const p of dirty) {
      const children = spans[p].children;
      const runs = children && children.length >= minRun ? sequentialRunsOf(index, spans[p].name, children) : [];
      const had = this.runsOf.has(p);
      if (runs.length > 0) this.runsOf.set(p, runs);
      else this.runsOf.delete(p);
      if (had !== runs.length > 0) this.place(p, runs.length > 0);
    }
    if (topDirty) {
      this.topRuns = this.topLevel.length >= minRun ? sequentialRunsOf(index, profile.run.name, this.topLevel) : [];
    }
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
    for (const p of this.parents) for (const run of this.runsOf.get(p)!) runs.push(run);
    for (const run of this.topRuns) runs.push(run);
    return sequentialItems(index, runs);
  }
}
