/**
 * The critical path of a run, computed the way Jaeger does: the chain of work that determined when
 * the run ended. Parallel work that finished earlier is not on it; shortening anything on it
 * shortens the run (until another chain becomes critical).
 *
 * Walk back from the end of the run (a virtual root spanning [minTime, maxTime] whose children are
 * the top-level spans). At each point in time, among the current span's children that end at or
 * before that point (or after it by less than the clock's tolerance, clock.ts: then they end at
 * it), the one that finished last was what the span waited for: descend into it
 * (its interval clipped to the parent), and afterwards continue before its start. Time that no
 * child covers is the span's own work (a segment of the span itself; of `(run)` at the root).
 *
 * The segments tile the run exactly: in time order, no overlaps, no gaps, lengths (in ns) summing
 * to the wall time. Iterative with an explicit stack (nesting can be 100 000 deep); a visited
 * bitmap keeps bad input from looping. The child list of each span entered is sorted by end once,
 * so the walk is O(n log n) at worst and close to linear on real runs.
 */
import type { CriticalSegment } from './analysis-types';
import { spanLabel, type Profile, type Span } from './model';
import { childLists, orderBy, spanTable } from './tree-order';
import { CLOCK_TOLERANCE_NS } from './clock';

/** The critical path in ns: parallel arrays of `length` segments in time order. */
export interface CriticalPathNs {
  /** Span index of each segment, −1 for the run itself. */
  span: Int32Array;
  /** Segment start, ns since the run's start (model time). */
  start: Float64Array;
  /** Segment end, ns since the run's start. */
  end: Float64Array;
  length: number;
}

/**
 * Sorts `list[from … to)`, a child list in start order, by end, latest first — stably, so
 * children ending together stay in start order (the one busy longest first). Only the spans the
 * walk enters are sorted. Most lists are short; long ones (a loop's steps under one parent)
 * mostly end in start order, a run TimSort reverses in one pass.
 */
function sortByEndDescending(list: Int32Array, from: number, to: number, ends: Float64Array): void {
  if (to - from <= 32) {
    for (let k = from + 1; k < to; k++) {
      const child = list[k];
      const end = ends[child];
      let j = k - 1;
      while (j >= from && ends[list[j]] < end) {
        list[j + 1] = list[j];
        j--;
      }
      list[j + 1] = child;
    }
    return;
  }
  let ordered = true;
  for (let k = from + 1; k < to && ordered; k++) if (ends[list[k]] > ends[list[k - 1]]) ordered = false;
  if (ordered) return;
  // Array.prototype.sort is stable and finds runs (TimSort).
  const slice = Array.from(list.subarray(from, to));
  slice.sort((a, b) => ends[b] - ends[a]);
  list.set(slice, from);
}

/** `bigger` with the contents of `array` copied to its start. */
function grow<T extends Int32Array | Float64Array>(array: T, bigger: T): T {
  bigger.set(array);
  return bigger;
}

/**
 * The critical path as ns segments (see the module comment for the algorithm). Empty when the run
 * has no wall time. Segment lengths `end − start` are differences of integers and the segments
 * are contiguous, so they add up exactly to `maxTime − minTime`.
 *
 * Of children ending at the same time, the one that started first is taken (it was busy longer).
 */
