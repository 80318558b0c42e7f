/**
 * The critical path of a growing run, walked as `criticalPathNs` walks it (from the run's end
 * back, descending into the child that finished last), with three things kept between updates:
 * - each span's children sorted by end (latest first), see {@link ChildLists};
 * - what the walk emitted inside each span it entered, with the interval it was entered with. A
 *   span whose subtree did not change since, entered with the same interval, emits the same
 *   segments: they are copied instead of walked again. Every change invalidates the span and its
 *   ancestors, so the walk re-enters only the spans along changed branches (on a live run, the
 *   open spans' chain and the newest work) and copies the rest;
 * - inside a span with many children, where the walk stood after each child (checkpoints), and
 *   the lowest end of a child changed since (low-water mark). The walk inside a span depends only
 *   on the point it has reached and the children ending at or before it, so once a re-entered
 *   span's walk reaches a checkpoint below the mark, the rest of its old emission is copied in
 *   one piece: a live run's open root is walked only across its newest children.
 * A change the walk cannot see (an open span's end moving past its finished parent's end, a
 * parent whose self time changed) invalidates nothing.
 */
import type { CriticalSegment } from '../analysis-types';
import type { Profile } from '../model';
import { ChildLists } from './critical-children';
import { CLOCK_TOLERANCE_NS } from '../clock';
import { checkpointAt, type Checkpoints, Emitted, grown, pathOf, segmentMs } from './critical-emission';
import type { SpanDelta, SpanState } from './span-state';

export { Emitted, segmentMs };

/** Spans with at least this many children record checkpoints (see `resume`). */
const CHECKPOINT_MIN_CHILDREN = 8;

/** The critical path of a growing run; see the module comment. */
export class LiveCriticalPath {
  private readonly lists: ChildLists;
  // What the last walk emitted inside each span: generation, entry interval, range.
  private memoGen = new Uint32Array(0);
  private memoStart = new Float64Array(0);
  private memoEnd = new Float64Array(0);
  private memoFrom = new Int32Array(0);
  private memoTo = new Int32Array(0);
  private generation = 1;
  private previous = new Emitted();
  private current = new Emitted();
  private origin = NaN;
  private stamp = new Uint32Array(0);
  private epoch = 0;
  // By slot (span + 1; slot 0 is the run): the generation of the walk that last emitted inside
  // the span (walked or copied), its checkpoints then, and the lowest end of a child changed since.
  private walkedGen = new Uint32Array(0);
  private readonly checkpoints: Array<Checkpoints | undefined> = [];
  private lowWater = new Float64Array(0);
  /** End and parent of each span as of the last update (a delta's old values). */
  private seenEnd = new Float64Array(0);
  private seenParent = new Int32Array(0);
  private seenStart = new Float64Array(0);
  /** The path in time order, as `criticalPath` returns it; rewritten in place by each walk. */
  private path: CriticalSegment[] = [];
  /** Emission indices (in this walk) of the segments walked anew, in emission order. */
  fresh: number[] = [];
  /** Ranges of the previous walk's emission copied into this one: [from, to) pairs. */
  copied: number[] = [];
  /** Where each of those ranges went in this walk's emission. */
  private copiedAt: number[] = [];
  /**
   * Spans the walk resumed (see `resume`): [span, from, to) triples, the range of this walk's
   * emission copied in after the span's fresh segments. Some of its own segments are in there.
   */
  resumed: number[] = [];

  constructor(private readonly state: SpanState) {
    this.lists = new ChildLists(state);
  }

