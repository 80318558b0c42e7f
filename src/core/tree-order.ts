/**
 * Column views, orderings and iterative traversals of the span tree shared by the analyzers.
 *
 * Reading a field of a million span objects costs a cache miss each, so the analyzers gather the
 * fields they loop over into typed arrays once ({@link spanTable}) and work on those. Profiles can
 * nest 100 000 deep, so nothing here recurses; traversals keep a visited bitmap so that bad input
 * (a parent cycle the builder missed) cannot loop or repeat a span.
 *
 * The tree is read from `Span.parent` (the builder keeps `children` in step with it); a parent
 * index out of range or naming the span itself counts as top-level.
 */
import { isOpen, Profile, spanEnd } from './model';

/** The span fields the analyzers loop over, in typed arrays indexed by span index. */
export interface SpanTable {
  count: number;
  /** Start, ns. */
  start: Float64Array;
  /** Effective end, ns: open spans end at the run's last time (see `spanEnd`). */
  end: Float64Array;
  /** Parent index, or −1 for top-level spans. */
  parent: Int32Array;
  /** {@link SPAN_OPEN}, {@link SPAN_FAILED} and {@link SPAN_ORPHAN} bits. */
  flags: Uint8Array;
}

/** Flag bit: the span never closed. */
export const SPAN_OPEN = 1;
/** Flag bit: the span ended with an error. */
export const SPAN_FAILED = 2;
/** Flag bit: the span's parent was never seen (`Span.orphan`). */
export const SPAN_ORPHAN = 4;

/** The table and start order of one profile while {@link shareSpanTables} runs. */
let shared: { profile: Profile; table: SpanTable | undefined; byStart: Int32Array | undefined } | undefined;

/**
 * Runs `work` with one span table and one start order for `profile`, however many analyzers ask
 * for them ({@link spanTable}, {@link orderBy} of its starts): gathering them reads a million span
 * objects, a cache miss each, and `analyze()` used to do it once per analyzer. Only for
 * synchronous work that does not change the profile meanwhile; the shared arrays are read-only.
 */
export function shareSpanTables<T>(profile: Profile, work: () => T): T {
  const outer = shared;
  shared = { profile, table: undefined, byStart: undefined };
  try {
    return work();
  } finally {
    shared = outer;
  }
}

/**
 * Gathers start, effective end, parent and flags of every span in one pass (once per
 * {@link shareSpanTables} scope). The arrays must not be written: they may be shared.
 */
export function spanTable(profile: Profile): SpanTable {
  if (shared?.profile === profile) return (shared.table ??= gatherSpanTable(profile));
  return gatherSpanTable(profile);
}

function gatherSpanTable(profile: Profile): SpanTable {
  const spans = profile.spans;
  const count = spans.length;
  const start = new Float64Array(count);
  const end = new Float64Array(count);
  const parent = new Int32Array(count);
  const flags = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const span = spans[i];
    start[i] = span.start;
    end[i] = spanEnd(profile, span);
    const p = span.parent;
    parent[i] = p >= 0 && p < count && p !== i ? p : -1;
    flags[i] = (isOpen(span) ? SPAN_OPEN : 0) | (span.status === 'error' ? SPAN_FAILED : 0) | (span.orphan ? SPAN_ORPHAN : 0);
  }
  return { count, start, end, parent, flags };
}

const TWO_32 = 4294967296;
/** Below this many keys a comparison sort beats clearing radix buckets. */
const RADIX_MIN = 512;

/**
 * Indices ordered by `keys[index]`, ascending (or descending), stably: equal keys keep their
 * order in `initial` (a permutation of all indices; default: index order). Linear when already
 * in order — the common case, since recorders write spans as they open. Otherwise an LSD radix
 * sort on the integer key offsets (times are integer ns), or a comparison sort when keys are
 * fractional or span more than 2^53.
 */
export function orderBy(keys: Float64Array, initial?: Int32Array, descending = false): Int32Array {
  // The start order of a shared table is computed once per scope (and must then not be written).
  if (shared?.table !== undefined && keys === shared.table.start && !initial && !descending) {
    return (shared.byStart ??= orderIndices(keys, undefined, false));
  }
  return orderIndices(keys, initial, descending);
}

