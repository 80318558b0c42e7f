/**
 * The bottleneck rules' {@link RunIndex} kept up to date: durations of the spans a change
 * touched, the spans of each name and category and the call sites (appended), nesting under a
 * span of the same name (new spans, and the subtree of a span that found its parent), and each
 * span's time on the critical path, recomputed only for spans whose own path time, duration or
 * children's critical time changed, deepest first, summed in the order `indexRun` sums.
 */
import type { Thresholds } from '../analysis-types';
import type { RunIndex } from '../bottleneck-index';
import { Profile, wallTime } from '../model';
import { type LiveCriticalPath, segmentMs } from './live-critical';
import { OPEN, type SpanDelta, type SpanState } from './span-state';

function grown<T extends Float64Array | Int32Array | Uint8Array | Uint32Array>(a: T, n: number, make: (k: number) => T): T {
  if (n <= a.length) return a;
  const b = make(Math.max(n, 2 * a.length, 1024));
  b.set(a);
  return b;
}

/** The bottleneck rules' run index of a growing run; see the module comment. */
export class LiveRunIndex {
  private durationMs = new Float64Array(0);
  private criticalMs = new Float64Array(0);
  /** Each span's own time on the critical path (its segments, summed in time order). */
  private ownMs = new Float64Array(0);
  private nested = new Uint8Array(0);
  private siteOf = new Int32Array(0);
  /** Parent as last seen, to notice a span that found its parent. */
  private parentSeen = new Int32Array(0);
  private readonly sites: RunIndex['sites'] = [];
  private readonly siteIds = new Map<string, Map<number | undefined, number>>();
  private readonly spansByName = new Map<string, number[]>();
  private readonly spansByCategory = new Map<string, number[]>();
  /** Own critical time of the spans whose segments were walked anew (scratch). */
  private readonly ownNew = new Map<number, number>();
  private stamp = new Uint32Array(0);
  private epoch = 0;
  /** Scratch of `recomputeCritical`: depths, valid where `depthStamp` holds the epoch. */
  private depth = new Int32Array(0);
  private depthStamp = new Uint32Array(0);
  private count = 0;
  /** Spans whose duration, critical time or nesting may have changed in the last update. */
  changed: number[] = [];
  /** Spans known before the last update whose duration changed in it (new spans are not listed). */
  durationChanged: number[] = [];

  constructor(private readonly state: SpanState) {}

  /** True while span `i` is open: its duration may still change. */
  isOpen(i: number): boolean {
    return (this.state.flags[i] & OPEN) !== 0;
  }

  /** The spans of a category, in index order. */
  readonly spansOfCategory = (category: string): number[] => this.spansByCategory.get(category) ?? [];

