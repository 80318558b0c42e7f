/**
 * The children of each span sorted as the critical-path walk visits them (end descending, then
 * start ascending, then index), and the run's top-level spans likewise, for
 * {@link LiveCriticalPath}. A list is made once; afterwards the children that changed are taken
 * out and put back in place, instead of sorting all of them again (a live run's open root gains
 * a child or two per update among thousands).
 */
import type { Profile } from '../model';
import { grown } from './critical-emission';
import type { SpanState } from './span-state';

/** A parent with more children is not scanned to prove a child's change invisible. */
const MAX_SIBLINGS_SCANNED = 64;

/** Sorted child lists of a growing run; see the module comment. */
export class ChildLists {
  private readonly byEnd: Array<number[] | undefined> = [];
  /** Children that changed since each span's list was made (to move, add or drop in it). */
  private readonly pending = new Map<number, number[]>();
  private readonly top: number[] = [];
  private inTop = new Uint32Array(0);
  private topDirty = true;
  private stamp = new Uint32Array(0);
  private epoch = 0;

  constructor(private readonly state: SpanState) {}

  reserve(n: number): void {
    this.inTop = grown(this.inTop, n, (k) => new Uint32Array(k));
    this.stamp = grown(this.stamp, n, (k) => new Uint32Array(k));
  }

  /** Sort order of a list: end descending, then start ascending, then index. */
  private readonly byEndDescending = (a: number, b: number): number =>
    this.state.end[b] - this.state.end[a] || this.state.start[a] - this.state.start[b] || a - b;

  /** Notes that span `child` of `parent` (−1: the top level) arrived, moved, or left it. */
  changed(child: number, parent: number): void {
    if (parent < 0 || this.inTop[child]) this.topDirty = true;
    if (parent < 0 && !this.inTop[child]) {
      this.inTop[child] = 1;
      this.top.push(child);
    }
    if (parent < 0 || !this.byEnd[parent]) return;
    const list = this.pending.get(parent);
    if (list) list.push(child);
    else this.pending.set(parent, [child]);
  }

  /**
   * True when span `i`'s end, `oldEnd` before, is past its parent's end before and after, and no
   * sibling's is: the walk clips it to the parent's end either way, and it stays first of them.
   */
  hidden(profile: Profile, i: number, oldEnd: number): boolean {
    const { parent, end } = this.state;
    const p = parent[i];
    if (p < 0) return false;
    const parentEnd = end[p];
    if (!(oldEnd >= parentEnd && end[i] >= parentEnd)) return false;
    const siblings = profile.spans[p].children ?? [];
    if (siblings.length > MAX_SIBLINGS_SCANNED) return false;
    for (const c of siblings) if (c !== i && parent[c] === p && end[c] >= parentEnd) return false;
    return true;
  }

  /** The top-level spans, sorted. */
  roots(): number[] {
    if (this.topDirty) {
      const parent = this.state.parent;
      let k = 0;
      for (const r of this.top) {
        if (parent[r] < 0) this.top[k++] = r;
        else this.inTop[r] = 0;
      }
      this.top.length = k;
      this.top.sort(this.byEndDescending);
      this.topDirty = false;
    }
    return this.top;
  }

  /** The children of `span`, sorted: kept with the changed ones put back in place (a few), or sorted anew. */
  children(profile: Profile, span: number): number[] {
    let list = this.byEnd[span];
    const changed = this.pending.get(span);
    if (list && !changed) return list;
    this.pending.delete(span);
    const parent = this.state.parent;
    if (!list || !changed || 8 * changed.length > list.length) {
      const children = profile.spans[span].children ?? [];
      list = children.filter((c) => parent[c] === span).sort(this.byEndDescending);
      this.byEnd[span] = list;
      return list;
    }
    const mark = ++this.epoch;
    for (const c of changed) this.stamp[c] = mark;
    let k = 0;
    for (const c of list) if (this.stamp[c] !== mark) list[k++] = c;
    list.length = k;
    for (const c of changed) {
      // Once each, and only if it is still a child.
      if (this.stamp[c] !== mark || parent[c] !== span) continue;
      this.stamp[c] = 0;
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.byEndDescending(list[mid], c) < 0) lo = mid + 1;
        else hi = mid;
      }
      list.splice(lo, 0, c);
    }
    return list;
  }
}