export function criticalPathNs(profile: Profile): CriticalPathNs {
  const runStart = profile.minTime;
  const runEnd = profile.maxTime;
  if (!(Number.isFinite(runStart) && Number.isFinite(runEnd) && runEnd > runStart)) {
    return { span: new Int32Array(0), start: new Float64Array(0), end: new Float64Array(0), length: 0 };
  }
  const table = spanTable(profile);
  const n = table.count;
  const starts = table.start;
  const ends = table.end;
  // Child lists in start order; each is re-sorted by end when the walk enters its span.
  const { offset, list } = childLists(table.parent, orderBy(starts));
  const visited = new Uint8Array(n);

  // Segments are written from the end of arrays of their bound (every pick emits at most one
  // segment and every pop at most one: ≤ 2 (n + 1)), as the walk meets them (backwards in time),
  // so they come out in time order with no growing, copying or reversing. Arrays this large are
  // usually mapped zero pages, of which only those the path fills take memory. Frames grow on demand
  // (the stack is at most n + 1 deep, usually far shallower).
  const capacity = 2 * (n + 1);
  const segSpan = new Int32Array(capacity);
  const segStart = new Float64Array(capacity);
  const segEnd = new Float64Array(capacity);
  let first = capacity;
  const emit = (span: number, from: number, to: number) => {
    first--;
    segSpan[first] = span;
    segStart[first] = from;
    segEnd[first] = to;
  };

  // Frames of the explicit stack: the span (−1 = run), its clipped interval, and a cursor into
  // its child list. The cursor only moves forward: the point in time only moves back, so a child
  // skipped for ending after it can never qualify later.
  let frameSpan = new Int32Array(64);
  let frameStart = new Float64Array(64);
  let frameEnd = new Float64Array(64);
  let frameCursor = new Int32Array(64);
  let frameStop = new Int32Array(64);
  frameSpan[0] = -1;
  frameStart[0] = runStart;
  frameEnd[0] = runEnd;
  frameCursor[0] = offset[n];
  frameStop[0] = offset[n + 1];
  sortByEndDescending(list, offset[n], offset[n + 1], ends);
  let top = 1;
  let point = runEnd;
  while (top > 0) {
    const f = top - 1;
    const parentStart = frameStart[f];
    const parentEnd = frameEnd[f];
    const stop = frameStop[f];
    let cursor = frameCursor[f];
    let next = -1;
    let nextStart = 0;
    let nextEnd = 0;
    while (cursor < stop) {
      const child = list[cursor++];
      if (visited[child]) continue;
      // A child reaching outside its parent (clock skew, importer quirks) is clipped to it.
      const start = starts[child] > parentStart ? starts[child] : parentStart;
      let end = ends[child] < parentEnd ? ends[child] : parentEnd;
      if (!(start < end) || end > point + CLOCK_TOLERANCE_NS) continue;
      // Ending within the clock's tolerance after the point is ending at it (see clock.ts).
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
      point = nextEnd;
      visited[next] = 1;
      if (top === frameSpan.length) {
        frameSpan = grow(frameSpan, new Int32Array(2 * top));
        frameStart = grow(frameStart, new Float64Array(2 * top));
        frameEnd = grow(frameEnd, new Float64Array(2 * top));
        frameCursor = grow(frameCursor, new Int32Array(2 * top));
        frameStop = grow(frameStop, new Int32Array(2 * top));
      }
      frameSpan[top] = next;
      frameStart[top] = nextStart;
      frameEnd[top] = nextEnd;
      frameCursor[top] = offset[next];
      frameStop[top] = offset[next + 1];
      sortByEndDescending(list, offset[next], offset[next + 1], ends);
      top++;
    } else {
      if (point > parentStart) emit(frameSpan[f], parentStart, point);
      point = parentStart;
      top--;
    }
  }

  // Views of the filled tail (they keep the whole buffers alive).
  return {
    span: segSpan.subarray(first),
    start: segStart.subarray(first),
    end: segEnd.subarray(first),
    length: capacity - first,
  };
}

/**
 * The critical path of the run as segments in time order (see {@link criticalPathNs}). Times are
 * ms since the run's first start (`profile.minTime`), like the waterfall's. Segments of the run
 * itself (time no top-level span covers) have `span` −1 and the name `(run)`.
 */
export function criticalPath(profile: Profile): CriticalSegment[] {
  return criticalSegments(profile.spans, profile.minTime, criticalPathNs(profile));
}

/**
 * The segment objects of a path from {@link criticalPathNs}: `spans` and `origin` are the
 * profile's spans and `minTime` at the time of the walk.
 */
export function criticalSegments(spans: readonly Span[], origin: number, path: CriticalPathNs): CriticalSegment[] {
  const segments: CriticalSegment[] = new Array(path.length);
  for (let k = 0; k < path.length; k++) {
    const index = path.span[k];
    const span = index >= 0 ? spans[index] : undefined;
    segments[k] = {
      span: index,
      spanId: span?.id,
      name: span ? spanLabel(span) : '(run)',
      startMs: (path.start[k] - origin) / 1e6,
      endMs: (path.end[k] - origin) / 1e6,
    };
  }
  return segments;
}
