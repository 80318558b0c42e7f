/**
 * Lanes for timeline formats that nest slices by time on a "thread" (Chrome traces, speedscope):
 * on one lane, every slice must lie inside the slice below it, or the viewer mis-nests or rejects
 * the file. Agent spans overlap freely (`Promise.all`, `asyncio.gather`, a child outliving its
 * parent), so spans are dealt onto lanes: a span goes on its parent's lane when it fits inside
 * the parent there, otherwise onto the first lane of its thread that is free, otherwise onto a
 * new lane. Lanes are grouped by the span's recorded thread, so a thread's lanes stay together.
 *
 * Spans are taken in start order (longer first, parents before children on ties); each lane keeps
 * a stack of open spans and closes them lazily, so each lane's open/close sequence is balanced
 * and in time order. Iterative; O(n log n) for the sort plus O(log lanes) per span for the
 * free-lane heap.
 */
import { isOpen, Profile } from '../model';
import { preorder, spanTable } from '../tree-order';

/** One lane: a thread's worth of well-nested spans. */
export interface Lane {
  /** Display name: the thread, numbered when the thread needs several lanes (`MainThread (2)`). */
  name: string;
  /** The recorded thread of its spans, or undefined. */
  thread: string | undefined;
  /** Open and close events in time order: a span index opens it, its bitwise complement (`~index`) closes it. */
  events: number[];
}

export interface LaneLayout {
  /** Lanes in display order: by thread (first seen first), then lane number. */
  lanes: Lane[];
  /** Lane (index into `lanes`) of each span. */
  laneOf: Int32Array;
  /** End of each span as placed, ns: open spans end at the run's last time (or Infinity, see `openUnbounded`). */
  end: Float64Array;
}

interface Group {
  thread: string | undefined;
  /** Lane ids (creation order) of this group. */
  lanes: number[];
  /** Min-heap of the group's lane ids by the time each becomes free. */
  heap: number[];
}

/**
 * Deals the spans of `profile` onto lanes. Open spans end at the run's last time, or, with
 * `openUnbounded`, never (a Chrome `B` event without an end must not sit inside a slice that ends).
 */
export function assignLanes(profile: Profile, options: { openUnbounded?: boolean } = {}): LaneLayout {
  const spans = profile.spans;
  const n = spans.length;
  const table = spanTable(profile);
  const { start, parent } = table;
  let end = table.end;
  if (options.openUnbounded) {
    end = end.slice();
    for (let i = 0; i < n; i++) if (isOpen(spans[i])) end[i] = Infinity;
  }
  const tree = preorder(profile, table);
  const depth = new Int32Array(n);
  for (let k = 0; k < n; k++) depth[tree.order[k]] = tree.depth[k];
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => start[a] - start[b] || end[b] - end[a] || depth[a] - depth[b] || a - b);

  const laneOf = new Int32Array(n).fill(-1);
  const stacks: number[][] = [];
  const events: number[][] = [];
  const freeAt: number[] = [];
  const laneGroup: Group[] = [];
  const groups = new Map<string, Group>();
  const groupOrder: Group[] = [];

  const heapUp = (heap: number[], k: number) => {
    while (k > 0) {
      const up = (k - 1) >> 1;
      if (freeAt[heap[up]] <= freeAt[heap[k]]) break;
      [heap[up], heap[k]] = [heap[k], heap[up]];
      k = up;
    }
  };
  const heapDown = (heap: number[], k: number) => {
    for (;;) {
      const l = 2 * k + 1;
      const r = l + 1;
      let m = k;
      if (l < heap.length && freeAt[heap[l]] < freeAt[heap[m]]) m = l;
      if (r < heap.length && freeAt[heap[r]] < freeAt[heap[m]]) m = r;
      if (m === k) return;
      [heap[m], heap[k]] = [heap[k], heap[m]];
      k = m;
    }
  };
  /** Pops the lane's spans that ended by `time` (all of them when `all`), emitting their closes. */
  const closeUntil = (lane: number, time: number, keep: number) => {
    const stack = stacks[lane];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top === keep || end[top] > time) return;
      stack.pop();
      events[lane].push(~top);
    }
  };
  const place = (span: number, lane: number) => {
    stacks[lane].push(span);
    events[lane].push(span);
    laneOf[span] = lane;
  };

  for (const s of order) {
    const thread = spans[s].thread;
    const key = thread ?? '';
    let group = groups.get(key);
    if (!group) {
      group = { thread, lanes: [], heap: [] };
      groups.set(key, group);
      groupOrder.push(group);
    }
    // 1. Inside the parent, on the parent's lane.
    const p = parent[s];
    const parentLane = p >= 0 ? laneOf[p] : -1;
    if (parentLane >= 0 && laneGroup[parentLane] === group) {
      closeUntil(parentLane, start[s], p);
      const stack = stacks[parentLane];
      if (stack[stack.length - 1] === p && end[s] <= end[p] && start[s] <= end[p]) {
        place(s, parentLane);
        continue;
      }
    }
    // 2. The thread's lane that became free first, if it is free by now; 3. a new lane.
    const heap = group.heap;
    let lane: number;
    if (heap.length > 0 && freeAt[heap[0]] <= start[s]) {
      lane = heap[0];
      closeUntil(lane, Infinity, -1);
      freeAt[lane] = end[s];
      heapDown(heap, 0);
    } else {
      lane = stacks.length;
      stacks.push([]);
      events.push([]);
      freeAt.push(end[s]);
      laneGroup.push(group);
      group.lanes.push(lane);
      heap.push(lane);
      heapUp(heap, heap.length - 1);
    }
    place(s, lane);
  }
  for (let lane = 0; lane < stacks.length; lane++) closeUntil(lane, Infinity, -1);

  // Display order: groups as first seen, each group's lanes in creation order.
  const lanes: Lane[] = [];
  const rank = new Int32Array(stacks.length);
  for (const group of groupOrder) {
    group.lanes.forEach((lane, k) => {
      rank[lane] = lanes.length;
      const base = group.thread ?? 'spans';
      lanes.push({ name: k === 0 ? base : `${base} (${k + 1})`, thread: group.thread, events: events[lane] });
    });
  }
  for (let i = 0; i < n; i++) laneOf[i] = rank[laneOf[i]];
  return { lanes, laneOf, end };
}
