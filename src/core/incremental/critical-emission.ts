/**
 * The storage of {@link LiveCriticalPath}'s walks: the segments one walk emitted, in growable
 * typed arrays, and the checkpoints recorded inside spans with many children, from which a later
 * walk resumes by copying the rest of the span's previous emission.
 */

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