function orderIndices(keys: Float64Array, initial: Int32Array | undefined, descending: boolean): Int32Array {
  const n = keys.length;
  let order: Int32Array;
  if (initial) order = initial.slice();
  else {
    order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
  }
  let sorted = true;
  let integral = true;
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < n; k++) {
    const key = keys[order[k]];
    if (k > 0 && (descending ? key > keys[order[k - 1]] : key < keys[order[k - 1]])) sorted = false;
    if (key < min) min = key;
    if (key > max) max = key;
    if (key !== Math.floor(key)) integral = false;
  }
  if (sorted) return order;
  const range = max - min;
  if (n < RADIX_MIN || !integral || !(range <= Number.MAX_SAFE_INTEGER)) {
    // Array.prototype.sort is stable, so ties keep the initial order.
    const list = Array.from(order);
    list.sort(descending ? (a, b) => keys[b] - keys[a] : (a, b) => keys[a] - keys[b]);
    return Int32Array.from(list);
  }
  // Key offsets split into 32-bit halves, sorted 16 bits per pass, only as many passes as needed.
  // Each pass is stable, so ties keep the initial order.
  const low = new Uint32Array(n);
  const high = range >= TWO_32 ? new Uint32Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const offset = descending ? max - keys[i] : keys[i] - min;
    if (high) {
      const h = Math.floor(offset / TWO_32);
      high[i] = h;
      low[i] = offset - h * TWO_32;
    } else {
      low[i] = offset;
    }
  }
  // One pass per 16 bits of the range (counted exactly: powers of two are exact doubles).
  let passes = 1;
  for (let limit = 65536; range >= limit; limit *= 65536) passes++;
  const counts = new Int32Array(65536);
  let from: Int32Array = order;
  let to: Int32Array = new Int32Array(n);
  for (let pass = 0; pass < passes; pass++) {
    const part = pass < 2 ? low : (high as Uint32Array);
    const shift = (pass & 1) * 16;
    counts.fill(0);
    for (let k = 0; k < n; k++) counts[(part[from[k]] >>> shift) & 0xffff]++;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = counts[d];
      counts[d] = sum;
      sum += c;
    }
    for (let k = 0; k < n; k++) {
      const index = from[k];
      to[counts[(part[index] >>> shift) & 0xffff]++] = index;
    }
    const swap = from;
    from = to;
    to = swap;
  }
  return from;
}

/**
 * Child lists of all spans in one array: the children of span `i` are
 * `list[offset[i] … offset[i + 1])`, the top-level spans those of the slot `count` (the run).
 * Within a list children keep their order in `order` (e.g. {@link orderBy} of the starts).
 */
export interface ChildLists {
  offset: Int32Array;
  list: Int32Array;
}

/** Builds the {@link ChildLists} of `parent` (−1 = top-level), lists ordered as in `order`. */
export function childLists(parent: Int32Array, order: Int32Array): ChildLists {
  const count = parent.length;
  const offset = new Int32Array(count + 2);
  // Count into offset[p + 2], so that after the prefix sum offset[p + 1] is where p's list starts
  // and serves as its fill cursor; filling moves it to p's end = offset[p + 1] of the final layout.
  for (let i = 0; i < count; i++) {
    const p = parent[i];
    offset[(p < 0 ? count : p) + 2]++;
  }
  for (let slot = 2; slot < count + 2; slot++) offset[slot] += offset[slot - 1];
  const list = new Int32Array(count);
  for (let k = 0; k < order.length; k++) {
    const child = order[k];
    const p = parent[child];
    list[offset[(p < 0 ? count : p) + 1]++] = child;
  }
  return { offset, list };
}

/** A depth-first pre-order of the whole forest. */
export interface TreeOrder {
  /** Span indices: each parent before its children, siblings in start order. */
  order: Int32Array;
  /** `depth[k]` is the depth of `order[k]`; top-level spans are at depth 0. */
  depth: Int32Array;
}

/**
 * Depth-first pre-order of all spans: top-level spans in start order, each followed by its subtree,
 * children in start order (ties in arrival order). Spans that no top-level span reaches (only
 * possible with a parent cycle in bad input) follow as extra roots, so every span appears once.
 */
export function preorder(profile: Profile, table: SpanTable = spanTable(profile)): TreeOrder {
  const n = table.count;
  const { offset, list } = childLists(table.parent, orderBy(table.start));
  const order = new Int32Array(n);
  const depth = new Int32Array(n);
  const visited = new Uint8Array(n);
  // Each span is pushed at most once (marked when pushed), so n slots suffice.
  const stack = new Int32Array(n);
  const stackDepth = new Int32Array(n);
  let top = 0;
  let written = 0;

  const pushChildren = (slot: number, d: number) => {
    // Pushed in reverse so the earliest child is popped first.
    for (let k = offset[slot + 1] - 1; k >= offset[slot]; k--) {
      const child = list[k];
      if (visited[child]) continue;
      visited[child] = 1;
      stack[top] = child;
      stackDepth[top] = d;
      top++;
    }
  };
  const drain = () => {
    while (top > 0) {
      top--;
      const index = stack[top];
      const d = stackDepth[top];
      order[written] = index;
      depth[written] = d;
      written++;
      pushChildren(index, d + 1);
    }
  };

  pushChildren(n, 0);
  drain();
  for (let i = 0; i < n && written < n; i++) {
    if (visited[i]) continue;
    visited[i] = 1;
    stack[top] = i;
    stackDepth[top] = 0;
    top++;
    drain();
  }
  return { order, depth };
}