  /** Takes in one update's deltas and the new critical path; returns the index for the rules. */
  update(profile: Profile, deltas: readonly SpanDelta[], critical: LiveCriticalPath, thresholds: Thresholds): RunIndex {
    const n = profile.spans.length;
    const state = this.state;
    this.durationMs = grown(this.durationMs, n, (k) => new Float64Array(k));
    this.criticalMs = grown(this.criticalMs, n, (k) => new Float64Array(k));
    this.ownMs = grown(this.ownMs, n, (k) => new Float64Array(k));
    this.nested = grown(this.nested, n, (k) => new Uint8Array(k));
    this.siteOf = grown(this.siteOf, n, (k) => new Int32Array(k));
    this.parentSeen = grown(this.parentSeen, n, (k) => new Int32Array(k));
    this.stamp = grown(this.stamp, n, (k) => new Uint32Array(k));
    const spans = profile.spans;

    for (let i = this.count; i < n; i++) this.join(profile, i);
    this.count = n;
    const adopted: number[] = [];
    this.durationChanged = [];
    for (const d of deltas) {
      const i = d.span;
      const ms = Math.max(0, state.end[i] - state.start[i]) / 1e6;
      if (d.known && !Object.is(ms, this.durationMs[i])) this.durationChanged.push(i);
      this.durationMs[i] = ms;
      const parent = spans[i].parent;
      if (parent !== this.parentSeen[i] || !d.known) {
        this.parentSeen[i] = parent;
        adopted.push(i);
      }
    }
    this.changed = [];
    for (const i of topmostOf(spans, adopted)) this.markNested(profile, i);

    // Own critical time, summed in time order as `indexRun` adds the segments. Only spans with
    // segments walked anew, or with segments of the previous walk that were not copied, can
    // have other own time now (a copied subtree brings every segment of its spans).
    const epoch = ++this.epoch;
    const dirty: number[] = [];
    const mark = (i: number) => {
      if (this.stamp[i] === epoch) return;
      this.stamp[i] = epoch;
      dirty.push(i);
    };
    const made = critical.emitted;
    const origin = profile.minTime;
    const fresh = critical.fresh;
    const candidates: number[] = [];
    const before = critical.emittedBefore;
    const copied = critical.copied;
    const ranges: Array<[number, number]> = [];
    for (let k = 0; k < copied.length; k += 2) ranges.push([copied[k], copied[k + 1]]);
    ranges.sort((a, b) => a[0] - b[0]);
    let k = 0;
    for (const [from, to] of [...ranges, [before.count, before.count] as [number, number]]) {
      for (; k < from; k++) if (before.span[k] >= 0 && before.span[k] < n) candidates.push(before.span[k]);
      if (to > k) k = to;
    }
    for (const i of candidates) this.ownNew.set(i, 0);
    // A resumed span's segments in the copied rest of its emission come first in time order.
    const resumed = critical.resumed;
    for (let r = 0; r < resumed.length; r += 3) {
      const i = resumed[r];
      let ms = 0;
      for (let e = resumed[r + 2] - 1; e >= resumed[r + 1]; e--) {
        if (made.span[e] === i) ms += Math.max(0, segmentMs(made.end[e], origin) - segmentMs(made.start[e], origin));
      }
      this.ownNew.set(i, ms);
    }
    // Fresh segments in time order: the emission is backwards.
    for (let f = fresh.length - 1; f >= 0; f--) {
      const e = fresh[f];
      const i = made.span[e];
      if (i < 0 || i >= n) continue;
      const ms = segmentMs(made.end[e], origin) - segmentMs(made.start[e], origin);
      this.ownNew.set(i, (this.ownNew.get(i) ?? 0) + Math.max(0, ms));
    }
    for (const [i, ms] of this.ownNew) {
      if (this.ownMs[i] !== ms) {
        this.ownMs[i] = ms;
        mark(i);
      }
    }
    this.ownNew.clear();
    for (const d of deltas) mark(d.span);
    this.recomputeCritical(profile, dirty, epoch);

    return {
      profile,
      thresholds,
      wallMs: wallTime(profile) / 1e6,
      durationMs: this.durationMs.subarray(0, n),
      criticalMs: this.criticalMs.subarray(0, n),
      nestedInSameName: this.nested.subarray(0, n),
      spansByName: this.spansByName,
      siteOf: this.siteOf.subarray(0, n),
      sites: this.sites,
    };
  }

  /** A new span: its name, category and call site lists. */
  private join(profile: Profile, i: number): void {
    const span = profile.spans[i];
    const byName = this.spansByName.get(span.name);
    if (byName) byName.push(i);
    else this.spansByName.set(span.name, [i]);
    const byCategory = this.spansByCategory.get(span.category);
    if (byCategory) byCategory.push(i);
    else this.spansByCategory.set(span.category, [i]);
    if (span.file === undefined) this.siteOf[i] = -1;
    else {
      let lines = this.siteIds.get(span.file);
      if (!lines) this.siteIds.set(span.file, (lines = new Map()));
      let site = lines.get(span.line);
      if (site === undefined) {
        lines.set(span.line, (site = this.sites.length));
        this.sites.push({ file: span.file, line: span.line });
      }
      this.siteOf[i] = site;
    }
    this.parentSeen[i] = -1;
  }