  /** Takes in one update's span deltas. */
  apply(profile: Profile, deltas: readonly SpanDelta[]): void {
    const n = this.state.count;
    this.lists.reserve(n);
    this.memoGen = grown(this.memoGen, n, (k) => new Uint32Array(k));
    this.memoStart = grown(this.memoStart, n, (k) => new Float64Array(k));
    this.memoEnd = grown(this.memoEnd, n, (k) => new Float64Array(k));
    this.memoFrom = grown(this.memoFrom, n, (k) => new Int32Array(k));
    this.memoTo = grown(this.memoTo, n, (k) => new Int32Array(k));
    this.stamp = grown(this.stamp, n, (k) => new Uint32Array(k));
    this.walkedGen = grown(this.walkedGen, n + 1, (k) => new Uint32Array(k));
    this.lowWater = grown(this.lowWater, n + 1, (k) => new Float64Array(k), Infinity);
    this.seenEnd = grown(this.seenEnd, n, (k) => new Float64Array(k));
    this.seenParent = grown(this.seenParent, n, (k) => new Int32Array(k));
    this.seenStart = grown(this.seenStart, n, (k) => new Float64Array(k));
    const { parent, start, end } = this.state;
    const lowWater = this.lowWater;
    const epoch = ++this.epoch;
    for (const d of deltas) {
      const i = d.span;
      const p = parent[i];
      const oldEnd = d.known ? this.seenEnd[i] : end[i];
      const oldParent = d.known ? this.seenParent[i] : p;
      const oldStart = d.known ? this.seenStart[i] : NaN;
      this.seenEnd[i] = end[i];
      this.seenParent[i] = p;
      this.seenStart[i] = start[i];
      // Same interval and parent (a parent whose self time changed), or an end that moved
      // beyond its parent's on both sides (an open span under a finished one): the walk sees
      // nothing new here; its changed children invalidate it themselves.
      if (oldParent === p && oldStart === start[i] && (oldEnd === end[i] || this.lists.hidden(profile, i, oldEnd))) continue;
      // Its place in its parent's list (its own list hears from its children).
      this.lists.changed(i, p);
      // Its parent's children changed from the lower of its old and new end down.
      const low = oldEnd < end[i] ? oldEnd : end[i];
      if (low < lowWater[p + 1]) lowWater[p + 1] = low;
      if (oldParent !== p) {
        // It left its old parent (or the top level) too, which changed below its own parent's.
        this.lists.changed(i, oldParent);
        if (oldEnd < lowWater[oldParent + 1]) lowWater[oldParent + 1] = oldEnd;
        if (oldParent >= 0 && end[oldParent] < lowWater[parent[oldParent] + 1]) lowWater[parent[oldParent] + 1] = end[oldParent];
        this.invalidate(oldParent, epoch);
      }
      // The span and its ancestors emit something else now.
      this.invalidate(i, epoch);
    }
  }

  /** Drops the memo of `span` and its ancestors, and lowers each ancestor's low-water mark. */
  private invalidate(span: number, epoch: number): void {
    const { parent, end } = this.state;
    for (let a = span; a >= 0 && this.stamp[a] !== epoch; a = parent[a]) {
      this.stamp[a] = epoch;
      this.memoGen[a] = 0;
      const p = parent[a];
      if (a !== span && end[a] < this.lowWater[p + 1]) this.lowWater[p + 1] = end[a];
    }
  }

