/**
 * Per-span facts the incremental analysis keeps between updates, in growable typed arrays: start,
 * effective end, parent, self time and flags, as `spanTable` and `selfTimes` compute them for the
 * whole run. An update rewrites only the spans a change touched ({@link SpanState.apply}).
 */
import { isOpen, Profile, spanEnd } from '../model';
import type { ProfileChanges } from '../profile-changes';

/** Flag bits of {@link SpanState.flags}. */
export const OPEN = 1;
export const FAILED = 2;
export const ORPHAN = 4;

/** Largest integer a double holds exactly: sums of ns stay exact (and order-free) below it. */
const EXACT = Number.MAX_SAFE_INTEGER;

/** What one update changed about a span, for the group tables to apply as deltas. */
export interface SpanDelta {
  span: number;
  /** False for a span seen for the first time. */
  known: boolean;
  oldDuration: number;
  oldSelf: number;
  oldFlags: number;
}

function grow<T extends Float64Array | Int32Array | Uint8Array | Uint32Array>(a: T, n: number, make: (k: number) => T): T {
  if (n <= a.length) return a;
  const b = make(Math.max(n, 2 * a.length, 1024));
  b.set(a);
  return b;
}

/** Per-span facts of a growing run; see the module comment. */
export class SpanState {
  count = 0;
  start = new Float64Array(0);
  end = new Float64Array(0);
  self = new Float64Array(0);
  parent = new Int32Array(0);
  flags = new Uint8Array(0);
  /** Indices of the spans still open. */
  readonly open = new Set<number>();
  /** False once a time or sum is seen that doubles do not hold exactly (the caller then analyses in full). */
  exact = true;
  /** Dedupes spans within one update. */
  private stamp = new Uint32Array(0);
  private epoch = 0;

  duration(i: number): number {
    return this.end[i] - this.start[i];
  }

  /**
   * Brings the spans the changes touched up to date: new spans, changed spans, open spans (their
   * end is the run's last time) and the parents of all of these (a child's interval is part of
   * its parent's self time). Returns one delta per span whose duration, self time or flags may
   * have changed, parents last.
   */
  apply(profile: Profile, changes: ProfileChanges): SpanDelta[] {
    const n = profile.spans.length;
    this.reserve(n);
    const epoch = ++this.epoch;
    const touched: number[] = [];
    const mark = (i: number) => {
      if (i < 0 || i >= n || this.stamp[i] === epoch) return;
      this.stamp[i] = epoch;
      touched.push(i);
    };
    for (const i of changes.changedSpans) mark(i);
    if (changes.timeChanged) for (const i of this.open) mark(i);
    for (let i = Math.min(changes.firstNewSpan, this.count); i < n; i++) mark(i);
    const deltas: SpanDelta[] = [];
    for (const i of touched) {
      const known = i < this.count;
      deltas.push({
        span: i,
        known,
        oldDuration: known ? this.duration(i) : 0,
        oldSelf: known ? this.self[i] : 0,
        oldFlags: known ? this.flags[i] : 0,
      });
      this.read(profile, i, n);
    }
    this.count = n;
    // Parents of the touched spans: their self time moves with their children.
    const direct = touched.length;
    for (let k = 0; k < direct; k++) {
      const p = this.parent[touched[k]];
      if (p >= 0 && this.stamp[p] !== epoch) {
        this.stamp[p] = epoch;
        touched.push(p);
        deltas.push({ span: p, known: true, oldDuration: this.duration(p), oldSelf: this.self[p], oldFlags: this.flags[p] });
      }
    }
    for (const i of touched) this.self[i] = this.selfTime(profile, i);
    return deltas;
  }

  private reserve(n: number): void {
    this.start = grow(this.start, n, (k) => new Float64Array(k));
    this.end = grow(this.end, n, (k) => new Float64Array(k));
    this.self = grow(this.self, n, (k) => new Float64Array(k));
    this.parent = grow(this.parent, n, (k) => new Int32Array(k));
    this.flags = grow(this.flags, n, (k) => new Uint8Array(k));
    this.stamp = grow(this.stamp, n, (k) => new Uint32Array(k));
  }

  /** Reads span `i` as `spanTable` does. */
  private read(profile: Profile, i: number, n: number): void {
    const span = profile.spans[i];
    const start = span.start;
    const end = spanEnd(profile, span);
    this.start[i] = start;
    this.end[i] = end;
    const p = span.parent;
    this.parent[i] = p >= 0 && p < n && p !== i ? p : -1;
    const open = isOpen(span);
    this.flags[i] = (open ? OPEN : 0) | (span.status === 'error' ? FAILED : 0) | (span.orphan ? ORPHAN : 0);
    if (open) this.open.add(i);
    else this.open.delete(i);
    if (!Number.isInteger(start) || !Number.isInteger(end) || Math.abs(start) > EXACT || Math.abs(end) > EXACT) this.exact = false;
  }

  /** Duration minus the union of the children's intervals clipped to the span (as `selfTimes`). */
  private selfTime(profile: Profile, p: number): number {
    const parentStart = this.start[p];
    const parentEnd = this.end[p];
    const duration = parentEnd - parentStart;
    const children = profile.spans[p].children;
    if (!children || children.length === 0) return duration > 0 ? duration : 0;
    let list: readonly number[] = children;
    for (let k = 1; k < children.length; k++) {
      if (this.start[children[k]] < this.start[children[k - 1]]) {
        list = [...children].sort((a, b) => this.start[a] - this.start[b]);
        break;
      }
    }
    let covered = 0;
    let runStart = 0;
    let runEnd = -Infinity;
    for (const child of list) {
      if (this.parent[child] !== p) continue;
      const start = this.start[child] > parentStart ? this.start[child] : parentStart;
      const end = this.end[child] < parentEnd ? this.end[child] : parentEnd;
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
    return duration > covered ? duration - covered : 0;
  }
}