  /** Nesting under a same-name ancestor for span `top` and its subtree (iterative). */
  private markNested(profile: Profile, top: number): void {
    const spans = profile.spans;
    const open = new Map<string, number>();
    for (let a = spans[top].parent; a >= 0; a = spans[a].parent) open.set(spans[a].name, (open.get(spans[a].name) ?? 0) + 1);
    // Entries ≥ 0 enter a span, `~i` leave it (as in `indexRun`).
    const stack = [top];
    while (stack.length > 0) {
      const entry = stack.pop()!;
      if (entry >= 0) {
        const name = spans[entry].name;
        const count = open.get(name) ?? 0;
        this.nested[entry] = count > 0 ? 1 : 0;
        this.changed.push(entry);
        open.set(name, count + 1);
        stack.push(~entry);
        const children = spans[entry].children;
        if (children) for (let c = children.length - 1; c >= 0; c--) stack.push(children[c]);
      } else {
        const name = spans[~entry].name;
        open.set(name, (open.get(name) ?? 1) - 1);
      }
    }
  }

  /**
   * Critical time of the dirty spans and their ancestors, deepest first: own time, plus each
   * child's critical time in child order, capped at the span's duration.
   */
  private recomputeCritical(profile: Profile, dirty: number[], epoch: number): void {
    const spans = profile.spans;
    const n = profile.spans.length;
    for (let k = 0; k < dirty.length; k++) {
      const p = spans[dirty[k]].parent;
      if (p >= 0 && p < n && this.stamp[p] !== epoch) {
        this.stamp[p] = epoch;
        dirty.push(p);
      }
    }
    // Depth of each: ancestors are all in `dirty`, so one upward step each, memoised (in
    // `depth`, valid for the spans stamped with this epoch).
    this.depth = grown(this.depth, n, (k) => new Int32Array(k));
    const depth = this.depth;
    this.depthStamp = grown(this.depthStamp, n, (k) => new Uint32Array(k));
    const known = this.depthStamp;
    const chain: number[] = [];
    for (const i of dirty) {
      let a = i;
      let d = 0;
      while (a >= 0 && a < n) {
        if (known[a] === epoch) {
          d = depth[a] + 1;
          break;
        }
        chain.push(a);
        a = spans[a].parent;
      }
      for (let c = chain.length - 1; c >= 0; c--) {
        depth[chain[c]] = d++;
        known[chain[c]] = epoch;
      }
      chain.length = 0;
    }
    // Deepest first; at equal depth in `dirty` order (as a stable sort would leave them).
    const order = dirty.map((_, k) => k).sort((a, b) => depth[dirty[b]] - depth[dirty[a]] || a - b);
    for (const k of order) {
      const i = dirty[k];
      let ms = this.ownMs[i];
      const children = spans[i].children;
      if (children) for (let c = 0; c < children.length; c++) ms += this.criticalMs[children[c]];
      this.criticalMs[i] = ms > this.durationMs[i] ? this.durationMs[i] : ms;
      this.changed.push(i);
    }
  }
}

/**
 * The spans of `list` with no ancestor in `list`: walking the subtree of each of them covers the
 * others once. Walking every listed span's subtree was quadratic on a deep chain (every span is
 * new on the first update; 2 million deep collected 169 million entries and V8 aborted the whole
 * process). Each span's answer is found once, by an explicit walk up to a span already answered.
 */
export function topmostOf(spans: ReadonlyArray<{ parent: number }>, list: readonly number[]): number[] {
  if (list.length <= 1) return [...list];
  // 0: not known; 1: in `list` or under a listed span; 2: neither.
  const state = new Map<number, 1 | 2>();
  const listed = new Set(list);
  const covered = (i: number): boolean => {
    const path: number[] = [];
    let a = spans[i].parent;
    let answer: 1 | 2 = 2;
    while (a >= 0) {
      const known = state.get(a);
      if (known !== undefined) {
        answer = known;
        break;
      }
      if (listed.has(a)) {
        answer = 1;
        break;
      }
      path.push(a);
      a = spans[a].parent;
    }
    for (const p of path) state.set(p, answer);
    return answer === 1;
  };
  const top: number[] = [];
  for (const i of list) if (!covered(i)) top.push(i);
  return top;
}
