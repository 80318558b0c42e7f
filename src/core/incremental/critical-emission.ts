/**
 * The storage of {@link LiveCriticalPath}'s walks: the segments one walk emitted, in growable
 * typed arrays, and the checkpoints recorded inside spans with many children, from which a later
 * walk resumes by copying the rest of the span's previous emission.
 */
import type { CriticalSegment } from '../analysis-types';
import { spanLabel, type Span } from '../model';

/** Segments of one walk, emitted backwards (latest first). */
export class Emitted {
  span = new Int32Array(256);
  start = new Float64Array(256);
  end = new Float64Array(256);
  count = 0;

  reserve(n: number): void {
    if (n <= this.span.length) return;
    const size = Math.max(n, 2 * this.span.length);
    const span = new Int32Array(size);
    span.set(this.span);
    const start = new Float64Array(size);
    start.set(this.start);
    const end = new Float64Array(size);
    end.set(this.end);
    this.span = span;
    this.start = start;
    this.end = end;
  }

  /** Appends `from`'s segments [begin, end) (one bulk copy per array). */
  append(from: Emitted, begin: number, end: number): void {
    const at = this.count;
    const n = end - begin;
    this.reserve(at + n);
    if (n < 16) {
      // Element by element: most ranges are short, and a typed-array view per range costs more.
      for (let k = begin, j = at; k < end; k++, j++) {
        this.span[j] = from.span[k];
        this.start[j] = from.start[k];
        this.end[j] = from.end[k];
      }
    } else {
      this.span.set(from.span.subarray(begin, end), at);
      this.start.set(from.start.subarray(begin, end), at);
      this.end.set(from.end.subarray(begin, end), at);
    }
    this.count = at + n;
  }
}

/**
 * Where the walk inside one span stood each time it had finished a child: the point (the time
 * the walk had reached, ns) and the number of segments emitted inside the span so far. Points
 * decrease strictly.
 */
export interface Checkpoints {
  point: number[];
  offset: number[];
}

/** The index of `point` in the strictly decreasing `points`, or −1. */
export function checkpointAt(points: readonly number[], point: number): number {
  let lo = 0;
  let hi = points.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = points[mid];
    if (p === point) return mid;
    if (p > point) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Copied ranges shorter than this are compared like the rest. */
const SKIP_MIN = 64;

/**
 * The path in time order, as `criticalPath` returns it, from a walk's emission (`out`, backwards):
 * rewrites `path` in place. Its start usually stays as it was (the run grows at its end): the
 * segments equal to the previous walk's (`prev`), counted from the end of the emission, are
 * kept. Ranges the walk copied from `prev` (`copied` [from, to) pairs, put at `copiedAt`) to the
 * same distance from the end are equal without comparing.
 */
export function pathOf(
  out: Emitted,
  prev: Emitted,
  path: CriticalSegment[],
  spans: readonly Span[],
  runStart: number,
  copied: readonly number[],
  copiedAt: readonly number[],
): CriticalSegment[] {
  const n = out.count;
  const shift = prev.count - n;
  let same = 0;
  const limit = Math.min(n, prev.count, path.length);
  const { span: outSpan, start: outStart, end: outEnd } = out;
  const { span: prevSpan, start: prevStart, end: prevEnd } = prev;
  let c = copiedAt.length - 1;
  for (let e = n - 1, k = prev.count - 1; same < limit; ) {
    while (c >= 0 && copiedAt[c] > e) c--;
    if (c >= 0) {
      const from = copied[2 * c];
      const length = copied[2 * c + 1] - from;
      if (copiedAt[c] + length - 1 === e && from - copiedAt[c] === shift && length >= SKIP_MIN && same + length <= limit) {
        same += length;
        e -= length;
        k -= length;
        continue;
      }
    }
    if (outSpan[e] !== prevSpan[k] || outStart[e] !== prevStart[k] || outEnd[e] !== prevEnd[k]) break;
    same++;
    e--;
    k--;
  }
  path.length = n;
  for (let t = same; t < n; t++) {
    const e = n - 1 - t;
    const index = outSpan[e];
    const s = index >= 0 ? spans[index] : undefined;
    path[t] = { span: index, spanId: s?.id, name: s ? spanLabel(s) : '(run)', startMs: segmentMs(outStart[e], runStart), endMs: segmentMs(outEnd[e], runStart) };
  }
  return path;
}

/** A segment time in ms since the run's start, as `criticalPath` computes it. */
export function segmentMs(ns: number, runStart: number): number {
  return (ns - runStart) / 1e6;
}

/** `a`, or a copy at least `n` long (new entries `fill`). */
export function grown<T extends Int32Array | Float64Array | Uint32Array>(a: T, n: number, make: (k: number) => T, fill = 0): T {
  if (n <= a.length) return a;
  const b = make(Math.max(n, 2 * a.length, 1024));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}