  /** Walks the path of `profile` in its current state (see the module comment). */
  walk(profile: Profile): CriticalSegment[] {
    const runStart = profile.minTime;
    const runEnd = profile.maxTime;
    if (!Object.is(runStart, this.origin)) {
      // Segment times are relative to the run's start: nothing emitted before is reusable.
      this.memoGen.fill(0);
      this.walkedGen.fill(0);
      this.origin = runStart;
      this.path.length = 0;
    }
    this.fresh = [];
    this.copied = [];
    this.copiedAt = [];
    this.resumed = [];
    if (!(Number.isFinite(runStart) && Number.isFinite(runEnd) && runEnd > runStart)) {
      this.current.count = 0;
      this.swap();
      this.path.length = 0;
      // The previous emission is now empty: no memo may point into it.
      this.generation++;
      return this.path;
    }
    const { start: starts, end: ends } = this.state;
    const oldGen = this.generation;
    const gen = ++this.generation;
    const prev = this.previous;
    const out = this.current;
    out.count = 0;
    const spans = profile.spans;
    const emit = (span: number, from: number, to: number) => {
      const k = out.count;
      out.reserve(k + 1);
      out.span[k] = span;
      out.start[k] = from;
      out.end[k] = to;
      out.count = k + 1;
      this.fresh.push(k);
    };

    // Frames of the explicit stack: span (−1 = run), clipped interval, its sorted children and a
    // cursor, where its emission starts, and its checkpoints (this walk's; the previous walk's
    // with that walk's emission range, when it may resume from them).
    const frameSpan: number[] = [];
    const frameStart: number[] = [];
    const frameEnd: number[] = [];
    const frameList: number[][] = [];
    const frameCursor: number[] = [];
    const frameFrom: number[] = [];
    const frameMarks: Array<Checkpoints | undefined> = [];
    const frameOld: Array<{ marks: Checkpoints; from: number; to: number } | undefined> = [];
    const push = (span: number, start: number, end: number, list: number[]) => {
      const slot = span + 1;
      const marks = this.checkpoints[slot];
      const resumable = marks !== undefined && this.walkedGen[slot] === oldGen && (span < 0 || this.memoStart[span] === start);
      frameOld.push(resumable ? { marks, from: span < 0 ? 0 : this.memoFrom[span], to: span < 0 ? prev.count : this.memoTo[span] } : undefined);
      frameMarks.push(list.length >= CHECKPOINT_MIN_CHILDREN ? { point: [], offset: [] } : undefined);
      frameSpan.push(span);
      frameStart.push(start);
      frameEnd.push(end);
      frameList.push(list);
      frameCursor.push(0);
      frameFrom.push(out.count);
    };
    push(-1, runStart, runEnd, this.lists.roots());
    let point = runEnd;
    while (frameSpan.length > 0) {
      const f = frameSpan.length - 1;
      const parentStart = frameStart[f];
      const parentEnd = frameEnd[f];
      const list = frameList[f];
      let cursor = frameCursor[f];
      if (cursor > 0) {
        // A child has just been walked or copied: a checkpoint, and perhaps the rest as before.
        const marks = frameMarks[f];
        if (marks) {
          marks.point.push(point);
          marks.offset.push(out.count - frameFrom[f]);
        }
        const old = frameOld[f];
        // The walk from here reads the children ending up to the tolerance past the point.
        if (old && point + CLOCK_TOLERANCE_NS < this.lowWater[frameSpan[f] + 1] && this.resume(frameSpan[f], point, old, frameFrom[f], marks)) {
          cursor = list.length;
          point = parentStart;
        }
      }
      let next = -1;
      let nextStart = 0;
      let nextEnd = 0;
      while (cursor < list.length) {
        const child = list[cursor++];
        const start = starts[child] > parentStart ? starts[child] : parentStart;
        let end = ends[child] < parentEnd ? ends[child] : parentEnd;
        if (!(start < end) || end > point + CLOCK_TOLERANCE_NS) continue;
        // As criticalPathNs: ending within the clock's tolerance after the point is ending at it.
        if (end > point) end = point;
        if (!(start < end)) continue;
        next = child;
        nextStart = start;
        nextEnd = end;
        break;
      }
      frameCursor[f] = cursor;
      if (next >= 0) {
        if (point > nextEnd) emit(frameSpan[f], nextEnd, point);
        if (this.memoGen[next] === oldGen && this.memoStart[next] === nextStart && this.memoEnd[next] === nextEnd) {
          // Unchanged subtree entered as before: its segments again, copied.
          const from = this.memoFrom[next];
          const to = this.memoTo[next];
          const at = out.count;
          out.append(prev, from, to);
          this.copied.push(from, to);
          this.copiedAt.push(at);
          this.memoFrom[next] = at;
          this.memoTo[next] = out.count;
          this.memoGen[next] = gen;
          this.walkedGen[next + 1] = gen;
          point = nextStart;
          continue;
        }
        point = nextEnd;
        push(next, nextStart, nextEnd, this.lists.children(profile, next));
      } else {
        if (point > parentStart) emit(frameSpan[f], parentStart, point);
        point = parentStart;
        const span = frameSpan[f];
        if (span >= 0) {
          this.memoGen[span] = gen;
          this.memoStart[span] = parentStart;
          this.memoEnd[span] = parentEnd;
          this.memoFrom[span] = frameFrom[f];
          this.memoTo[span] = out.count;
        }
        this.walkedGen[span + 1] = gen;
        this.checkpoints[span + 1] = frameMarks[f];
        this.lowWater[span + 1] = Infinity;
        frameSpan.pop();
        frameStart.pop();
        frameEnd.pop();
        frameList.pop();
        frameCursor.pop();
        frameFrom.pop();
        frameMarks.pop();
        frameOld.pop();
      }
    }
    this.swap();
    return pathOf(this.previous, this.current, this.path, profile.spans, runStart, this.copied, this.copiedAt);
  }

  /**
   * Resumes the walk inside `span` (−1: the run) at `point`, just after a child: when the previous walk
   * inside the span (entered at the same start) stood at the same point, and none of the span's
   * children that end at or before it changed since (the caller checks the low-water mark), the
   * rest of the span's emission is what it was then. Copies it; false when there is no such
   * checkpoint.
   */
  private resume(span: number, point: number, old: { marks: Checkpoints; from: number; to: number }, frameFrom: number, marks: Checkpoints | undefined): boolean {
    const j = checkpointAt(old.marks.point, point);
    if (j < 0) return false;
    const out = this.current;
    const at = out.count;
    const from = old.from + old.marks.offset[j];
    out.append(this.previous, from, old.to);
    this.copied.push(from, old.to);
    this.copiedAt.push(at);
    if (span >= 0) this.resumed.push(span, at, out.count);
    if (marks) {
      // The previous walk's later checkpoints, moved to where the copy put them.
      const shift = at - frameFrom - old.marks.offset[j];
      for (let k = j + 1; k < old.marks.point.length; k++) {
        marks.point.push(old.marks.point[k]);
        marks.offset.push(old.marks.offset[k] + shift);
      }
    }
    return true;
  }

  /** The walk just made becomes the previous one. */
  private swap(): void {
    const made = this.current;
    this.current = this.previous;
    this.previous = made;
  }

  /** The last walk's emission (backwards: latest segment first). */
  get emitted(): Emitted {
    return this.previous;
  }

  /** The emission of the walk before the last one. */
  get emittedBefore(): Emitted {
    return this.current;
  }
}
